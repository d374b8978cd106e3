import { OBJECT_TYPE_IDS, type ObjectType } from '../constants';
import { badRequest, HubSpotError, standardError } from '../errors';
import { batchInputs, boolParam, json, objectBody, type Router } from '../http';
import { checkUniqueValues, normaliseProperties } from '../object-input';
import { propertiesToReturn, toPublicObject, type SimplePublicObject } from '../serialize';
import { type CrmRecord, type Store } from '../store';
import { commitCreate, findRecord, objectType, prepareCreate, singularUpper } from './crm-objects.routes';

/** "Object API batch endpoints are limited to 100 inputs per request" (HubSpot, using-object-apis). */
const BATCH_MAX = 100;
/** HubSpot: "The maximum number of inputs supported in a batch request for property histories is 50." */
const HISTORY_BATCH_MAX = 50;

/** One input that failed its checks, with the trace id it carried (if any). */
interface InputProblem {
  index: number;
  traceId: string | undefined;
  error: HubSpotError;
}

/** A value that at most one live record may hold: a custom unique property or a contact's email. */
interface UniqueClaim {
  name: string;
  value: string;
  key: string;
}

function uniqueClaims(store: Store, type: ObjectType, props: Record<string, string>): UniqueClaim[] {
  const out: UniqueClaim[] = [];
  for (const [name, value] of Object.entries(props)) {
    if (value === '') continue;
    if (type === 'contacts' && name === 'email') {
      out.push({ name, value, key: `email\u0000${value.toLowerCase()}` });
    } else if (store.propertyDef(type, name)?.hasUniqueValue) {
      out.push({ name, value, key: `${name}\u0000${value}` });
    }
  }
  return out;
}

/**
 * The unique values claimed so far by the inputs of one batch: two inputs may not give the same
 * value to two records (HubSpot answers 409 for two contacts with one email in a batch create).
 */
class BatchClaims {
  private readonly byKey = new Map<string, number>();

  constructor(private readonly type: ObjectType) {}

  check(claims: UniqueClaim[], index: number): void {
    for (const c of claims) {
      const other = this.byKey.get(c.key);
      if (other !== undefined && other !== index) {
        throw new HubSpotError(
          409,
          'CONFLICT',
          `inputs[${index}] and inputs[${other}] both set ${c.name} "${c.value}", which only one ${singularUpper(this.type).toLowerCase()} may hold: send it once per batch.`,
          { context: { propertyName: [c.name] } },
        );
      }
    }
  }

  add(claims: UniqueClaim[], index: number): void {
    for (const c of claims) this.byKey.set(c.key, index);
  }
}

function inputObject(raw: unknown, index: number): Record<string, unknown> {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw badRequest(`Invalid input JSON: inputs[${index}] must be an object.`);
  }
  return raw as Record<string, unknown>;
}

function traceIdOf(input: unknown): string | undefined {
  const id = (input as { objectWriteTraceId?: unknown } | null)?.objectWriteTraceId;
  return typeof id === 'string' ? id : undefined;
}

/**
 * HubSpot's rule for invalid inputs of a batch write: without `objectWriteTraceId`s the whole
 * request fails with the first problem (nothing is written); when every input carries one, the
 * valid inputs are written and each problem becomes an entry of a 207's `errors`.
 */
function settleProblems(problems: InputProblem[], traced: boolean): Record<string, unknown>[] {
  const first = problems[0];
  if (first && !traced) throw first.error;
  return problems.map((p) =>
    standardError(p.error.category, p.error.message, {
      ...p.error.extra.context,
      objectWriteTraceId: [p.traceId ?? ''],
    }),
  );
}

/**
 * Checks every input of a batch write before any is written, so a refused batch leaves nothing
 * behind. `prepare` checks one input and answers what to write and the properties it sets (a
 * HubSpotError refuses that input); no two inputs may claim one unique value. Answers the accepted
 * inputs with their trace ids, and the refusals as HubSpot reports them (settleProblems).
 */
