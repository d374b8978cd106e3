import { AppConfig } from '../config/app-config';
import { RedisKeys } from '../queues/redis-keys';
import { HubSpotModule, type HubSpotModuleOptions } from './hubspot.module';

/** The HubSpot module's options from the validated configuration (the limiter's keys under QUEUE_PREFIX). */
export function hubSpotOptionsFromConfig(config: AppConfig): HubSpotModuleOptions {
  return {
    baseUrl: config.hubspotBaseUrl,
    accessToken: config.hubspotAccessToken,
    companyScopeProperty: config.portalCompanyScopeProperty,
    redisUrl: config.redisUrl,
    rateLimit: { keyPrefix: new RedisKeys(config.queuePrefix).base },
  };
}

/** HubSpotModule registered from the validated configuration (both processes use this). */
export function hubSpotModuleFromConfig() {
  return HubSpotModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => hubSpotOptionsFromConfig(config),
  });
}
