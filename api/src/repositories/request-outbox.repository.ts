import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction, placeholders } from './sql.util';

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
  /** 1 while a batch delivery holds the row (its claim has not run out), else 0. */
  claimed: number;
  /**
   * Deliveries that took the row towards HubSpot (batch claims and per-record deliveries, this one
   * included): 1 on a row's first batch means no earlier attempt can have written it to HubSpot.
   */
  handoffs: number;
}

const ROW_COLUMNS =
  'id, kind, ticket_id, message_id, target_stage_id, state, follow_up, (claimed_until IS NOT NULL AND claimed_until > NOW(3)) AS claimed, handoffs';

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
      `SELECT ${ROW_COLUMNS} FROM request_outbox WHERE id = ?`,
      [id],
    );
    return row;
  }

  /**
   * Claims up to `limit` pending rows of a kind that no live claim holds, oldest first, for
   * `leaseMs` (the database's clock); answers them. A claim that is not renewed runs out, so a worker
   * that dies mid-batch holds nothing for long.
   */
  async claim(kind: OutboxKind, limit: number, claimId: string, leaseMs: number): Promise<OutboxRow[]> {
    // READ COMMITTED: only the rows it claims are locked, no gaps, so the API's inserts of new rows
    // during a burst do not deadlock with it (what still does is run again).
    await inTransaction(
      this.dataSource,
      (m) =>
        m.query(
          `UPDATE request_outbox SET claim_id = ?, claimed_until = NOW(3) + INTERVAL ? MICROSECOND, handoffs = handoffs + 1
           WHERE state = 'pending' AND kind = ? AND (claimed_until IS NULL OR claimed_until < NOW(3))${readyFor(kind)}
           ORDER BY id LIMIT ?`,
          [claimId, leaseMs * 1000, kind, limit],
        ),
      'READ COMMITTED',
    );
    return this.dataSource.query<OutboxRow[]>(
      `SELECT ${ROW_COLUMNS} FROM request_outbox WHERE claim_id = ? AND state = 'pending' ORDER BY id`,
      [claimId],
    );
  }

  /** Whether the row is pending and no live claim holds it. */
  async isClaimable(id: number): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      "SELECT 1 FROM request_outbox WHERE id = ? AND state = 'pending' AND (claimed_until IS NULL OR claimed_until < NOW(3))",
      [id],
    );
    return rows.length > 0;
  }

  /** Pending rows of a kind that no live claim holds (what a batch could take now). */
  async countClaimable(kind: OutboxKind): Promise<number> {
    const [row] = await this.dataSource.query<Array<{ n: number | string }>>(
      `SELECT COUNT(*) AS n FROM request_outbox
       WHERE state = 'pending' AND kind = ? AND (claimed_until IS NULL OR claimed_until < NOW(3))${readyFor(kind)}`,
      [kind],
    );
    return Number(row?.n ?? 0);
  }

  /** Replies and stage changes of these tickets that wait for their HubSpot ids. */
  async waitingForTickets(ticketIds: readonly number[]): Promise<number[]> {
    if (ticketIds.length === 0) return [];
    const rows = await this.dataSource.query<Array<{ id: number }>>(
      `SELECT id FROM request_outbox WHERE ticket_id IN (${placeholders(ticketIds.length)}) AND state = 'pending' AND kind <> 'create'`,
      [...ticketIds],
    );
    return rows.map((r) => r.id);
  }

  /** Keeps a batch's claim alive while it works (its rows already done are left as they are). */
  async renewClaim(claimId: string, leaseMs: number): Promise<void> {
    await this.dataSource.query(
      "UPDATE request_outbox SET claimed_until = NOW(3) + INTERVAL ? MICROSECOND WHERE claim_id = ? AND state = 'pending'",
      [leaseMs * 1000, claimId],
    );
  }

  /**
   * Gives rows of a claim back (all of them, or these ids): their own jobs deliver them later. With
   * `error` the try is counted on each, as recordAttempt does for one row.
   */
  async releaseClaim(claimId: string, ids?: readonly number[], error?: string): Promise<void> {
    const only =
      ids === undefined ? '' : ids.length === 0 ? ' AND FALSE' : ` AND id IN (${placeholders(ids.length)})`;
    const counted =
      error === undefined ? '' : ', attempts = attempts + 1, last_error = ?, updated_at = NOW(3)';
    await this.dataSource.query(
      `UPDATE request_outbox SET claim_id = NULL, claimed_until = NULL${counted} WHERE claim_id = ?${only}`,
      [...(error === undefined ? [] : [error]), claimId, ...(ids ?? [])],
    );
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

  /**
   * Of these tickets, those whose pending `people` rows another live claim (not `claimId`) holds,
   * with the oldest such row's id: a batch with later rows of the ticket leaves them to that one
   * (order per ticket), the one with the oldest rows goes ahead.
   */
  async peopleClaimedElsewhere(ticketIds: readonly number[], claimId: string): Promise<Map<number, number>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await this.dataSource.query<Array<{ ticket_id: number; first_id: number }>>(
      `SELECT ticket_id, MIN(id) AS first_id FROM request_outbox
       WHERE ticket_id IN (${placeholders(ticketIds.length)}) AND kind = 'people' AND state = 'pending'
       AND claim_id <> ? AND claimed_until > NOW(3) GROUP BY ticket_id`,
      [...ticketIds, claimId],
    );
    return new Map(rows.map((r) => [Number(r.ticket_id), Number(r.first_id)]));
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

  /** recordFollowUp for many rows in one statement (a batch's steps). */
  async recordFollowUps(rows: ReadonlyArray<{ id: number; followUp: string }>, now: Date): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `UPDATE request_outbox SET follow_up = CASE id ${rows.map(() => 'WHEN ? THEN ?').join(' ')} END, updated_at = ? WHERE id IN (${placeholders(rows.length)})`,
      [...rows.flatMap((r) => [r.id, r.followUp]), now, ...rows.map((r) => r.id)],
    );
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
        "UPDATE request_outbox SET state = 'done', last_error = NULL, follow_up = ?, done_at = ?, updated_at = ?, claim_id = NULL, claimed_until = NULL WHERE id = ?",
        [followUp, now, now, id],
      );
      return;
    }
    await (m ?? this.dataSource).query(
      "UPDATE request_outbox SET state = 'done', last_error = NULL, done_at = ?, updated_at = ?, claim_id = NULL, claimed_until = NULL WHERE id = ?",
      [now, now, id],
    );
  }

  async markFailed(m: EntityManager, id: number, reason: string, now: Date): Promise<void> {
    await m.query(
      "UPDATE request_outbox SET state = 'failed', last_error = ?, updated_at = ?, claim_id = NULL, claimed_until = NULL WHERE id = ?",
      [reason, now, id],
    );
  }

  /** A per-record delivery is about to write to HubSpot: a later batch reads by key before creating. */
  async recordHandoff(id: number): Promise<void> {
    await this.dataSource.query('UPDATE request_outbox SET handoffs = handoffs + 1 WHERE id = ?', [id]);
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

/**
 * Replies, stage changes and people in copy are only worth a batch once their ticket is in HubSpot
 * (until then their own jobs wait for it, or fail with it). A subquery on another table (one
 * primary-key look-up per row) is allowed in an UPDATE … LIMIT.
 */
function readyFor(kind: OutboxKind): string {
  return kind === 'reply' || kind === 'stage' || kind === 'people'
    ? ' AND EXISTS (SELECT 1 FROM tickets t WHERE t.id = request_outbox.ticket_id AND t.hubspot_id IS NOT NULL)'
    : '';
}
