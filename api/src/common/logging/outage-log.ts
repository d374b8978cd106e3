import { Logger } from '@nestjs/common';

export type Dependency = 'MySQL' | 'Redis' | 'HubSpot';

interface LogSink {
  error(message: unknown, stack?: string): void;
  log(message: unknown): void;
}

interface Outage {
  since: number;
  reason: string;
  /** What failed during the outage, by what ("requests failed with 503" → 1234). */
  counts: Map<string, number>;
  probing: NodeJS.Timeout | null;
}

/** How often a dependency that is down is probed to notice that it is back. */
export const OUTAGE_PROBE_MS = 1000;

/**
 * Logs a dependency outage twice — once when it starts (with the first error's stack) and once when
 * it ends, with how long it lasted and what failed meanwhile — instead of one line per failed
 * request or job (a 20 s MySQL outage used to write 5,535 lines with stacks). The end is noticed by
 * a probe (`SELECT 1`, `PING`) registered per dependency, or by `recovered()` (a HubSpot call that
 * went through). Per process, like any log; the counts are that process's.
 */
export class OutageLog {
  private readonly outages = new Map<Dependency, Outage>();
  private readonly probes = new Map<Dependency, () => Promise<unknown>>();

  constructor(
    private readonly logger: LogSink = new Logger('Outage'),
    private readonly now: () => number = Date.now,
    private readonly probeEveryMs = OUTAGE_PROBE_MS,
  ) {}

  /**
   * One failure because `dependency` is unreachable. The first starts an outage (logged with its
   * stack); later ones are only counted under `what`, e.g. "requests failed with 503" (omit it for
   * failures not worth a count, such as a client's reconnect attempts).
   */
  failed(dependency: Dependency, error: unknown, what?: string): void {
    let outage = this.outages.get(dependency);
    if (!outage) {
      outage = { since: this.now(), reason: reasonOf(error), counts: new Map(), probing: null };
      this.outages.set(dependency, outage);
      this.logger.error(
        {
          msg: `${dependency} unreachable (${outage.reason}); further failures are counted, not logged, until it is back`,
          dependency,
          reason: outage.reason,
        },
        stackOf(error),
      );
      this.startProbing(dependency, outage);
    }
    if (what) outage.counts.set(what, (outage.counts.get(what) ?? 0) + 1);
  }

  /** `dependency` answered again: ends its outage (logged with what failed meanwhile), if any. */
  recovered(dependency: Dependency): void {
    const outage = this.outages.get(dependency);
    if (!outage) return;
    this.outages.delete(dependency);
    if (outage.probing) clearInterval(outage.probing);
    const seconds = ((this.now() - outage.since) / 1000).toFixed(1);
    const counted = [...outage.counts].map(([what, n]) => `${n.toLocaleString('en-US')} ${what}`);
    this.logger.log({
      msg: `${dependency} unreachable (${outage.reason}) — ${counted.length > 0 ? counted.join(', ') : 'nothing failed'} during ${seconds} s; reachable again`,
      dependency,
      reason: outage.reason,
      seconds: Number(seconds),
      failed: Object.fromEntries(outage.counts),
    });
  }

  isDown(dependency: Dependency): boolean {
    return this.outages.has(dependency);
  }

  /** How to tell that `dependency` is back (replaces an earlier probe); returns the unregister. */
  setProbe(dependency: Dependency, probe: () => Promise<unknown>): () => void {
    this.probes.set(dependency, probe);
    const outage = this.outages.get(dependency);
    if (outage) this.startProbing(dependency, outage);
    return () => {
      if (this.probes.get(dependency) === probe) this.probes.delete(dependency);
    };
  }

  /** Stops probing (process shutdown); open outages stay unlogged at their end. */
  stop(): void {
    for (const outage of this.outages.values()) {
      if (outage.probing) clearInterval(outage.probing);
      outage.probing = null;
    }
  }