function checkInputs<E extends { index: number; raw: unknown }, T>(
  store: Store,
  type: ObjectType,
  entries: readonly E[],
  traced: boolean,
  prepare: (entry: E) => { value: T; props: Record<string, string> },
): { accepted: { value: T; traceId: string | undefined }[]; errors: Record<string, unknown>[] } {
  const claims = new BatchClaims(type);
  const problems: InputProblem[] = [];
  const accepted: { value: T; traceId: string | undefined }[] = [];
  for (const entry of entries) {
    const traceId = traceIdOf(entry.raw);
    try {
      const { value, props } = prepare(entry);
      const mine = uniqueClaims(store, type, props);
      claims.check(mine, entry.index);
      claims.add(mine, entry.index);
      accepted.push({ value, traceId });
    } catch (e) {
      if (!(e instanceof HubSpotError)) throw e;
      problems.push({ index: entry.index, traceId, error: e });
    }
  }
  return { accepted, errors: settleProblems(problems, traced) };
}

function batchEnvelope(
  startedAt: string,
  results: SimplePublicObject[],
  errors: Record<string, unknown>[],
  okStatus: number,
): { status: number; body: Record<string, unknown> } {
  const body: Record<string, unknown> = {
    status: 'COMPLETE',
    results,
    startedAt,
    completedAt: new Date().toISOString(),
  };
  if (errors.length > 0) {
    body.numErrors = errors.length;
    body.errors = errors;
  }
  return { status: errors.length > 0 ? 207 : okStatus, body };
}

function withTraceId(out: SimplePublicObject, traceId: string | undefined): SimplePublicObject {
  return traceId === undefined ? out : { ...out, objectWriteTraceId: traceId };
}

function notFoundError(verb: string, type: ObjectType, ids: string[]): Record<string, unknown>[] {
  if (ids.length === 0) return [];
  return [
    standardError(
      'OBJECT_NOT_FOUND',
      `Could not ${verb} some ${singularUpper(type)} objects, they may be deleted or not exist. Check that ids are valid.`,
      { ids },
    ),
  ];
}

/**
 * Batch update resolves `idProperty` only through a custom unique property: HubSpot refuses
 * `email` and `hs_object_id` there ("Unable to perform update/upsert by non-unique 0-1 property").
 */
function checkUpdateIdProperty(store: Store, type: ObjectType, idProperty: string | null): void {
  if (idProperty === null) return;
  if (store.propertyDef(type, idProperty)?.hasUniqueValue) return;
  throw badRequest(
    `Unable to perform update/upsert by non-unique ${OBJECT_TYPE_IDS[type]} property ${idProperty}: leave idProperty out to update by record id, or name a property with unique values.`,
  );
}

