import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { type HsMessage } from '../hubspot/hubspot.types';
import { placeholders, type Queryable } from './sql.util';

export type TicketMessageDirection = 'customer' | 'agent';

/**
 * A `ticket_messages` row: one item of a ticket's customer-visible conversation (an email engagement
 * in HubSpot). A reply the customer types in the portal exists here before HubSpot has it
 * (`hubspot_id` NULL, pending). Also stored, not read by the portal: `subject` and `updated_at`.
 */
export interface MessageRow {
  id: number;
  hubspot_id: string | null;
  /** tickets.id (our id); the messages go when the ticket goes. */
  ticket_id: number;
  direction: string;
  author_name: string | null;
  author_email: string | null;
  text: string | null;
  /** HTML exactly as HubSpot has it. Never send it to a browser without sanitizing. */
  html_raw: string | null;
  /**
   * What the portal shows (sanitised, capped; requests/message-html.ts renderMessage), written with
   * the message so a view never renders it. NULL: render when read.
   */
  shown_html: string | null;
  shown_text: string | null;
  /** When it was sent (hs_timestamp); the conversation is shown oldest first. */
  created_at: Date;
  /** The portal's reply key for messages the portal logged (idempotency towards HubSpot). */
  request_key: string | null;
  /** 'synced' | 'pending' | 'failed'. */
  sync_state: string;
  sync_error: string | null;
  created_by_customer_id: string | null;
}

export const MESSAGE_COLUMNS = `id, hubspot_id, ticket_id, direction, author_name, author_email, text, html_raw, shown_html, shown_text,
  created_at, request_key, sync_state, sync_error, created_by_customer_id`;

/**
 * author_name as the conversation shows it (issue 13: a thread names people, not addresses): the
 * name the email carries, else for support the HubSpot owner with that address (the agent), else for
 * the customer the HubSpot contact or the portal account with it. Resolved when read, so messages
 * mirrored before (HubSpot's older emails carry only an address), replies typed by an account without
 * a name, and later renames all read the same way, without a backfill. A few index lookups per
 * message (owners.email, contacts.email, customers.email) on a conversation of tens.
 */
const SHOWN_AUTHOR_NAME = `COALESCE(NULLIF(TRIM(m.author_name), ''),
  IF(m.direction = 'agent',
    (SELECT NULLIF(TRIM(CONCAT_WS(' ', o.first_name, o.last_name)), '') FROM owners o
      WHERE o.email = m.author_email ORDER BY o.archived, o.id LIMIT 1),
    COALESCE(
      (SELECT c.display_name FROM contacts c WHERE c.email = m.author_email AND c.display_name IS NOT NULL
        ORDER BY c.id LIMIT 1),
      (SELECT NULLIF(TRIM(a.name), '') FROM customers a WHERE a.email = m.author_email))))`;

/** MESSAGE_COLUMNS of `ticket_messages m`, author_name as shown (SHOWN_AUTHOR_NAME). */
const SHOWN_MESSAGE_COLUMNS = MESSAGE_COLUMNS.split(',')
  .map((c) => c.trim())
  .map((c) => (c === 'author_name' ? `${SHOWN_AUTHOR_NAME} AS author_name` : `m.${c}`))
  .join(', ');

/** A message from HubSpot with the form the portal shows (rendered once, when mirrored). */
export interface MirroredMessage {
  message: HsMessage;
  authorName: string | null;
  authorEmail: string | null;
  subject: string | null;
  shown: { html: string; text: string };
}

/** A reply the customer typed (pending until the outbox delivers it). */
export interface TypedReply {
  ticketId: number;
  authorName: string | null;
  authorEmail: string;
  text: string;
  requestKey: string;
  customerId: string;
  now: Date;
}

