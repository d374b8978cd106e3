import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { placeholders, type Queryable } from './sql.util';

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

/** A portal file's bytes are still in MySQL in these states; after `sent` they are in HubSpot only. */
export const STORED_STATES: readonly AttachmentState[] = ['receiving', 'staged', 'attached', 'uploaded'];

/** A file on a HubSpot message, as the mirror keeps it (metadata only; the bytes stay in HubSpot). */
export interface MirroredFile {
  ticketId: number;
  messageId: number;
  position: number;
  name: string;
  contentType: string;
  size: number | null;
  hubspotFileId: string;
  now: Date;
}

interface CallbackConnection {
  execute(sql: string, values: unknown[], callback: (error: Error | null) => void): void;
}

/**
 * The one owner of the `attachments` and `attachment_chunks` tables (ADR 0011): the files' rows and
 * their staged bytes. Every write that must be atomic with a request, a reply or the mirror takes the
 * caller's manager.
 */
@Injectable()
export class AttachmentsRepository {
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

  async deleteIds(ids: readonly string[], db: Queryable = this.dataSource): Promise<void> {
    if (ids.length === 0) return;
    await db.query(`DELETE FROM attachments WHERE id IN (${placeholders(ids.length)})`, [...ids]);
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

  /** The files of some messages of one ticket (the live event stream sends messages with their files). */
  async ofMessages(ticketId: number, messageIds: readonly number[]): Promise<AttachmentRow[]> {
    if (messageIds.length === 0) return [];
    return this.dataSource.query<AttachmentRow[]>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE ticket_id = ? AND message_id IN (${placeholders(messageIds.length)})
       ORDER BY message_id, position, name`,
      [ticketId, ...messageIds],
    );
  }

  async forMessage(messageId: number): Promise<AttachmentRow[]> {
    return this.dataSource.query<AttachmentRow[]>(
      `SELECT ${ATTACHMENT_COLUMNS} FROM attachments WHERE message_id = ? ORDER BY position, name`,
      [messageId],
    );
  }

  /** The portal files that go with a request (messageId null) or a reply, in the order attached. */
  async portalFilesOf(ticketId: number, messageId: number | null, runner: Queryable = this.dataSource) {
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

  async updateMirrored(
    m: EntityManager,
    id: string,
    file: Pick<MirroredFile, 'name' | 'contentType' | 'size' | 'position'>,
  ): Promise<void> {
    await m.query('UPDATE attachments SET name = ?, content_type = ?, size = ?, position = ? WHERE id = ?', [
      file.name,
      file.contentType,
      file.size,
      file.position,
      id,
    ]);
  }

  async insertMirrored(m: EntityManager, id: string, file: MirroredFile): Promise<void> {
    await m.query(
      `INSERT INTO attachments (id, origin, state, ticket_id, message_id, position, name, content_type, size, hubspot_file_id, created_at)
       VALUES (?, 'hubspot', 'mirrored', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        id,
        file.ticketId,
        file.messageId,
        file.position,
        file.name,
        file.contentType,
        file.size,
        file.hubspotFileId,
        file.now,
      ],
    );
  }

  // ---- the bytes (attachment_chunks) ----------------------------------------------------------

  /** The server's max_allowed_packet: a chunk must fit in one packet. */
  async maxAllowedPacket(): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ packet: string | number }>>(
      'SELECT @@max_allowed_packet AS packet',
    );
    return Number(row?.packet ?? 0);
  }

  /**
   * One chunk, as a prepared statement: the binary protocol sends the bytes as they are (the text
   * protocol would send them hex-encoded, twice the size). A pool connection is held only for the
   * statement, never for the whole (possibly slow) upload.
   */
  async writeChunk(attachmentId: string, seq: number, data: Buffer): Promise<void> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const connection = (await runner.connect()) as CallbackConnection;
      await new Promise<void>((resolve, reject) =>
        connection.execute(
          'INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (?, ?, ?)',
          [attachmentId, seq, data],
          (error) => (error ? reject(error) : resolve()),
        ),
      );
    } finally {
      await runner.release();
    }
  }

  /** Whether the bytes are here (they are dropped once the file is in HubSpot). */
  async hasChunks(attachmentId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM attachment_chunks WHERE attachment_id = ? AND seq = 0',
      [attachmentId],
    );
    return rows.length > 0;
  }

  async chunk(attachmentId: string, seq: number): Promise<Buffer | undefined> {
    const [row] = await this.dataSource.query<Array<{ data: Buffer }>>(
      'SELECT data FROM attachment_chunks WHERE attachment_id = ? AND seq = ?',
      [attachmentId, seq],
    );
    return row?.data;
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
