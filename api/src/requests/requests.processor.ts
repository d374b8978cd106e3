import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job, Worker } from 'bullmq';
import { DataSource } from 'typeorm';
import { SchedulerKeeper } from '../common/redis/scheduler-keeper';
import { dependencyOutageOf, outageLog } from '../common/logging/outage-log';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotStagesService } from './portal-stages.service';
import { RequestDeliveryService } from './request-delivery.service';
import { RequestFieldsService } from './request-fields.service';
import { RequestOutboxQueue } from './request-outbox.queue';
import {
  type DeliverJobData,
  FIELDS_SCHEDULER_ID,
  RELAY_SCHEDULER_ID,
  REQUESTS_QUEUE,
  RequestJob,
  requestBackoffDelay,
  WaitingForTicketError,
} from './requests.queue';

/** How often the relay looks for outbox rows without a job (a crash between commit and enqueue). */
export const RELAY_EVERY_MS = 10_000;
const FIELDS_EVERY_MS = 10 * 60_000;
const RELAY_BATCH = 1000;
/** Delivered outbox rows and Idempotency-Keys are kept this long (a client retry comes within it). */
const KEEP_MS = 7 * 24 * 3600_000;

@Processor(REQUESTS_QUEUE, {
  concurrency: 8,
  settings: {
    backoffStrategy: (attemptsMade: number, _type?: string, error?: Error): number =>
      requestBackoffDelay(attemptsMade, error),
  },
})
export class RequestsProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(RequestsProcessor.name);

  constructor(
    private readonly delivery: RequestDeliveryService,
    private readonly outbox: RequestOutboxQueue,
    private readonly fields: RequestFieldsService,
    private readonly stages: HubSpotStagesService,
    private readonly dataSource: DataSource,
    private readonly keeper: SchedulerKeeper,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.keeper.register(
      this.outbox.queue,
      RELAY_SCHEDULER_ID,
      { every: RELAY_EVERY_MS },
      { name: RequestJob.Relay, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
    );
    await this.keeper.register(
      this.outbox.queue,
      FIELDS_SCHEDULER_ID,
      { every: FIELDS_EVERY_MS },
      { name: RequestJob.RefreshFields, opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
    );
    // A Redis that came back empty lost every delivery job: the outbox in MySQL still has the rows.
    this.keeper.onRestore(() => this.relay());
    // In the background: a HubSpot outage at start must not hold the worker up.
    void this.stages.check();
    void this.relay().catch((error: unknown) =>
      this.logger.warn(`First relay failed (${error instanceof Error ? error.message : String(error)})`),
    );
  }

  async process(job: Job): Promise<unknown> {
    try {
      switch (job.name) {
        case RequestJob.Deliver:
          return await this.delivery.deliver(Number((job.data as DeliverJobData).outboxId));
        case RequestJob.Relay:
          return await this.relay();
        case RequestJob.RefreshFields:
          await this.fields.refresh();
          return { refreshed: true };
        default:
          throw new Error(`No requests handler for job "${job.name}"`);
      }
    } catch (error) {
      if (error instanceof HubSpotError && error.kind === 'rate_limited') {
        const waitMs = Math.max(1000, error.retryAfterMs ?? 10_000);
        this.logger.warn(`HubSpot rate limit: pausing ${REQUESTS_QUEUE} for ${waitMs} ms`);
        await this.worker.rateLimit(waitMs);
        throw Worker.RateLimitError();
      }
      const outage = dependencyOutageOf(error);
      if (outage) {
        // During an outage every attempt fails the same way: counted by the outage log, not logged.
        outageLog.failed(outage, error, 'job attempts failed');
      } else if (!(error instanceof WaitingForTicketError)) {
        this.logger.warn(
          `${job.name} ${job.id ?? ''} failed (attempt ${job.attemptsMade + 1}): ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      throw error;
    }
  }

  /**
   * Re-enqueues pending outbox rows (rows that already have a live job are left alone), and forgets
   * delivered outbox rows and Idempotency-Keys after KEEP_MS.
   */
  async relay(): Promise<{ queued: number }> {
    const rows = await this.dataSource.query<Array<{ id: number }>>(
      "SELECT id FROM request_outbox WHERE state = 'pending' ORDER BY id LIMIT ?",
      [RELAY_BATCH],
    );
    const queued = await this.outbox.enqueue(rows.map((r) => r.id));
    if (queued > 0) this.logger.log(`Relay queued ${queued} outbox row(s) that had no job`);
    const before = new Date(Date.now() - KEEP_MS);
    await this.dataSource.query(
      "DELETE FROM request_outbox WHERE state = 'done' AND done_at < ? ORDER BY id LIMIT 1000",
      [before],
    );
    await this.dataSource.query('DELETE FROM idempotency_keys WHERE created_at < ? LIMIT 1000', [before]);
    return { queued };
  }
}
