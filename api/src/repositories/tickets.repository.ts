import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { TicketScope } from '../tickets/ticket-scope-version.service';
import { chunk, placeholders, type Queryable, tuples } from './sql.util';

/**
 * The `tickets` table, every column: one ticket of the HubSpot mirror, or one a customer submitted
 * that HubSpot does not have yet (`hubspot_id` NULL, `sync_state` 'pending'). Names and labels are
 * copied onto the row (stage, owner, requester) so the list sorts and searches without joins; sync
 * keeps the copies current when an owner, a stage or a contact changes. Schema:
 * database/migrations (…-create-ticket-mirror and the index migrations of ADR 0007). The row types
 * below are the column sets each reader selects.
 */
export interface TicketColumns {
  /** Our id: the list item's `localId`. */
  id: number;
  /** HubSpot's Ticket ID; NULL until the outbox delivered a portal submission. */
  hubspot_id: string | null;
  subject: string;
  content: string | null;
  pipeline_id: string | null;
  stage_id: string | null;
  /** What customers read as the status (the stage's mapped label, tickets/ticket-status.ts). */
  stage_label: string | null;
  /** The stage's display order (the status sort). */
  stage_order: number | null;
  /** From the stage's ticket state (HubSpot's metadata.ticketState); 1/0. */
  is_closed: number;
  /** new | in_progress | awaiting_customer | closed (the stage's); NULL on rows from before issue 13. */
  status_kind: string | null;
  owner_id: string | null;
  /** NULL when unassigned; "Unassigned" is the widget's wording. */
  owner_name: string | null;
  /** The requester: the first contact HubSpot associates with the ticket. */
  contact_id: string | null;
  requester_name: string | null;
  requester_email: string | null;
  /** The ticket's company (HubSpot's primary company association first). */
  company_id: string | null;
  priority: string | null;
  category: string | null;
  created_at: Date;
  /** hs_lastactivitydate, else hs_lastmodifieddate; a portal reply moves it too. */
  last_activity_at: Date;
  closed_at: Date | null;
  /** hs_lastmodifieddate of the snapshot on the row: an older snapshot never overwrites a newer one. */
  hs_lastmodified_at: Date | null;
  /** 'synced' | 'pending' | 'failed' (ticket-list-item.mapper syncStateOf). */
  sync_state: string;
  sync_error: string | null;
  /** The portal's idempotency key (HubSpot property tp_request_key) for tickets the portal created. */
  request_key: string | null;
  /** The portal account that submitted it: that customer sees it in every scope. */
  created_by_customer_id: string | null;
  /** When sync last wrote this row from HubSpot (the list's "last synced"). */
  mirrored_at: Date | null;
  /** When the conversation was last read from HubSpot; null = never (read it on demand). */
  conversation_synced_at: Date | null;
  updated_at: Date;
}

const TICKET_ROW = [
  'id',
  'hubspot_id',
  'subject',
  'content',
  'pipeline_id',
  'stage_id',
  'stage_label',
  'is_closed',
  'status_kind',
  'owner_name',
  'contact_id',
  'requester_name',
  'requester_email',
  'company_id',
  'priority',
  'category',
  'created_at',
  'last_activity_at',
  'closed_at',
  'sync_state',
  'sync_error',
  'request_key',
  'created_by_customer_id',
  'conversation_synced_at',
] as const satisfies ReadonlyArray<keyof TicketColumns>;

/**
 * Every contact on the ticket (ticket_contacts), the primary one (tickets.contact_id) first: each
 * of them sees it in contact scope (TicketVisibility).
 */
export interface TicketContacts {
  contact_ids: string[];
}

/** ticket_contacts of the row in the same statement, as one comma-separated column (primary first). */
const CONTACT_IDS_SQL =
  "(SELECT GROUP_CONCAT(tc.contact_id ORDER BY tc.is_primary DESC, tc.contact_id SEPARATOR ',') FROM ticket_contacts tc WHERE tc.ticket_id = tickets.id) AS contact_ids";

type WithRawContacts<T> = Omit<T, 'contact_ids'> & { contact_ids: string | null };

function parseContacts<T extends TicketContacts>(row: WithRawContacts<T>): T {
  return { ...row, contact_ids: row.contact_ids ? row.contact_ids.split(',') : [] } as T;
}

