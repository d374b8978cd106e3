import { ANY_TIME, DATE_PRESETS, parseDay, type DateFilter, type DatePreset } from './date-range.js';
import type { Involvement, SortField, SortOrder, StatusFilter } from '../api/api-types.js';
import { SORT_FIELDS } from './tickets-api.js';

export type ListView = 'table' | 'card';

/** Everything a shared link restores: view, search, filters, sort and page. */
export interface ListState {
  view: ListView;
  q: string;
  status: StatusFilter;
  /** Mine / In copy / My company; `all` (the default) is everything the customer may see. */
  involvement: Involvement | 'all';
  created: DateFilter;
  activity: DateFilter;
  sort: SortField;
  order: SortOrder;
  page: number;
}

/** Newest activity first: what customers of other portals expect to see on top. */
export const defaultState = (view: ListView = 'table'): ListState => ({
  view,
  q: '',
  status: 'all',
  involvement: 'all',
  created: ANY_TIME,
  activity: ANY_TIME,
  sort: 'lastActivity',
  order: 'desc',
  page: 1,
});

/** The prefix of every query parameter the list owns; the host page's other parameters are left alone. */
export const PARAM_PREFIX = 'tp-';

const KEYS = {
  view: 'tp-view',
  q: 'tp-q',
  status: 'tp-status',
  involvement: 'tp-involvement',
  created: 'tp-created',
  createdFrom: 'tp-created-from',
  createdTo: 'tp-created-to',
  activity: 'tp-activity',
  activityFrom: 'tp-activity-from',
  activityTo: 'tp-activity-to',
  sort: 'tp-sort',
  order: 'tp-order',
  page: 'tp-page',
} as const;

const LIST_KEYS: ReadonlySet<string> = new Set(Object.values(KEYS));

// Search text longer than this is cut, so a crafted link cannot send a huge query.
export const MAX_QUERY_LENGTH = 200;
const MAX_PAGE = 100_000;

const oneOf = <T extends string>(values: readonly T[], value: string | null, fallback: T): T =>
  value !== null && (values as readonly string[]).includes(value) ? (value as T) : fallback;

function decodeDate(params: URLSearchParams, preset: string, from: string, to: string): DateFilter {
  const kind = oneOf<DatePreset>(DATE_PRESETS, params.get(preset), 'any');
  if (kind !== 'custom') return { preset: kind, from: '', to: '' };
  const day = (key: string): string => {
    const value = params.get(key) ?? '';
    return parseDay(value) ? value : '';
  };
  return { preset: 'custom', from: day(from), to: day(to) };
}

/**
 * Reads the list's state from a query string. Unknown or malformed values fall back to the
 * defaults, so a hand-edited or stale link still opens a working list.
 */
export function decodeState(
  search: string | URLSearchParams,
  defaults: ListState = defaultState(),
): ListState {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const page = Number.parseInt(params.get(KEYS.page) ?? '', 10);
  return {
    view: oneOf<ListView>(['table', 'card'], params.get(KEYS.view), defaults.view),
    q: (params.get(KEYS.q) ?? defaults.q).trim().slice(0, MAX_QUERY_LENGTH),
    status: oneOf<StatusFilter>(
      ['all', 'open', 'closed', 'awaiting'],
      params.get(KEYS.status),
      defaults.status,
    ),
    involvement: oneOf<Involvement | 'all'>(
      ['all', 'mine', 'cc', 'company'],
      params.get(KEYS.involvement),
      defaults.involvement,
    ),
    created: params.has(KEYS.created)
      ? decodeDate(params, KEYS.created, KEYS.createdFrom, KEYS.createdTo)
      : defaults.created,
    activity: params.has(KEYS.activity)
      ? decodeDate(params, KEYS.activity, KEYS.activityFrom, KEYS.activityTo)
      : defaults.activity,
    sort: oneOf(SORT_FIELDS, params.get(KEYS.sort), defaults.sort),
    order: oneOf<SortOrder>(['asc', 'desc'], params.get(KEYS.order), defaults.order),
    page: Number.isSafeInteger(page) && page >= 1 && page <= MAX_PAGE ? page : defaults.page,
  };
}

/** The `tp-*` parameters for a state; values equal to the defaults are left out to keep links short. */
export function encodeState(state: ListState, defaults: ListState = defaultState()): URLSearchParams {
  const params = new URLSearchParams();
  if (state.view !== defaults.view) params.set(KEYS.view, state.view);
  if (state.q.trim() !== '') params.set(KEYS.q, state.q.trim());
  if (state.status !== defaults.status) params.set(KEYS.status, state.status);
  if (state.involvement !== defaults.involvement) params.set(KEYS.involvement, state.involvement);
  const date = (filter: DateFilter, key: string, from: string, to: string): void => {
    if (filter.preset === 'any') return;
    params.set(key, filter.preset);
    if (filter.preset !== 'custom') return;
    if (filter.from) params.set(from, filter.from);
    if (filter.to) params.set(to, filter.to);
  };
  date(state.created, KEYS.created, KEYS.createdFrom, KEYS.createdTo);
  date(state.activity, KEYS.activity, KEYS.activityFrom, KEYS.activityTo);
  if (state.sort !== defaults.sort || state.order !== defaults.order) {
    params.set(KEYS.sort, state.sort);
    params.set(KEYS.order, state.order);
  }
  if (state.page > 1) params.set(KEYS.page, String(state.page));
  return params;
}

/**
 * The absolute page address with the list's parameters replaced by `state`: the host page's own
 * parameters keep their order and the fragment is untouched.
 */
export function withState(href: string, state: ListState, defaults?: ListState): string {
  const url = new URL(href);
  const kept = new URLSearchParams();
  url.searchParams.forEach((value, key) => {
    if (!LIST_KEYS.has(key)) kept.append(key, value);
  });
  encodeState(state, defaults).forEach((value, key) => kept.append(key, value));
  url.search = kept.toString();
  return url.href;
}

export const sameState = (a: ListState, b: ListState): boolean =>
  encodeState(a).toString() === encodeState(b).toString() && a.view === b.view;

/** Whether search or a filter narrows the list (Clear filters is offered). */
export const hasFilters = (s: ListState): boolean =>
  s.q !== '' ||
  s.status !== 'all' ||
  s.involvement !== 'all' ||
  s.created.preset !== 'any' ||
  s.activity.preset !== 'any';
