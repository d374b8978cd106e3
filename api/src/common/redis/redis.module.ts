import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config';
import { logRedisErrors } from './redis-errors';

export const REDIS = Symbol('REDIS');

export function createRedis(url: string, options: { forWorker?: boolean } = {}): Redis {
  const redis = new Redis(url, {
    // BullMQ workers block on Redis and must not give up on a command; HTTP calls should fail fast.
    maxRetriesPerRequest: options.forWorker ? null : 2,
    enableReadyCheck: true,
    lazyConnect: false,
  });
  logRedisErrors(redis, 'app');
  return redis;
}

@Injectable()
class RedisCloser implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.redis.status === 'end') return;
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

@Global()
@Module({
  providers: [
    { provide: REDIS, inject: [AppConfig], useFactory: (config: AppConfig) => createRedis(config.redisUrl) },
    RedisCloser,
  ],
  exports: [REDIS],
})
export class RedisModule {}
