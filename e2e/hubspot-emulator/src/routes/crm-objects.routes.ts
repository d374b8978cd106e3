import { associationDefinition, parseObjectType } from '../associations-schema';
import { type ObjectType } from '../constants';
import { badRequest, HubSpotError, notFound } from '../errors';
import { boolParam, intParam, json, listParam, objectBody, type Ctx, type Router } from '../http';
import { checkUniqueValues, normaliseProperties } from '../object-input';
import { parseSearchRequest, runSearch, SEARCH_MAX_RESULTS } from '../search';
import { propertiesToReturn, toPublicObject, v3Associations, type SimplePublicObject } from '../serialize';
import { type ChangeSource, type CrmRecord, type Store } from '../store';

const CRM_TYPES: ObjectType[] = ['tickets', 'contacts', 'companies', 'emails', 'notes', 'tasks'];
const LIST_MAX = 100;

export function objectType(ctx: Ctx): ObjectType {
  const raw = ctx.params.objectType ?? '';
  const t = parseObjectType(raw);
  if (!t || !CRM_TYPES.includes(t)) throw notFound(`Unable to infer object type from: ${raw}`);
  return t;
}

export interface AssociationInput {
  to?: { id?: unknown };
  types?: { associationCategory?: unknown; associationTypeId?: unknown }[];
}

/** Finds a record by id or by a unique property (`idProperty=email` for contacts). */
export function findRecord(
  store: Store,
  type: ObjectType,
  id: string,
  idProperty: string | null,
  archived = false,
): CrmRecord | undefined {
  if (!idProperty || idProperty === 'hs_object_id') return store.get(type, id, archived);
  if (type === 'contacts' && idProperty === 'email') return store.contactByEmail(id);
  const def = store.propertyDef(type, idProperty);
  if (!def) {
    throw badRequest(`Property "${idProperty}" does not exist and cannot be used as idProperty.`);
  }
  if (def.hasUniqueValue) {
    const rec = store.findByUniqueValue(type, idProperty, id);
    return rec && (archived || !rec.archived) ? rec : undefined;
  }
  throw badRequest(`Property "${idProperty}" is not a unique identifier property for ${type}.`);
}

/** Checks `associations` of a create request; returns the work to do once the record exists. */
export function checkAssociationInputs(
  store: Store,
  fromType: ObjectType,
  raw: unknown,
): { to: CrmRecord; typeId: number }[] {
  if (raw === undefined || raw === null) return [];
  if (!Array.isArray(raw)) throw badRequest('Invalid input JSON: "associations" must be an array.');
  const out: { to: CrmRecord; typeId: number }[] = [];
  raw.forEach((a: AssociationInput, i) => {
    const toId = a?.to?.id;
    if (typeof toId !== 'string' && typeof toId !== 'number') {
      throw badRequest(`associations[${i}].to.id is required.`);
    }
    if (!Array.isArray(a.types) || a.types.length === 0) {
      throw badRequest(`associations[${i}].types must list at least one type.`);
    }
    for (const t of a.types) {
      const typeId = Number(t?.associationTypeId);
      const def = associationDefinition(typeId);
      const category =
        t?.associationCategory === undefined
          ? undefined
          : JSON.stringify(t.associationCategory).replace(/^"|"$/g, '');
      if (
        category !== undefined &&
        !['HUBSPOT_DEFINED', 'USER_DEFINED', 'INTEGRATOR_DEFINED', 'WORK'].includes(category)
      ) {
        throw badRequest(`associations[${i}]: associationCategory ${category} is not valid.`);
      }
      if (!def || def.from !== fromType) {
        throw badRequest(
          `associations[${i}]: association type ${String(t?.associationTypeId)} is not valid for ${fromType}.`,
        );
      }
      const to = store.get(def.to, String(toId));
      if (!to) {
        throw badRequest(
          `associations[${i}]: ${def.to} ${String(toId)} does not exist, so it cannot be associated.`,
          {
            category: 'VALIDATION_ERROR',
            context: { ids: [String(toId)] },
          },
        );
      }
      out.push({ to, typeId });
    }
  });
  return out;
}

