import { TicketList } from './ticket-list.component.js';

export * from './ticket-list.component.js';
export type { TpTicketOpenDetail, TpTicketOpenEvent } from '../../events/ticket-events.js';
export type { Ticket, TicketQuery, TicketPage } from '../../api/api-types.js';
export type { TicketsApi } from '../../tickets/tickets-api.js';

TicketList.define('tp-ticket-list');

declare global {
  interface HTMLElementTagNameMap {
    'tp-ticket-list': TicketList;
  }
}
