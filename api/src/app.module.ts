import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { AppExceptionFilter } from './common/errors/app-exception.filter';
import type { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { CustomersHttpModule } from './customers/customers-http.module';
import { EventsModule } from './events/events.module';
import { HealthModule } from './health/health.module';
import { hubSpotModuleFromConfig } from './hubspot/hubspot-config';
import { RequestsHttpModule } from './requests/requests.module';
import { SyncHttpModule } from './sync/sync.module';
import { TicketsModule } from './tickets/tickets.module';

// The HTTP process: accounts, health/metrics, and the HubSpot webhook endpoint (sync's producer side).
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot(config),
        hubSpotModuleFromConfig(),
        AuthModule,
        CustomersHttpModule,
        SyncHttpModule,
        TicketsModule,
        RequestsHttpModule,
        EventsModule,
        HealthModule,
      ],
      providers: [{ provide: APP_FILTER, useClass: AppExceptionFilter }],
    };
  }
}