/** A ticket as the portal reads it (detail, replies, close/reopen, delivery). */
export type TicketRow = Pick<TicketColumns, (typeof TICKET_ROW)[number]> & TicketContacts;
const TICKET_COLUMNS = `${TICKET_ROW.join(', ')}, ${CONTACT_IDS_SQL}`;

const LIST_ITEM = [
  'id',
  'hubspot_id',
  'subject',
  'stage_label',
  'is_closed',
  'status_kind',
  'owner_name',
  'requester_name',
  'requester_email',
  'created_at',
  'last_activity_at',
  'sync_state',
] as const satisfies ReadonlyArray<keyof TicketColumns>;

/** The columns a list item is made of (GET /tickets, the top of GET /tickets/:id, live events). */
export type ListItemRow = Pick<TicketColumns, (typeof LIST_ITEM)[number]>;
export const LIST_ITEM_COLUMNS = LIST_ITEM.join(', ');

/** Where a ticket sits: what the visibility rule and the change notices need of a row. */
export type TicketPlacement = Pick<
  TicketColumns,
  'id' | 'contact_id' | 'company_id' | 'created_by_customer_id'
> &
  TicketContacts;

/** A list item with its placement (the live events decide per stream whether to send it). */
export type PlacedListItemRow = ListItemRow & TicketPlacement;

/**
 * The scopes a row is in (versions, notices): its company, its requester, and every other contact on
 * it (each of them sees it in contact scope, so their versions move and their streams hear of it).
 */
export function scopesOfRow(
  row: Pick<TicketPlacement, 'contact_id' | 'company_id'> & Partial<TicketContacts>,
): TicketScope[] {
  const others = (row.contact_ids ?? []).filter((id) => id !== row.contact_id);
  return [
    { contactId: row.contact_id, companyId: row.company_id },
    ...others.map((contactId) => ({ contactId })),
  ];
}

/** A person on a ticket as its page lists them (ticket_contacts with the mirrored contact). */
export interface TicketPersonRow {
  contact_id: string;
  is_primary: number;
  display_name: string | null;
  email: string | null;
}

/**
 * The mirrored columns of a ticket row (sync/mirror-row.mapper toTicketRow builds them in the order
 * the guarded upsert writes them); a mirrored row always has its HubSpot id and snapshot time.
 */
export type MirroredTicket = Pick<
  TicketColumns,
  | 'subject'
  | 'content'
  | 'pipeline_id'
  | 'stage_id'
  | 'stage_label'
  | 'stage_order'
  | 'is_closed'
  | 'status_kind'
  | 'owner_id'
  | 'owner_name'
  | 'contact_id'
  | 'requester_name'
  | 'requester_email'
  | 'company_id'
  | 'priority'
  | 'category'
  | 'created_at'
  | 'last_activity_at'
  | 'closed_at'
  | 'request_key'
> & { hubspot_id: string; hs_lastmodified_at: Date };

/** What the mirror's upsert knows of a row before writing over it. */
export type MirrorPlacement = TicketPlacement &
  Pick<TicketColumns, 'hubspot_id' | 'request_key' | 'hs_lastmodified_at' | 'last_activity_at'>;

/** A ticket the customer submits: the row exists (pending) before HubSpot has it. */
export interface SubmittedTicket {
  subject: string;
  content: string;
  pipelineId: string | null;
  stageId: string | null;
  stageLabel: string | null;
  stageOrder: number | null;
  statusKind: string;
  contactId: string | null;
  requesterName: string | null;
  requesterEmail: string;
  companyId: string | null;
  priority: string | null;
  category: string | null;
  requestKey: string;
  customerId: string;
  now: Date;
}

/** A close or reopen typed in the portal, ahead of HubSpot. */
export interface StageMove {
  pipelineId: string;
  stageId: string;
  stageLabel: string;
  stageOrder: number | null;
  statusKind: string;
  closed: boolean;
  now: Date;
}

const GUARD = '(hs_lastmodified_at IS NULL OR VALUES(hs_lastmodified_at) >= hs_lastmodified_at)';

/**
 * One INSERT … ON DUPLICATE KEY UPDATE for many tickets. Every mirrored column is only replaced
 * when the incoming snapshot is at least as new as the row's (`hs_lastmodified_at`), so a late or
 * reordered snapshot never rolls a row back. MySQL/MariaDB apply the assignments left to right and
 * later ones see earlier results, so the guard column itself is assigned last.
 */
