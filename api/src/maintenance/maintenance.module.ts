import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AttachmentsWorkerModule } from '../attachments/attachments.module';
import { SchedulerKeeperModule } from '../common/redis/scheduler-keeper';
import { QueueName } from '../queues/queue.constants';
import { AccountCleanupService } from './account-cleanup.service';
import { MaintenanceProcessor } from './maintenance.processor';
import { MaintenanceScheduler } from './maintenance.scheduler';

// Worker-only housekeeping.
@Module({
  imports: [
    BullModule.registerQueue({ name: QueueName.Maintenance }),
    SchedulerKeeperModule,
    AttachmentsWorkerModule,
  ],
  providers: [AccountCleanupService, MaintenanceProcessor, MaintenanceScheduler],
  exports: [AccountCleanupService],
})
export class MaintenanceModule {}
