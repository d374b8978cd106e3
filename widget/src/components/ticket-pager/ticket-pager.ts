import { TicketPager } from './ticket-pager.component.js';

export * from './ticket-pager.component.js';

TicketPager.define('tp-ticket-pager');

declare global {
  interface HTMLElementTagNameMap {
    'tp-ticket-pager': TicketPager;
  }
}
