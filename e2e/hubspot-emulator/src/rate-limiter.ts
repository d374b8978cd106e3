import { randomUUID } from 'node:crypto';

export interface RateLimitOptions {
  /** Requests allowed per rolling window (HubSpot private app Professional/Enterprise: 190). */
  max: number;
  /** Rolling window length in ms (HubSpot: 10 000). */
  intervalMs: number;
  /** Search requests allowed per second (HubSpot: 5). */
  searchPerSecond: number;
  /** Window of the search limit in ms (1 000; shorten in tests). */
  searchIntervalMs: number;
  /** Daily allowance reported in the headers and enforced (HubSpot Enterprise: 1 000 000). */
  daily: number;
  /** Turn all limiting off (the headers are still sent). */
  disabled: boolean;
}

export const DEFAULT_RATE_LIMITS: RateLimitOptions = {
  max: 190,
  intervalMs: 10_000,
  searchPerSecond: 5,
  searchIntervalMs: 1_000,
  daily: 1_000_000,
  disabled: false,
};

export interface RateDecision {
  allowed: boolean;
  headers: Record<string, string>;
  body?: Record<string, unknown>;
}

/** Sliding log of request times; old entries are dropped as the window moves. */
class SlidingWindow {
  private times: number[] = [];
  private head = 0;

  count(now: number, windowMs: number): number {
    while (this.head < this.times.length && (this.times[this.head] ?? 0) <= now - windowMs) this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  /** Requests in the last `ms` (a window no longer than the one count() keeps), without forgetting any. */
  recent(now: number, ms: number): number {
    let n = 0;
    for (let i = this.times.length - 1; i >= this.head && (this.times[i] ?? 0) > now - ms; i--) n += 1;
    return n;
  }

  add(now: number): void {
    this.times.push(now);
  }

  reset(): void {
    this.times = [];
    this.head = 0;
  }
}

/** HubSpot's limits: a rolling ten-second window for most calls and 5/s for search. */
export class RateLimiter {
  private readonly general = new SlidingWindow();
  private readonly search = new SlidingWindow();
  private dailyCount = 0;
  private day = '';

  constructor(
    public options: RateLimitOptions = { ...DEFAULT_RATE_LIMITS },
    private readonly now: () => number = Date.now,
  ) {}

  configure(patch: Partial<RateLimitOptions>): void {
    this.options = { ...this.options, ...patch };
  }

  reset(): void {
    this.general.reset();
    this.search.reset();
    this.dailyCount = 0;
  }

  check(isSearch: boolean): RateDecision {
    const now = this.now();
    const o = this.options;
    const today = new Date(now).toISOString().slice(0, 10);
    if (today !== this.day) {
      this.day = today;
      this.dailyCount = 0;
    }
    if (isSearch) {
      // Search is exempt from the ten-secondly limit and its responses carry no rate-limit headers.
      const used = this.search.count(now, o.searchIntervalMs);
      if (!o.disabled && used >= o.searchPerSecond) {
        return {
          allowed: false,
          headers: {},
          body: rateLimitBody('You have reached your secondly limit.', 'SECONDLY'),
        };
      }
      this.search.add(now);
      this.dailyCount += 1;
      return { allowed: true, headers: {} };
    }
    const used = this.general.count(now, o.intervalMs);
    const headers = (remaining: number, dailyRemaining: number): Record<string, string> => ({
      'X-HubSpot-RateLimit-Daily': String(o.daily),
      'X-HubSpot-RateLimit-Daily-Remaining': String(Math.max(0, dailyRemaining)),
      'X-HubSpot-RateLimit-Interval-Milliseconds': String(o.intervalMs),
      'X-HubSpot-RateLimit-Max': String(o.max),
      'X-HubSpot-RateLimit-Remaining': String(Math.max(0, remaining)),
      'X-HubSpot-RateLimit-Secondly': String(Math.ceil(o.max / Math.max(1, o.intervalMs / 1000))),
      'X-HubSpot-RateLimit-Secondly-Remaining': String(
        Math.max(0, Math.ceil(o.max / Math.max(1, o.intervalMs / 1000)) - this.general.recent(now, 1000)),
      ),
    });
    if (!o.disabled && this.dailyCount >= o.daily) {
      return {
        allowed: false,
        headers: headers(o.max - used, 0),
        body: rateLimitBody('You have reached your daily limit.', 'DAILY'),
      };
    }
    if (!o.disabled && used >= o.max) {
      return {
        allowed: false,
        headers: headers(0, o.daily - this.dailyCount),
        body: rateLimitBody('You have reached your ten_secondly_rolling limit.', 'TEN_SECONDLY_ROLLING'),
      };
    }
    this.general.add(now);
    this.dailyCount += 1;
    return { allowed: true, headers: headers(o.max - used - 1, o.daily - this.dailyCount) };
  }
}

function rateLimitBody(message: string, policyName: string): Record<string, unknown> {
  return {
    status: 'error',
    message,
    errorType: 'RATE_LIMIT',
    correlationId: randomUUID(),
    policyName,
    requestId: randomUUID(),
  };
}
