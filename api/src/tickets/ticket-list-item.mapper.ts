import type { ListItemRow } from '../repositories/tickets.repository';
import type { TicketListItemDto } from './dto/ticket-list.dto';
import { kindOf } from './ticket-status';

/** A row's sync_state as the API names it; anything unexpected reads as synced. */
export function syncStateOf(value: string): 'synced' | 'pending' | 'failed' {
  return value === 'pending' || value === 'failed' ? value : 'synced';
}

export function toTicketListItem(row: ListItemRow): TicketListItemDto {
  const closed = Number(row.is_closed) === 1;
  return {
    id: row.hubspot_id,
    localId: String(row.id),
    status: {
      label: row.stage_label ?? (closed ? 'Closed' : 'Open'),
      state: closed ? 'closed' : 'open',
      kind: kindOf(row.status_kind, closed),
    },
    subject: row.subject,
    createdAt: new Date(row.created_at).toISOString(),
    owner: row.owner_name ? { name: row.owner_name } : null,
    lastActivityAt: new Date(row.last_activity_at).toISOString(),
    requestedBy: { name: row.requester_name, email: row.requester_email ?? '' },
    syncState: syncStateOf(row.sync_state),
  };
}
