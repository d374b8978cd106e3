import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { logRedisErrors } from '../common/redis/redis-errors';
import { SchedulerKeeper } from '../common/redis/scheduler-keeper';
import { MaintenanceJobName, QueueName } from '../queues/queue.constants';
import { CLEANUP_EVERY_MS } from './maintenance.constants';

// The scheduler is upserted, so many workers still produce one run per interval.
@Injectable()
export class MaintenanceScheduler implements OnApplicationBootstrap {
  constructor(
    @InjectQueue(QueueName.Maintenance) private readonly queue: Queue,
    private readonly keeper: SchedulerKeeper,
  ) {
    logRedisErrors(queue, `queue ${QueueName.Maintenance}`);
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.keeper.register(
      this.queue,
      MaintenanceJobName.CleanupAccounts,
      { every: CLEANUP_EVERY_MS },
      { name: MaintenanceJobName.CleanupAccounts, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
    // Uploads never sent with a message (ADR 0011).
    await this.keeper.register(
      this.queue,
      MaintenanceJobName.CleanupAttachments,
      { every: CLEANUP_EVERY_MS },
      { name: MaintenanceJobName.CleanupAttachments, opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
  }
}
