import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AttachmentsWorkerModule } from '../attachments/attachments.module';
import { SchedulerKeeperModule } from '../common/redis/scheduler-keeper';
import { AccountCleanupService } from './account-cleanup.service';
import { MAINTENANCE_QUEUE } from './maintenance.constants';
import { MaintenanceProcessor } from './maintenance.processor';

// Worker-only housekeeping.
@Module({
  imports: [
    BullModule.registerQueue({ name: MAINTENANCE_QUEUE }),
    SchedulerKeeperModule,
    AttachmentsWorkerModule,
  ],
  providers: [AccountCleanupService, MaintenanceProcessor],
  exports: [AccountCleanupService],
})
export class MaintenanceModule {}
