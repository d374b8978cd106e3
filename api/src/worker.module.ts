import { type DynamicModule, Module } from '@nestjs/common';
import { AuthCoreModule } from './auth/auth-core.module';
import type { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { MailProcessor } from './mail/mail.processor';
import { MaintenanceModule } from './maintenance/maintenance.module';

// The worker process: BullMQ processors only, no HTTP.
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [CoreModule.forRoot(config), AuthCoreModule, MaintenanceModule],
      providers: [MailProcessor],
    };
  }
}
