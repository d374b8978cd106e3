import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { AppExceptionFilter } from './common/errors/app-exception.filter';
import type { AppConfig } from './config/app-config';
import { CoreModule } from './core.module';
import { CustomersHttpModule } from './customers/customers-http.module';
import { HealthModule } from './health/health.module';

// The HTTP process. Later capabilities (tickets, sync webhooks, hubspot) are imported here.
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config), AuthModule, CustomersHttpModule, HealthModule],
      providers: [{ provide: APP_FILTER, useClass: AppExceptionFilter }],
    };
  }
}
