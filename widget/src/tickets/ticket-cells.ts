import { html } from 'lit';
import { formatDate, formatDateTime, formatRelative, isRecent } from './format.js';
import { ticketIdText } from './ticket-fields.js';
import type { StatusKind, Ticket } from '../api/api-types.js';

/** What a status means, for its colour; APIs before issue 13 send only open / closed. */
export const statusKind = (ticket: Ticket): StatusKind =>
  ticket.status.kind ?? (ticket.status.state === 'closed' ? 'closed' : 'in_progress');

/** The status customers read, coloured by its kind (new, in progress, awaiting them, closed). */
export const renderStatus = (ticket: Ticket) => {
  const kind = statusKind(ticket);
  return html`<span
    class="badge badge--${ticket.status.state} badge--${kind}"
    part="status-badge"
    data-state=${ticket.status.state}
    data-kind=${kind}
    >${ticket.status.label}</span
  >`;
};

export const renderTicketId = (ticket: Ticket) =>
  ticket.id
    ? html`<span class="ticket-id">${ticket.id}</span>`
    : html`<span class="ticket-id ticket-id--pending" data-sync=${ticket.syncState}
        >${ticketIdText(ticket)}</span
      >`;

/**
 * A date as people read it, with the exact date and time in the tooltip (title) and in text a
 * screen reader reads; `relative` shows recent instants as "5 minutes ago".
 */
export function renderWhen(iso: string, locale: string, options: { relative: boolean; now?: number }) {
  const exact = formatDateTime(iso, locale);
  const recent = options.relative && isRecent(iso, options.now);
  const shown = recent ? formatRelative(iso, locale, options.now) : formatDate(iso, locale);
  return html`<time datetime=${iso} title=${exact}><span aria-hidden="true">${shown}</span></time
    ><span class="visually-hidden">${recent ? `${shown}, ${exact}` : exact}</span>`;
}
