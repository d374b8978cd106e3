import { randomUUID } from 'node:crypto';
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type BeforeApplicationShutdown,
} from '@nestjs/common';
import { TicketsRepository } from '../repositories/tickets.repository';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { BackfillService } from './backfill.service';
import { SyncStream } from './sync-state.entity';
import { SyncStateStore } from './sync-state.store';
import { SyncRedis } from './sync-redis';
import { SYNC_OPTIONS, type SyncOptions } from './sync.options';

const FIRST_RETRY_MS = 15_000;
const MAX_RETRY_MS = 10 * 60_000;
const LOCK_TTL_MS = 60_000;

class Stopped extends Error {}

function describe(error: unknown): string {
  if (error instanceof HubSpotError) {
    return `${error.message} (${error.kind}${error.status === null ? '' : `, HTTP ${error.status}`})`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Worker start-up chores, in the background so a HubSpot outage never stops the worker from
 * starting (or crash-loops it): creates the portal's custom ticket properties once, and fills an
 * empty mirror with the resumable backfill. Both retry with backoff until they succeed.
 */
@Injectable()
export class SyncBootstrap implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SyncBootstrap.name);
  private stopped = false;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();
  private readonly owner = randomUUID();

  constructor(
    private readonly port: HubSpotPort,
    private readonly backfill: BackfillService,
    private readonly state: SyncStateStore,
    private readonly redis: SyncRedis,
    private readonly tickets: TicketsRepository,
    @Inject(SYNC_OPTIONS) private readonly options: SyncOptions,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.options.bootstrapOnStart) return;
    this.track(this.retrying('custom properties', () => this.ensureProperties()));
    this.track(this.retrying('initial backfill', () => this.backfillIfEmpty()));
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    // Let a running step notice (the backfill stops after its current page).
    await Promise.race([Promise.allSettled([...this.running]), this.sleep(5000, false)]);
  }

  /** Creates the portal's custom ticket properties (idempotent). */
  async ensureProperties(): Promise<void> {
    const result = await this.port.ensureCustomProperties();
    this.logger.log(
      result.created.length > 0
        ? `created HubSpot properties: ${result.created.join(', ')}`
        : 'HubSpot custom properties present',
    );
    for (const name of result.refused) {
      this.logger.warn(
        `HubSpot would not create the property ${name}: customers' replies are logged one by one, each found by reading its ticket's emails`,
      );
    }
    for (const name of result.missing) {
      this.logger.error(
        `PORTAL_COMPANY_SCOPE_PROPERTY: HubSpot has no property ${name}, so no contact gets company scope: create it in HubSpot (a checkbox, internal name ${name.replace(/^contacts\./, '')}) or correct the setting`,
      );
    }
  }

  /**
   * Runs (or resumes) the backfill when the mirror was never filled: no finished backfill and either
   * an interrupted one or no tickets at all. One worker at a time (Redis lock). Returns what it did.
   */
  async backfillIfEmpty(): Promise<'not-needed' | 'busy' | 'completed'> {
    const previous = await this.state.get(SyncStream.Backfill);
    if (previous?.completedAt) return 'not-needed';
    if (!previous?.startedAt) {
      if (!(await this.tickets.isEmpty())) return 'not-needed';
    }
    const lockKey = `${this.options.redisKeyPrefix}sync:backfill-lock`;
    const acquired = await this.redis.client.set(lockKey, this.owner, 'PX', LOCK_TTL_MS, 'NX');
    if (acquired !== 'OK') return 'busy';
    const renew = setInterval(() => {
      void this.redis.client.pexpire(lockKey, LOCK_TTL_MS).catch(() => undefined);
    }, LOCK_TTL_MS / 3);
    renew.unref();
    try {
      this.logger.log(
        previous?.startedAt
          ? 'resuming the initial backfill'
          : 'mirror is empty: starting the initial backfill',
      );
      const result = await this.backfill.run({
        onProgress: (progress) => {
          if (this.stopped && !progress.done) throw new Stopped('worker stopping');
          if (progress.pages % 10 === 0 || progress.done) {
            this.logger.log(`backfill: ${progress.items} tickets${progress.done ? ' (done)' : ''}`);
          }
        },
      });
      this.logger.log(`initial backfill ${result.status}: ${result.items} tickets`);
      return 'completed';
    } finally {
      clearInterval(renew);
      if ((await this.redis.client.get(lockKey).catch(() => null)) === this.owner) {
        await this.redis.client.del(lockKey).catch(() => undefined);
      }
    }
  }

  private track(promise: Promise<unknown>): void {
    this.running.add(promise);
    void promise.finally(() => this.running.delete(promise));
  }

  private async retrying(what: string, step: () => Promise<unknown>): Promise<void> {
    let delay = FIRST_RETRY_MS;
    while (!this.stopped) {
      try {
        const outcome = await step();
        if (outcome !== 'busy') return;
        // Another worker holds the backfill: check again later (it may die halfway).
      } catch (error) {
        if (this.stopped || error instanceof Stopped) return;
        const refused = error instanceof HubSpotError && !error.retryable;
        this.logger.warn(
          refused
            ? `${what}: HubSpot refused (${describe(error)}). Check the private app's scopes (tickets, crm.objects.contacts.read, crm.schemas.tickets.write); retrying in ${Math.round(MAX_RETRY_MS / 60000)} min.`
            : `${what} failed: ${describe(error)}; retrying in ${Math.round(delay / 1000)} s.`,
        );
        if (refused) delay = MAX_RETRY_MS;
      }
      if (!(await this.sleep(delay, true))) return;
      delay = Math.min(MAX_RETRY_MS, delay * 2);
    }
  }

  private sleep(ms: number, tracked: boolean): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve(!this.stopped);
      }, ms);
      timer.unref();
      if (tracked) this.timers.add(timer);
    });
  }
}
