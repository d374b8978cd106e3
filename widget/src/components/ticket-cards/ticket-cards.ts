import { TicketCards } from './ticket-cards.component.js';

export * from './ticket-cards.component.js';

TicketCards.define('tp-ticket-cards');

declare global {
  interface HTMLElementTagNameMap {
    'tp-ticket-cards': TicketCards;
  }
}
