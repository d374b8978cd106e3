import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

export type TicketSyncState = 'synced' | 'pending' | 'failed';

/**
 * One ticket of the mirror. Names and labels are copied onto the row (stage, owner, requester) so
 * the list sorts and searches without joins; sync keeps the copies current when an owner, a stage
 * or a contact changes. A portal-submitted ticket exists here before HubSpot knows it
 * (`hubspotId` null, `syncState` pending).
 */
@Entity({ name: 'tickets' })
export class Ticket {
  @PrimaryGeneratedColumn({ type: 'int', unsigned: true })
  id!: number;

  @Column({ name: 'hubspot_id', type: 'varchar', length: 32, nullable: true })
  hubspotId!: string | null;

  @Column({ type: 'varchar', length: 500 })
  subject!: string;

  @Column({ type: 'mediumtext', nullable: true })
  content!: string | null;

  @Column({ name: 'pipeline_id', type: 'varchar', length: 32, nullable: true })
  pipelineId!: string | null;

  @Column({ name: 'stage_id', type: 'varchar', length: 32, nullable: true })
  stageId!: string | null;

  @Column({ name: 'stage_label', type: 'varchar', length: 200, nullable: true })
  stageLabel!: string | null;

  @Column({ name: 'stage_order', type: 'int', nullable: true })
  stageOrder!: number | null;

  @Column({ name: 'is_closed', type: 'boolean' })
  isClosed!: boolean;

  @Column({ name: 'owner_id', type: 'varchar', length: 32, nullable: true })
  ownerId!: string | null;

  // NULL when unassigned; "Unassigned" is the widget's wording.
  @Column({ name: 'owner_name', type: 'varchar', length: 300, nullable: true })
  ownerName!: string | null;

  // The requester: the first contact HubSpot associates with the ticket.
  @Column({ name: 'contact_id', type: 'varchar', length: 32, nullable: true })
  contactId!: string | null;

  @Column({ name: 'requester_name', type: 'varchar', length: 300, nullable: true })
  requesterName!: string | null;

  @Column({ name: 'requester_email', type: 'varchar', length: 254, nullable: true })
  requesterEmail!: string | null;

  // The ticket's company (HubSpot's primary company association first).
  @Column({ name: 'company_id', type: 'varchar', length: 32, nullable: true })
  companyId!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  priority!: string | null;

  @Column({ type: 'varchar', length: 100, nullable: true })
  category!: string | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  // hs_lastactivitydate, else hs_lastmodifieddate.
  @Column({ name: 'last_activity_at', type: 'datetime', precision: 3 })
  lastActivityAt!: Date;

  @Column({ name: 'closed_at', type: 'datetime', precision: 3, nullable: true })
  closedAt!: Date | null;

  // hs_lastmodifieddate of the snapshot on the row: an older snapshot never overwrites a newer one.
  @Column({ name: 'hs_lastmodified_at', type: 'datetime', precision: 3, nullable: true })
  hsLastModifiedAt!: Date | null;

  @Column({ name: 'sync_state', type: 'varchar', length: 16 })
  syncState!: TicketSyncState;

  @Column({ name: 'sync_error', type: 'varchar', length: 1000, nullable: true })
  syncError!: string | null;

  // The portal's idempotency key (HubSpot property tp_request_key) for tickets the portal created.
  @Column({ name: 'request_key', type: 'varchar', length: 191, nullable: true })
  requestKey!: string | null;

  @Column({ name: 'created_by_customer_id', type: 'char', length: 36, nullable: true })
  createdByCustomerId!: string | null;

  // When sync last wrote this row from HubSpot (the list's "last synced").
  @Column({ name: 'mirrored_at', type: 'datetime', precision: 3, nullable: true })
  mirroredAt!: Date | null;

  // When the conversation was last read from HubSpot; null = never (read it on demand).
  @Column({ name: 'conversation_synced_at', type: 'datetime', precision: 3, nullable: true })
  conversationSyncedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
