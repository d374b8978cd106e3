import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LifecycleModule } from './common/lifecycle/drain-state';
import { OutageProbes } from './common/logging/outage-probes';
import { BullErrors } from './common/redis/bull-errors';
import { redisOptionsFromUrl } from './common/redis/redis-options';
import { RedisModule } from './common/redis/redis.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { buildDataSourceOptions } from './database/data-source';
import { QUEUE_PREFIX } from './mail/mail-queue.constants';

// Infrastructure both processes share: config, MySQL, Redis, BullMQ.
@Module({})
export class CoreModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        ConfigModule.forRoot(config),
        LifecycleModule,
        DiscoveryModule,
        RedisModule,
        TypeOrmModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (appConfig: AppConfig) => ({
            ...buildDataSourceOptions(appConfig),
            retryAttempts: 3,
            retryDelay: 1000,
          }),
        }),
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (appConfig: AppConfig) => ({
            connection: redisOptionsFromUrl(appConfig.redisUrl),
            prefix: QUEUE_PREFIX,
          }),
        }),
      ],
      providers: [OutageProbes, BullErrors],
      exports: [ConfigModule, LifecycleModule, RedisModule, TypeOrmModule, BullModule],
    };
  }
}
