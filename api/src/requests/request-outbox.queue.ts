import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { logRedisErrors } from '../common/redis/redis-errors';
import { type DeliverJobData, QueueName, RequestJobName } from '../queues/queue.constants';
import { DELIVER_JOB_OPTIONS, deliverJobId } from './requests.queue';

/** Puts outbox rows on the `requests` queue, one job per row under a deterministic id. */
@Injectable()
export class RequestOutboxQueue {
  private readonly logger = new Logger(RequestOutboxQueue.name);

  constructor(@InjectQueue(QueueName.Requests) readonly queue: Queue) {
    logRedisErrors(queue, `queue ${QueueName.Requests}`);
  }

  /**
   * Queues delivery of these rows. A job already waiting, delayed or running for a row is left alone;
   * a finished one (completed or failed for good) is replaced, so a row back in `pending` runs again.
   */
  async enqueue(outboxIds: ReadonlyArray<string | number>): Promise<number> {
    let added = 0;
    for (const id of outboxIds) {
      const jobId = deliverJobId(id);
      const existing = await this.queue.getJob(jobId);
      if (existing) {
        const state = await existing.getState();
        if (state !== 'completed' && state !== 'failed' && state !== 'unknown') continue;
        await existing.remove().catch(() => undefined);
      }
      await this.queue.add(RequestJobName.Deliver, { outboxId: String(id) } satisfies DeliverJobData, {
        ...DELIVER_JOB_OPTIONS,
        jobId,
      });
      added += 1;
    }
    return added;
  }

  /** For request paths: the relay re-enqueues what a Redis hiccup here left behind. */
  async enqueueQuietly(outboxIds: ReadonlyArray<string | number>): Promise<void> {
    try {
      await this.enqueue(outboxIds);
    } catch (error) {
      this.logger.warn(
        `Could not queue outbox rows ${outboxIds.join(', ')} (${error instanceof Error ? error.message : String(error)}); the worker's relay picks them up.`,
      );
    }
  }

  /** Runs jobs of these rows now if they are waiting out a delay (their ticket just reached HubSpot). */
  async promote(outboxIds: ReadonlyArray<string | number>): Promise<void> {
    for (const id of outboxIds) {
      const job = await this.queue.getJob(deliverJobId(id));
      if (job && (await job.isDelayed())) await job.promote().catch(() => undefined);
    }
  }
}
