import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { placeholders } from './sql.util';

import type { OutboxKind } from '../requests/requests.queue';

/**
 * A `request_outbox` row: one customer change (a submission, a reply, a close/reopen) for the worker
 * to deliver to HubSpot. Written in the same transaction as the ticket or message row it delivers, so
 * a commit always leaves something for the worker to send. Also stored: `attempts`, `last_error`,
 * `created_at`, `updated_at`, `done_at` (done rows are pruned by the relay after a week).
 */
export interface OutboxRow {
  id: number;
  kind: OutboxKind;
  ticket_id: number;
  message_id: number | null;
  /** For 'stage': the stage the ticket moves to. */
  target_stage_id: string | null;
  /** 'pending' | 'done' | 'failed' (refused by HubSpot; the customer may retry). */
  state: string;
  /** JSON: the steps after a reply's email (stage, task) and a reopen's task key, as far as done. */
  follow_up: string | null;
}

/** An `idempotency_keys` row: what a client's Idempotency-Key produced (a ticket, or a reply). */
export interface IdempotencyKeyRow {
  body_hash: string;
  ticket_id: number;
  message_id: number | null;
}

/**
 * The one owner of the requests module's tables, `request_outbox` and `idempotency_keys` (the
 * relay's batch read and prune stay with RequestsProcessor, and the metrics' counts with
 * outbox-metrics.ts).
 */
@Injectable()
export class RequestOutboxRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: number): Promise<OutboxRow | undefined> {
    const [row] = await this.dataSource.query<OutboxRow[]>(
      'SELECT id, kind, ticket_id, message_id, target_stage_id, state, follow_up FROM request_outbox WHERE id = ?',
      [id],
    );
    return row;
  }

  /** Adds a pending row; returns its id. */
  async add(
    m: EntityManager,
    kind: OutboxKind,
    ticketId: number,
    messageId: number | null,
    stageId: string | null,
    now: Date,
  ): Promise<number> {
    const res = await m.query<{ insertId: number }>(
      `INSERT INTO request_outbox (kind, ticket_id, message_id, target_stage_id, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
      [kind, ticketId, messageId, stageId, now, now],
    );
    return res.insertId;
  }

  /** A retry: the ticket's refused rows are pending again; returns their ids. */
  async retryFailed(m: EntityManager, ticketId: number, now: Date): Promise<number[]> {
    const failed = await m.query<Array<{ id: number }>>(
      "SELECT id FROM request_outbox WHERE ticket_id = ? AND state = 'failed' FOR UPDATE",
      [ticketId],
    );
    if (failed.length === 0) return [];
    const ids = failed.map((f) => f.id);
    await m.query(
      `UPDATE request_outbox SET state = 'pending', last_error = NULL, updated_at = ? WHERE id IN (${placeholders(ids.length)})`,
      [now, ...ids],
    );
    return ids;
  }

  /** Replies and stage changes of this ticket that wait for its HubSpot id. */
  async waitingFor(ticketId: number): Promise<number[]> {
    const rows = await this.dataSource.query<Array<{ id: number }>>(
      "SELECT id FROM request_outbox WHERE ticket_id = ? AND state = 'pending' AND kind <> 'create'",
      [ticketId],
    );
    return rows.map((r) => r.id);
  }

  /** Whether a later close/reopen of the same ticket is pending or done (it wins over this one). */
  async hasNewerStage(row: Pick<OutboxRow, 'id' | 'ticket_id'>): Promise<boolean> {
    const newer = await this.dataSource.query<unknown[]>(
      "SELECT 1 FROM request_outbox WHERE ticket_id = ? AND kind = 'stage' AND id > ? AND state <> 'failed' LIMIT 1",
      [row.ticket_id, row.id],
    );
    return newer.length > 0;
  }

  /**
   * Replies of this ticket written before this row and still on their way: a close or reopen waits for
   * them, so that a reply's stage move never lands after the customer's later close (order per ticket).
   */
  async hasEarlierPendingReply(row: Pick<OutboxRow, 'id' | 'ticket_id'>): Promise<boolean> {
    const earlier = await this.dataSource.query<unknown[]>(
      "SELECT 1 FROM request_outbox WHERE ticket_id = ? AND kind = 'reply' AND id < ? AND state = 'pending' LIMIT 1",
      [row.ticket_id, row.id],
    );
    return earlier.length > 0;
  }

  /** Commits the steps done so far (JSON), before the next one starts. */
  async recordFollowUp(id: number, followUp: string, now: Date): Promise<void> {
    await this.dataSource.query('UPDATE request_outbox SET follow_up = ?, updated_at = ? WHERE id = ?', [
      followUp,
      now,
      id,
    ]);
  }

  /** Sets the follow-up JSON only where none is yet (a concurrent attempt's value wins); answers the stored one. */
  async claimFollowUp(id: number, followUp: string, now: Date): Promise<string | null> {
    await this.dataSource.query(
      'UPDATE request_outbox SET follow_up = ?, updated_at = ? WHERE id = ? AND follow_up IS NULL',
      [followUp, now, id],
    );
    const [row] = await this.dataSource.query<Array<{ follow_up: string | null }>>(
      'SELECT follow_up FROM request_outbox WHERE id = ?',
      [id],
    );
    return row?.follow_up ?? null;
  }

  async markDone(id: number, now: Date, m?: EntityManager, followUp?: string): Promise<void> {
    if (followUp !== undefined) {
      await (m ?? this.dataSource).query(
        "UPDATE request_outbox SET state = 'done', last_error = NULL, follow_up = ?, done_at = ?, updated_at = ? WHERE id = ?",
        [followUp, now, now, id],
      );
      return;
    }
    await (m ?? this.dataSource).query(
      "UPDATE request_outbox SET state = 'done', last_error = NULL, done_at = ?, updated_at = ? WHERE id = ?",
      [now, now, id],
    );
  }

  async markFailed(m: EntityManager, id: number, reason: string, now: Date): Promise<void> {
    await m.query("UPDATE request_outbox SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?", [
      reason,
      now,
      id,
    ]);
  }

  /** A delivery attempt failed in a way the queue retries: counted, with the reason. */
  async recordAttempt(id: number, error: string, now: Date): Promise<void> {
    await this.dataSource.query(
      'UPDATE request_outbox SET attempts = attempts + 1, last_error = ?, updated_at = ? WHERE id = ?',
      [error, now, id],
    );
  }

  async rememberKey(
    m: EntityManager,
    customerId: string,
    key: string,
    hash: string,
    ticketId: number,
    messageId: number | null,
    now: Date,
  ): Promise<void> {
    await m.query(
      'INSERT INTO idempotency_keys (customer_id, idem_key, body_hash, ticket_id, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [customerId, key, hash, ticketId, messageId, now],
    );
  }

  async findKey(customerId: string, key: string): Promise<IdempotencyKeyRow | undefined> {
    const [row] = await this.dataSource.query<IdempotencyKeyRow[]>(
      'SELECT body_hash, ticket_id, message_id FROM idempotency_keys WHERE customer_id = ? AND idem_key = ?',
      [customerId, key],
    );
    return row;
  }
}
