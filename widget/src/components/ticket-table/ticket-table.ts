import { TicketTable } from './ticket-table.component.js';

export * from './ticket-table.component.js';

TicketTable.define('tp-ticket-table');

declare global {
  interface HTMLElementTagNameMap {
    'tp-ticket-table': TicketTable;
  }
}
