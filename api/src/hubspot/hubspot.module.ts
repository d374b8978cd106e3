import { type DynamicModule, Inject, Injectable, Module, type OnModuleDestroy } from '@nestjs/common';
import { Redis } from 'ioredis';
import { HubSpotAdapter, type HubSpotAdapterOptions } from './hubspot.adapter';
import { HubSpotPort } from './hubspot.port';
import { HubSpotRateLimiter } from './hubspot-rate-limiter';

/** Injection token of the options object below. */
export const HUBSPOT_OPTIONS = Symbol('HUBSPOT_OPTIONS');

export interface HubSpotModuleOptions {
  /** HUBSPOT_BASE_URL */
  baseUrl: string;
  /** HUBSPOT_ACCESS_TOKEN */
  accessToken: string;
  /** PORTAL_COMPANY_SCOPE_PROPERTY: read with every contact. */
  companyScopeProperty?: string;
  /** REDIS_URL: enables the limiter shared by every process. Omit only for one-off tools. */
  redisUrl?: string;
  rateLimit?: {
    /** Calls per general window (default 180 of HubSpot's 190 per 10 s). */
    generalLimit?: number;
    generalWindowMs?: number;
    /** Search calls per search window (default 4 of HubSpot's 5 per second). */
    searchLimit?: number;
    searchWindowMs?: number;
    /** Longest a call waits for a slot before failing as rate_limited (default 30 s). */
    maxWaitMs?: number;
    /** Redis key prefix, ending in `:` (default `<QUEUE_PREFIX default>:`; hubSpotOptionsFromConfig sets it). */
    keyPrefix?: string;
  };
  /** Per-call timeout in ms (default 20 s). */
  requestTimeoutMs?: number;
  /** Metrics hook, called after every HubSpot call (see HubSpotCallEvent). */
  onCall?: HubSpotAdapterOptions['onCall'];
}

export interface HubSpotModuleAsyncOptions {
  imports?: DynamicModule['imports'];
  inject?: Array<string | symbol | (abstract new (...args: never[]) => unknown)>;
  useFactory: (...args: never[]) => HubSpotModuleOptions | Promise<HubSpotModuleOptions>;
}

/** Owns the limiter's Redis connection so it closes with the application. */
@Injectable()
export class HubSpotConnections implements OnModuleDestroy {
  readonly redis: Redis | undefined;
  readonly limiter: HubSpotRateLimiter | undefined;

  constructor(@Inject(HUBSPOT_OPTIONS) options: HubSpotModuleOptions) {
    if (options.redisUrl) {
      this.redis = new Redis(options.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 3 });
      this.limiter = new HubSpotRateLimiter({ redis: this.redis, ...options.rateLimit });
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.redis?.quit().catch(() => this.redis?.disconnect());
  }
}

function portProvider() {
  return {
    provide: HubSpotPort,
    inject: [HUBSPOT_OPTIONS, HubSpotConnections],
    useFactory: (options: HubSpotModuleOptions, connections: HubSpotConnections): HubSpotPort =>
      new HubSpotAdapter({
        accessToken: options.accessToken,
        basePath: options.baseUrl,
        limiter: connections.limiter,
        requestTimeoutMs: options.requestTimeoutMs,
        onCall: options.onCall,
        companyScopeProperty: options.companyScopeProperty,
      }),
  };
}

/**
 * Provides `HubSpotPort` (inject the abstract class). Register with the config values:
 * `HubSpotModule.forRootAsync({ inject: [AppConfig], useFactory: (c) => ({ baseUrl: c.hubspotBaseUrl, … }) })`.
 */
@Module({})
export class HubSpotModule {
  static forRoot(options: HubSpotModuleOptions): DynamicModule {
    return {
      module: HubSpotModule,
      global: true,
      providers: [{ provide: HUBSPOT_OPTIONS, useValue: options }, HubSpotConnections, portProvider()],
      exports: [HubSpotPort, HUBSPOT_OPTIONS],
    };
  }

  static forRootAsync(options: HubSpotModuleAsyncOptions): DynamicModule {
    return {
      module: HubSpotModule,
      global: true,
      imports: options.imports ?? [],
      providers: [
        { provide: HUBSPOT_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        HubSpotConnections,
        portProvider(),
      ],
      exports: [HubSpotPort, HUBSPOT_OPTIONS],
    };
  }
}
