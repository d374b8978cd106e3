import * as http from 'node:http';
import * as https from 'node:https';
import { Client } from '@hubspot/api-client';
import { outageLog } from '../../common/logging/outage-log';
import { callPriority } from '../hubspot-call-priority';
import { HubSpotError } from '../hubspot-error';
import { classifyHubSpotError } from '../hubspot-error.classifier';
import { type HubSpotCallKind, type HubSpotRateLimiter } from '../hubspot-rate-limiter';

export interface HubSpotAdapterOptions {
  accessToken: string;
  /** HUBSPOT_BASE_URL, e.g. https://api.hubapi.com or the emulator's URL. */
  basePath: string;
  /** Shared Redis limiter; without it calls are not throttled (single-process tools, tests). */
  limiter?: HubSpotRateLimiter;
  /** A call that has not answered by then fails as `unavailable` (default 20 s). */
  requestTimeoutMs?: number;
  /** Told about every finished call (metrics: calls, latency, 429s per operation). Must not throw. */
  onCall?: (event: HubSpotCallEvent) => void;
  /** PORTAL_COMPANY_SCOPE_PROPERTY: a contact property read with every contact (`HsContact.companyScope`). */
  companyScopeProperty?: string;
}

export interface HubSpotCallEvent {
  operation: string;
  kind: HubSpotCallKind;
  /** Time on the wire, after the limiter granted the slot. */
  durationMs: number;
  outcome: 'ok' | HubSpotError['kind'];
  status: number | null;
}

/**
 * The core every area of the adapter shares: the SDK client and `call`, through which every SDK call
 * goes — paced by the shared Redis limiter, timed out, classified into a HubSpotError, reported to
 * `onCall`, and a 429 turned into a pause of the limiter. The SDK's own retries are off
 * (numberOfApiCallRetries 0): retries belong to BullMQ.
 */
export class HubSpotCalls {
  readonly client: Client;
  /** Also bounds the wait for a signed file URL's headers. */
  readonly timeoutMs: number;
  private readonly limiter: HubSpotRateLimiter | undefined;
  private readonly onCall: ((event: HubSpotCallEvent) => void) | undefined;

  constructor(options: HubSpotAdapterOptions) {
    if (!options.accessToken) throw new Error('HubSpotAdapter: accessToken is required');
    const basePath = options.basePath.replace(/\/+$/, '');
    const url = new URL(basePath);
    this.timeoutMs = options.requestTimeoutMs ?? 20_000;
    const agentOptions = { keepAlive: true, maxSockets: 32, timeout: this.timeoutMs };
    this.client = new Client({
      accessToken: options.accessToken,
      // The SDK concatenates basePath and '/crm/v3/…': a trailing slash would give '//crm'.
      basePath,
      numberOfApiCallRetries: 0,
      httpAgent: url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions),
    });
    this.limiter = options.limiter;
    this.onCall = options.onCall;
  }

  /** Paces, times out and classifies one SDK call. */
  async call<T>(operation: string, kind: HubSpotCallKind, fn: () => Promise<T>): Promise<T> {
    await this.limiter?.acquire(kind, callPriority());
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
          this.timeoutMs,
        );
      });
      const result = await Promise.race([fn(), timeout]);
      this.report({ operation, kind, durationMs: Date.now() - started, outcome: 'ok', status: null });
      outageLog.recovered('HubSpot');
      return result;
    } catch (error) {
      const classified = classifyHubSpotError(error, operation);
      if (classified.kind === 'unavailable') outageLog.failed('HubSpot', classified, 'HubSpot calls failed');
      this.report({
        operation,
        kind,
        durationMs: Date.now() - started,
        outcome: classified.kind,
        status: classified.status,
      });
      if (classified.kind === 'rate_limited' && classified.retryAfterMs !== null && this.limiter) {
        const scope =
          classified.policy === 'DAILY' ? 'all' : classified.policy === 'SECONDLY' ? 'search' : kind;
        // Best effort: the HubSpot error matters more than a failed pause write.
        await this.limiter.pause(classified.retryAfterMs, scope).catch(() => undefined);
      }
      throw classified;
    } finally {
      clearTimeout(timer);
    }
  }

  private report(event: HubSpotCallEvent): void {
    try {
      this.onCall?.(event);
    } catch {
      // A metrics hook must never turn a good HubSpot answer into a failure.
    }
  }
}

export function isKind(error: unknown, kind: HubSpotError['kind']): boolean {
  return error instanceof HubSpotError && error.kind === kind;
}

/** A refusal naming this property (e.g. a unique key that is missing, or a value another record holds). */
export function mentionsProperty(error: unknown, name: string): boolean {
  return isKind(error, 'invalid') && (error as HubSpotError).message.includes(name);
}
