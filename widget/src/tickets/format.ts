// Dates and numbers in the reader's locale and time zone, through Intl (no date library).

const cache = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>();

function cached<T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat | Intl.NumberFormat>(
  key: string,
  make: () => T,
): T {
  let value = cache.get(key) as T | undefined;
  if (!value) {
    value = make();
    cache.set(key, value);
  }
  return value;
}

/** A locale Intl accepts: the given tag, else the browser's, else English. */
export function resolveLocale(locale: string | null | undefined): string {
  for (const candidate of [locale, navigator.language, 'en']) {
    if (!candidate) continue;
    try {
      return Intl.getCanonicalLocales(candidate)[0] ?? 'en';
    } catch {
      // invalid tag (e.g. a typo in the locale attribute): try the next one
    }
  }
  return 'en';
}

export const formatDate = (iso: string, locale: string): string =>
  cached(`d:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' })).format(new Date(iso));

export const formatDateTime = (iso: string, locale: string): string =>
  cached(
    `dt:${locale}`,
    () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }),
  ).format(new Date(iso));

/** A calendar day (YYYY-MM-DD, as <input type="date"> gives it) in the reader's words. */
export function formatDay(day: string, locale: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return cached(`d:${locale}`, () => new Intl.DateTimeFormat(locale, { dateStyle: 'medium' })).format(
    new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1),
  );
}

export const formatNumber = (n: number, locale: string): string =>
  cached(`n:${locale}`, () => new Intl.NumberFormat(locale)).format(n);

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['week', 7 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

/** "5 minutes ago", "yesterday", "just now" (under a minute). */
export function formatRelative(iso: string, locale: string, now: number = Date.now()): string {
  const diff = Date.parse(iso) - now;
  const rtf = cached(`r:${locale}`, () => new Intl.RelativeTimeFormat(locale, { numeric: 'auto' }));
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return rtf.format(Math.trunc(diff / ms), unit);
  }
  return rtf.format(0, 'second');
}

/** Activity newer than this is shown relative ("3 hours ago"), older as a date. */
export const RECENT_MS = 7 * 86_400_000;

export const isRecent = (iso: string, now: number = Date.now()): boolean =>
  Math.abs(now - Date.parse(iso)) < RECENT_MS;
