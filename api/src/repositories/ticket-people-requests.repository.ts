import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { placeholders, type Queryable, tuples } from './sql.util';

export type PeopleAction = 'add' | 'remove';

/** A `ticket_people_requests` row: a colleague a customer put in copy (or took off), by email. */
export interface PeopleRequestRow {
  id: number;
  ticket_id: number;
  /** Lower-cased. */
  email: string;
  action: PeopleAction;
  /** 'pending' | 'done' | 'failed'. */
  state: string;
}

/**
 * The one owner of `ticket_people_requests` (migration 1764015100000): people in copy asked for in
 * the portal, until the outbox has delivered them to HubSpot (then ticket_contacts holds them).
 */
@Injectable()
export class TicketPeopleRequestsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async add(
    m: EntityManager,
    ticketId: number,
    emails: readonly string[],
    action: PeopleAction,
    customerId: string,
    now: Date,
  ): Promise<void> {
    if (emails.length === 0) return;
    await m.query(
      `INSERT INTO ticket_people_requests (ticket_id, email, action, created_by_customer_id, created_at, updated_at)
       VALUES ${tuples(emails.length, 6)}`,
      emails.flatMap((email) => [ticketId, email, action, customerId, now, now]),
    );
  }

  /** The ticket's requests not delivered yet, oldest first. */
  pending(ticketId: number, db: Queryable = this.dataSource): Promise<PeopleRequestRow[]> {
    return db.query<PeopleRequestRow[]>(
      "SELECT id, ticket_id, email, action, state FROM ticket_people_requests WHERE ticket_id = ? AND state = 'pending' ORDER BY id",
      [ticketId],
    );
  }

  /** The pending requests of these tickets, oldest first (so in order per ticket). */
  pendingOf(ticketIds: readonly number[], db: Queryable = this.dataSource): Promise<PeopleRequestRow[]> {
    if (ticketIds.length === 0) return Promise.resolve([]);
    return db.query<PeopleRequestRow[]>(
      `SELECT id, ticket_id, email, action, state FROM ticket_people_requests
       WHERE ticket_id IN (${placeholders(ticketIds.length)}) AND state = 'pending' ORDER BY id`,
      [...ticketIds],
    );
  }

  async markDone(m: EntityManager, ids: readonly number[], now: Date): Promise<void> {
    if (ids.length === 0) return;
    await m.query(
      `UPDATE ticket_people_requests SET state = 'done', error = NULL, updated_at = ? WHERE id IN (${placeholders(ids.length)})`,
      [now, ...ids],
    );
  }

  async markFailed(
    ids: readonly number[],
    reason: string,
    now: Date,
    db: Queryable = this.dataSource,
  ): Promise<void> {
    if (ids.length === 0) return;
    await db.query(
      `UPDATE ticket_people_requests SET state = 'failed', error = ?, updated_at = ? WHERE state = 'pending' AND id IN (${placeholders(ids.length)})`,
      [reason, now, ...ids],
    );
  }
}
