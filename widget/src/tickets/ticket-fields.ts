import type { SortField, Ticket } from '../api/api-types.js';

/** The guide's columns, in the guide's order and words ("Navigating the Customer Portal"). */
export const COLUMNS: readonly { field: SortField; label: string }[] = [
  { field: 'id', label: 'Ticket ID' },
  { field: 'status', label: 'Status' },
  { field: 'subject', label: 'Subject' },
  { field: 'created', label: 'Created' },
  { field: 'owner', label: 'Ticket Owner' },
  { field: 'lastActivity', label: 'Last Activity' },
  { field: 'requestedBy', label: 'Requested By' },
];

export const UNASSIGNED = 'Unassigned';

export const ownerName = (ticket: Ticket): string => ticket.owner?.name?.trim() || UNASSIGNED;

/** The requester's name, else their email (the guide: "Name of the person who submitted the request"). */
export const requesterName = (ticket: Ticket): string =>
  ticket.requestedBy.name?.trim() || ticket.requestedBy.email;

/** What stands in the Ticket ID column before HubSpot has given the ticket its ID. */
export const ticketIdText = (ticket: Ticket): string => {
  if (ticket.id) return ticket.id;
  return ticket.syncState === 'failed' ? 'Not sent yet' : 'Sending…';
};