/** The one owner of the `ticket_messages` table. */
@Injectable()
export class TicketMessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(id: number, db: Queryable = this.dataSource): Promise<MessageRow | undefined> {
    const [row] = await db.query<MessageRow[]>(
      `SELECT ${SHOWN_MESSAGE_COLUMNS} FROM ticket_messages m WHERE m.id = ?`,
      [id],
    );
    return row;
  }

  /** A ticket's conversation, oldest first. */
  async ofTicket(ticketId: number): Promise<MessageRow[]> {
    return this.dataSource.query<MessageRow[]>(
      `SELECT ${SHOWN_MESSAGE_COLUMNS} FROM ticket_messages m WHERE m.ticket_id = ? ORDER BY m.created_at, m.id`,
      [ticketId],
    );
  }

  /** These messages of one ticket, oldest first (a notice's ids; others are ignored). */
  async someOfTicket(ticketId: number, ids: readonly number[]): Promise<MessageRow[]> {
    if (ids.length === 0) return [];
    return this.dataSource.query<MessageRow[]>(
      `SELECT ${SHOWN_MESSAGE_COLUMNS} FROM ticket_messages m WHERE m.id IN (${placeholders(ids.length)}) AND m.ticket_id = ? ORDER BY m.created_at, m.id`,
      [...ids, ticketId],
    );
  }

  /**
   * The ticket's first message and its description, when the first message is the customer's (the
   * one a ticket created from an email repeats as its description; requests/conversation.ts).
   */
  async opening(
    ticketId: number,
  ): Promise<
    | (Pick<MessageRow, 'id' | 'direction' | 'text' | 'shown_text'> & { description: string | null })
    | undefined
  > {
    const [row] = await this.dataSource.query<
      Array<Pick<MessageRow, 'id' | 'direction' | 'text' | 'shown_text'> & { description: string | null }>
    >(
      `SELECT m.id, m.direction, m.text, m.shown_text, t.content AS description
         FROM tickets t JOIN ticket_messages m ON m.ticket_id = t.id
        WHERE t.id = ? ORDER BY m.created_at, m.id LIMIT 1`,
      [ticketId],
    );
    return row;
  }

  /** Inserts a typed reply (pending); returns its id. */
  async insertReply(m: EntityManager, reply: TypedReply): Promise<number> {
    const inserted = await m.query<{ insertId: number }>(
      `INSERT INTO ticket_messages (ticket_id, direction, author_name, author_email, text, html_raw, created_at,
         request_key, sync_state, created_by_customer_id, updated_at)
       VALUES (?, 'customer', ?, ?, ?, NULL, ?, ?, 'pending', ?, ?)`,
      [
        reply.ticketId,
        reply.authorName,
        reply.authorEmail,
        reply.text,
        reply.now,
        reply.requestKey,
        reply.customerId,
        reply.now,
      ],
    );
    return inserted.insertId;
  }

  /** A retry: the ticket's failed replies HubSpot does not have are pending again; returns their ids. */
  async retryFailed(m: EntityManager, ticketId: number, now: Date): Promise<number[]> {
    const rows = await m.query<Array<{ id: number }>>(
      "SELECT id FROM ticket_messages WHERE ticket_id = ? AND sync_state = 'failed' AND hubspot_id IS NULL FOR UPDATE",
      [ticketId],
    );
    await m.query(
      "UPDATE ticket_messages SET sync_state = 'pending', sync_error = NULL, updated_at = ? WHERE ticket_id = ? AND sync_state = 'failed' AND hubspot_id IS NULL",
      [now, ticketId],
    );
    return rows.map((r) => Number(r.id));
  }

  /** HubSpot logged the reply: it takes HubSpot's id (a copy the mirror made meanwhile goes). */
  async markDelivered(m: EntityManager, id: number, hubspotId: string, now: Date): Promise<void> {
    await m.query('DELETE FROM ticket_messages WHERE hubspot_id = ? AND id <> ?', [hubspotId, id]);
    await m.query(
      "UPDATE ticket_messages SET hubspot_id = ?, sync_state = 'synced', sync_error = NULL, updated_at = ? WHERE id = ?",
      [hubspotId, now, id],
    );
  }

  async markFailed(m: EntityManager, id: number, reason: string, now: Date): Promise<void> {
    await m.query(
      "UPDATE ticket_messages SET sync_state = 'failed', sync_error = ?, updated_at = ? WHERE id = ?",
      [reason, now, id],
    );
  }

  /** A conversation's messages and what each looks like to a reader (HubSpot id, sync state). */
  async states(m: EntityManager, ticketId: number): Promise<Map<number, string>> {
    const rows = await m.query<Array<{ id: number; hubspot_id: string | null; sync_state: string }>>(
      'SELECT id, hubspot_id, sync_state FROM ticket_messages WHERE ticket_id = ?',
      [ticketId],
    );
    return new Map(rows.map((r) => [Number(r.id), `${r.hubspot_id ?? ''}|${r.sync_state}`]));
  }

  /**
   * Replaces the HubSpot part of a ticket's conversation with `messages`, as HubSpot had them when
   * the read began (`readStartedAt`, written as their `updated_at`). Local replies not yet in HubSpot
   * stay; one HubSpot echoes back (same request key) takes its HubSpot id. A message written after
   * the read began (a reply delivered meanwhile) is newer than the list and stays too: the next read
   * decides about it.
   */
  async replaceMirrored(
    m: EntityManager,
    ticketId: number,
    messages: readonly MirroredMessage[],
    readStartedAt: Date,
  ): Promise<void> {
    for (const { message } of messages) {
      if (!message.requestKey) continue;
      const taken = await m.query<unknown[]>('SELECT id FROM ticket_messages WHERE hubspot_id = ?', [
        message.id,
      ]);
      if (taken.length === 0) {
        await m.query(
          'UPDATE ticket_messages SET hubspot_id = ? WHERE request_key = ? AND hubspot_id IS NULL',
          [message.id, message.requestKey],
        );
      }
    }
    if (messages.length > 0) {
      await m.query(
        'INSERT INTO ticket_messages (hubspot_id, ticket_id, direction, author_name, author_email, subject, text, html_raw, shown_html, shown_text, created_at, sync_state, updated_at) ' +
          `VALUES ${messages.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'synced', ?)").join(', ')} ` +
          'ON DUPLICATE KEY UPDATE ticket_id = VALUES(ticket_id), direction = VALUES(direction), author_name = VALUES(author_name), ' +
          'author_email = VALUES(author_email), subject = VALUES(subject), text = VALUES(text), html_raw = VALUES(html_raw), ' +
          'shown_html = VALUES(shown_html), shown_text = VALUES(shown_text), ' +
          "created_at = VALUES(created_at), sync_state = 'synced', sync_error = NULL, updated_at = VALUES(updated_at)",
        messages.flatMap((msg) => [
          msg.message.id,
          ticketId,
          msg.message.direction,
          msg.authorName,
          msg.authorEmail,
          msg.subject,
          msg.message.text,
          msg.message.html,
          msg.shown.html,
          msg.shown.text,
          msg.message.createdAt,
          readStartedAt,
        ]),
      );
    }
    const keep = messages.map((msg) => msg.message.id);
    await m.query(
      'DELETE FROM ticket_messages WHERE ticket_id = ? AND hubspot_id IS NOT NULL AND updated_at < ?' +
        (keep.length > 0 ? ` AND hubspot_id NOT IN (${placeholders(keep.length)})` : ''),
      [ticketId, readStartedAt, ...keep],
    );
  }

  /** The local ids of some of a ticket's mirrored messages, by HubSpot id. */
  async localIds(
    m: EntityManager,
    ticketId: number,
    hubspotIds: readonly string[],
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    if (hubspotIds.length === 0) return ids;
    const rows = await m.query<Array<{ id: number; hubspot_id: string }>>(
      `SELECT id, hubspot_id FROM ticket_messages WHERE ticket_id = ? AND hubspot_id IN (${placeholders(hubspotIds.length)})`,
      [ticketId, ...hubspotIds],
    );
    for (const row of rows) ids.set(row.hubspot_id, Number(row.id));
    return ids;
  }
}
