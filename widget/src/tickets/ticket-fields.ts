import type { SortField, Ticket } from '../api/api-types.js';
import { msg } from '../internal/msg.js';

/** A column whose label is read in the current language each time it is shown. */
const column = (field: SortField, label: () => string): { field: SortField; readonly label: string } => ({
  field,
  get label() {
    return label();
  },
});

/** The guide's columns, in the guide's order and words ("Navigating the Customer Portal"). */
export const COLUMNS: readonly { field: SortField; readonly label: string }[] = [
  column('id', () => msg('Ticket ID')),
  column('status', () => msg('Status')),
  column('subject', () => msg('Subject')),
  column('created', () => msg('Created')),
  column('owner', () => msg('Ticket Owner')),
  column('lastActivity', () => msg('Last Activity')),
  column('requestedBy', () => msg('Requested By')),
];

export const ownerName = (ticket: Ticket): string => ticket.owner?.name?.trim() || msg('Unassigned');

/** The requester's name, else their email (the guide: "Name of the person who submitted the request"). */
export const requesterName = (ticket: Ticket): string =>
  ticket.requestedBy.name?.trim() || ticket.requestedBy.email;

/** What stands in the Ticket ID column before HubSpot has given the ticket its ID. */
export const ticketIdText = (ticket: Ticket): string => {
  if (ticket.id) return ticket.id;
  return ticket.syncState === 'failed' ? msg('Not sent yet') : msg('Sending…');
};
