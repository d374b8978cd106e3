import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AppConfig } from './app-config';

// The AppConfig class is its own injection token: `constructor(private readonly config: AppConfig)`.
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: AppConfig, useValue: config }],
      exports: [AppConfig],
    };
  }
}
