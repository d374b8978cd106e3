import { TpTicketPeople } from './ticket-people.component.js';

export { TpTicketPeople };

TpTicketPeople.define('tp-ticket-people');

declare global {
  interface HTMLElementTagNameMap {
    'tp-ticket-people': TpTicketPeople;
  }
}
