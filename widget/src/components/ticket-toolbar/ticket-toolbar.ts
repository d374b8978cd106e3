import { TicketToolbar } from './ticket-toolbar.component.js';

export * from './ticket-toolbar.component.js';

TicketToolbar.define('tp-ticket-toolbar');

declare global {
  interface HTMLElementTagNameMap {
    'tp-ticket-toolbar': TicketToolbar;
  }
}