export function checkRequired(type: ObjectType, props: Record<string, string>): void {
  if ((type === 'emails' || type === 'notes' || type === 'tasks') && !props.hs_timestamp) {
    throw badRequest(
      'Property values were not valid: hs_timestamp is required for engagements (ISO-8601 or epoch ms).',
      {
        errors: [
          {
            message: 'hs_timestamp is required',
            code: 'REQUIRED',
            context: { propertyName: ['hs_timestamp'] },
          },
        ],
      },
    );
  }
}

export interface PreparedCreate {
  props: Record<string, string>;
  assocs: { to: CrmRecord; typeId: number }[];
}

/**
 * Checks a create request the way HubSpot does (properties, required engagement timestamp, unique
 * values, inline associations, a contact's email) without writing anything.
 */
export function prepareCreate(store: Store, type: ObjectType, body: Record<string, unknown>): PreparedCreate {
  const props = normaliseProperties(store, type, body.properties);
  checkRequired(type, props);
  checkUniqueValues(store, type, props);
  const assocs = checkAssociationInputs(store, type, body.associations);
  if (type === 'contacts' && props.email) {
    const existing = store.contactByEmail(props.email);
    if (existing) {
      throw new HubSpotError(409, 'CONFLICT', `Contact already exists. Existing ID: ${existing.id}`);
    }
  }
  return { props, assocs };
}

/** Writes a checked create: the record, then its associations (each with its webhooks). */
export function commitCreate(
  store: Store,
  type: ObjectType,
  prepared: PreparedCreate,
  source: ChangeSource = 'API',
): CrmRecord {
  const rec = store.create(type, prepared.props, { source });
  for (const a of prepared.assocs) {
    const def = associationDefinition(a.typeId);
    if (def) store.associate(rec, a.to, def, { source });
  }
  return rec;
}

/** Create used by the API, the staff console and the seed: validation, record, associations. */
export function createObject(
  store: Store,
  type: ObjectType,
  body: Record<string, unknown>,
  source: ChangeSource = 'API',
): CrmRecord {
  return commitCreate(store, type, prepareCreate(store, type, body), source);
}

function withAssociations(
  store: Store,
  rec: CrmRecord,
  names: string[],
  assocTypes: ObjectType[],
): SimplePublicObject {
  const out = toPublicObject(rec, names);
  const assoc = v3Associations(store, rec, assocTypes);
  if (assoc) out.associations = assoc;
  return out;
}

