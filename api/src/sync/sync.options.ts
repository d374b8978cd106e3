import { AppConfig } from '../config/app-config';
import { RedisKeys } from '../queues/redis-keys';

/** Injection token for the sync settings (provide it with `syncOptionsFromConfig`). */
export const SYNC_OPTIONS = Symbol('SYNC_OPTIONS');

export interface SyncOptions {
  /** REDIS_URL: sync's own keys (dirty sets, webhook dedupe) live next to the queues. */
  redisUrl: string;
  /** Prefix of sync's own Redis keys: `<QUEUE_PREFIX>:`. */
  redisKeyPrefix: string;
  /** SYNC_POLL_SECONDS: how often the incremental reconcile runs. */
  pollSeconds: number;
  /** HUBSPOT_CLIENT_SECRET: the key of X-HubSpot-Signature-v3; webhooks are refused without it. */
  clientSecret: string | undefined;
  /**
   * WEBHOOK_PUBLIC_URL: the URL HubSpot calls, as configured in HubSpot. A bare origin
   * (https://api.example.com) is completed with the request's path; with a path it is used as is.
   * Unset: the request's own scheme and host (forwarded ones when Fastify's trustProxy trusts them).
   */
  webhookPublicUrl: string | undefined;
  /** Oldest accepted X-HubSpot-Request-Timestamp, in ms (HubSpot: 5 minutes). */
  signatureMaxAgeMs: number;
  /** Events collapse into one batch read per bucket of this many ms. */
  flushBucketMs: number;
  /** How long an eventId is remembered (HubSpot retries a delivery for up to 24 h). */
  eventDedupeTtlSeconds: number;
  /** The reconcile re-reads this far behind its watermark (search is eventually consistent). */
  reconcileOverlapMs: number;
  /** Register the repeatable reconcile and sweep when the worker starts (tests turn it off). */
  scheduleReconcile: boolean;
  /** Owners and pipelines are re-read at most this often when an unknown id shows up. */
  referenceRefreshMinMs: number;
  /**
   * Contacts linked to portal accounts whose primary company each reconcile re-reads (one HubSpot
   * association call per 1,000), continuing where the last run stopped: the bound on how long a lost
   * webhook can leave an account in a company its contact left is SYNC_POLL_SECONDS × ⌈linked
   * contacts / this⌉. 0 turns the re-check off.
   */
  linkRecheckPerRun: number;
  /**
   * PORTAL_COMPANY_SCOPE_PROPERTY is set: the re-check reads the linked contacts themselves (their
   * property with their company, 100 per call) instead of their company associations only.
   */
  recheckContactProperty: boolean;
  /** Worker start: ensure the custom properties and backfill an empty mirror (tests turn it off). */
  bootstrapOnStart: boolean;
}

export const DEFAULT_SYNC_OPTIONS: Omit<
  SyncOptions,
  'redisUrl' | 'redisKeyPrefix' | 'pollSeconds' | 'clientSecret' | 'webhookPublicUrl'
> = {
  signatureMaxAgeMs: 5 * 60_000,
  flushBucketMs: 250,
  eventDedupeTtlSeconds: 24 * 60 * 60,
  reconcileOverlapMs: 5 * 60_000,
  referenceRefreshMinMs: 30_000,
  linkRecheckPerRun: 10_000,
  recheckContactProperty: false,
  scheduleReconcile: true,
  bootstrapOnStart: true,
};

export function syncOptionsFromConfig(config: AppConfig): SyncOptions {
  return {
    ...DEFAULT_SYNC_OPTIONS,
    redisUrl: config.redisUrl,
    redisKeyPrefix: new RedisKeys(config.queuePrefix).base,
    pollSeconds: config.syncPollSeconds,
    clientSecret: config.hubspotClientSecret,
    webhookPublicUrl: config.webhookPublicUrl,
    recheckContactProperty: config.portalCompanyScopeProperty !== undefined,
  };
}

/** The provider both sync modules use; override it in tests with `overrideProvider(SYNC_OPTIONS)`. */
export const syncOptionsProvider = {
  provide: SYNC_OPTIONS,
  inject: [AppConfig],
  useFactory: syncOptionsFromConfig,
};
