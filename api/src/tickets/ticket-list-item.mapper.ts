import type { TicketListItemDto } from './dto/ticket-list.dto';

/** The `tickets` columns a list item is made of (GET /tickets, and the top of GET /tickets/:id). */
/** The SELECT list of a ListItemRow. */
export const LIST_ITEM_COLUMNS = `id, hubspot_id, subject, stage_label, is_closed, owner_name, requester_name, requester_email,
  created_at, last_activity_at, sync_state`;

export interface ListItemRow {
  id: number;
  hubspot_id: string | null;
  subject: string;
  stage_label: string | null;
  is_closed: number;
  owner_name: string | null;
  requester_name: string | null;
  requester_email: string | null;
  created_at: Date;
  last_activity_at: Date;
  sync_state: string;
}

/** A row's sync_state as the API names it; anything unexpected reads as synced. */
export function syncStateOf(value: string): 'synced' | 'pending' | 'failed' {
  return value === 'pending' || value === 'failed' ? value : 'synced';
}

export function toTicketListItem(row: ListItemRow): TicketListItemDto {
  const closed = Number(row.is_closed) === 1;
  return {
    id: row.hubspot_id,
    localId: String(row.id),
    status: { label: row.stage_label ?? (closed ? 'Closed' : 'Open'), state: closed ? 'closed' : 'open' },
    subject: row.subject,
    createdAt: new Date(row.created_at).toISOString(),
    owner: row.owner_name ? { name: row.owner_name } : null,
    lastActivityAt: new Date(row.last_activity_at).toISOString(),
    requestedBy: { name: row.requester_name, email: row.requester_email ?? '' },
    syncState: syncStateOf(row.sync_state),
  };
}
