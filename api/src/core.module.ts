import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LifecycleModule } from './common/lifecycle/drain-state';
import { OutageProbes } from './common/logging/outage-probes';
import { BullErrors } from './common/redis/bull-errors';
import { RedisModule } from './common/redis/redis.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { buildDataSourceOptions } from './database/data-source';
import { QueuesModule } from './queues/queues.module';

// Infrastructure both processes share: config, MySQL, Redis, BullMQ (QUEUE_PREFIX, deployment guard).
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
        QueuesModule.forRoot(),
      ],
      providers: [OutageProbes, BullErrors],
      exports: [ConfigModule, LifecycleModule, RedisModule, TypeOrmModule, QueuesModule],
    };
  }
}