export function buildTicketUpsert(
  rows: readonly MirroredTicket[],
  now: Date,
): { sql: string; params: unknown[] } {
  if (rows.length === 0) throw new Error('buildTicketUpsert needs at least one row');
  const columns = Object.keys(rows[0]!) as Array<keyof MirroredTicket>;
  const insertColumns = [...columns, 'sync_state', 'sync_error', 'mirrored_at', 'updated_at'];
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
    `INSERT INTO tickets (${insertColumns.join(', ')}) VALUES ${tuples(rows.length, insertColumns.length)} ` +
    `ON DUPLICATE KEY UPDATE ${[...guarded, 'mirrored_at = VALUES(mirrored_at)', `hs_lastmodified_at = IF(${GUARD}, VALUES(hs_lastmodified_at), hs_lastmodified_at)`].join(', ')}`;
  return { sql, params };
}

/**
 * The one owner of the `tickets` table and of `ticket_tombstones` (HubSpot ticket ids seen deleted,
 * which guard the mirror's upsert): every statement that reads or writes them outside the list's
 * query (TicketListRepository) is here. Methods that take a Queryable run inside the caller's
 * transaction when given its EntityManager.
 */
@Injectable()
export class TicketsRepository {
  constructor(private readonly dataSource: DataSource) {}

  // ---- the portal's reads and writes ----

  /** One ticket by our id; `lock` takes it FOR UPDATE (inside a transaction). */
  async find(id: number, db: Queryable = this.dataSource, lock = false): Promise<TicketRow | undefined> {
    const [row] = await db.query<Array<WithRawContacts<TicketRow>>>(
      `SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = ?${lock ? ' FOR UPDATE' : ''}`,
      [id],
    );
    return row && parseContacts<TicketRow>(row);
  }

  /** The people on a ticket: its requester first, then the others by name (unknown contacts: no name). */
  people(id: number, db: Queryable = this.dataSource): Promise<TicketPersonRow[]> {
    return db.query<TicketPersonRow[]>(
      `SELECT tc.contact_id, tc.is_primary, c.display_name, c.email FROM ticket_contacts tc
         LEFT JOIN contacts c ON c.id = tc.contact_id
       WHERE tc.ticket_id = ? ORDER BY tc.is_primary DESC, COALESCE(c.display_name, c.email) IS NULL,
         COALESCE(c.display_name, c.email), tc.contact_id`,
      [id],
    );
  }

  /**
   * Sets each ticket's contacts to `contactIds` (the first is the primary one, as tickets.contact_id).
   * Callers pass only tickets whose set changed.
   */
  async setContacts(
    m: EntityManager,
    entries: ReadonlyArray<{ id: number; contactIds: readonly string[] }>,
  ): Promise<void> {
    for (const part of chunk(entries, 500)) {
      await m.query(`DELETE FROM ticket_contacts WHERE ticket_id IN (${placeholders(part.length)})`, [
        ...part.map((e) => e.id),
      ]);
      const rows = part.flatMap((e) => [...new Set(e.contactIds)].map((c, i) => [e.id, c, i === 0 ? 1 : 0]));
      if (rows.length === 0) continue;
      await m.query(
        `INSERT INTO ticket_contacts (ticket_id, contact_id, is_primary) VALUES ${tuples(rows.length, 3)}`,
        rows.flat(),
      );
    }
  }

  /** Adds contacts to a ticket (not as its primary one); ones already on it stay as they are. */
  async addContacts(m: EntityManager, id: number, contactIds: readonly string[]): Promise<void> {
    if (contactIds.length === 0) return;
    await m.query(
      `INSERT IGNORE INTO ticket_contacts (ticket_id, contact_id, is_primary) VALUES ${tuples(contactIds.length, 3)}`,
      contactIds.flatMap((c) => [id, c, 0]),
    );
  }

  /** Takes a contact off a ticket, unless it is the ticket's primary one. */
  async removeContact(m: EntityManager, id: number, contactId: string): Promise<void> {
    await m.query('DELETE FROM ticket_contacts WHERE ticket_id = ? AND contact_id = ? AND is_primary = 0', [
      id,
      contactId,
    ]);
  }

