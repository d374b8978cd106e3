import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { SchedulerKeeper } from '../common/redis/scheduler-keeper';
import { SYNC_OPTIONS, type SyncOptions } from './sync.options';
import { QueueName, type ReconcileData, SyncJobName } from '../queues/queue.constants';
import {
  RECONCILE_SCHEDULER_ID,
  SWEEP_MIN_INTERVAL_MS,
  SWEEP_SCHEDULER_ID,
  SYNC_JOB_OPTIONS,
} from './sync.queues';

/**
 * Registers the repeatable reconcile (every SYNC_POLL_SECONDS) and the deletion sweep. Job
 * schedulers have fixed ids, so every worker process upserting them still yields one job per tick;
 * the keeper registers them again if Redis loses them.
 */
@Injectable()
export class SyncScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(SyncScheduler.name);

  constructor(
    @InjectQueue(QueueName.SyncReconcile) private readonly reconcileQueue: Queue,
    @Inject(SYNC_OPTIONS) private readonly options: SyncOptions,
    private readonly keeper: SchedulerKeeper,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.scheduleReconcile) await this.schedule();
  }

  async schedule(): Promise<void> {
    const every = this.options.pollSeconds * 1000;
    const opts = { ...SYNC_JOB_OPTIONS, attempts: 3 };
    await this.keeper.register(
      this.reconcileQueue,
      RECONCILE_SCHEDULER_ID,
      { every },
      { name: SyncJobName.Reconcile, data: {} satisfies ReconcileData, opts },
    );
    await this.keeper.register(
      this.reconcileQueue,
      SWEEP_SCHEDULER_ID,
      { every: Math.max(SWEEP_MIN_INTERVAL_MS, every * 60) },
      { name: SyncJobName.Reconcile, data: { sweep: true } satisfies ReconcileData, opts },
    );
    this.logger.log(`reconcile every ${this.options.pollSeconds} s`);
  }

  /** Runs a reconcile now (tests, operators); `sweep` also removes deletions webhooks missed. */
  async runNow(data: ReconcileData = {}): Promise<string | undefined> {
    const job = await this.reconcileQueue.add(SyncJobName.Reconcile, data, {
      ...SYNC_JOB_OPTIONS,
      attempts: 3,
    });
    return job.id;
  }
}
