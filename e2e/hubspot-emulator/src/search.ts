import { parseObjectType } from './associations-schema';
import { type ObjectType } from './constants';
import { badRequest } from './errors';
import { SEARCHABLE_TEXT_PROPERTIES, type PropertyType } from './property-definitions';
import { type CrmRecord, type SearchView, type Store } from './store';

export const SEARCH_MAX_LIMIT = 200;
export const SEARCH_MAX_RESULTS = 10_000;
const MAX_GROUPS = 5;
const MAX_FILTERS_PER_GROUP = 6;
const MAX_FILTERS = 18;

const OPERATORS = [
  'EQ',
  'NEQ',
  'LT',
  'LTE',
  'GT',
  'GTE',
  'BETWEEN',
  'IN',
  'NOT_IN',
  'HAS_PROPERTY',
  'NOT_HAS_PROPERTY',
  'CONTAINS_TOKEN',
  'NOT_CONTAINS_TOKEN',
] as const;
type Operator = (typeof OPERATORS)[number];

interface Filter {
  propertyName: string;
  operator: Operator;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface ParsedSearch {
  groups: Filter[][];
  sort?: { propertyName: string; descending: boolean };
  properties?: string[];
  query?: string;
  limit: number;
  after: number;
}

const str = (v: unknown): string | undefined =>
  v === undefined || v === null
    ? undefined
    : typeof v === 'string'
      ? v
      : typeof v === 'object'
        ? JSON.stringify(v)
        : `${v as number}`;

/** Validates a PublicObjectSearchRequest and applies HubSpot's limits. */
export function parseSearchRequest(
  store: Store,
  type: ObjectType,
  body: unknown,
  rawLength: number,
): ParsedSearch {
  if (rawLength > 3000) {
    throw badRequest(`The search request body is ${rawLength} characters; HubSpot accepts at most 3000.`);
  }
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof b !== 'object' || Array.isArray(b)) {
    throw badRequest('Invalid input JSON: the search body must be an object.');
  }
  const groupsRaw = b.filterGroups ?? [];
  if (!Array.isArray(groupsRaw)) throw badRequest('Invalid input JSON: "filterGroups" must be an array.');
  if (groupsRaw.length > MAX_GROUPS) {
    throw badRequest(`Too many filterGroups: ${groupsRaw.length}, at most ${MAX_GROUPS} are allowed.`);
  }
  let filterCount = 0;
  const groups: Filter[][] = groupsRaw.map((g: unknown, gi) => {
    const filters = (g as { filters?: unknown } | null)?.filters;
    if (!Array.isArray(filters)) {
      throw badRequest(`Invalid input JSON: filterGroups[${gi}].filters must be an array.`);
    }
    if (filters.length > MAX_FILTERS_PER_GROUP) {
      throw badRequest(
        `Too many filters in filterGroups[${gi}]: ${filters.length}, at most ${MAX_FILTERS_PER_GROUP} per group.`,
      );
    }
    filterCount += filters.length;
    return filters.map((f: unknown, fi) => parseFilter(store, type, f, `filterGroups[${gi}].filters[${fi}]`));
  });
  if (filterCount > MAX_FILTERS) {
    throw badRequest(`Too many filters: ${filterCount}, at most ${MAX_FILTERS} in total.`);
  }

  const sortsRaw = b.sorts ?? [];
  if (!Array.isArray(sortsRaw)) throw badRequest('Invalid input JSON: "sorts" must be an array.');
  if (sortsRaw.length > 1) throw badRequest('Only one sorting rule can be applied to any search.');
  let sort: ParsedSearch['sort'];
  const s0: unknown = sortsRaw[0];
  if (typeof s0 === 'string' && s0 !== '') {
    sort = s0.startsWith('-')
      ? { propertyName: s0.slice(1), descending: true }
      : { propertyName: s0, descending: false };
  } else if (s0 && typeof s0 === 'object') {
    const o = s0 as { propertyName?: unknown; direction?: unknown };
    if (typeof o.propertyName !== 'string') {
      throw badRequest('Invalid input JSON: sorts[0].propertyName must be a string.');
    }
    if (o.direction !== undefined && o.direction !== 'ASCENDING' && o.direction !== 'DESCENDING') {
      throw badRequest('Invalid input JSON: sorts[0].direction must be ASCENDING or DESCENDING.');
    }
    sort = { propertyName: o.propertyName, descending: o.direction === 'DESCENDING' };
  }

