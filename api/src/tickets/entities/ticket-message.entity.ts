import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type TicketMessageDirection = 'customer' | 'agent';
export type TicketMessageSyncState = 'synced' | 'pending' | 'failed';

/**
 * One item of a ticket's customer-visible conversation (an email engagement in HubSpot). A reply
 * the customer types in the portal exists here before HubSpot has it (`hubspotId` null, pending).
 */
@Entity({ name: 'ticket_messages' })
export class TicketMessage {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'hubspot_id', type: 'varchar', length: 32, nullable: true })
  hubspotId!: string | null;

  // tickets.id (our id); the messages go when the ticket goes.
  @Column({ name: 'ticket_id', type: 'int', unsigned: true })
  ticketId!: number;

  @Column({ type: 'varchar', length: 8 })
  direction!: TicketMessageDirection;

  @Column({ name: 'author_name', type: 'varchar', length: 300, nullable: true })
  authorName!: string | null;

  @Column({ name: 'author_email', type: 'varchar', length: 254, nullable: true })
  authorEmail!: string | null;

  @Column({ type: 'varchar', length: 500, nullable: true })
  subject!: string | null;

  @Column({ type: 'mediumtext', nullable: true })
  text!: string | null;

  // HTML exactly as HubSpot has it. Never send it to a browser without sanitizing.
  @Column({ name: 'html_raw', type: 'mediumtext', nullable: true })
  htmlRaw!: string | null;

  // What the portal shows (sanitised, capped; requests/message-html.ts renderMessage), written with
  // the message so a view never renders it. NULL: render when read.
  @Column({ name: 'shown_html', type: 'mediumtext', nullable: true })
  shownHtml!: string | null;

  @Column({ name: 'shown_text', type: 'mediumtext', nullable: true })
  shownText!: string | null;

  // When it was sent (hs_timestamp); the conversation is shown oldest first.
  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  // The portal's reply key for messages the portal logged (idempotency towards HubSpot).
  @Column({ name: 'request_key', type: 'varchar', length: 191, nullable: true })
  requestKey!: string | null;

  @Column({ name: 'sync_state', type: 'varchar', length: 16 })
  syncState!: TicketMessageSyncState;

  @Column({ name: 'sync_error', type: 'varchar', length: 1000, nullable: true })
  syncError!: string | null;

  @Column({ name: 'created_by_customer_id', type: 'char', length: 36, nullable: true })
  createdByCustomerId!: string | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
