import 'reflect-metadata';
import { BullModule } from '@nestjs/bullmq';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { loadConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { HubSpotModule } from '../../src/hubspot/hubspot.module';
import { ContactLinkService } from '../../src/sync/contact-link.service';
import { RefreshProcessor } from '../../src/sync/sync.processors';
import { SyncProducer } from '../../src/sync/sync.producer';
import { SyncStatusService } from '../../src/sync/sync-status.service';
import { SyncHttpModule } from '../../src/sync/sync.module';
import { SYNC_OPTIONS, syncOptionsFromConfig } from '../../src/sync/sync.options';
import { queueOptions } from '../../src/queues/queues.module';
import { RedisKeys } from '../../src/queues/redis-keys';
import { currentRun } from '../helpers/test-run';
import { TEST_REDIS_URL } from './helpers/sync-harness';
import {
  createSyncTestDatabase,
  dropDatabase,
  syncTestDataSourceOptions,
  uniqueDatabaseName,
} from './helpers/sync-test-db';

describe(SyncHttpModule.name, () => {
  it('should boot the HTTP side from AppConfig alone, with producers and status but no processors', async () => {
    const database = uniqueDatabaseName();
    const dataSource = await createSyncTestDatabase(database);
    const config = loadConfig({
      HUBSPOT_ACCESS_TOKEN: 'emulator-token',
      HUBSPOT_CLIENT_SECRET: 'emulator-secret',
      SYNC_POLL_SECONDS: '30',
      REDIS_URL: TEST_REDIS_URL,
      QUEUE_PREFIX: `${currentRun().queuePrefix}m`,
    });
    const keys = new RedisKeys(config.queuePrefix);
    const moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot(config),
        TypeOrmModule.forRoot({ ...syncTestDataSourceOptions(database), migrations: [], logging: false }),
        BullModule.forRoot(queueOptions(config)),
        HubSpotModule.forRoot({ baseUrl: 'http://127.0.0.1:9', accessToken: 'emulator-token' }),
        SyncHttpModule,
      ],
    }).compile();
    const app = moduleRef.createNestApplication(new FastifyAdapter(), { logger: ['error'] });
    try {
      await app.init();
      expect(app.get(SYNC_OPTIONS)).toEqual(syncOptionsFromConfig(config));
      expect(app.get(SyncProducer)).toBeInstanceOf(SyncProducer);
      expect(app.get(ContactLinkService)).toBeInstanceOf(ContactLinkService);
      expect((await app.get(SyncStatusService).status(30)).streams).toEqual([]);
      expect(() => app.get(RefreshProcessor)).toThrow();
    } finally {
      await app.close();
      await dataSource.destroy();
      await dropDatabase(database);
      const redis = new Redis(TEST_REDIS_URL);
      const left = await redis.keys(keys.pattern());
      if (left.length > 0) await redis.del(...left);
      await redis.quit();
    }
  });
});
