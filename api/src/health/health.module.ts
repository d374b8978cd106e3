import { Module } from '@nestjs/common';
import { SyncHttpModule } from '../sync/sync.module';
import { HealthController } from './health.controller';
import { HealthService } from './health.service';
import { HttpMetrics } from './http-metrics';
import { MetricsController } from './metrics.controller';

@Module({
  imports: [SyncHttpModule],
  controllers: [HealthController, MetricsController],
  providers: [HealthService, HttpMetrics],
  exports: [HttpMetrics],
})
export class HealthModule {}
