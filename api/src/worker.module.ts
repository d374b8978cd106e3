import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AuthCoreModule } from './auth/auth-core.module';
import type { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { ContactLinkProcessor } from './customers/contact-link.processor';
import { CustomerContactLinkService } from './customers/customer-contact-link.service';
import { hubSpotModuleFromConfig } from './hubspot/hubspot-config';
import { MailProcessor } from './mail/mail.processor';
import { MaintenanceModule } from './maintenance/maintenance.module';
import { RequestsWorkerModule } from './requests/requests.module';
import { SyncWorkerModule } from './sync/sync.module';

// The worker process: BullMQ processors only, no HTTP.
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        CoreModule.forRoot(config),
        // The worker's graceful stop finds every BullMQ processor through it (worker-factory.ts).
        DiscoveryModule,
        hubSpotModuleFromConfig(),
        AuthCoreModule,
        MaintenanceModule,
        SyncWorkerModule,
        RequestsWorkerModule,
      ],
      providers: [MailProcessor, ContactLinkProcessor, CustomerContactLinkService],
    };
  }
}
