import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type Queue } from 'bullmq';
import { type SyncStreamName } from './sync-state.entity';
import { SyncStateStore } from './sync-state.store';
import { SyncRedis } from './sync-redis';
import { SYNC_OPTIONS, type SyncOptions } from './sync.options';
import { DIRTY_KINDS, type DirtyKind, QueueName, type SyncQueueName } from '../queues/queue.constants';

export interface StreamStatus {
  stream: SyncStreamName;
  lastSuccessAt: string | null;
  /** Seconds since the last success (null: never succeeded). */
  secondsSinceSuccess: number | null;
  /** Lag measured at the last success: event → mirror for webhooks, run time for the reconcile. */
  lagMs: number | null;
  watermark: string | null;
  consecutiveFailures: number;
  lastError: string | null;
  lastErrorAt: string | null;
  items: number;
}

export type QueueCounts = Record<
  'waiting' | 'active' | 'delayed' | 'failed' | 'completed' | 'prioritized',
  number
>;

export interface SyncStatus {
  /** When the mirror last heard from HubSpot (latest success of webhooks or reconcile). */
  syncedAt: string | null;
  /** false when a stream keeps failing or the reconcile is overdue. */
  healthy: boolean;
  streams: StreamStatus[];
  queues: Record<SyncQueueName, QueueCounts>;
  /** Records waiting in the dirty sets for their batch read. */
  pending: Record<DirtyKind, number>;
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/** Sync's health for GET /health and GET /metrics. */
@Injectable()
export class SyncStatusService {
  constructor(
    private readonly state: SyncStateStore,
    private readonly redis: SyncRedis,
    @InjectQueue(QueueName.SyncRefresh) private readonly refreshQueue: Queue,
    @InjectQueue(QueueName.SyncConversations) private readonly conversationQueue: Queue,
    @InjectQueue(QueueName.SyncReconcile) private readonly reconcileQueue: Queue,
    @Inject(SYNC_OPTIONS) private readonly options: SyncOptions,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * When the mirror last heard from HubSpot (webhooks, reconcile or backfill), for the list's
   * `syncedAt`: one primary-key read, cheap enough for every request.
   */
  async syncedAt(): Promise<Date | null> {
    const rows = await this.dataSource.query<Array<{ at: Date | null }>>(
      "SELECT MAX(last_success_at) AS at FROM sync_state WHERE stream IN ('webhooks', 'reconcile', 'backfill')",
    );
    return rows[0]?.at ?? null;
  }

  /**
   * Streams, queue depths and pending records. The reconcile counts as overdue after three
   * SYNC_POLL_SECONDS intervals without a success.
   */
  async status(pollSeconds = this.options.pollSeconds, now = Date.now()): Promise<SyncStatus> {
    const [states, queues, pending] = await Promise.all([
      this.state.all(),
      this.queueCounts(),
      this.pendingCounts(),
    ]);
    const streams = states.map<StreamStatus>((s) => ({
      stream: s.stream,
      lastSuccessAt: s.lastSuccessAt?.toISOString() ?? null,
      secondsSinceSuccess: s.lastSuccessAt
        ? Math.max(0, Math.round((now - s.lastSuccessAt.getTime()) / 1000))
        : null,
      lagMs: s.lagMs,
      watermark: s.watermarkMs === null ? null : new Date(s.watermarkMs).toISOString(),
      consecutiveFailures: s.failureCount,
      lastError: s.lastError,
      lastErrorAt: s.lastErrorAt?.toISOString() ?? null,
      items: s.items,
    }));
    const heard = states
      .filter(
        (s) =>
          (s.stream === 'webhooks' || s.stream === 'reconcile' || s.stream === 'backfill') && s.lastSuccessAt,
      )
      .map((s) => s.lastSuccessAt!.getTime());
    const reconcile = streams.find((s) => s.stream === 'reconcile');
    const overdue = reconcile?.secondsSinceSuccess != null && reconcile.secondsSinceSuccess > 3 * pollSeconds;
    return {
      syncedAt: heard.length > 0 ? new Date(Math.max(...heard)).toISOString() : null,
      healthy: !overdue && streams.every((s) => s.consecutiveFailures < 3),
      streams,
      queues,
      pending,
    };
  }

  private async queueCounts(): Promise<Record<SyncQueueName, QueueCounts>> {
    const entries = await Promise.all(
      [this.refreshQueue, this.conversationQueue, this.reconcileQueue].map(async (queue) => {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        const typed = Object.fromEntries(QUEUE_STATES.map((s) => [s, Number(counts[s] ?? 0)])) as QueueCounts;
        return [queue.name as SyncQueueName, typed] as const;
      }),
    );
    return Object.fromEntries(entries) as Record<SyncQueueName, QueueCounts>;
  }

  private async pendingCounts(): Promise<Record<DirtyKind, number>> {
    const counts = await Promise.all(
      DIRTY_KINDS.map((kind) => this.redis.client.zcard(this.redis.keys.dirty(kind))),
    );
    return Object.fromEntries(DIRTY_KINDS.map((kind, i) => [kind, counts[i] ?? 0])) as Record<
      DirtyKind,
      number
    >;
  }
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Prometheus exposition lines (text format 0.0.4) for a status; append to GET /metrics. */
export function renderSyncMetrics(status: SyncStatus): string {
  const lines: string[] = [];
  const metric = (
    name: string,
    type: 'gauge' | 'counter',
    help: string,
    samples: Array<[string, number | null]>,
  ): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [labels, value] of samples) if (value !== null) lines.push(`${name}${labels} ${value}`);
  };
  const stream = (s: StreamStatus): string => `{stream="${escapeLabel(s.stream)}"}`;
  metric(
    'tp_sync_last_success_timestamp_seconds',
    'gauge',
    'Unix time of the last successful run of each sync stream.',
    status.streams.map((s) => [stream(s), s.lastSuccessAt ? Date.parse(s.lastSuccessAt) / 1000 : null]),
  );
  metric(
    'tp_sync_lag_seconds',
    'gauge',
    'Lag measured at the last success (webhooks: event to mirror; reconcile: run duration).',
    status.streams.map((s) => [stream(s), s.lagMs === null ? null : s.lagMs / 1000]),
  );
  metric(
    'tp_sync_consecutive_failures',
    'gauge',
    'Failures of each sync stream since its last success.',
    status.streams.map((s) => [stream(s), s.consecutiveFailures]),
  );
  metric(
    'tp_sync_watermark_timestamp_seconds',
    'gauge',
    'Newest HubSpot modification time the stream has mirrored.',
    status.streams.map((s) => [stream(s), s.watermark ? Date.parse(s.watermark) / 1000 : null]),
  );
  metric(
    'tp_sync_queue_jobs',
    'gauge',
    'Jobs in each sync queue by state.',
    Object.entries(status.queues).flatMap(([queue, counts]) =>
      Object.entries(counts).map(([state, n]): [string, number] => [
        `{queue="${escapeLabel(queue)}",state="${state}"}`,
        n,
      ]),
    ),
  );
  metric(
    'tp_sync_pending_records',
    'gauge',
    'Records marked changed and waiting for their batch read.',
    Object.entries(status.pending).map(([kind, n]): [string, number] => [`{kind="${kind}"}`, n]),
  );
  metric('tp_sync_healthy', 'gauge', '1 when no sync stream keeps failing and the reconcile is on time.', [
    ['', status.healthy ? 1 : 0],
  ]);
  return `${lines.join('\n')}\n`;
}
