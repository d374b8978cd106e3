import type { SortField, SortOrder, Ticket } from '../api/api-types.js';
import type { HistoryMode } from '../controllers/list-state.controller.js';
import type { ListState } from '../tickets/list-state.js';

export interface TpTicketOpenDetail {
  ticket: Ticket;
}

/** Public: the customer chose a ticket in the list (click, Enter or Space). Bubbles and is composed. */
export type TpTicketOpenEvent = CustomEvent<TpTicketOpenDetail>;

export const TICKET_OPEN_EVENT = 'tp-ticket-open';

export function emitTicketOpen(target: EventTarget, ticket: Ticket): void {
  target.dispatchEvent(
    new CustomEvent<TpTicketOpenDetail>(TICKET_OPEN_EVENT, {
      detail: { ticket },
      bubbles: true,
      composed: true,
    }),
  );
}

// Internal events between the list's own parts: they do not leave <tp-ticket-list>'s shadow root.

export class SortRequestEvent extends Event {
  static readonly type = 'sort-request';
  constructor(
    readonly sort: SortField,
    readonly order: SortOrder,
  ) {
    super(SortRequestEvent.type);
  }
}

export class PageRequestEvent extends Event {
  static readonly type = 'page-request';
  constructor(readonly page: number) {
    super(PageRequestEvent.type);
  }
}

/** The toolbar asks for another search, filter, view or sort. */
export class StateRequestEvent extends Event {
  static readonly type = 'state-request';
  constructor(
    readonly patch: Partial<ListState>,
    readonly mode: HistoryMode = 'push',
  ) {
    super(StateRequestEvent.type);
  }
}

declare global {
  interface HTMLElementEventMap {
    'tp-ticket-open': TpTicketOpenEvent;
    'sort-request': SortRequestEvent;
    'page-request': PageRequestEvent;
    'state-request': StateRequestEvent;
    /** The toolbar's Clear filters. */
    'clear-filters': Event;
    /** The toolbar's Export CSV. */
    'export-request': Event;
  }
}
