import {
  associationDefinition,
  defaultAssociation,
  parseObjectType,
  type AssociationDefinition,
} from '../associations-schema';
import { OBJECT_TYPE_IDS, type ObjectType } from '../constants';
import { badRequest, notFound, standardError } from '../errors';
import { batchInputs, intParam, json, type Ctx, type Router } from '../http';
import { type CrmRecord, type Store } from '../store';

const LIST_MAX = 500;
const BATCH_READ_MAX = 1000;
const BATCH_CREATE_MAX = 2000;

function typeParam(ctx: Ctx, name: string): ObjectType {
  const raw = ctx.params[name] ?? '';
  const t = parseObjectType(raw);
  if (!t) throw badRequest(`Unable to infer object type from: ${raw}`);
  return t;
}

interface AssociationTypeOut {
  category: string;
  typeId: number;
  label: string | null;
}

function typesOut(typeIds: number[]): AssociationTypeOut[] {
  return typeIds.map((typeId) => {
    const def = associationDefinition(typeId);
    return { category: 'HUBSPOT_DEFINED', typeId, label: def?.label ?? null };
  });
}

/** The v4 list of one record's associations to a type: toObjectId is a JSON number, as HubSpot sends. */
function associationList(store: Store, rec: CrmRecord | undefined, toType: ObjectType) {
  const m = rec?.assoc[toType];
  const out: { toObjectId: number; associationTypes: AssociationTypeOut[] }[] = [];
  if (!m) return out;
  for (const [id, typeIds] of m) {
    if (!store.get(toType, id)) continue;
    out.push({ toObjectId: Number(id), associationTypes: typesOut(typeIds) });
  }
  return out;
}

function specsFrom(
  raw: unknown,
  fromType: ObjectType,
  toType: ObjectType,
  where: string,
): AssociationDefinition[] {
  if (!Array.isArray(raw) || raw.length === 0) {
    throw badRequest(`${where} must be a non-empty array of {associationCategory, associationTypeId}.`);
  }
  return raw.map((s: { associationCategory?: unknown; associationTypeId?: unknown }, i) => {
    const def = associationDefinition(Number(s?.associationTypeId));
    if (!def || def.from !== fromType || def.to !== toType) {
      throw badRequest(
        `${where}[${i}]: association type ${String(s?.associationTypeId)} is not valid from ${fromType} to ${toType}.`,
      );
    }
    return def;
  });
}

