import { parseObjectType } from '../associations-schema';
import { notFound } from '../errors';
import { json, type Ctx, type Router } from '../http';
import {
  propertyDefinition,
  propertyDefinitions,
  type PropertyDefinition,
  type PropertyOption,
} from '../property-definitions';
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
    hasUniqueValue: false,
    hidden: p.hidden,
    hubspotDefined: true,
    modificationMetadata: { archivable: false, readOnlyDefinition: true, readOnlyValue: p.readOnly },
    formField: !p.readOnly,
    createdAt: EPOCH,
    updatedAt: EPOCH,
    archived: false,
  };
}

function typeOf(ctx: Ctx): string {
  const t = parseObjectType(ctx.params.objectType ?? '');
  if (!t) throw notFound(`Unable to infer object type from: ${ctx.params.objectType}`);
  return t;
}

export function registerPropertyRoutes(router: Router, store: Store): void {
  router.add('GET', '/crm/v3/properties/:objectType', (ctx) => {
    const t = typeOf(ctx) as Parameters<typeof propertyDefinitions>[0];
    return json(200, { results: propertyDefinitions(t).map((p) => propertyOut(store, t, p)) });
  });
  router.add('GET', '/crm/v3/properties/:objectType/:propertyName', (ctx) => {
    const t = typeOf(ctx) as Parameters<typeof propertyDefinitions>[0];
    const p = propertyDefinition(t, ctx.params.propertyName ?? '');
    if (!p) throw notFound(`Unable to find property ${ctx.params.propertyName}`);
    return json(200, propertyOut(store, t, p));
  });
}
