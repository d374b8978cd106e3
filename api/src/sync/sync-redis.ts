import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { syncRedisKeys, type SyncRedisKeys } from './sync.queues';
import { SYNC_OPTIONS, type SyncOptions } from './sync.options';

/** Sync's own Redis connection (dirty sets, webhook dedupe, refresh throttles); closed with the app. */
@Injectable()
export class SyncRedis implements OnModuleDestroy {
  readonly client: Redis;
  readonly keys: SyncRedisKeys;

  constructor(@Inject(SYNC_OPTIONS) options: SyncOptions) {
    this.keys = syncRedisKeys(options.redisKeyPrefix);
    this.client = new Redis(options.redisUrl, { maxRetriesPerRequest: 2, lazyConnect: false });
  }

  async onModuleDestroy(): Promise<void> {
    if (this.client.status === 'end') return;
    await this.client.quit().catch(() => this.client.disconnect());
  }
}
