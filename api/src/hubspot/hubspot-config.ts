import { AppConfig } from '../config/app-config';
import { HubSpotModule } from './hubspot.module';

/** HubSpotModule registered from the validated configuration (both processes use this). */
export function hubSpotModuleFromConfig() {
  return HubSpotModule.forRootAsync({
    inject: [AppConfig],
    useFactory: (config: AppConfig) => ({
      baseUrl: config.hubspotBaseUrl,
      accessToken: config.hubspotAccessToken,
      redisUrl: config.redisUrl,
    }),
  });
}
