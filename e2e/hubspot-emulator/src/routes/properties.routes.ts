import { parseObjectType } from '../associations-schema';
import { type ObjectType } from '../constants';
import { badRequest, HubSpotError, notFound } from '../errors';
import { json, objectBody, type Ctx, type Router } from '../http';
import { type PropertyDefinition, type PropertyOption, type PropertyType } from '../property-definitions';
import { type Store } from '../store';

const EPOCH = '2019-08-06T02:43:14.491Z';

function propertyOut(store: Store, type: string, p: PropertyDefinition) {
  let options: PropertyOption[] = p.options;
  // Options that live elsewhere are filled from the current state, as HubSpot shows them.
  if (type === 'tickets' && p.name === 'hs_pipeline') {
    options = store.pipelines.map((x, i) => ({
      label: x.label,
      value: x.id,
      displayOrder: i,
      hidden: false,
    }));
  } else if (type === 'tickets' && p.name === 'hs_pipeline_stage') {
    options = store.pipelines.flatMap((x) =>
      x.stages.map((s) => ({ label: s.label, value: s.id, displayOrder: s.displayOrder, hidden: false })),
    );
  } else if (p.name === 'hubspot_owner_id') {
    options = store.owners
      .filter((o) => !o.archived)
      .map((o, i) => ({
        label: `${o.firstName} ${o.lastName}`,
        value: o.id,
        displayOrder: i,
        hidden: false,
      }));
  }
  return {
    name: p.name,
    label: p.label,
    type: p.type,
    fieldType: p.fieldType,
    description: p.description,
    groupName: p.groupName,
    options,
    displayOrder: p.displayOrder,
    calculated: p.calculated,
    externalOptions: p.externalOptions,
    hasUniqueValue: p.hasUniqueValue ?? false,
    hidden: p.hidden,
    hubspotDefined: !p.custom,
    modificationMetadata: {
      archivable: !!p.custom,
      readOnlyDefinition: !p.custom,
      readOnlyValue: p.readOnly,
    },
    formField: !p.readOnly,
    createdAt: EPOCH,
    updatedAt: EPOCH,
    archived: false,
  };
}

function typeOf(ctx: Ctx): ObjectType {
  const t = parseObjectType(ctx.params.objectType ?? '');
  if (!t) throw notFound(`Unable to infer object type from: ${ctx.params.objectType}`);
  return t;
}

const TYPES: PropertyType[] = ['string', 'number', 'date', 'datetime', 'enumeration', 'bool'];
const FIELD_TYPES = [
  'text',
  'textarea',
  'number',
  'date',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'phonenumber',
  'html',
  'file',
  'calculation_equation',
];

/** A PropertyCreate body checked the way HubSpot does; the definition to add. */
function propertyFromCreate(body: Record<string, unknown>): PropertyDefinition {
  const text = (key: string, required: boolean): string => {
    const v = body[key];
    if (v === undefined || v === null || v === '') {
      if (required) throw badRequest(`"${key}" is required to create a property.`);
      return '';
    }
    if (typeof v !== 'string') throw badRequest(`"${key}" must be a string.`);
    return v;
  };
  const name = text('name', true);
  if (!/^[a-z][a-z0-9_]{0,99}$/.test(name)) {
    throw badRequest(
      `Property name "${name}" must start with a lowercase letter and use only a-z, 0-9 and _.`,
    );
  }
  const type = text('type', true) as PropertyType;
  if (!TYPES.includes(type)) throw badRequest(`"type" must be one of ${TYPES.join(', ')}.`);
  const fieldType = text('fieldType', true);
  if (!FIELD_TYPES.includes(fieldType)) {
    throw badRequest(`"fieldType" must be one of ${FIELD_TYPES.join(', ')}.`);
  }
  const optionsRaw = body.options ?? [];
  if (!Array.isArray(optionsRaw)) throw badRequest('"options" must be an array of {label, value}.');
  const options: PropertyOption[] = optionsRaw.map(
    (o: { label?: unknown; value?: unknown; hidden?: unknown }, i) => {
      if (typeof o?.label !== 'string' || typeof o.value !== 'string') {
        throw badRequest(`options[${i}] needs a string label and value.`);
      }
      return { label: o.label, value: o.value, displayOrder: i, hidden: o.hidden === true };
    },
  );
  if (type === 'enumeration' && options.length === 0 && fieldType !== 'checkbox') {
    throw badRequest('An enumeration property needs "options".');
  }
  return {
    name,
    label: text('label', true),
    type,
    fieldType,
    groupName: text('groupName', true),
    description: text('description', false),
    options,
    readOnly: false,
    calculated: false,
    hidden: body.hidden === true,
    displayOrder: typeof body.displayOrder === 'number' ? body.displayOrder : -1,
    externalOptions: false,
    hasUniqueValue: body.hasUniqueValue === true,
    custom: true,
  };
}

export function registerPropertyRoutes(router: Router, store: Store): void {
  router.add('GET', '/crm/v3/properties/:objectType', (ctx) => {
    const t = typeOf(ctx);
    return json(200, { results: store.propertyDefs(t).map((p) => propertyOut(store, t, p)) });
  });
  router.add('GET', '/crm/v3/properties/:objectType/:propertyName', (ctx) => {
    const t = typeOf(ctx);
    const p = store.propertyDef(t, ctx.params.propertyName ?? '');
    if (!p) throw notFound(`Unable to find property ${ctx.params.propertyName}`);
    return json(200, propertyOut(store, t, p));
  });
  router.add('POST', '/crm/v3/properties/:objectType', (ctx) => {
    const t = typeOf(ctx);
    const def = propertyFromCreate(objectBody(ctx));
    if (store.propertyDef(t, def.name)) {
      throw new HubSpotError(409, 'OBJECT_ALREADY_EXISTS', `Property named '${def.name}' already exists.`);
    }
    store.addCustomProperty(t, def);
    return json(201, propertyOut(store, t, def));
  });
}
