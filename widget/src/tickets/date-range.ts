import { msg } from '../internal/msg.js';

// Date filter presets, turned into from/to instants in the reader's time zone (the browser's),
// so "Today" means the reader's today, whatever the server's clock says.

export type DatePreset = 'any' | 'today' | '7d' | '30d' | '90d' | 'year' | 'custom';

export const DATE_PRESETS: readonly DatePreset[] = ['any', 'today', '7d', '30d', '90d', 'year', 'custom'];

/** The preset's name in the interface language. */
export const presetLabel = (preset: DatePreset): string =>
  ({
    any: msg('Any time'),
    today: msg('Today'),
    '7d': msg('Last 7 days'),
    '30d': msg('Last 30 days'),
    '90d': msg('Last 90 days'),
    year: msg('This year'),
    custom: msg('Custom range'),
  })[preset];

export interface DateFilter {
  preset: DatePreset;
  /** Custom range only: calendar days as YYYY-MM-DD (the value of <input type="date">). */
  from: string;
  to: string;
}

export const ANY_TIME: DateFilter = { preset: 'any', from: '', to: '' };

export interface Instants {
  from?: string;
  to?: string;
}

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A YYYY-MM-DD string that names a real calendar day, else null. */
export function parseDay(value: string): { y: number; m: number; d: number } | null {
  const match = DAY.exec(value);
  if (!match) return null;
  const [y, m, d] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(y, m - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== m - 1 || date.getDate() !== d) return null;
  return { y, m, d };
}

// Local-time constructors, so days stay whole across daylight-saving changes.
const startOfDay = (y: number, m0: number, d: number): Date => new Date(y, m0, d, 0, 0, 0, 0);
const endOfDay = (y: number, m0: number, d: number): Date => new Date(y, m0, d, 23, 59, 59, 999);

/**
 * The instants a filter stands for: inclusive start of its first day and inclusive end
 * (23:59:59.999) of its last day, as ISO 8601. Rolling presets count today as one of their days.
 */
export function toInstants(filter: DateFilter, now: Date = new Date()): Instants {
  const [y, m0, d] = [now.getFullYear(), now.getMonth(), now.getDate()];
  const lastDays = (n: number): Instants => ({
    from: startOfDay(y, m0, d - (n - 1)).toISOString(),
    to: endOfDay(y, m0, d).toISOString(),
  });
  switch (filter.preset) {
    case 'any':
      return {};
    case 'today':
      return lastDays(1);
    case '7d':
      return lastDays(7);
    case '30d':
      return lastDays(30);
    case '90d':
      return lastDays(90);
    case 'year':
      return { from: startOfDay(y, 0, 1).toISOString(), to: endOfDay(y, 11, 31).toISOString() };
    case 'custom': {
      // Dates typed the wrong way round still mean the days between them.
      const [first, last] =
        filter.from && filter.to && filter.from > filter.to
          ? [filter.to, filter.from]
          : [filter.from, filter.to];
      const from = parseDay(first);
      const to = parseDay(last);
      const result: Instants = {};
      if (from) result.from = startOfDay(from.y, from.m - 1, from.d).toISOString();
      if (to) result.to = endOfDay(to.y, to.m - 1, to.d).toISOString();
      return result;
    }
  }
}

/** True when the filter narrows the list at all (a custom range with no dates does not). */
export const isActive = (filter: DateFilter): boolean =>
  filter.preset !== 'any' && (filter.preset !== 'custom' || !!parseDay(filter.from) || !!parseDay(filter.to));

/** A calendar day of the reader's time zone as YYYY-MM-DD. */
export function localDay(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
