import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../common/redis/redis.module';
import { type SyncStatus, SyncStatusService } from '../sync/sync-status.service';

export type DependencyStatus = { status: 'up'; latencyMs: number } | { status: 'down'; error: string };

/**
 * The HubSpot mirror's state. Never fails the health check: "degraded" when a sync stream keeps
 * failing (e.g. HubSpot is down) or the reconcile is overdue, "unknown" when it could not be read.
 */
export type SyncHealth = ({ status: 'ok' | 'degraded' } & SyncStatus) | { status: 'unknown'; error: string };

export interface HealthReport {
  status: 'ok' | 'error';
  checks: { database: DependencyStatus; redis: DependencyStatus };
  sync: SyncHealth;
}

const TIMEOUT_MS = 2000;

async function probe(run: () => Promise<unknown>): Promise<DependencyStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      run(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return { status: 'up', latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    return { status: 'down', error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}

@Injectable()
export class HealthService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly sync: SyncStatusService,
  ) {}

  async check(): Promise<HealthReport> {
    const [database, redis, sync] = await Promise.all([
      probe(() => this.dataSource.query('SELECT 1')),
      probe(() => this.redis.ping()),
      this.syncHealth(),
    ]);
    return {
      status: database.status === 'up' && redis.status === 'up' ? 'ok' : 'error',
      checks: { database, redis },
      sync,
    };
  }

  // Reads only MySQL and Redis (no HubSpot call), bounded by the same timeout as the probes.
  private async syncHealth(): Promise<SyncHealth> {
    let status: SyncStatus | undefined;
    const outcome = await probe(async () => {
      status = await this.sync.status();
    });
    if (outcome.status === 'down' || !status) {
      return { status: 'unknown', error: outcome.status === 'down' ? outcome.error : 'no answer' };
    }
    return { status: status.healthy ? 'ok' : 'degraded', ...status };
  }
}
