import type { SortField, Ticket } from '../api/api-types.js';
import { msg } from '../internal/msg.js';

/** The guide's columns, in the guide's order and words ("Navigating the Customer Portal"). */
export const COLUMNS: readonly { field: SortField; readonly label: string }[] = [
  {
    field: 'id',
    get label() {
      return msg('Ticket ID');
    },
  },
  {
    field: 'status',
    get label() {
      return msg('Status');
    },
  },
  {
    field: 'subject',
    get label() {
      return msg('Subject');
    },
  },
  {
    field: 'created',
    get label() {
      return msg('Created');
    },
  },
  {
    field: 'owner',
    get label() {
      return msg('Ticket Owner');
    },
  },
  {
    field: 'lastActivity',
    get label() {
      return msg('Last Activity');
    },
  },
  {
    field: 'requestedBy',
    get label() {
      return msg('Requested By');
    },
  },
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
