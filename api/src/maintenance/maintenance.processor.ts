import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { type Job, Queue } from 'bullmq';
import { AttachmentCleanupService } from '../attachments/attachment-cleanup.service';
import { logRedisErrors } from '../common/redis/redis-errors';
import { SchedulerKeeper } from '../common/redis/scheduler-keeper';
import { AccountCleanupService } from './account-cleanup.service';
import { CLEANUP_EVERY_MS, MAINTENANCE_QUEUE, MaintenanceJobName } from './maintenance.constants';

// Only dispatches; the scheduler is upserted, so many workers still produce one run per interval.
@Processor(MAINTENANCE_QUEUE)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly cleanup: AccountCleanupService,
    @InjectQueue(MAINTENANCE_QUEUE) private readonly queue: Queue,
    private readonly keeper: SchedulerKeeper,
    private readonly attachments: AttachmentCleanupService,
  ) {
    super();
    logRedisErrors(queue, `queue ${MAINTENANCE_QUEUE}`);
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

  async process(job: Job): Promise<void> {
    const name = job.name as MaintenanceJobName;
    switch (name) {
      case MaintenanceJobName.CleanupAccounts: {
        const result = await this.cleanup.run();
        this.logger.log({ msg: 'account cleanup', ...result });
        return;
      }
      case MaintenanceJobName.CleanupAttachments: {
        const result = await this.attachments.run();
        this.logger.log({ msg: 'attachment cleanup', ...result });
        return;
      }
      default:
        throw new Error(`Unknown maintenance job "${String(job.name)}"`);
    }
  }
}