export function registerCrmObjectRoutes(router: Router, store: Store, baseUrl: () => string): void {
  router.add('GET', '/crm/v3/objects/:objectType', (ctx) => {
    const type = objectType(ctx);
    const limit = intParam(ctx.query, 'limit', 10, 1, LIST_MAX);
    const after = ctx.query.get('after');
    if (after !== null && after !== '' && !/^\d+$/.test(after)) {
      throw badRequest(`"after" must be a record id cursor from paging.next.after, got "${after}".`);
    }
    const archived = boolParam(ctx.query, 'archived');
    const names = propertiesToReturn(store, type, listParam(ctx.query, 'properties'));
    const assocTypes = (listParam(ctx.query, 'associations') ?? [])
      .map(parseObjectType)
      .filter((t): t is ObjectType => !!t);
    const all = store.ordered[type];
    const start = after ? lowerBound(all, Number(after)) : 0;
    const results: SimplePublicObject[] = [];
    let next: CrmRecord | undefined;
    for (let i = start; i < all.length; i++) {
      const rec = all[i] as CrmRecord;
      if (rec.archived !== archived) continue;
      if (results.length === limit) {
        next = rec;
        break;
      }
      results.push(withAssociations(store, rec, names, assocTypes));
    }
    const body: Record<string, unknown> = { results };
    if (next) {
      const link = `${baseUrl()}/crm/v3/objects/${type}?limit=${limit}&after=${next.id}`;
      body.paging = { next: { after: next.id, link } };
    }
    return json(200, body);
  });

  router.add('GET', '/crm/v3/objects/:objectType/:objectId', (ctx) => {
    const type = objectType(ctx);
    const rec = findRecord(
      store,
      type,
      ctx.params.objectId ?? '',
      ctx.query.get('idProperty'),
      boolParam(ctx.query, 'archived'),
    );
    if (!rec || (rec.archived && !boolParam(ctx.query, 'archived'))) throw notFound();
    const names = propertiesToReturn(store, type, listParam(ctx.query, 'properties'));
    const assocTypes = (listParam(ctx.query, 'associations') ?? [])
      .map(parseObjectType)
      .filter((t): t is ObjectType => !!t);
    return json(200, withAssociations(store, rec, names, assocTypes));
  });

  router.add('POST', '/crm/v3/objects/:objectType', (ctx) => {
    const type = objectType(ctx);
    const rec = createObject(store, type, objectBody(ctx));
    return json(201, toPublicObject(rec, Object.keys(rec.props)));
  });

  router.add('PATCH', '/crm/v3/objects/:objectType/:objectId', (ctx) => {
    const type = objectType(ctx);
    const rec = findRecord(store, type, ctx.params.objectId ?? '', ctx.query.get('idProperty'));
    if (!rec) throw notFound();
    const body = objectBody(ctx);
    const changes = normaliseProperties(store, type, body.properties, rec);
    checkUniqueValues(store, type, changes, rec);
    store.update(rec, changes, { source: 'API' });
    return json(200, toPublicObject(rec, Object.keys(rec.props)));
  });

  router.add('DELETE', '/crm/v3/objects/:objectType/:objectId', (ctx) => {
    const type = objectType(ctx);
    const rec = store.get(type, ctx.params.objectId ?? '');
    if (rec) store.archive(rec, { source: 'API' });
    return { status: 204 };
  });

  router.add(
    'POST',
    '/crm/v3/objects/:objectType/search',
    (ctx) => {
      const type = objectType(ctx);
      const req = parseSearchRequest(store, type, ctx.body, ctx.rawBody.length);
      const { total, hits } = runSearch(store, type, req);
      const names = propertiesToReturn(store, type, req.properties);
      // Nothing past the 10,000th result is ever returned.
      const page = hits.slice(req.after, Math.min(req.after + req.limit, hits.length, SEARCH_MAX_RESULTS));
      const results = page.map((h) => toPublicObject(h.rec, names, h.view.props));
      const body: Record<string, unknown> = { total, results };
      const nextOffset = req.after + page.length;
      if (page.length > 0 && nextOffset < total) body.paging = { next: { after: String(nextOffset) } };
      return json(200, body);
    },
    'search',
  );

  // v3 association shortcuts on an object (PUT/DELETE …/associations/{toType}/{toId}/{typeId}).
  router.add('PUT', '/crm/v3/objects/:objectType/:objectId/associations/:toType/:toId/:typeId', (ctx) => {
    const type = objectType(ctx);
    const { from, to, def } = v3AssociationTarget(store, type, ctx);
    store.associate(from, to, def, { source: 'API' });
    return json(200, withAssociations(store, from, propertiesToReturn(store, type, undefined), [to.type]));
  });

  router.add('DELETE', '/crm/v3/objects/:objectType/:objectId/associations/:toType/:toId/:typeId', (ctx) => {
    const type = objectType(ctx);
    const { from, to, def } = v3AssociationTarget(store, type, ctx);
    store.dissociateTypes(from, to, [def.typeId], { source: 'API' });
    return { status: 204 };
  });
}

function v3AssociationTarget(store: Store, type: ObjectType, ctx: Ctx) {
  const from = store.get(type, ctx.params.objectId ?? '');
  if (!from) throw notFound();
  const toType = parseObjectType(ctx.params.toType ?? '');
  const def = associationDefinition(Number(ctx.params.typeId));
  if (!toType || !def || def.from !== type || def.to !== toType) {
    throw badRequest(
      `Association type ${ctx.params.typeId} is not valid from ${type} to ${ctx.params.toType}.`,
    );
  }
  const to = store.get(toType, ctx.params.toId ?? '');
  if (!to) throw notFound(`${toType} ${ctx.params.toId} does not exist.`);
  return { from, to, def };
}

export function singularUpper(type: ObjectType): string {
  return {
    tickets: 'TICKET',
    contacts: 'CONTACT',
    companies: 'COMPANY',
    emails: 'EMAIL',
    notes: 'NOTE',
    tasks: 'TASK',
  }[type];
}

/** Index of the first record whose numeric id is >= id (records are in id order). */
function lowerBound(all: CrmRecord[], id: number): number {
  let lo = 0;
  let hi = all.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (Number((all[mid] as CrmRecord).id) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
