import type { ApiClient } from '../api/api-client.js';

// Wire types of GET /api/v1/tickets, written from DESIGN.md. To be replaced by the generated
// OpenAPI types once the API publishes them (ADR 0003).

export type TicketState = 'open' | 'closed';
export type StatusFilter = 'all' | TicketState;
export type SortField = 'id' | 'status' | 'subject' | 'created' | 'owner' | 'lastActivity' | 'requestedBy';
export type SortOrder = 'asc' | 'desc';
export type SyncState = 'synced' | 'pending' | 'failed';

export const SORT_FIELDS: readonly SortField[] = [
  'id',
  'status',
  'subject',
  'created',
  'owner',
  'lastActivity',
  'requestedBy',
];

export interface Ticket {
  /** HubSpot ticket ID; null while the request is still being sent to support. */
  id: string | null;
  localId: string;
  status: { label: string; state: TicketState };
  subject: string;
  /** ISO 8601 instant. */
  createdAt: string;
  owner: { name: string } | null;
  /** ISO 8601 instant. */
  lastActivityAt: string;
  requestedBy: { name: string | null; email: string };
  syncState: SyncState;
}

export interface TicketQuery {
  q?: string;
  status?: StatusFilter;
  createdFrom?: string;
  createdTo?: string;
  activityFrom?: string;
  activityTo?: string;
  sort?: SortField;
  order?: SortOrder;
  limit?: number;
  page?: number;
}

export interface TicketPage {
  items: Ticket[];
  /** Tickets matching every filter, status included. */
  total: number;
  /** Open and closed tickets matching the search and date filters (status ignored). */
  counts: { open: number; closed: number };
  /** When the mirror last heard from HubSpot (ISO 8601), null before the first sync. */
  syncedAt: string | null;
}

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
    counts: { open: count(raw.counts?.open), closed: count(raw.counts?.closed) },
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