  const limit = b.limit === undefined || b.limit === null ? 10 : Number(b.limit);
  if (!Number.isInteger(limit) || limit < 0) {
    throw badRequest('Invalid input JSON: "limit" must be a non-negative integer.');
  }
  if (limit > SEARCH_MAX_LIMIT) {
    throw badRequest(`limit ${limit} is too large: the maximum page size for search is ${SEARCH_MAX_LIMIT}.`);
  }
  const afterRaw = b.after === undefined || b.after === null || b.after === '' ? '0' : str(b.after);
  if (!afterRaw || !/^\d+$/.test(afterRaw)) {
    throw badRequest('The "after" value must be an integer offset, e.g. "10".');
  }
  const after = Number(afterRaw);
  if (after >= SEARCH_MAX_RESULTS) {
    throw badRequest(
      `Paging beyond ${SEARCH_MAX_RESULTS} results is not supported (after=${after}). Narrow the query instead.`,
    );
  }
  const properties = Array.isArray(b.properties) ? b.properties.map((p) => String(p as string)) : undefined;
  const query = typeof b.query === 'string' && b.query.trim() !== '' ? b.query.trim() : undefined;
  return { groups, sort, properties, query, limit, after };
}

function parseFilter(store: Store, type: ObjectType, raw: unknown, where: string): Filter {
  const f = (raw ?? {}) as Record<string, unknown>;
  if (typeof f.propertyName !== 'string' || f.propertyName === '') {
    throw badRequest(`Invalid input JSON: ${where}.propertyName is required.`);
  }
  const operator = (f.operator ?? 'EQ') as Operator;
  if (!OPERATORS.includes(operator)) {
    throw badRequest(
      `Unknown operator ${String(f.operator)} in ${where}; use one of ${OPERATORS.join(', ')}.`,
    );
  }
  const name = f.propertyName;
  if (name.startsWith('associations.')) {
    if (!parseObjectType(name.slice('associations.'.length))) {
      throw badRequest(`Unknown association in ${where}: ${name}.`);
    }
  } else if (!store.propertyDef(type, name)) {
    throw badRequest(`Property "${name}" in ${where} does not exist on ${type}.`);
  }
  const filter: Filter = { propertyName: name, operator, value: str(f.value), highValue: str(f.highValue) };
  if (f.values !== undefined) {
    if (!Array.isArray(f.values)) throw badRequest(`Invalid input JSON: ${where}.values must be an array.`);
    filter.values = f.values.map((v) => str(v) ?? '');
  }
  if ((operator === 'IN' || operator === 'NOT_IN') && !filter.values) {
    throw badRequest(`${where}: operator ${operator} needs "values".`);
  }
  if (operator === 'BETWEEN' && (filter.value === undefined || filter.highValue === undefined)) {
    throw badRequest(`${where}: operator BETWEEN needs "value" and "highValue".`);
  }
  const needsValue = !['IN', 'NOT_IN', 'HAS_PROPERTY', 'NOT_HAS_PROPERTY'].includes(operator);
  if (needsValue && filter.value === undefined) {
    throw badRequest(`${where}: operator ${operator} needs "value".`);
  }
  return filter;
}

type Kind = 'number' | 'time' | 'text' | 'enum';

function kindOf(store: Store, type: ObjectType, name: string): Kind {
  if (name === 'hs_object_id' || name.startsWith('associations.')) return 'number';
  const t: PropertyType | undefined = store.propertyDef(type, name)?.type;
  if (t === 'number') return 'number';
  if (t === 'datetime' || t === 'date') return 'time';
  if (t === 'enumeration') return 'enum';
  return 'text';
}

function toComparable(kind: Kind, v: string): number | string {
  if (kind === 'number') return Number(v);
  if (kind === 'time') return /^-?\d+$/.test(v) ? Number(v) : Date.parse(v);
  if (kind === 'text') return v.toLowerCase();
  return v;
}

function tokens(v: string): string[] {
  return v
    .toLowerCase()
    .split(/[^\p{L}\p{N}@._*-]+/u)
    .filter(Boolean);
}

