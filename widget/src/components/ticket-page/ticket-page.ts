import { TpTicketPage } from './ticket-page.component.js';

export { TpTicketPage };

TpTicketPage.define('tp-ticket-page');

declare global {
  interface HTMLElementTagNameMap {
    'tp-ticket-page': TpTicketPage;
  }
}
