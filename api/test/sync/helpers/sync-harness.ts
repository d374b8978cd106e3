import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { type INestApplication } from '@nestjs/common';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { type DataSource } from 'typeorm';
import { AppExceptionFilter } from '../../../src/common/errors';
import { ConfigModule } from '../../../src/config/config.module';
import { loadConfig } from '../../../src/config/app-config';
import { HubSpotModule } from '../../../src/hubspot/hubspot.module';
import { HubSpotPort } from '../../../src/hubspot/hubspot.port';
import { BackfillService } from '../../../src/sync/backfill.service';
import { ContactLinkService } from '../../../src/sync/contact-link.service';
import { ReconcileService } from '../../../src/sync/reconcile.service';
import { SyncStatusService } from '../../../src/sync/sync-status.service';
import { SyncHttpModule, SyncWorkerModule } from '../../../src/sync/sync.module';
import { DEFAULT_SYNC_OPTIONS, SYNC_OPTIONS, type SyncOptions } from '../../../src/sync/sync.options';
import { DIRTY_KINDS, SYNC_QUEUES, type SyncQueueName } from '../../../src/queues/queue.constants';
import { queueOptions } from '../../../src/queues/queues.module';
import { RedisKeys } from '../../../src/queues/redis-keys';
import { syncRedisKeys } from '../../../src/sync/sync.queues';
import { currentRun } from '../../helpers/test-run';
import { startEmulator, type Emulator, type EmulatorOptions } from '@ticket-portal/hubspot-emulator';
import {
  createSyncTestDatabase,
  dropDatabase,
  syncTestDataSourceOptions,
  truncateMirror,
  uniqueDatabaseName,
} from './sync-test-db';

/** The run's Redis (TEST_REDIS_URL); each harness keeps its keys under a prefix of its own. */
export const TEST_REDIS_URL = currentRun().redisUrl;

export interface SyncHarness {
  emulator: Emulator;
  app: NestFastifyApplication;
  dataSource: DataSource;
  webhookUrl: string;
  redis: Redis;
  options: SyncOptions;
  port: HubSpotPort;
  backfill: BackfillService;
  reconcile: ReconcileService;
  status: SyncStatusService;
  contactLink: ContactLinkService;
  queue(name: SyncQueueName): Queue;
  /**
   * Waits until no sync job is waiting, delayed or running and no id is left in a dirty set; fails
   * once the queues stop moving for `stallMs` (30 s by default).
   */
  drain(stallMs?: number): Promise<void>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  emulator?: EmulatorOptions;
  /** Raise both rate limits (ours and the emulator's) for tests that are not about limits. */
  fastLimits?: boolean;
  /** Label of the harness's database (`<run database>_<label><random>`). */
  database?: string;
}

