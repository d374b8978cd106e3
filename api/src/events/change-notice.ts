import type { RedisKeys } from '../queues/redis-keys';
import type { TicketScope } from '../tickets/ticket-scope-version.service';

/**
 * The deployment's change stream (ADR 0009): one Redis Stream that every writer of the mirror appends
 * to after its commit, in the same MULTI that moves the scope versions of ADR 0007. Each API process
 * reads it with one blocking XREAD and fans the notices out to its open event streams; the entry ids
 * are the SSE event ids a reconnecting client resumes from.
 */
export function eventsStreamKey(keys: RedisKeys): string {
  return keys.key('tickets', 'events');
}
/** Entries kept (approximately: MAXLEN ~ trims whole radix-tree nodes). Past it, a resume resyncs. */
export const EVENTS_RETENTION = 10_000;
/** Tickets per notice at most; a larger write is split, so one entry stays a few kilobytes. */
export const NOTICE_MAX_TICKETS = 100;

/** A ticket a notice is about: its local id, every scope it was or now is in, who submitted it. */
export interface NoticeTicket {
  /** tickets.id (the list item's `localId`). */
  i: number;
  /** Scope keys (`company:<id>`, `contact:<id>`) of the row before and after the change. */
  s: string[];
  /** created_by_customer_id: the submitter sees their ticket in every scope. */
  b: string | null;
}

export type ChangeNotice =
  /** List items changed, appeared or went away. */
  | { k: 't'; t: NoticeTicket[] }
  /** Messages of one ticket added or changed (`a`, ticket_messages.id); `r` of them removed. */
  | { k: 'm'; t: NoticeTicket; a: number[]; r: number }
  /** Too many tickets of these scopes changed to name them: their streams refetch. */
  | { k: 's'; s: string[] }
  /** Every scope changed (an owner renamed, a stage relabelled): every stream refetches. */
  | { k: 'a' }
  /** These customers' links moved (another company or contact, or none): their streams re-read scope. */
  | { k: 'c'; c: string[] };

/** The key a scope is indexed by, for the scope versions and the notices alike. */
export function scopeKeys(scope: TicketScope): string[] {
  const keys: string[] = [];
  if (scope.companyId) keys.push(`company:${scope.companyId}`);
  if (scope.contactId) keys.push(`contact:${scope.contactId}`);
  return keys;
}

export function noticeTicket(
  id: number,
  scopes: ReadonlyArray<TicketScope>,
  createdBy: string | null | undefined,
): NoticeTicket {
  return { i: Number(id), s: [...new Set(scopes.flatMap(scopeKeys))], b: createdBy ?? null };
}

/** Ticket notices of at most NOTICE_MAX_TICKETS each (one ticket once, its scopes merged). */
export function ticketNotices(tickets: readonly NoticeTicket[]): ChangeNotice[] {
  const merged = new Map<number, NoticeTicket>();
  for (const t of tickets) {
    const seen = merged.get(t.i);
    if (seen) merged.set(t.i, { i: t.i, s: [...new Set([...seen.s, ...t.s])], b: seen.b ?? t.b });
    else merged.set(t.i, t);
  }
  const all = [...merged.values()];
  const notices: ChangeNotice[] = [];
  for (let i = 0; i < all.length; i += NOTICE_MAX_TICKETS) {
    notices.push({ k: 't', t: all.slice(i, i + NOTICE_MAX_TICKETS) });
  }
  return notices;
}

/** Parses a stream entry's `n` field; null for anything that is not a notice this code knows. */
export function decodeNotice(fields: readonly string[]): ChangeNotice | null {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== 'n') continue;
    try {
      const value = JSON.parse(fields[i + 1]!) as ChangeNotice;
      return value && typeof value === 'object' && ['t', 'm', 's', 'a', 'c'].includes(value.k) ? value : null;
    } catch {
      return null;
    }
  }
  return null;
}

const ID = /^(\d{1,15})-(\d{1,15})$/;

/** Whether `value` has the form of a Redis Stream entry id (what every SSE id of ours is). */
export function isEntryId(value: string): boolean {
  return ID.test(value);
}

/** Orders two stream entry ids (`<ms>-<seq>`). */
export function compareEntryIds(a: string, b: string): number {
  const [, am = '0', as = '0'] = ID.exec(a) ?? [];
  const [, bm = '0', bs = '0'] = ID.exec(b) ?? [];
  return Number(am) - Number(bm) || Number(as) - Number(bs);
}
