import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import { dependencyOutageOf, outageLog } from '../common/logging/outage-log';
import { HubSpotError } from '../hubspot/hubspot-error';
import { hubSpotBackoffDelay, toJobError } from '../hubspot/hubspot-error.classifier';
import { SyncJobHandlers } from './sync-job.handlers';
import {
  type ConversationQueueJob,
  type ReconcileQueueJob,
  type RefreshQueueJob,
  SyncJob,
  SyncQueue,
} from './sync.queues';

// Retryable HubSpot failures wait as long as HubSpot asked (else exponential with jitter).
const WORKER_SETTINGS = {
  backoffStrategy: (attemptsMade: number, _type?: string, error?: Error): number =>
    hubSpotBackoffDelay(attemptsMade, error),
};

/**
 * Runs a handler with the sync error policy: a HubSpot rate limit pauses the whole queue (every
 * worker process) for HubSpot's window and puts the job back without spending an attempt; a
 * permanent refusal fails the job for good (UnrecoverableError); anything else is retried with
 * backoff. Nothing is swallowed.
 */
async function runWithPolicy<T>(
  worker: Worker,
  logger: Logger,
  job: Job,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof HubSpotError && error.kind === 'rate_limited') {
      const waitMs = Math.max(1000, error.retryAfterMs ?? 10_000);
      logger.warn(
        `HubSpot rate limit (${error.policy ?? 'unknown'}): pausing ${worker.name} for ${waitMs} ms`,
      );
      await worker.rateLimit(waitMs);
      throw Worker.RateLimitError();
    }
    const jobError = toJobError(error);
    const outage = dependencyOutageOf(error);
    // During an outage every attempt fails the same way: counted by the outage log, not logged.
    if (outage) outageLog.failed(outage, error, 'job attempts failed');
    else {
      logger.warn(
        `${job.name} ${job.id ?? ''} failed (attempt ${job.attemptsMade + 1}): ${jobError.message}`,
      );
    }
    throw jobError;
  }
}

function unknownJob(job: Job): UnrecoverableError {
  return new UnrecoverableError(`No sync handler for job "${job.name}" on queue ${job.queueName}`);
}

@Processor(SyncQueue.Refresh, { concurrency: 4, settings: WORKER_SETTINGS })
export class RefreshProcessor extends WorkerHost {
  private readonly logger = new Logger(RefreshProcessor.name);

  constructor(private readonly handlers: SyncJobHandlers) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = job as unknown as RefreshQueueJob;
    return runWithPolicy(this.worker, this.logger, job, () => {
      switch (typed.name) {
        case SyncJob.FlushDirty:
          return this.handlers.flushDirty(typed.data);
        case SyncJob.RefreshBatch:
          return this.handlers.refreshBatch(typed.data);
        default:
          throw unknownJob(job);
      }
    });
  }
}

@Processor(SyncQueue.Conversations, { concurrency: 4, settings: WORKER_SETTINGS })
export class ConversationProcessor extends WorkerHost {
  private readonly logger = new Logger(ConversationProcessor.name);

  constructor(private readonly handlers: SyncJobHandlers) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = job as unknown as ConversationQueueJob;
    return runWithPolicy(this.worker, this.logger, job, () => {
      switch (typed.name) {
        case SyncJob.RefreshConversation:
          return this.handlers.refreshConversation(typed.data);
        default:
          throw unknownJob(job);
      }
    });
  }
}

// One reconcile at a time per worker process; the scheduler's fixed id means one job per interval
// however many workers run.
@Processor(SyncQueue.Reconcile, { concurrency: 1, settings: WORKER_SETTINGS })
export class ReconcileProcessor extends WorkerHost {
  private readonly logger = new Logger(ReconcileProcessor.name);

  constructor(private readonly handlers: SyncJobHandlers) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = job as unknown as ReconcileQueueJob;
    return runWithPolicy(this.worker, this.logger, job, () => {
      switch (typed.name) {
        case SyncJob.Reconcile:
          return this.handlers.reconcile(typed.data);
        default:
          throw unknownJob(job);
      }
    });
  }
}