function idOf(v: unknown, where: string): string {
  const id = (v as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' && typeof id !== 'number') throw badRequest(`${where}.id is required.`);
  return String(id);
}

export function registerAssociationRoutes(router: Router, store: Store): void {
  router.add('GET', '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType', (ctx) => {
    const type = typeParam(ctx, 'objectType');
    const toType = typeParam(ctx, 'toObjectType');
    const limit = intParam(ctx.query, 'limit', LIST_MAX, 1, LIST_MAX);
    const after = ctx.query.get('after');
    if (after !== null && after !== '' && !/^\d+$/.test(after)) {
      throw badRequest(`"after" must be a cursor from paging.next.after, got "${after}".`);
    }
    const all = associationList(store, store.get(type, ctx.params.objectId ?? ''), toType);
    const start = after ? Number(after) : 0;
    const page = all.slice(start, start + limit);
    const body: Record<string, unknown> = { results: page };
    if (start + limit < all.length) body.paging = { next: { after: String(start + limit) } };
    return json(200, body);
  });

  router.add(
    'PUT',
    '/crm/v4/objects/:fromObjectType/:fromObjectId/associations/default/:toObjectType/:toObjectId',
    (ctx) => {
      const startedAt = new Date().toISOString();
      const fromType = typeParam(ctx, 'fromObjectType');
      const toType = typeParam(ctx, 'toObjectType');
      const def = defaultAssociation(fromType, toType);
      if (!def) throw badRequest(`There is no default association from ${fromType} to ${toType}.`);
      const from = store.get(fromType, ctx.params.fromObjectId ?? '');
      const to = store.get(toType, ctx.params.toObjectId ?? '');
      if (!from || !to) {
        throw notFound(
          `${!from ? fromType : toType} ${!from ? ctx.params.fromObjectId : ctx.params.toObjectId} does not exist.`,
        );
      }
      store.associate(from, to, def, { source: 'API' });
      return json(200, {
        status: 'COMPLETE',
        results: [
          {
            from: { id: from.id },
            to: { id: to.id },
            associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.typeId },
          },
          {
            from: { id: to.id },
            to: { id: from.id },
            associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.inverseTypeId },
          },
        ],
        startedAt,
        completedAt: new Date().toISOString(),
      });
    },
  );

  router.add('PUT', '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId', (ctx) => {
    const fromType = typeParam(ctx, 'objectType');
    const toType = typeParam(ctx, 'toObjectType');
    const defs = specsFrom(ctx.body, fromType, toType, 'The request body');
    const from = store.get(fromType, ctx.params.objectId ?? '');
    const to = store.get(toType, ctx.params.toObjectId ?? '');
    if (!from || !to) {
      throw notFound(
        `${!from ? fromType : toType} ${!from ? ctx.params.objectId : ctx.params.toObjectId} does not exist.`,
      );
    }
    for (const def of defs) store.associate(from, to, def, { source: 'API' });
    const labels = (from.assoc[toType]?.get(to.id) ?? [])
      .map((t) => associationDefinition(t)?.label)
      .filter((l): l is string => !!l);
    return json(201, {
      fromObjectTypeId: OBJECT_TYPE_IDS[fromType],
      fromObjectId: Number(from.id),
      toObjectTypeId: OBJECT_TYPE_IDS[toType],
      toObjectId: Number(to.id),
      labels,
    });
  });

  router.add(
    'DELETE',
    '/crm/v4/objects/:objectType/:objectId/associations/:toObjectType/:toObjectId',
    (ctx) => {
      const fromType = typeParam(ctx, 'objectType');
      const toType = typeParam(ctx, 'toObjectType');
      const from = store.get(fromType, ctx.params.objectId ?? '');
      const to = store.get(toType, ctx.params.toObjectId ?? '');
      if (from && to) store.dissociateTypes(from, to, undefined, { source: 'API' });
      return { status: 204 };
    },
  );

  router.add('POST', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/read', (ctx) => {
    const startedAt = new Date().toISOString();
    const fromType = typeParam(ctx, 'fromObjectType');
    const toType = typeParam(ctx, 'toObjectType');
    const results: unknown[] = [];
    const missing: string[] = [];
    batchInputs(ctx, BATCH_READ_MAX).forEach((input, i) => {
      const id = idOf(input, `inputs[${i}]`);
      const to = associationList(store, store.get(fromType, id), toType);
      if (to.length === 0) missing.push(id);
      else results.push({ from: { id }, to });
    });
    const body: Record<string, unknown> = {
      status: 'COMPLETE',
      results,
      startedAt,
      completedAt: new Date().toISOString(),
    };
    if (missing.length > 0) {
      body.numErrors = missing.length;
      body.errors = missing.map((id) =>
        standardError(
          'OBJECT_NOT_FOUND',
          `No ${toType} is associated with ${fromType} ${id}.`,
          { fromObjectId: [id] },
          'crm.associations.NO_ASSOCIATIONS_FOUND',
        ),
      );
    }
    return json(missing.length > 0 ? 207 : 200, body);
  });

  router.add('POST', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/create', (ctx) => {
    const startedAt = new Date().toISOString();
    const fromType = typeParam(ctx, 'fromObjectType');
    const toType = typeParam(ctx, 'toObjectType');
    const work = batchInputs(ctx, BATCH_CREATE_MAX).map((input, i) => {
      const { from, to, o } = existingPair(store, fromType, toType, input, i);
      return { from, to, defs: specsFrom(o.types, fromType, toType, `inputs[${i}].types`) };
    });
    const results = work.map(({ from, to, defs }) => {
      for (const def of defs) store.associate(from, to, def, { source: 'API' });
      return {
        fromObjectTypeId: OBJECT_TYPE_IDS[fromType],
        fromObjectId: Number(from.id),
        toObjectTypeId: OBJECT_TYPE_IDS[toType],
        toObjectId: Number(to.id),
        labels: defs.map((d) => d.label).filter((l): l is string => !!l),
      };
    });
    return json(201, { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() });
  });

  router.add('POST', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/associate/default', (ctx) => {
    const startedAt = new Date().toISOString();
    const fromType = typeParam(ctx, 'fromObjectType');
    const toType = typeParam(ctx, 'toObjectType');
    const def = defaultAssociation(fromType, toType);
    if (!def) throw badRequest(`There is no default association from ${fromType} to ${toType}.`);
    // Check every input before writing any: a refused batch leaves nothing half-associated.
    const pairs = batchInputs(ctx, BATCH_CREATE_MAX).map((input, i) =>
      existingPair(store, fromType, toType, input, i),
    );
    const results = pairs.map(({ from, to }) => {
      store.associate(from, to, def, { source: 'API' });
      return {
        from: { id: from.id },
        to: { id: to.id },
        associationSpec: { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: def.typeId },
      };
    });
    return json(200, { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() });
  });

  router.add('POST', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/archive', (ctx) => {
    const fromType = typeParam(ctx, 'fromObjectType');
    const toType = typeParam(ctx, 'toObjectType');
    const pairs = batchInputs(ctx, BATCH_CREATE_MAX).flatMap((input, i) => {
      const o = (input ?? {}) as Record<string, unknown>;
      const from = store.get(fromType, idOf(o.from, `inputs[${i}].from`));
      if (!Array.isArray(o.to)) throw badRequest(`inputs[${i}].to must be an array of {id}.`);
      return o.to.map((t) => ({ from, to: store.get(toType, idOf(t, `inputs[${i}].to[]`)) }));
    });
    // Missing records are skipped (nothing to remove), as the single DELETE does.
    for (const { from, to } of pairs) {
      if (from && to) store.dissociateTypes(from, to, undefined, { source: 'API' });
    }
    return { status: 204 };
  });

  router.add('POST', '/crm/v4/associations/:fromObjectType/:toObjectType/batch/labels/archive', (ctx) => {
    const fromType = typeParam(ctx, 'fromObjectType');
    const toType = typeParam(ctx, 'toObjectType');
    const work = batchInputs(ctx, BATCH_CREATE_MAX).map((input, i) => {
      const o = (input ?? {}) as Record<string, unknown>;
      const from = store.get(fromType, idOf(o.from, `inputs[${i}].from`));
      const to = store.get(toType, idOf(o.to, `inputs[${i}].to`));
      return {
        from,
        to,
        typeIds: specsFrom(o.types, fromType, toType, `inputs[${i}].types`).map((d) => d.typeId),
      };
    });
    for (const { from, to, typeIds } of work) {
      if (from && to) store.dissociateTypes(from, to, typeIds, { source: 'API' });
    }
    return { status: 204 };
  });
}

/** A batch input's `from` and `to` records, both existing (else the whole batch is refused). */
function existingPair(
  store: Store,
  fromType: ObjectType,
  toType: ObjectType,
  input: unknown,
  i: number,
): { from: CrmRecord; to: CrmRecord; o: Record<string, unknown> } {
  const o = (input ?? {}) as Record<string, unknown>;
  const from = store.get(fromType, idOf(o.from, `inputs[${i}].from`));
  const to = store.get(toType, idOf(o.to, `inputs[${i}].to`));
  if (!from || !to) throw badRequest(`inputs[${i}]: ${!from ? fromType : toType} does not exist.`);
  return { from, to, o };
}