export async function startSyncHarness(opts: HarnessOptions = {}): Promise<SyncHarness> {
  // Under the run's prefix and database name, so the run's teardown (or a later run's stale
  // clean-up, after a crash) removes whatever a harness left behind.
  const unique = randomBytes(3).toString('hex');
  const redisKeys = new RedisKeys(`${currentRun().queuePrefix}s${unique}`);
  const keyPrefix = redisKeys.base;
  const database = uniqueDatabaseName(opts.database);
  const dataSource = await createSyncTestDatabase(database);
  const emulator = await startEmulator({
    port: 0,
    seed: { tickets: 40, seed: 7 },
    ...(opts.fastLimits ? { rateLimit: { max: 100_000, searchPerSecond: 1000 } } : {}),
    ...opts.emulator,
  });
  const options: SyncOptions = {
    ...DEFAULT_SYNC_OPTIONS,
    redisUrl: TEST_REDIS_URL,
    redisKeyPrefix: keyPrefix,
    pollSeconds: 3600,
    clientSecret: emulator.clientSecret,
    webhookPublicUrl: undefined,
    flushBucketMs: 100,
    referenceRefreshMinMs: 0,
    scheduleReconcile: false,
    bootstrapOnStart: false,
  };
  const config = loadConfig({
    HUBSPOT_ACCESS_TOKEN: emulator.accessToken,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: redisKeys.prefix,
  });
  const moduleRef = await Test.createTestingModule({
    imports: [
      ConfigModule.forRoot(config),
      TypeOrmModule.forRoot({ ...syncTestDataSourceOptions(database), migrations: [], logging: false }),
      BullModule.forRoot(queueOptions(config)),
      HubSpotModule.forRoot({
        baseUrl: emulator.url,
        accessToken: emulator.accessToken,
        redisUrl: TEST_REDIS_URL,
        rateLimit: {
          keyPrefix,
          ...(opts.fastLimits ? { generalLimit: 50_000, searchLimit: 500 } : {}),
        },
      }),
      SyncHttpModule,
      SyncWorkerModule,
    ],
  })
    .overrideProvider(SYNC_OPTIONS)
    .useValue(options)
    .compile();
  const app = moduleRef.createNestApplication<NestFastifyApplication>(
    new FastifyAdapter({ trustProxy: true }),
    {
      rawBody: true,
      logger: ['error'],
    },
  );
  app.setGlobalPrefix('api/v1');
  app.useGlobalFilters(new AppExceptionFilter());
  await app.init();
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const webhookUrl = `http://127.0.0.1:${port}/api/v1/webhooks/hubspot`;
  emulator.setWebhookUrl(webhookUrl);
  const redis = new Redis(TEST_REDIS_URL);
  const keys = syncRedisKeys(keyPrefix);

  const harness: SyncHarness = {
    emulator,
    app,
    dataSource,
    webhookUrl,
    redis,
    options,
    port: app.get(HubSpotPort),
    backfill: app.get(BackfillService),
    reconcile: app.get(ReconcileService),
    status: app.get(SyncStatusService, { strict: false }),
    contactLink: app.get(ContactLinkService, { strict: false }),
    queue: (name) => app.get<Queue>(getQueueToken(name), { strict: false }),
    async drain(stallMs = 30_000) {
      // Fails only when the queues stop moving for `stallMs`: a busy machine drains slower, a stuck
      // sync not at all.
      let quietSince = 0;
      let seen = '';
      let movedAt = Date.now();
      for (;;) {
        const counts = await Promise.all(
          SYNC_QUEUES.map((q) =>
            harness
              .queue(q)
              .getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'),
          ),
        );
        const busy = counts.reduce(
          (n, c) => n + (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) + (c.prioritized ?? 0),
          0,
        );
        const dirtyCounts = await Promise.all(DIRTY_KINDS.map((k) => redis.zcard(keys.dirty(k))));
        const dirty = dirtyCounts.reduce((a, b) => a + b, 0);
        const state = JSON.stringify([counts, dirtyCounts]);
        if (state !== seen) {
          seen = state;
          movedAt = Date.now();
        }
        if (busy === 0 && dirty === 0) {
          // Quiet for a moment: a webhook in flight may still add work.
          if (quietSince === 0) quietSince = Date.now();
          if (Date.now() - quietSince > 300) return;
        } else {
          quietSince = 0;
        }
        if (Date.now() - movedAt > stallMs) {
          throw new Error(
            `sync queues stopped moving for ${stallMs} ms (${busy} jobs, ${dirty} dirty): ${state}`,
          );
        }
        await sleep(50);
      }
    },
    async reset() {
      await truncateMirror(dataSource);
    },
    async close() {
      emulator.setWebhookUrl(undefined);
      await (app as INestApplication).close();
      await emulator.close();
      const stale = await scanKeys(redis, redisKeys.pattern());
      if (stale.length > 0) await redis.del(...stale);
      await redis.quit();
      await dataSource.destroy();
      await dropDatabase(database);
    },
  };
  return harness;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function waitFor<T>(
  probe: () => Promise<T | undefined | null | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== '0');
  return found;
}
