import type { ApiClient } from '../api/api-client.js';
import type { SortField, Ticket, TicketPage, TicketQuery } from '../api/api-types.js';

// GET /api/v1/tickets for the list and the CSV export; its wire types are in api/api-types.ts.

export const SORT_FIELDS: readonly SortField[] = [
  'id',
  'status',
  'subject',
  'created',
  'owner',
  'lastActivity',
  'requestedBy',
];

/** What the ticket list needs from the API; tests and other transports implement it too. */
export interface TicketsApi {
  list(query: TicketQuery, signal?: AbortSignal): Promise<TicketPage>;
}

/** The query string of GET /tickets; empty and undefined values are left out. */
export function ticketQueryString(query: TicketQuery): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query) as [string, string | number | undefined][]) {
    if (value === undefined || value === '') continue;
    params.set(key, String(value));
  }
  return params.toString();
}

/**
 * TicketsApi over the widget's ApiClient, so the list shares its base URL, bearer token, 401
 * handling (the session ends) and error mapping (ApiError / NetworkError with a readable message).
 */
export class HttpTicketsApi implements TicketsApi {
  constructor(private readonly client: ApiClient) {}

  async list(query: TicketQuery, signal?: AbortSignal): Promise<TicketPage> {
    const qs = ticketQueryString(query);
    const page = await this.client.request<unknown>('GET', qs ? `tickets?${qs}` : 'tickets', {
      auth: true,
      signal,
    });
    return normalisePage(page);
  }
}

/** Guards against a malformed answer so one bad row cannot break the whole list. */
export function normalisePage(page: unknown): TicketPage {
  const raw = (page ?? {}) as Partial<TicketPage>;
  const items = Array.isArray(raw.items) ? raw.items.filter(isTicket) : [];
  const count = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : 0);
  return {
    items,
    total: count(raw.total),
    counts: {
      open: count(raw.counts?.open),
      closed: count(raw.counts?.closed),
      // APIs before issue 13 have no "Awaiting your reply" count: the filter then shows none.
      ...(raw.counts?.awaiting === undefined ? {} : { awaiting: count(raw.counts.awaiting) }),
    },
    syncedAt:
      typeof raw.syncedAt === 'string' && !Number.isNaN(Date.parse(raw.syncedAt)) ? raw.syncedAt : null,
  };
}

function isTicket(value: unknown): value is Ticket {
  const t = value as Partial<Ticket> | null;
  return (
    typeof t === 'object' &&
    t !== null &&
    (typeof t.id === 'string' || t.id === null) &&
    typeof t.localId === 'string' &&
    typeof t.subject === 'string' &&
    typeof t.status?.label === 'string' &&
    (t.status.state === 'open' || t.status.state === 'closed') &&
    typeof t.createdAt === 'string' &&
    typeof t.lastActivityAt === 'string' &&
    typeof t.requestedBy?.email === 'string'
  );
}