function matchesToken(actual: string, token: string): boolean {
  const t = token.toLowerCase();
  if (t.includes('*')) {
    const re = new RegExp(
      `^${t
        .split('*')
        .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
      'u',
    );
    return re.test(actual.toLowerCase()) || tokens(actual).some((x) => re.test(x));
  }
  return tokens(actual).includes(t) || actual.toLowerCase() === t;
}

type Predicate = (rec: CrmRecord, view: SearchView) => boolean;

/** Turns a filter into a predicate, resolving its value and any association lookup once. */
function compileFilter(store: Store, type: ObjectType, f: Filter): Predicate {
  if (f.propertyName.startsWith('associations.')) {
    const toType = parseObjectType(f.propertyName.slice('associations.'.length));
    if (!toType) return () => false;
    // Records of `type` associated with any wanted id, read from the other side's links.
    const wanted = f.values ?? (f.value !== undefined ? [f.value] : []);
    const linked = new Set<string>();
    for (const w of wanted) {
      const other = store.get(toType, w);
      for (const id of other?.assoc[type]?.keys() ?? []) linked.add(id);
    }
    const hasAny = (rec: CrmRecord): boolean => store.associatedIds(rec, toType).length > 0;
    switch (f.operator) {
      case 'EQ':
      case 'IN':
        return (rec) => linked.has(rec.id);
      case 'NEQ':
      case 'NOT_IN':
        return (rec) => !linked.has(rec.id);
      case 'HAS_PROPERTY':
        return (rec) => hasAny(rec);
      case 'NOT_HAS_PROPERTY':
        return (rec) => !hasAny(rec);
      case 'LT':
      case 'LTE':
      case 'GT':
      case 'GTE':
      case 'BETWEEN':
      case 'CONTAINS_TOKEN':
      case 'NOT_CONTAINS_TOKEN':
        return () => false;
    }
  }
  const name = f.propertyName;
  const kind = kindOf(store, type, name);
  const actualOf =
    name === 'hs_object_id'
      ? (rec: CrmRecord) => rec.id
      : (_: CrmRecord, view: SearchView) => view.props[name];
  const cmp = (rec: CrmRecord, view: SearchView): number | string | undefined => {
    const raw = actualOf(rec, view);
    return raw === undefined ? undefined : toComparable(kind, raw);
  };
  const v = toComparable(kind, f.value ?? '');
  const high = toComparable(kind, f.highValue ?? '');
  const values = new Set((f.values ?? []).map((x) => toComparable(kind, x)));
  const token = f.value ?? '';
  switch (f.operator) {
    case 'HAS_PROPERTY':
      return (rec, view) => actualOf(rec, view) !== undefined;
    case 'NOT_HAS_PROPERTY':
      return (rec, view) => actualOf(rec, view) === undefined;
    case 'EQ':
      return (rec, view) => cmp(rec, view) === v;
    case 'NEQ':
      return (rec, view) => cmp(rec, view) !== v;
    case 'IN':
      return (rec, view) => {
        const a = cmp(rec, view);
        return a !== undefined && values.has(a);
      };
    case 'NOT_IN':
      return (rec, view) => {
        const a = cmp(rec, view);
        return a === undefined || !values.has(a);
      };
    case 'GT':
      return (rec, view) => {
        const a = cmp(rec, view);
        return a !== undefined && a > v;
      };
    case 'GTE':
      return (rec, view) => {
        const a = cmp(rec, view);
        return a !== undefined && a >= v;
      };
    case 'LT':
      return (rec, view) => {
        const a = cmp(rec, view);
        return a !== undefined && a < v;
      };
    case 'LTE':
      return (rec, view) => {
        const a = cmp(rec, view);
        return a !== undefined && a <= v;
      };
    case 'BETWEEN':
      return (rec, view) => {
        const a = cmp(rec, view);
        return a !== undefined && a >= v && a <= high;
      };
    case 'CONTAINS_TOKEN':
      return (rec, view) => {
        const a = actualOf(rec, view);
        return a !== undefined && matchesToken(a, token);
      };
    case 'NOT_CONTAINS_TOKEN':
      return (rec, view) => {
        const a = actualOf(rec, view);
        return a === undefined || !matchesToken(a, token);
      };
  }
}

function queryMatches(type: ObjectType, view: SearchView, id: string, terms: string[]): boolean {
  const haystack = SEARCHABLE_TEXT_PROPERTIES[type]
    .map((p) => view.props[p] ?? '')
    .concat(id)
    .join(' ')
    .toLowerCase();
  return terms.every((t) => haystack.includes(t));
}

export interface SearchHit {
  rec: CrmRecord;
  view: SearchView;
}

/** Runs a parsed search over the (possibly lagging) search index. */
export function runSearch(
  store: Store,
  type: ObjectType,
  req: ParsedSearch,
): { total: number; hits: SearchHit[] } {
  const now = store.now();
  const terms = req.query ? req.query.toLowerCase().split(/\s+/).filter(Boolean) : [];
  const groups = req.groups.map((g) => g.map((f) => compileFilter(store, type, f)));
  const matched: SearchHit[] = [];
  for (const rec of store.ordered[type]) {
    const view = store.searchView(rec, now);
    if (!view || view.archived) continue;
    if (terms.length > 0 && !queryMatches(type, view, rec.id, terms)) continue;
    if (req.groups.length > 0 && !groups.some((g) => g.every((p) => p(rec, view)))) {
      continue;
    }
    matched.push({ rec, view });
  }
  if (req.sort) {
    const { propertyName, descending } = req.sort;
    const kind = kindOf(store, type, propertyName);
    const keyed = matched.map((h) => {
      const raw = propertyName === 'hs_object_id' ? h.rec.id : h.view.props[propertyName];
      return { h, k: raw === undefined ? undefined : toComparable(kind, raw) };
    });
    keyed.sort((x, y) => {
      // records without a value sort last in both directions
      if (x.k === undefined || y.k === undefined) {
        if (x.k === y.k) return Number(x.h.rec.id) - Number(y.h.rec.id);
        return x.k === undefined ? 1 : -1;
      }
      const c = x.k < y.k ? -1 : x.k > y.k ? 1 : Number(x.h.rec.id) - Number(y.h.rec.id);
      return descending ? -c : c;
    });
    return { total: keyed.length, hits: keyed.map((k) => k.h) };
  }
  return { total: matched.length, hits: matched };
}
