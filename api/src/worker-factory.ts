import { WorkerHost } from '@nestjs/bullmq';
import { type INestApplicationContext, Logger, type LoggerService } from '@nestjs/common';
import { DiscoveryService, NestFactory } from '@nestjs/core';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { WorkerHeartbeat } from './common/lifecycle/worker-heartbeat';
import { createLogger } from './common/logging/create-logger';
import { REDIS } from './common/redis/redis.module';
import type { AppConfig } from './config/app-config';
import {
  claimDeploymentAtStart,
  type DeploymentConflictError,
  DeploymentGuard,
} from './queues/deployment-guard';
import { RedisKeys } from './queues/redis-keys';
import { WorkerModule } from './worker.module';

export interface WorkerHandle {
  app: INestApplicationContext;
  /** Closes now: BullMQ workers wait for their running jobs, then connections close. */
  close(): Promise<void>;
  /**
   * The graceful stop (SIGTERM): stops taking jobs, lets running jobs finish (at most
   * SHUTDOWN_TIMEOUT_SECONDS), then closes. A job still running at the deadline is not lost: its lock
   * expires and BullMQ's stalled-job check hands it to another worker.
   */
  shutdown(): Promise<void>;
}

// Starts the BullMQ processors (no HTTP). Close it to finish running jobs and disconnect.
export async function createWorker(
  config: AppConfig,
  options: {
    logger?: LoggerService | false;
    /**
     * Another deployment claimed this QUEUE_PREFIX after a Redis restart: the worker has stopped
     * taking jobs (and closes); worker.ts exits.
     */
    onDeploymentConflict?: (error: DeploymentConflictError) => void;
  } = {},
): Promise<WorkerHandle> {
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat, 'ticket-portal-worker');
  // Before any BullMQ worker exists: a Redis serving another deployment's database must not hand
  // this one its jobs (DeploymentConflictError names both databases and QUEUE_PREFIX).
  await claimDeploymentAtStart(config);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger,
    abortOnError: false,
  });
  await app.init();
  const heartbeat = new WorkerHeartbeat(app.get<Redis>(REDIS), app.get(RedisKeys));
  await heartbeat.start();

  const bullWorkers = (): Worker[] =>
    app
      .get(DiscoveryService)
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is WorkerHost => instance instanceof WorkerHost)
      .map((host) => host.worker);

  let closing: Promise<void> | undefined;
  // The BullMQ workers close before Nest's shutdown hooks, which would otherwise close the Redis
  // connections (HubSpot limiter, sync state) under jobs that are still running.
  const close = (): Promise<void> =>
    (closing ??= (async () => {
      await heartbeat.stop();
      const workers = bullWorkers();
      let timer: NodeJS.Timeout | undefined;
      const finished = await Promise.race([
        Promise.all(workers.map((w) => w.close())).then(() => true),
        new Promise<false>((resolve) => {
          timer = setTimeout(() => resolve(false), config.shutdownTimeoutMs);
        }),
      ]);
      clearTimeout(timer);
      if (!finished) {
        new Logger('Worker').warn(
          `jobs still running after ${config.shutdownTimeoutMs / 1000} s; stopping anyway (another worker takes them over once their locks expire)`,
        );
        return;
      }
      await app.close();
    })());

  app.get(DeploymentGuard).onConflict((error) => {
    void close().finally(() => options.onDeploymentConflict?.(error));
  });

  return { app, close, shutdown: close };
}
