import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Streams whose progress and health are recorded in sync_state. */
export const SyncStream = {
  /** Webhook-driven ticket refreshes (lag = event occurred → row committed). */
  Webhooks: 'webhooks',
  /** Incremental reconcile by hs_lastmodifieddate (watermark = newest modification mirrored). */
  Reconcile: 'reconcile',
  /** Full backfill (cursor = HubSpot's paging cursor, so a crash resumes where it stopped). */
  Backfill: 'backfill',
  Owners: 'owners',
  Pipelines: 'pipelines',
  Contacts: 'contacts',
  Conversations: 'conversations',
} as const;
export type SyncStreamName = (typeof SyncStream)[keyof typeof SyncStream];

@Entity({ name: 'sync_state' })
export class SyncState {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  stream!: SyncStreamName;

  // Epoch ms of the newest HubSpot modification this stream has mirrored.
  @Column({ name: 'watermark_ms', type: 'bigint', nullable: true, transformer: bigintMs() })
  watermarkMs!: number | null;

  @Column({ name: 'resume_cursor', type: 'varchar', length: 1000, nullable: true })
  resumeCursor!: string | null;

  // Items written by the current run (backfill progress) or in total.
  @Column({ name: 'items', type: 'bigint', transformer: bigintMs() })
  items!: number;

  @Column({ name: 'last_success_at', type: 'datetime', precision: 3, nullable: true })
  lastSuccessAt!: Date | null;

  @Column({ name: 'last_error', type: 'varchar', length: 1000, nullable: true })
  lastError!: string | null;

  @Column({ name: 'last_error_at', type: 'datetime', precision: 3, nullable: true })
  lastErrorAt!: Date | null;

  // Consecutive failures since the last success.
  @Column({ name: 'failure_count', type: 'int' })
  failureCount!: number;

  // How far behind HubSpot the stream was at its last success, in ms.
  @Column({ name: 'lag_ms', type: 'bigint', nullable: true, transformer: bigintMs() })
  lagMs!: number | null;

  @Column({ name: 'started_at', type: 'datetime', precision: 3, nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'completed_at', type: 'datetime', precision: 3, nullable: true })
  completedAt!: Date | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}

// mysql2 returns BIGINT as a string; epoch milliseconds fit a JS number exactly.
function bigintMs(): { to: (v: number | null) => number | null; from: (v: unknown) => number | null } {
  return {
    to: (v) => v,
    from: (v) => (v === null || v === undefined ? null : Number(v)),
  };
}
