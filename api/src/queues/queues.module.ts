import { BullModule } from '@nestjs/bullmq';
import { type DynamicModule, Global, Module } from '@nestjs/common';
import { type RedisConnectionOptions, redisOptionsFromUrl } from '../common/redis/redis-options';
import { AppConfig } from '../config/app-config';
import { DeploymentGuard } from './deployment-guard';

/** Connection and prefix of every BullMQ queue and worker, from REDIS_URL and QUEUE_PREFIX. */
export function queueOptions(config: Pick<AppConfig, 'redisUrl' | 'queuePrefix'>): {
  connection: RedisConnectionOptions;
  prefix: string;
} {
  return { connection: redisOptionsFromUrl(config.redisUrl), prefix: config.queuePrefix };
}

/**
 * BullMQ's root configuration (connection and QUEUE_PREFIX) and the deployment guard, for both
 * processes. Feature modules register their queues by name: `BullModule.registerQueue({ name:
 * QueueName.Mail })`. Needs the app's global REDIS (RedisModule) and AppConfig (ConfigModule).
 */
@Global()
@Module({})
export class QueuesModule {
  static forRoot(): DynamicModule {
    return {
      module: QueuesModule,
      imports: [
        BullModule.forRootAsync({
          inject: [AppConfig],
          useFactory: (config: AppConfig) => queueOptions(config),
        }),
      ],
      providers: [DeploymentGuard],
      exports: [BullModule, DeploymentGuard],
    };
  }
}
