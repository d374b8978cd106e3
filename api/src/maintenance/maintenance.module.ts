import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { SchedulerKeeperModule } from '../common/redis/scheduler-keeper';
import { AccountCleanupService } from './account-cleanup.service';
import { MAINTENANCE_QUEUE } from './maintenance.constants';
import { MaintenanceProcessor } from './maintenance.processor';

// Worker-only housekeeping.
@Module({
  imports: [BullModule.registerQueue({ name: MAINTENANCE_QUEUE }), SchedulerKeeperModule],
  providers: [AccountCleanupService, MaintenanceProcessor],
  exports: [AccountCleanupService],
})
export class MaintenanceModule {}
