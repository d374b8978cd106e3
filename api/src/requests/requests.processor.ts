import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { dependencyOutageOf, outageLog } from '../common/logging/outage-log';
import { QueueName, RequestJobName, typedJob } from '../queues/queue.constants';
import { pauseOnHubSpotRateLimit } from '../queues/rate-limit-pause';
import { RequestDeliveryService } from './request-delivery.service';
import { RequestFieldsService } from './request-fields.service';
import { RequestRelayService } from './request-relay.service';
import { requestBackoffDelay, WaitingForTicketError } from './requests.queue';

// Only dispatches (RequestsScheduler keeps the schedules), with the queue's error policy: a HubSpot
// rate limit pauses the queue, an outage is counted by the outage log, everything else is logged;
// the error is rethrown so BullMQ retries with the requests backoff.
@Processor(QueueName.Requests, {
  concurrency: 8,
  settings: {
    backoffStrategy: (attemptsMade: number, _type?: string, error?: Error): number =>
      requestBackoffDelay(attemptsMade, error),
  },
})
export class RequestsProcessor extends WorkerHost {
  private readonly logger = new Logger(RequestsProcessor.name);

  constructor(
    private readonly delivery: RequestDeliveryService,
    private readonly relay: RequestRelayService,
    private readonly fields: RequestFieldsService,
  ) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = typedJob(QueueName.Requests, job);
    try {
      switch (typed.name) {
        case RequestJobName.Deliver:
          return await this.delivery.deliver(Number(typed.data.outboxId));
        case RequestJobName.Relay:
          return await this.relay.relay();
        case RequestJobName.RefreshFields:
          await this.fields.refresh();
          return { refreshed: true };
        default:
          throw new Error(`No requests handler for job "${job.name}"`);
      }
    } catch (error) {
      await pauseOnHubSpotRateLimit(this.worker, error, this.logger);
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
}