  /** List items with their placement, by our ids (the live events read each notice's rows once). */
  async placedListItems(ids: readonly number[]): Promise<Map<number, PlacedListItemRow>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<WithRawContacts<PlacedListItemRow>>>(
      `SELECT ${LIST_ITEM_COLUMNS}, contact_id, company_id, created_by_customer_id, ${CONTACT_IDS_SQL} FROM tickets
       WHERE id IN (${placeholders(ids.length)})`,
      [...ids],
    );
    return new Map(rows.map((r) => [Number(r.id), parseContacts<PlacedListItemRow>(r)]));
  }

  /** Inserts a submitted ticket (pending); returns its id. */
  async insertSubmitted(m: EntityManager, t: SubmittedTicket): Promise<number> {
    const inserted = await m.query<{ insertId: number }>(
      `INSERT INTO tickets (subject, content, pipeline_id, stage_id, stage_label, stage_order, is_closed, status_kind,
         contact_id, requester_name, requester_email, company_id, priority, category, created_at,
         last_activity_at, sync_state, request_key, created_by_customer_id, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      [
        t.subject,
        t.content,
        t.pipelineId,
        t.stageId,
        t.stageLabel,
        t.stageOrder,
        t.statusKind,
        t.contactId,
        t.requesterName,
        t.requesterEmail,
        t.companyId,
        t.priority,
        t.category,
        t.now,
        t.now,
        t.requestKey,
        t.customerId,
        t.now,
      ],
    );
    // The requester is on the ticket from the start: their contact scope shows it while pending.
    if (t.contactId !== null) {
      await m.query('INSERT INTO ticket_contacts (ticket_id, contact_id, is_primary) VALUES (?, ?, 1)', [
        inserted.insertId,
        t.contactId,
      ]);
    }
    return inserted.insertId;
  }

  /** A reply was typed: the ticket's last activity is now (never earlier than it was). */
  async touchActivity(m: EntityManager, id: number, now: Date): Promise<void> {
    await m.query(
      'UPDATE tickets SET last_activity_at = GREATEST(last_activity_at, ?), updated_at = ? WHERE id = ?',
      [now, now, id],
    );
  }

  /**
   * Close or reopen ahead of HubSpot. hs_lastmodified_at = now: HubSpot snapshots read before HubSpot
   * has the change are older than this and are skipped by the mirror's guard, so the ticket does not
   * flip back meanwhile.
   */
  async moveStage(m: EntityManager, id: number, move: StageMove): Promise<void> {
    await m.query(
      `UPDATE tickets SET pipeline_id = ?, stage_id = ?, stage_label = COALESCE(?, stage_label), stage_order = ?,
         is_closed = ?, status_kind = ?, closed_at = ?, hs_lastmodified_at = ?, last_activity_at = GREATEST(last_activity_at, ?), updated_at = ?
       WHERE id = ?`,
      [
        move.pipelineId,
        move.stageId,
        move.stageLabel,
        move.stageOrder,
        move.closed ? 1 : 0,
        move.statusKind,
        move.closed ? move.now : null,
        move.now,
        move.now,
        move.now,
        id,
      ],
    );
  }

  /** A retry: a failed ticket is pending again (or synced, when HubSpot already has it). */
  async clearFailure(m: EntityManager, id: number, now: Date): Promise<void> {
    await m.query(
      "UPDATE tickets SET sync_state = IF(hubspot_id IS NULL, 'pending', 'synced'), sync_error = NULL, updated_at = ? WHERE id = ? AND sync_state = 'failed'",
      [now, id],
    );
  }

  /** A stage change reached HubSpot: a failure shown on a ticket HubSpot has is over. */
  async clearStageFailure(id: number): Promise<void> {
    await this.dataSource.query(
      "UPDATE tickets SET sync_state = 'synced', sync_error = NULL WHERE id = ? AND sync_state = 'failed' AND hubspot_id IS NOT NULL",
      [id],
    );
  }

  async markFailed(m: EntityManager, id: number, reason: string, now: Date): Promise<void> {
    await m.query("UPDATE tickets SET sync_state = 'failed', sync_error = ?, updated_at = ? WHERE id = ?", [
      reason,
      now,
      id,
    ]);
  }

  /**
   * HubSpot created the submitted ticket: the row takes its id. The mirror matches on request_key, so
   * a webhook that came first already wrote this row; a stray row holding the same HubSpot id
   * (written without the key) would make a duplicate, and goes.
   */
  async markCreated(
    m: EntityManager,
    id: number,
    hubspotId: string,
    link: { contactId: string; companyId: string | null },
    now: Date,
  ): Promise<void> {
    await m.query('DELETE FROM tickets WHERE hubspot_id = ? AND id <> ?', [hubspotId, id]);
    await m.query(
      `UPDATE tickets SET hubspot_id = ?, sync_state = 'synced', sync_error = NULL,
         contact_id = COALESCE(contact_id, ?), company_id = COALESCE(company_id, ?), updated_at = ?
       WHERE id = ?`,
      [hubspotId, link.contactId, link.companyId, now, id],
    );
    await m.query(
      'INSERT IGNORE INTO ticket_contacts (ticket_id, contact_id, is_primary) SELECT id, contact_id, 1 FROM tickets WHERE id = ? AND contact_id IS NOT NULL',
      [id],
    );
  }

  // ---- the mirror's writes (sync) ----

  /** Rows a batch of snapshots may write over: by HubSpot id, or by the portal's request key. */
  async mirrorPlacements(
    m: EntityManager,
    hubspotIds: readonly string[],
    requestKeys: readonly string[],
  ): Promise<MirrorPlacement[]> {
    const rows = await m.query<Array<WithRawContacts<MirrorPlacement>>>(
      `SELECT id, hubspot_id, request_key, hs_lastmodified_at, last_activity_at, contact_id, company_id, created_by_customer_id, ${CONTACT_IDS_SQL} FROM tickets WHERE hubspot_id IN (${placeholders(hubspotIds.length)})` +
        (requestKeys.length > 0 ? ` OR request_key IN (${placeholders(requestKeys.length)})` : ''),
      [...hubspotIds, ...requestKeys],
    );
    return rows.map((r) => parseContacts<MirrorPlacement>(r));
  }

  /** The guarded upsert of mirrored snapshots (buildTicketUpsert). */
  async upsertMirrored(m: EntityManager, rows: readonly MirroredTicket[], now: Date): Promise<void> {
    const { sql, params } = buildTicketUpsert(rows, now);
    await m.query(sql, params);
  }

  /** Placements of the rows with these HubSpot ids; `lock` takes them FOR UPDATE. */
  async placementsByHubspotId(
    m: EntityManager,
    hubspotIds: readonly string[],
    lock = false,
  ): Promise<Array<TicketPlacement & { hubspot_id: string }>> {
    if (hubspotIds.length === 0) return [];
    const rows = await m.query<Array<WithRawContacts<TicketPlacement & { hubspot_id: string }>>>(
      `SELECT id, hubspot_id, contact_id, company_id, created_by_customer_id, ${CONTACT_IDS_SQL} FROM tickets WHERE hubspot_id IN (${placeholders(hubspotIds.length)})${lock ? ' FOR UPDATE' : ''}`,
      [...hubspotIds],
    );
    return rows.map((r) => parseContacts<TicketPlacement & { hubspot_id: string }>(r));
  }

  /** Removes the rows with these HubSpot ids; returns how many went. */
  async deleteByHubspotId(m: EntityManager, hubspotIds: readonly string[]): Promise<number> {
    if (hubspotIds.length === 0) return 0;
    const res = await m.query<{ affectedRows: number }>(
      `DELETE FROM tickets WHERE hubspot_id IN (${placeholders(hubspotIds.length)})`,
      [...hubspotIds],
    );
    return res.affectedRows ?? 0;
  }

  /** The conversation was just read from HubSpot. */
  async conversationSynced(m: EntityManager, id: number, now: Date): Promise<void> {
    await m.query('UPDATE tickets SET conversation_synced_at = ? WHERE id = ?', [now, id]);
  }

  /** Copies owners' display names onto their tickets. */
  /** Whether the ticket's conversation has been read from HubSpot (true for a ticket that is gone). */
  async conversationWasRead(id: number | string): Promise<boolean> {
    const [row] = await this.dataSource.query<Array<{ conversation_synced_at: Date | null }>>(
      'SELECT conversation_synced_at FROM tickets WHERE id = ?',
      [id],
    );
    return !row || row.conversation_synced_at !== null;
  }

  async copyOwnerNames(m: EntityManager, ownerIds: readonly string[]): Promise<void> {
    await m.query(
      `UPDATE tickets t JOIN owners o ON o.id = t.owner_id SET t.owner_name = o.display_name WHERE o.id IN (${placeholders(ownerIds.length)})`,
      [...ownerIds],
    );
  }

  /** Copies stages' customer label and kind, order and open/closed state onto their tickets. */
  async copyStages(
    m: EntityManager,
    stages: ReadonlyArray<{ pipelineId: string; stageId: string }>,
  ): Promise<void> {
    await m.query(
      'UPDATE tickets t JOIN pipeline_stages s ON s.pipeline_id = t.pipeline_id AND s.id = t.stage_id ' +
        'SET t.stage_label = COALESCE(s.shown_label, s.label), t.status_kind = s.status_kind, t.stage_order = s.display_order, ' +
        "t.is_closed = (s.ticket_state = 'CLOSED') " +
        `WHERE (s.pipeline_id, s.id) IN (${tuples(stages.length, 2)})`,
      stages.flatMap((s) => [s.pipelineId, s.stageId]),
    );
  }

  /** Copies contacts' name and email onto the tickets they requested; returns those tickets' scopes. */
  async copyRequesters(m: EntityManager, contactIds: readonly string[]): Promise<TicketScope[]> {
    await m.query(
      'UPDATE tickets t JOIN contacts c ON c.id = t.contact_id SET t.requester_name = c.display_name, t.requester_email = c.email ' +
        `WHERE c.id IN (${placeholders(contactIds.length)})`,
      [...contactIds],
    );
    const rows = await m.query<Array<Pick<TicketPlacement, 'contact_id' | 'company_id'>>>(
      `SELECT DISTINCT contact_id, company_id FROM tickets WHERE contact_id IN (${placeholders(contactIds.length)})`,
      [...contactIds],
    );
    // The people in copy on those tickets see the new requester name too.
    const others = await m.query<Array<{ contact_id: string }>>(
      `SELECT DISTINCT o.contact_id FROM ticket_contacts p JOIN ticket_contacts o ON o.ticket_id = p.ticket_id AND o.is_primary = 0
       WHERE p.contact_id IN (${placeholders(contactIds.length)}) AND p.is_primary = 1`,
      [...contactIds],
    );
    return [...rows.flatMap((r) => scopesOfRow(r)), ...others.map((o) => ({ contactId: o.contact_id }))];
  }

  /** Whether the mirror holds no ticket at all (a fresh install: backfill first). */
  async isEmpty(): Promise<boolean> {
    const rows = await this.dataSource.query<Array<{ n: number | string }>>(
      'SELECT COUNT(*) AS n FROM (SELECT 1 FROM tickets LIMIT 1) t',
    );
    return Number(rows[0]?.n ?? 0) === 0;
  }

  /**
   * The reconcile's deletion sweep: mirrored tickets (ids after `afterId`, 1,000 at most) that no
   * read since `since` has written, and that nothing local changed since either.
   */
  async notMirroredSince(afterId: number, since: Date): Promise<Array<{ id: number; hubspot_id: string }>> {
    return this.dataSource.query(
      'SELECT id, hubspot_id FROM tickets WHERE id > ? AND hubspot_id IS NOT NULL AND (mirrored_at IS NULL OR mirrored_at < ?) ' +
        'AND updated_at < ? ORDER BY id LIMIT 1000',
      [afterId, since, since],
    );
  }

  // ---- ticket_tombstones ----

  /** Tombstones of these HubSpot ids, locked (the upsert decides against them in its transaction). */
  async lockTombstones(
    m: EntityManager,
    hubspotIds: readonly string[],
  ): Promise<Array<{ hubspot_id: string; observed_at: Date }>> {
    return m.query(
      `SELECT hubspot_id, observed_at FROM ticket_tombstones WHERE hubspot_id IN (${placeholders(hubspotIds.length)}) FOR UPDATE`,
      [...hubspotIds],
    );
  }

  /** Records HubSpot ids seen deleted by a read that started at `observedAt` (the later one wins). */
  async addTombstones(m: EntityManager, hubspotIds: readonly string[], observedAt: Date): Promise<void> {
    await m.query(
      `INSERT INTO ticket_tombstones (hubspot_id, observed_at) VALUES ${tuples(hubspotIds.length, 2)} ` +
        'ON DUPLICATE KEY UPDATE observed_at = GREATEST(observed_at, VALUES(observed_at))',
      hubspotIds.flatMap((id) => [id, observedAt]),
    );
  }

  async deleteTombstones(m: EntityManager, hubspotIds: readonly string[]): Promise<void> {
    if (hubspotIds.length === 0) return;
    await m.query(`DELETE FROM ticket_tombstones WHERE hubspot_id IN (${placeholders(hubspotIds.length)})`, [
      ...hubspotIds,
    ]);
  }

  /** Tombstones older than this are no longer needed (no read lasts that long). */
  async pruneTombstones(olderThan: Date): Promise<void> {
    await this.dataSource.query('DELETE FROM ticket_tombstones WHERE observed_at < ?', [olderThan]);
  }
}
