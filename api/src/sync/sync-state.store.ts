import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { type SyncStreamName } from './sync-state.entity';

export interface StreamState {
  stream: SyncStreamName;
  watermarkMs: number | null;
  resumeCursor: string | null;
  items: number;
  lastSuccessAt: Date | null;
  lastError: string | null;
  lastErrorAt: Date | null;
  failureCount: number;
  lagMs: number | null;
  startedAt: Date | null;
  completedAt: Date | null;
  updatedAt: Date;
}

interface Row {
  stream: SyncStreamName;
  watermark_ms: string | number | null;
  resume_cursor: string | null;
  items: string | number;
  last_success_at: Date | null;
  last_error: string | null;
  last_error_at: Date | null;
  failure_count: number;
  lag_ms: string | number | null;
  started_at: Date | null;
  completed_at: Date | null;
  updated_at: Date;
}

export interface SuccessUpdate {
  /** Only ever moves forward. */
  watermarkMs?: number | null;
  lagMs?: number | null;
  /** Added to the stream's item count. */
  addItems?: number;
}

/** The sync_state table: one row per stream, written with single-statement upserts. */
@Injectable()
export class SyncStateStore {
  constructor(private readonly dataSource: DataSource) {}

  async get(stream: SyncStreamName): Promise<StreamState | null> {
    const rows = await this.dataSource.query<Row[]>('SELECT * FROM sync_state WHERE stream = ?', [stream]);
    return rows[0] ? toState(rows[0]) : null;
  }

  async all(): Promise<StreamState[]> {
    const rows = await this.dataSource.query<Row[]>('SELECT * FROM sync_state ORDER BY stream');
    return rows.map(toState);
  }

  async recordSuccess(stream: SyncStreamName, update: SuccessUpdate = {}): Promise<void> {
    const now = new Date();
    await this.dataSource.query(
      'INSERT INTO sync_state (stream, watermark_ms, items, last_success_at, failure_count, lag_ms, updated_at) VALUES (?, ?, ?, ?, 0, ?, ?) ' +
        'ON DUPLICATE KEY UPDATE watermark_ms = IF(VALUES(watermark_ms) IS NULL, watermark_ms, GREATEST(COALESCE(watermark_ms, 0), VALUES(watermark_ms))), ' +
        'items = items + VALUES(items), last_success_at = VALUES(last_success_at), failure_count = 0, ' +
        'lag_ms = COALESCE(VALUES(lag_ms), lag_ms), updated_at = VALUES(updated_at)',
      [stream, update.watermarkMs ?? null, update.addItems ?? 0, now, update.lagMs ?? null, now],
    );
  }

  async recordFailure(stream: SyncStreamName, error: unknown): Promise<void> {
    const now = new Date();
    const message = (error instanceof Error ? `${error.name}: ${error.message}` : String(error)).slice(
      0,
      1000,
    );
    await this.dataSource.query(
      'INSERT INTO sync_state (stream, items, last_error, last_error_at, failure_count, updated_at) VALUES (?, 0, ?, ?, 1, ?) ' +
        'ON DUPLICATE KEY UPDATE last_error = VALUES(last_error), last_error_at = VALUES(last_error_at), failure_count = failure_count + 1, updated_at = VALUES(updated_at)',
      [stream, message, now, now],
    );
  }

  /** Sets a run's resume point (backfill cursor) and progress; `cursor` null means "from the start". */
  async saveProgress(
    stream: SyncStreamName,
    progress: { cursor: string | null; items: number; startedAt?: Date | null; completedAt?: Date | null },
  ): Promise<void> {
    const now = new Date();
    await this.dataSource.query(
      'INSERT INTO sync_state (stream, resume_cursor, items, started_at, completed_at, failure_count, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?) ' +
        'ON DUPLICATE KEY UPDATE resume_cursor = VALUES(resume_cursor), items = VALUES(items), ' +
        'started_at = COALESCE(VALUES(started_at), started_at), completed_at = VALUES(completed_at), updated_at = VALUES(updated_at)',
      [
        stream,
        progress.cursor,
        progress.items,
        progress.startedAt ?? null,
        progress.completedAt ?? null,
        now,
      ],
    );
  }

  /** Forgets a stream's run (backfill --restart). */
  async reset(stream: SyncStreamName): Promise<void> {
    await this.dataSource.query('DELETE FROM sync_state WHERE stream = ?', [stream]);
  }

  /** Sets the watermark only when the stream has none (the backfill's hand-over to reconcile). */
  async initWatermark(stream: SyncStreamName, watermarkMs: number): Promise<void> {
    const now = new Date();
    await this.dataSource.query(
      'INSERT INTO sync_state (stream, watermark_ms, items, failure_count, updated_at) VALUES (?, ?, 0, 0, ?) ' +
        'ON DUPLICATE KEY UPDATE watermark_ms = COALESCE(watermark_ms, VALUES(watermark_ms))',
      [stream, watermarkMs, now],
    );
  }
}

function toState(r: Row): StreamState {
  return {
    stream: r.stream,
    watermarkMs: r.watermark_ms === null ? null : Number(r.watermark_ms),
    resumeCursor: r.resume_cursor,
    items: Number(r.items),
    lastSuccessAt: r.last_success_at,
    lastError: r.last_error,
    lastErrorAt: r.last_error_at,
    failureCount: Number(r.failure_count),
    lagMs: r.lag_ms === null ? null : Number(r.lag_ms),
    startedAt: r.started_at,
    completedAt: r.completed_at,
    updatedAt: r.updated_at,
  };
}
