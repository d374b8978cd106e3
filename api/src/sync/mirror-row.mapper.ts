import { type HsContact, type HsOwner, type HsTicket } from '../hubspot/hubspot.types';

/** What the ticket row copies from the stage, the owner and the requester. */
export interface TicketLookups {
  stage(pipelineId: string | null, stageId: string | null): StageInfo | undefined;
  ownerName(ownerId: string): string | null | undefined;
  contact(contactId: string): { name: string | null; email: string | null } | undefined;
}

export interface StageInfo {
  label: string;
  displayOrder: number;
  closed: boolean;
}

/** The mirrored columns of a ticket row, in the order the guarded upsert writes them. */
export interface TicketRow {
  hubspot_id: string;
  subject: string;
  content: string | null;
  pipeline_id: string | null;
  stage_id: string | null;
  stage_label: string | null;
  stage_order: number | null;
  is_closed: number;
  owner_id: string | null;
  owner_name: string | null;
  contact_id: string | null;
  requester_name: string | null;
  requester_email: string | null;
  company_id: string | null;
  priority: string | null;
  category: string | null;
  created_at: Date;
  last_activity_at: Date;
  closed_at: Date | null;
  request_key: string | null;
  hs_lastmodified_at: Date;
}

/** Trims to what the column holds, counting characters (not UTF-16 units) as MySQL does. */
export function fit(value: string, max: number): string {
  if (value.length <= max) return value;
  return Array.from(value).slice(0, max).join('');
}

export function fitOrNull(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : fit(trimmed, max);
}

export function personName(first: string | null | undefined, last: string | null | undefined): string | null {
  const name = [first, last]
    .map((part) => (part ?? '').trim())
    .filter((part) => part !== '')
    .join(' ');
  return name === '' ? null : fit(name, 300);
}

export function ownerDisplayName(owner: Pick<HsOwner, 'firstName' | 'lastName' | 'email'>): string | null {
  return personName(owner.firstName, owner.lastName) ?? fitOrNull(owner.email, 300);
}

export function contactEmail(contact: Pick<HsContact, 'email'>): string | null {
  return fitOrNull(contact.email?.toLowerCase(), 254);
}

export function toTicketRow(ticket: HsTicket, lookups: TicketLookups): TicketRow {
  const stage = lookups.stage(ticket.pipelineId, ticket.stageId);
  const contactId = ticket.contactIds[0] ?? null;
  const requester = contactId === null ? undefined : lookups.contact(contactId);
  return {
    hubspot_id: ticket.id,
    subject: fit(ticket.subject, 500),
    content: ticket.content,
    pipeline_id: ticket.pipelineId,
    stage_id: ticket.stageId,
    stage_label: stage?.label ?? null,
    stage_order: stage?.displayOrder ?? null,
    // Without a known stage, HubSpot's close date is the best evidence of a closed ticket.
    is_closed: (stage ? stage.closed : ticket.closedAt !== null) ? 1 : 0,
    owner_id: ticket.ownerId,
    owner_name: ticket.ownerId === null ? null : (lookups.ownerName(ticket.ownerId) ?? null),
    contact_id: contactId,
    requester_name: requester?.name ?? null,
    requester_email: requester?.email ?? null,
    company_id: ticket.companyIds[0] ?? null,
    priority: fitOrNull(ticket.priority, 100),
    category: fitOrNull(ticket.category, 100),
    created_at: ticket.createdAt,
    last_activity_at: ticket.lastActivityAt,
    closed_at: ticket.closedAt,
    request_key: fitOrNull(ticket.requestKey, 191),
    hs_lastmodified_at: ticket.lastModifiedAt,
  };
}

const GUARD = '(hs_lastmodified_at IS NULL OR VALUES(hs_lastmodified_at) >= hs_lastmodified_at)';

/**
 * One INSERT … ON DUPLICATE KEY UPDATE for many tickets. Every mirrored column is only replaced
 * when the incoming snapshot is at least as new as the row's (`hs_lastmodified_at`), so a late or
 * reordered snapshot never rolls a row back. MySQL/MariaDB apply the assignments left to right and
 * later ones see earlier results, so the guard column itself is assigned last.
 */
export function buildTicketUpsert(rows: readonly TicketRow[], now: Date): { sql: string; params: unknown[] } {
  if (rows.length === 0) throw new Error('buildTicketUpsert needs at least one row');
  const columns = Object.keys(rows[0]!) as Array<keyof TicketRow>;
  const insertColumns = [...columns, 'sync_state', 'sync_error', 'mirrored_at', 'updated_at'];
  const placeholders = `(${insertColumns.map(() => '?').join(', ')})`;
  const params: unknown[] = [];
  for (const row of rows) {
    for (const column of columns) params.push(row[column]);
    params.push('synced', null, now, now);
  }
  const guarded = [
    ...columns.filter((c) => c !== 'hs_lastmodified_at'),
    'sync_state',
    'sync_error',
    'updated_at',
  ].map((c) => `${c} = IF(${GUARD}, VALUES(${c}), ${c})`);
  const sql =
    `INSERT INTO tickets (${insertColumns.join(', ')}) VALUES ${rows.map(() => placeholders).join(', ')} ` +
    `ON DUPLICATE KEY UPDATE ${[...guarded, 'mirrored_at = VALUES(mirrored_at)', `hs_lastmodified_at = IF(${GUARD}, VALUES(hs_lastmodified_at), hs_lastmodified_at)`].join(', ')}`;
  return { sql, params };
}
