import { randomUUID } from 'node:crypto';
import { type Redis } from 'ioredis';
import { RedisKeys } from '../queues/redis-keys';
import { type HubSpotCallPriority } from './hubspot-call-priority';
import { HubSpotError } from './hubspot-error';

export type HubSpotCallKind = 'general' | 'search';

export interface HubSpotRateLimiterOptions {
  /** Shared by every API and worker process; the limiter never closes a connection it was given. */
  redis: Redis;
  /** Key prefix (`<QUEUE_PREFIX>:`); keys carry a `{hubspot}` hash tag so one script touches one Cluster slot. */
  keyPrefix?: string;
  /** Calls allowed per general window (HubSpot: 190 per 10 s for Pro/Enterprise private apps). */
  generalLimit?: number;
  generalWindowMs?: number;
  /** Search calls allowed per search window (HubSpot: 5 per second, its own budget). */
  searchLimit?: number;
  searchWindowMs?: number;
  /** acquire() gives up with a rate_limited HubSpotError rather than wait longer than this. */
  maxWaitMs?: number;
  /** General calls per window that background work (the reconcile) leaves to customers' changes. */
  backgroundReserve?: number;
}

export const DEFAULT_RATE_LIMITS = {
  // 180 of HubSpot's 190: 95 % of the ceiling, the rest absorbs latency jitter between our clock
  // and HubSpot's window and calls made by other tools with the same token.
  generalLimit: 180,
  generalWindowMs: 10_000,
  searchLimit: 4,
  searchWindowMs: 1_000,
  maxWaitMs: 30_000,
  // Background work (the reconcile) may use 150 of the 180: a burst of customers' requests always
  // finds at least 30 calls per 10 s, 15 batches of up to 100.
  backgroundReserve: 30,
} as const;

// A sliding-window log per kind: a sorted set of grant times (Redis server clock, so every
// process agrees). Returns 0 when a slot was granted, else how many ms to wait.
// KEYS: 1 window log, 2 pause of this kind, 3 pause of all kinds.
// ARGV: 1 limit, 2 window ms, 3 unique member.
const ACQUIRE_SCRIPT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local paused = math.max(redis.call('PTTL', KEYS[2]), redis.call('PTTL', KEYS[3]))
if paused > 0 then return paused end
local limit = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < limit then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, tonumber(oldest[2]) + window - now + 1)
`;

// Extends (never shortens) a pause. KEYS: pause keys. ARGV: 1 ms.
const PAUSE_SCRIPT = `
local ms = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  if redis.call('PTTL', key) < ms then redis.call('SET', key, '1', 'PX', ms) end
end
return 1
`;

/**
 * Keeps every process's HubSpot calls under the account's limits. Call acquire() right before
 * each request; call pause() after a 429 so all workers stop until HubSpot's window has passed.
 */
export class HubSpotRateLimiter {
  private readonly redis: Redis;
  private readonly prefix: string;
  private readonly limits: Required<Omit<HubSpotRateLimiterOptions, 'redis' | 'keyPrefix'>>;
  private readonly shas = new Map<string, string>();

  constructor(options: HubSpotRateLimiterOptions) {
    this.redis = options.redis;
    this.prefix = `${options.keyPrefix ?? new RedisKeys().base}{hubspot}:`;
    this.limits = {
      generalLimit: options.generalLimit ?? DEFAULT_RATE_LIMITS.generalLimit,
      generalWindowMs: options.generalWindowMs ?? DEFAULT_RATE_LIMITS.generalWindowMs,
      searchLimit: options.searchLimit ?? DEFAULT_RATE_LIMITS.searchLimit,
      searchWindowMs: options.searchWindowMs ?? DEFAULT_RATE_LIMITS.searchWindowMs,
      maxWaitMs: options.maxWaitMs ?? DEFAULT_RATE_LIMITS.maxWaitMs,
      backgroundReserve: options.backgroundReserve ?? DEFAULT_RATE_LIMITS.backgroundReserve,
    };
    for (const [name, value] of Object.entries(this.limits)) {
      if (!Number.isInteger(value) || value < (name === 'backgroundReserve' ? 0 : 1)) {
        throw new Error(`HubSpot rate limiter: ${name} must be a positive integer, got ${String(value)}`);
      }
    }
  }

  /**
   * Waits until a call of this kind may go out, then counts it. Background calls (the reconcile) only
   * go out while the general window has more than `backgroundReserve` slots left.
   */
  async acquire(kind: HubSpotCallKind, priority: HubSpotCallPriority = 'customer'): Promise<void> {
    const deadline = Date.now() + this.limits.maxWaitMs;
    const [full, windowMs] =
      kind === 'search'
        ? [this.limits.searchLimit, this.limits.searchWindowMs]
        : [this.limits.generalLimit, this.limits.generalWindowMs];
    const limit =
      priority === 'background' && kind === 'general'
        ? Math.max(1, full - this.limits.backgroundReserve)
        : full;
    const member = randomUUID();
    for (;;) {
      const waitMs = Number(
        await this.run(
          ACQUIRE_SCRIPT,
          [this.key(kind), this.pauseKey(kind), this.pauseKey('all')],
          [limit, windowMs, member],
        ),
      );
      if (waitMs <= 0) return;
      const remaining = deadline - Date.now();
      if (waitMs > remaining) {
        throw new HubSpotError({
          kind: 'rate_limited',
          operation: `acquire ${kind} slot`,
          policy: 'LOCAL_LIMITER',
          retryAfterMs: waitMs,
          message: `HubSpot ${kind} calls are held back for ${waitMs} ms by the shared rate limiter; retry later`,
        });
      }
      // A little jitter so waiting processes do not all ask again in the same millisecond.
      await sleep(waitMs + Math.floor(Math.random() * 15));
    }
  }

  /** Holds back calls of one kind (or all) in every process for `ms`; never shortens a longer pause. */
  async pause(ms: number, kind: HubSpotCallKind | 'all' = 'all'): Promise<void> {
    const duration = Math.ceil(ms);
    if (!(duration > 0)) return;
    await this.run(PAUSE_SCRIPT, [this.pauseKey(kind)], [duration]);
  }

  /** Remaining pause in ms for a kind (0 when none), counting an all-kinds pause. */
  async pausedFor(kind: HubSpotCallKind): Promise<number> {
    const [own, all] = await Promise.all([
      this.redis.pttl(this.pauseKey(kind)),
      this.redis.pttl(this.pauseKey('all')),
    ]);
    return Math.max(0, own, all);
  }

  /** Calls counted in the current window of a kind (for metrics). */
  async inWindow(kind: HubSpotCallKind): Promise<number> {
    const windowMs = kind === 'search' ? this.limits.searchWindowMs : this.limits.generalWindowMs;
    const [seconds, micros] = await this.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    return this.redis.zcount(this.key(kind), `(${now - windowMs}`, '+inf');
  }

  private key(kind: HubSpotCallKind): string {
    return `${this.prefix}rl:${kind}`;
  }

  private pauseKey(kind: HubSpotCallKind | 'all'): string {
    return `${this.prefix}pause:${kind}`;
  }

  // EVALSHA with a fallback to EVAL when Redis has not seen (or has flushed) the script.
  private async run(script: string, keys: string[], args: Array<string | number>): Promise<unknown> {
    let sha = this.shas.get(script);
    if (sha === undefined) {
      sha = String(await this.redis.script('LOAD', script));
      this.shas.set(script, sha);
    }
    try {
      return await this.redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (error instanceof Error && error.message.includes('NOSCRIPT')) {
        return this.redis.eval(script, keys.length, ...keys, ...args);
      }
      throw error;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
