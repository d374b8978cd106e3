import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { type Job, UnrecoverableError, type Worker } from 'bullmq';
import { dependencyOutageOf, outageLog } from '../common/logging/outage-log';
import { hubSpotBackoffDelay, toJobError } from '../hubspot/hubspot-error.classifier';
import { QueueName, SyncJobName, typedJob } from '../queues/queue.constants';
import { pauseOnHubSpotRateLimit } from '../queues/rate-limit-pause';
import { SyncJobHandlers } from './sync-job.handlers';

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
    await pauseOnHubSpotRateLimit(worker, error, logger);
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

@Processor(QueueName.SyncRefresh, { concurrency: 4, settings: WORKER_SETTINGS })
export class RefreshProcessor extends WorkerHost {
  private readonly logger = new Logger(RefreshProcessor.name);

  constructor(private readonly handlers: SyncJobHandlers) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = typedJob(QueueName.SyncRefresh, job);
    return runWithPolicy(this.worker, this.logger, job, () => {
      switch (typed.name) {
        case SyncJobName.FlushDirty:
          return this.handlers.flushDirty(typed.data);
        case SyncJobName.RefreshBatch:
          return this.handlers.refreshBatch(typed.data);
        default:
          throw unknownJob(job);
      }
    });
  }
}

@Processor(QueueName.SyncConversations, { concurrency: 4, settings: WORKER_SETTINGS })
export class ConversationProcessor extends WorkerHost {
  private readonly logger = new Logger(ConversationProcessor.name);

  constructor(private readonly handlers: SyncJobHandlers) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = typedJob(QueueName.SyncConversations, job);
    return runWithPolicy(this.worker, this.logger, job, () => {
      switch (typed.name) {
        case SyncJobName.RefreshConversation:
          return this.handlers.refreshConversation(typed.data);
        default:
          throw unknownJob(job);
      }
    });
  }
}

// One reconcile at a time per worker process; the scheduler's fixed id means one job per interval
// however many workers run.
@Processor(QueueName.SyncReconcile, { concurrency: 1, settings: WORKER_SETTINGS })
export class ReconcileProcessor extends WorkerHost {
  private readonly logger = new Logger(ReconcileProcessor.name);

  constructor(private readonly handlers: SyncJobHandlers) {
    super();
  }

  async process(job: Job): Promise<unknown> {
    const typed = typedJob(QueueName.SyncReconcile, job);
    return runWithPolicy(this.worker, this.logger, job, () => {
      switch (typed.name) {
        case SyncJobName.Reconcile:
          return this.handlers.reconcile(typed.data);
        default:
          throw unknownJob(job);
      }
    });
  }
}
