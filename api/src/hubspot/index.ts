export * from './hubspot.types';
export * from './hubspot.port';
export * from './hubspot.module';
export { HubSpotAdapter, type HubSpotAdapterOptions, type HubSpotCallEvent } from './hubspot.adapter';
export { HubSpotError, type HubSpotErrorKind } from './hubspot-error';
export {
  classifyHubSpotError,
  hubSpotBackoffDelay,
  isRetryable,
  toJobError,
} from './hubspot-error.classifier';
export {
  DEFAULT_RATE_LIMITS,
  HubSpotRateLimiter,
  type HubSpotCallKind,
  type HubSpotRateLimiterOptions,
} from './hubspot-rate-limiter';
export { REQUEST_KEY_PROPERTY, TASK_EVENT_KEY_PROPERTY } from './hubspot.constants';
