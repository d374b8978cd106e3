import { TicketList } from './ticket-list.component.js';

export * from './ticket-list.component.js';
export type { TpTicketOpenDetail, TpTicketOpenEvent } from './ticket-events.js';
export type { Ticket, TicketsApi, TicketQuery, TicketPage } from './tickets-api.js';

TicketList.define('tp-ticket-list');

declare global {
  interface HTMLElementTagNameMap {
    'tp-ticket-list': TicketList;
  }
}
