import { WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { Queue, type Worker } from 'bullmq';
import { outageLog, outageOf } from '../logging/outage-log';

const NETWORK = /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection is closed/;

/**
 * Listens to the 'error' events of every BullMQ queue and worker of the app. Without a listener
 * BullMQ prints each one with its stack (every reconnect attempt while Redis is down); connection
 * errors go to the outage log (one line per outage), anything else is one warning line.
 */
@Injectable()
export class BullErrors implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(BullErrors.name);

  constructor(private readonly discovery: DiscoveryService) {}

  // Queues exist once providers are built; their connection errors can come before bootstrap.
  onModuleInit(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (instance instanceof Queue) this.listen(instance);
    }
  }

  // Workers are created by @nestjs/bullmq's own onModuleInit.
  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance: unknown = wrapper.instance;
      if (!(instance instanceof WorkerHost)) continue;
      try {
        this.listen((instance as WorkerHost<Worker>).worker);
      } catch {
        // registered manually later, or never
      }
    }
  }

  private listen(emitter: Queue | Worker): void {
    (emitter as { on(event: 'error', listener: (error: Error) => void): unknown }).on(
      'error',
      (error: Error) => {
        const code = (error as { code?: unknown }).code;
        const text = `${typeof code === 'string' ? code : ''} ${error.message}`;
        if (NETWORK.test(text) || outageOf(error) === 'Redis') {
          outageLog.failed('Redis', error);
        } else {
          this.logger.warn({ msg: 'queue error', queue: emitter.name, error: error.message });
        }
      },
    );
  }
}
