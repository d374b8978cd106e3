// The lazy part of the widget (ADR 0008): the ticket page and the request form travel in one
// chunk, so submitting a request opens the new ticket's page without another download.
export { TpTicketPage } from '../components/ticket-page/ticket-page.js';
export { TpRequestForm } from '../components/request-form/request-form.js';
