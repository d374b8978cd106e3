import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '../common/redis/redis.module';
import { HubSpotError } from '../hubspot/hubspot-error';
import { RedisKeys } from '../queues/redis-keys';
import { type OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { type OutboxKind } from './requests.queue';

/** How long a claim holds its rows unless renewed; renewed every third of it while the batch works. */
export const CLAIM_LEASE_MS = 30_000;
/** A batch of the same kind gathered this recently means a burst is on: the next one waits the window. */
const BURST_MS = 2_000;
/** How often a gatherer in its window looks whether a full batch is already due. */
const WINDOW_STEP_MS = 100;
/** Longest a delivery waits for another one's gathering (its window, then one claim) to finish. */
const GATHER_LOCK_MS = 10_000;
/** After a batch failed on an outage, no batch goes out for this long, doubling while it lasts… */
const DOWN_FIRST_MS = 500;
/** …up to this. */
const DOWN_MAX_MS = 10_000;
/** A run of failed batches is forgotten this long after the last one. */
const DOWN_STREAK_MS = 5 * 60_000;

// Compare-and-delete: only the gatherer that holds the lock lets it go.
const UNLOCK_SCRIPT = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Rows claimed for one batch. `close()` stops renewing the claim (done rows are no longer claimed). */
export interface GatheredBatch {
  claimId: string;
  rows: OutboxRow[];
  close(): void;
}

/**
 * Gathers due outbox rows of one kind into a batch (ADR 0015). One gatherer per kind at a time across
 * every worker (a Redis lock held only while gathering, never while HubSpot is called), so a burst
 * becomes a few full batches rather than many small ones. A lone request goes out at once; during a
 * burst (a batch of the kind was gathered within the last 2 s) the gatherer waits up to
 * DELIVERY_BATCH_WINDOW_MS for more rows, less when a full batch is due sooner. The rows are claimed
 * in MySQL with a lease that the batch renews while it works: a worker that dies mid-batch leaves a
 * claim that runs out, and the rows' own jobs deliver them.
 */
@Injectable()
export class DeliveryGatherer {
  private readonly logger = new Logger(DeliveryGatherer.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly outboxRows: RequestOutboxRepository,
  ) {}

  /**
   * A batch failed because HubSpot is down: until the next probe is due (HubSpot's Retry-After, else
   * 0.5 s doubling to 10 s over consecutive failures) gather() refuses at once, so a thousand
   * waiting jobs cost HubSpot one call per probe instead of one each.
   */
  async hubspotDown(error: HubSpotError): Promise<void> {
    const streakKey = this.keys.key('requests', 'hubspot-down-streak');
    const streak = await this.redis.incr(streakKey);
    await this.redis.pexpire(streakKey, DOWN_STREAK_MS);
    const ms = error.retryAfterMs ?? Math.min(DOWN_MAX_MS, DOWN_FIRST_MS * 2 ** Math.min(streak - 1, 16));
    await this.redis.set(this.keys.key('requests', 'hubspot-down'), String(streak), 'PX', ms);
  }

  /** A batch went through: HubSpot is up. */
  async hubspotUp(): Promise<void> {
    await this.redis.del(
      this.keys.key('requests', 'hubspot-down'),
      this.keys.key('requests', 'hubspot-down-streak'),
    );
  }

  /**
   * Claims a batch of `kind` for the delivery of row `ownRowId`. When another batch took that row
   * (or delivered it) while this one waited for the lock, the batch is empty at once: the rows due
   * now have jobs of their own, and a window here would hold the lock for nothing while a lone
   * request behind it waited (after a burst, each job that started before the burst's claim did so).
   */
  async gather(kind: OutboxKind, size: number, windowMs: number, ownRowId: number): Promise<GatheredBatch> {
    const downMs = await this.redis.pttl(this.keys.key('requests', 'hubspot-down'));
    if (downMs > 0) {
      throw new HubSpotError({
        kind: 'unavailable',
        operation: 'deliver a batch',
        message: `HubSpot failed a batch moments ago; the next one goes out in ${Math.ceil(downMs / 1000)} s`,
        retryAfterMs: downMs,
      });
    }
    const lockKey = this.keys.key('requests', 'gather', kind);
    const token = randomUUID();
    const deadline = Date.now() + GATHER_LOCK_MS;
    while ((await this.redis.set(lockKey, token, 'PX', windowMs + GATHER_LOCK_MS, 'NX')) !== 'OK') {
      // Another delivery is gathering: its claim comes after every row committed so far.
      if (Date.now() > deadline) break;
      await sleep(25 + Math.floor(Math.random() * 25));
    }
    const claimId = randomUUID();
    let rows: OutboxRow[];
    try {
      const recentKey = this.keys.key('requests', 'gathered', kind);
      if (!(await this.outboxRows.isClaimable(ownRowId))) {
        return { claimId, rows: [], close: () => undefined };
      }
      if (windowMs > 0 && (await this.redis.exists(recentKey)) === 1) {
        const until = Date.now() + windowMs;
        while (Date.now() < until && (await this.outboxRows.countClaimable(kind)) < size) {
          await sleep(Math.min(WINDOW_STEP_MS, until - Date.now()));
        }
      }
      rows = await this.outboxRows.claim(kind, size, claimId, CLAIM_LEASE_MS);
      if (rows.length > 0) await this.redis.set(recentKey, '1', 'PX', BURST_MS);
    } finally {
      await this.redis.eval(UNLOCK_SCRIPT, 1, lockKey, token).catch(() => undefined);
    }
    const renew = setInterval(() => {
      this.outboxRows.renewClaim(claimId, CLAIM_LEASE_MS).catch((error: unknown) => {
        this.logger.warn(
          `Could not renew the claim of a ${kind} batch (${error instanceof Error ? error.message : String(error)}); it runs out in ${CLAIM_LEASE_MS / 1000} s`,
        );
      });
    }, CLAIM_LEASE_MS / 3);
    renew.unref();
    return { claimId, rows, close: () => clearInterval(renew) };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
