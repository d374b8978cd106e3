import { type INestApplicationContext, type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger } from './common/logging/create-logger';
import type { AppConfig } from './config/app-config';
import { WorkerModule } from './worker.module';

export interface WorkerHandle {
  app: INestApplicationContext;
  close(): Promise<void>;
}

// Starts the BullMQ processors (no HTTP). Close it to finish running jobs and disconnect.
export async function createWorker(
  config: AppConfig,
  options: { logger?: LoggerService | false } = {},
): Promise<WorkerHandle> {
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat, 'ticket-portal-worker');
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), {
    logger,
    abortOnError: false,
  });
  await app.init();
  let closed = false;
  return {
    app,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}
