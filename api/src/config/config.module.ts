import { type DynamicModule, Global, Module } from '@nestjs/common';
import { RedisKeys } from '../queues/redis-keys';
import { AppConfig } from './app-config';

// The AppConfig class is its own injection token: `constructor(private readonly config: AppConfig)`.
// RedisKeys comes with it: every Redis key is built from QUEUE_PREFIX (`keys.key('session', hash)`).
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: RedisKeys, useValue: new RedisKeys(config.queuePrefix) },
      ],
      exports: [AppConfig, RedisKeys],
    };
  }
}
