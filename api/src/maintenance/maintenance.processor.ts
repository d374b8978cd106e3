import { Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import type { Job } from 'bullmq';
import { MaintenanceJobName, QueueName, typedJob } from '../queues/queue.constants';
import { AttachmentCleanupService } from '../attachments/attachment-cleanup.service';
import { AccountCleanupService } from './account-cleanup.service';

// Only dispatches; MaintenanceScheduler keeps the schedule.
@Processor(QueueName.Maintenance)
export class MaintenanceProcessor extends WorkerHost {
  private readonly logger = new Logger(MaintenanceProcessor.name);

  constructor(
    private readonly cleanup: AccountCleanupService,
    private readonly attachments: AttachmentCleanupService,
  ) {
    super();
  }

  async process(job: Job): Promise<void> {
    const typed = typedJob(QueueName.Maintenance, job);
    switch (typed.name) {
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
