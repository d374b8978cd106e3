import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

export type AttachmentOrigin = 'portal' | 'hubspot';
export type AttachmentState = 'receiving' | 'staged' | 'attached' | 'uploaded' | 'sent' | 'mirrored';

/** An `attachments` row. */
export interface AttachmentRow {
  id: string;
  origin: AttachmentOrigin;
  state: AttachmentState;
  customer_id: string | null;
  ticket_id: number | null;
  message_id: number | null;
  position: number;
  name: string;
  content_type: string;
  size: number | string | null;
  sha256: string | null;
  hubspot_file_id: string | null;
  created_at: Date;
}

export const ATTACHMENT_COLUMNS =
  'id, origin, state, customer_id, ticket_id, message_id, position, name, content_type, size, sha256, hubspot_file_id, created_at';

type Runner = Pick<DataSource | EntityManager, 'query'>;

/** A portal file's bytes are still in MySQL in these states; after `sent` they are in HubSpot only. */
export const STORED_STATES: readonly AttachmentState[] = ['receiving', 'staged', 'attached', 'uploaded'];

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** The SQL of the attachments tables (ADR 0011); every write that must be atomic takes the caller's manager. */
@Injectable()
export class AttachmentRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insertReceiving(row: {
    id: string;
    customerId: string;
    name: string;
    contentType: string;
    now: Date;
  }): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO attachments (id, origin, state, customer_id, name, content_type, created_at)
       VALUES (?, 'portal', 'receiving', ?, ?, ?, ?)`,
      [row.id, row.customerId, row.name, row.contentType, row.now],
    );
  }

  async markStaged(id: string, file: { size: number; sha256: string; contentType: string }): Promise<void> {
    await this.dataSource.query(
      "UPDATE attachments SET state = 'staged', size = ?, sha256 = ?, content_type = ? WHERE id = ? AND state = 'receiving'",
      [file.size, file.sha256, file.contentType, id],
    );
  }

  async deleteIds(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(`DELETE FROM attachments WHERE id IN (${placeholders(ids.length)})`, [
      ...ids,
    ]);
  }

  /** Bytes the customer has uploaded that are not on a message yet (what the staging quota counts). */
  async stagedBytes(customerId: string): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ n: string | number | null }>>(
      "SELECT COALESCE(SUM(size), 0) AS n FROM attachments WHERE customer_id = ? AND state IN ('staged', 'receiving')",
      [customerId],
    );
    return Number(row?.n ?? 0);
  }

  /** Rows by id, locked for the caller's transaction. */
  async lockByIds(m: EntityManager, ids: readonly string[]): Promise<AttachmentRow[]> {
    if (ids.length === 0) return [];
    return m.query<AttachmentRow[]>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE id IN (${placeholders(ids.length)}) FOR UPDATE`,
      [...ids],
    );
  }

  async attach(
    m: EntityManager,
    ids: readonly string[],
    target: { ticketId: number; messageId: number | null },
    now: Date,
  ): Promise<void> {
    for (const [position, id] of ids.entries()) {
      await m.query(
        "UPDATE attachments SET state = 'attached', ticket_id = ?, message_id = ?, position = ?, attached_at = ? WHERE id = ? AND state = 'staged'",
        [target.ticketId, target.messageId, position, now, id],
      );
    }
  }

  /** The files of one ticket (its request and every message), in order. */
  async forTicket(ticketId: number): Promise<AttachmentRow[]> {
    return this.dataSource.query<AttachmentRow[]>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE ticket_id = ? AND state <> 'receiving' AND state <> 'staged'
       ORDER BY message_id, position, name`,
      [ticketId],
    );
  }

  async forMessage(messageId: number): Promise<AttachmentRow[]> {
    return this.dataSource.query<AttachmentRow[]>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE message_id = ? ORDER BY position, name`,
      [messageId],
    );
  }

  /** The portal files that go with a request (messageId null) or a reply, in the order attached. */
  async portalFilesOf(ticketId: number, messageId: number | null, runner: Runner = this.dataSource) {
    return runner.query<AttachmentRow[]>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments
       WHERE ticket_id = ? AND message_id ${messageId === null ? 'IS NULL' : '= ?'} AND origin = 'portal'
       ORDER BY position`,
      messageId === null ? [ticketId] : [ticketId, messageId],
    );
  }

  async byId(id: string): Promise<AttachmentRow | undefined> {
    const [row] = await this.dataSource.query<AttachmentRow[]>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE id = ?`,
      [id],
    );
    return row;
  }

  /**
   * Records the HubSpot file made from this row, once: true when this call recorded it. Its own
   * commit, before the id is used anywhere, because an upload to HubSpot is not idempotent.
   */
  async recordUpload(id: string, hubspotFileId: string, now: Date): Promise<boolean> {
    const result = await this.dataSource.query<{ affectedRows?: number }>(
      "UPDATE attachments SET hubspot_file_id = ?, state = 'uploaded', uploaded_at = ? WHERE id = ? AND hubspot_file_id IS NULL",
      [hubspotFileId, now, id],
    );
    return (result.affectedRows ?? 0) > 0;
  }

  /** Whether a request (messageId null) or reply has portal files not on their email in HubSpot yet. */
  async hasUnsent(ticketId: number, messageId: number | null): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM attachments WHERE ticket_id = ? AND message_id ${messageId === null ? 'IS NULL' : '= ?'}
         AND origin = 'portal' AND state IN ('attached', 'uploaded') LIMIT 1`,
      messageId === null ? [ticketId] : [ticketId, messageId],
    );
    return rows.length > 0;
  }

  /** In the delivery's commit: these files are on their email in HubSpot now. */
  async markSent(m: EntityManager, ids: readonly string[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await m.query(
      `UPDATE attachments SET state = 'sent', sent_at = ? WHERE id IN (${placeholders(ids.length)}) AND hubspot_file_id IS NOT NULL`,
      [now, ...ids],
    );
  }

  /** A reply's email turned out to be in HubSpot already: the files uploaded for it are on it. */
  async settleUploaded(messageId: number, now: Date): Promise<void> {
    await this.dataSource.query(
      "UPDATE attachments SET state = 'sent', sent_at = ? WHERE message_id = ? AND origin = 'portal' AND state = 'uploaded'",
      [now, messageId],
    );
  }

  /** Drops the bytes of files HubSpot has (downloads come from HubSpot from then on). */
  async purgeChunks(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.dataSource.query(
      `DELETE FROM attachment_chunks WHERE attachment_id IN (${placeholders(ids.length)})`,
      [...ids],
    );
  }

  // ---- the mirror ---------------------------------------------------------------------------

  async portalFileIds(m: EntityManager, fileIds: readonly string[]): Promise<Set<string>> {
    if (fileIds.length === 0) return new Set();
    const rows = await m.query<Array<{ hubspot_file_id: string }>>(
      `SELECT hubspot_file_id FROM attachments WHERE origin = 'portal' AND hubspot_file_id IN (${placeholders(fileIds.length)})`,
      [...fileIds],
    );
    return new Set(rows.map((r) => r.hubspot_file_id));
  }

  async mirroredOf(m: EntityManager, ticketId: number): Promise<AttachmentRow[]> {
    return m.query<AttachmentRow[]>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE ticket_id = ? AND origin = 'hubspot'`,
      [ticketId],
    );
  }

  // ---- cleanup ------------------------------------------------------------------------------

  /** Deletes (with their chunks) uploads never used since `before`, and uploads that never finished. */
  async deleteAbandoned(stagedBefore: Date, receivingBefore: Date, limit: number): Promise<number> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT id FROM attachments
       WHERE (state = 'staged' AND created_at < ?) OR (state = 'receiving' AND created_at < ?)
       LIMIT ${Math.max(1, Math.floor(limit))}`,
      [stagedBefore, receivingBefore],
    );
    // Rows that got attached meanwhile keep their state, so the state is checked again on delete.
    let deleted = 0;
    for (const row of rows) {
      const result = await this.dataSource.query<{ affectedRows?: number }>(
        "DELETE FROM attachments WHERE id = ? AND state IN ('staged', 'receiving')",
        [row.id],
      );
      deleted += result.affectedRows ?? 0;
    }
    return deleted;
  }

  /** Files sent to HubSpot before `before` whose bytes are still here. */
  async sentWithChunks(before: Date, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      `SELECT a.id FROM attachments a JOIN attachment_chunks c ON c.attachment_id = a.id AND c.seq = 0
       WHERE a.state = 'sent' AND a.sent_at < ? LIMIT ${Math.max(1, Math.floor(limit))}`,
      [before],
    );
    return rows.map((r) => r.id);
  }
}