export function registerCrmBatchRoutes(router: Router, store: Store): void {
  router.add('POST', '/crm/v3/objects/:objectType/batch/read', (ctx) => {
    const type = objectType(ctx);
    const startedAt = new Date().toISOString();
    const body = objectBody(ctx);
    const inputs = batchInputs(ctx, BATCH_MAX);
    const history = body.propertiesWithHistory;
    if (Array.isArray(history) && history.length > 0 && inputs.length > HISTORY_BATCH_MAX) {
      throw badRequest(
        `The maximum number of inputs supported in a batch request for property histories is ${HISTORY_BATCH_MAX}. Please reduce the number of items and try again`,
      );
    }
    const archived = boolParam(ctx.query, 'archived');
    const idProperty = typeof body.idProperty === 'string' ? body.idProperty : null;
    const requested = Array.isArray(body.properties)
      ? body.properties.map((p) => String(p as string))
      : undefined;
    const names = propertiesToReturn(store, type, requested);
    const ids = inputs.map((raw, i) => {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' && typeof id !== 'number') {
        throw badRequest(`Invalid input JSON: inputs[${i}] needs an "id".`);
      }
      return String(id);
    });
    const results: SimplePublicObject[] = [];
    const seen = new Set<CrmRecord>();
    const missing: string[] = [];
    for (const id of ids) {
      const rec = findRecord(store, type, id, idProperty, archived);
      if (!rec || rec.archived !== archived) missing.push(id);
      else if (!seen.has(rec)) {
        seen.add(rec);
        results.push(toPublicObject(rec, names));
      }
    }
    const { status, body: out } = batchEnvelope(startedAt, results, notFoundError('get', type, missing), 200);
    return json(status, out);
  });

  router.add('POST', '/crm/v3/objects/:objectType/batch/create', (ctx) => {
    const type = objectType(ctx);
    const startedAt = new Date().toISOString();
    const inputs = batchInputs(ctx, BATCH_MAX);
    const traced = inputs.length > 0 && inputs.every((raw) => traceIdOf(raw) !== undefined);
    const { accepted, errors } = checkInputs(
      store,
      type,
      inputs.map((raw, index) => ({ index, raw })),
      traced,
      ({ raw, index }) => {
        const prepared = prepareCreate(store, type, inputObject(raw, index));
        return { value: prepared, props: prepared.props };
      },
    );
    const created = accepted.map(({ value: prepared, traceId }) => {
      const rec = commitCreate(store, type, prepared);
      return withTraceId(toPublicObject(rec, Object.keys(rec.props)), traceId);
    });
    // HubSpot returns batch results in no particular order (hubspot-api-nodejs#190): not in input order here either.
    const { status, body } = batchEnvelope(startedAt, created.reverse(), errors, 201);
    return json(status, body);
  });

  router.add('POST', '/crm/v3/objects/:objectType/batch/update', (ctx) => {
    const type = objectType(ctx);
    const startedAt = new Date().toISOString();
    const inputs = batchInputs(ctx, BATCH_MAX);
    const traced = inputs.length > 0 && inputs.every((raw) => traceIdOf(raw) !== undefined);
    const missing: string[] = [];
    const targets = new Map<CrmRecord, string[]>();
    const found: { index: number; raw: Record<string, unknown>; rec: CrmRecord }[] = [];
    inputs.forEach((raw, index) => {
      const input = inputObject(raw, index);
      if (typeof input.id !== 'string' && typeof input.id !== 'number') {
        throw badRequest(`Invalid input JSON: inputs[${index}] needs an "id".`);
      }
      const id = String(input.id);
      const idProperty = typeof input.idProperty === 'string' ? input.idProperty : null;
      checkUpdateIdProperty(store, type, idProperty);
      const rec = findRecord(store, type, id, idProperty);
      if (!rec) {
        missing.push(id);
        return;
      }
      targets.set(rec, [...(targets.get(rec) ?? []), id]);
      found.push({ index, raw: input, rec });
    });
    const repeated = [...targets.values()].filter((ids) => ids.length > 1).flat();
    if (repeated.length > 0) {
      throw badRequest(
        `Duplicate IDs found in batch input: [${repeated.join(', ')}]. Each record may be updated once per batch.`,
      );
    }
    const { accepted, errors } = checkInputs(store, type, found, traced, ({ raw, rec }) => {
      const changes = normaliseProperties(store, type, raw.properties, rec);
      checkUniqueValues(store, type, changes, rec);
      return { value: { rec, changes }, props: changes };
    });
    errors.push(...notFoundError('update', type, missing));
    const updated = accepted.map(({ value: { rec, changes }, traceId }) => {
      store.update(rec, changes, { source: 'API' });
      return withTraceId(toPublicObject(rec, Object.keys(rec.props)), traceId);
    });
    const { status, body } = batchEnvelope(startedAt, updated.reverse(), errors, 200);
    return json(status, body);
  });

  router.add('POST', '/crm/v3/objects/:objectType/batch/archive', (ctx) => {
    const type = objectType(ctx);
    const inputs = batchInputs(ctx, BATCH_MAX);
    const recs = inputs.map((raw, i) => {
      const id = (raw as { id?: unknown } | null)?.id;
      if (typeof id !== 'string' && typeof id !== 'number') {
        throw badRequest(`Invalid input JSON: inputs[${i}] needs an "id".`);
      }
      return store.get(type, String(id));
    });
    for (const rec of recs) if (rec) store.archive(rec, { source: 'API' });
    return { status: 204 };
  });
}