  private startProbing(dependency: Dependency, outage: Outage): void {
    if (outage.probing || !this.probes.has(dependency) || this.probeEveryMs <= 0) return;
    let busy = false;
    outage.probing = setInterval(() => {
      const probe = this.probes.get(dependency);
      if (busy || !probe) return;
      busy = true;
      probe()
        .then(() => this.recovered(dependency))
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }, this.probeEveryMs);
    outage.probing.unref();
  }
}

function stackOf(error: unknown): string | undefined {
  const stack = (error as { stack?: unknown } | null)?.stack;
  return typeof stack === 'string' ? stack : undefined;
}

/** A short name for why: the error code (ECONNREFUSED), HubSpot's status, else the message. */
export function reasonOf(error: unknown): string {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const c = current as {
      code?: unknown;
      status?: unknown;
      kind?: unknown;
      name?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof c.code === 'string' && /^[A-Z_]{3,}$/.test(c.code)) return c.code;
    if (c.name === 'HubSpotError' && typeof c.status === 'number') return `HTTP ${c.status}`;
    if (c.name === 'MaxRetriesPerRequestError') return 'no connection';
    current = c.driverError ?? c.cause;
  }
  const raw = (error as { message?: unknown } | null)?.message;
  const message = typeof raw === 'string' ? raw : String(error);
  return message.length > 120 ? `${message.slice(0, 120)}…` : message;
}

const MYSQL_CODES = new Set([
  'PROTOCOL_CONNECTION_LOST',
  'PROTOCOL_SEQUENCE_TIMEOUT',
  'ER_CON_COUNT_ERROR',
  'ER_SERVER_SHUTDOWN',
  'ER_LOCK_WAIT_TIMEOUT',
  'ER_ACCESS_DENIED_ERROR',
]);
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

/**
 * Which of our dependencies being unreachable caused `error`, if that is what it is: MySQL (driver
 * errors, TypeORM's wrapper), Redis (ioredis giving up, a closed connection) — null for anything else
 * (a bug, a bad request, a HubSpot refusal).
 */
export function outageOf(error: unknown): Dependency | null {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 4; depth++) {
    const c = current as {
      name?: unknown;
      code?: unknown;
      message?: unknown;
      fatal?: unknown;
      sqlState?: unknown;
      driverError?: unknown;
      cause?: unknown;
      kind?: unknown;
    };
    if (c.name === 'HubSpotError') return null;
    if (c.name === 'MaxRetriesPerRequestError') return 'Redis';
    if (typeof c.message === 'string' && /Connection is closed|Stream isn't writeable/.test(c.message)) {
      return 'Redis';
    }
    const code = typeof c.code === 'string' ? c.code : '';
    if (MYSQL_CODES.has(code)) return 'MySQL';
    if (typeof c.message === 'string' && /closed state|Pool is closed|connect ECONNREFUSED/.test(c.message)) {
      return 'MySQL';
    }
    if (NETWORK_CODES.has(code)) {
      // mysql2 marks connection errors fatal; TypeORM wraps them (driverError). ioredis' own network
      // errors do not reach callers (they get MaxRetriesPerRequestError), so the rest is MySQL's.
      return 'MySQL';
    }
    current = c.driverError ?? c.cause;
  }
  return null;
}

/**
 * For job failures: HubSpot unreachable (a retryable 'unavailable' HubSpotError), else what
 * outageOf says.
 */
export function dependencyOutageOf(error: unknown): Dependency | null {
  for (let current = error, depth = 0; current && typeof current === 'object' && depth < 3; depth++) {
    const c = current as { name?: unknown; kind?: unknown; cause?: unknown };
    if (c.name === 'HubSpotError') return c.kind === 'unavailable' ? 'HubSpot' : null;
    current = c.cause;
  }
  return outageOf(error);
}

/** The process's outage log: the exception filter, Redis clients and workers share it. */
export const outageLog = new OutageLog();
