import type { Task } from '@lit/task';
import type { ReactiveControllerHost } from 'lit';
import type { ApiClient } from '../api/api-client.js';
import type { Ticket, TicketMessage, TicketPage, TicketQuery } from '../api/api-types.js';
import type { TicketsApi } from '../tickets/tickets-api.js';
import type { attachList, LiveListController } from './live-list.js';
import type { watchLive } from './live-stream.js';

// Types only (nothing here reaches the bundle): what the live stream (live-stream.ts, in the lazy
// chunk) tells the list and the ticket page through LiveController.

/**
 * The connection to GET /tickets/events, as the customer should understand it:
 * `connecting` (not open yet), `live` (changes arrive as they happen), `reconnecting` (lost, trying
 * again), `offline` (several attempts failed: what is shown is as of `since`), `polling` (the stream
 * cannot be had here, e.g. a proxy strips event streams: the list and the ticket page ask every few
 * seconds instead).
 */
export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'polling';

export type LiveEvent =
  /** `since`: when the stream last delivered anything (ms epoch), null before it ever did. */
  | { type: 'status'; status: LiveStatus; since: number | null }
  /** A ticket appeared or changed: the whole list item. */
  | { type: 'ticket'; ticket: Ticket }
  | { type: 'ticket-removed'; localId: string }
  /** A message of a ticket's conversation was added or changed. */
  | { type: 'message'; localId: string; message: TicketMessage }
  /** Messages were removed from a ticket's conversation: read it again if it is open. */
  | { type: 'conversation'; localId: string }
  | { type: 'counts'; counts: { open: number; closed: number } }
  | { type: 'sync'; state: 'current' | 'behind'; syncedAt: string | null }
  /** What is shown may be stale (the stream could not say what was missed): read it again. */
  | { type: 'resync' };

export type LiveListener = (event: LiveEvent) => void;

/** What the lazy chunk exports for live updates (src/internal/lazy-chunk.ts). */
export interface LiveModule {
  watchLive: typeof watchLive;
  attachList: typeof attachList;
}

/**
 * The members of <tp-ticket-list> its live code (src/live/live-list.ts) works with. They are
 * internal, not private, only so that this code can sit in the lazy chunk rather than in the first
 * render (ADR 0008).
 */
export interface LiveListHost extends HTMLElement, ReactiveControllerHost {
  readonly shadowRoot: ShadowRoot | null;
  readonly client?: ApiClient | undefined;
  live: LiveListController | undefined;
  data: TicketPage | null;
  announcement: string;
  now: number;
  pendingTimer: ReturnType<typeof setTimeout> | undefined;
  readonly loader: Task<readonly unknown[], unknown>;
  readonly ticketsApi: TicketsApi | undefined;
  readonly effectiveLocale: string;
  queryKey(): string;
  query(): TicketQuery;
  refresh(): Promise<void>;
}
