import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { type ChainableCommander, Redis } from 'ioredis';
import { REDIS } from '../common/redis/redis.module';
import { type ChangeNotice, EVENTS_RETENTION, eventsStreamKey, scopeKeys } from '../events/change-notice';
import { RedisKeys } from '../queues/redis-keys';

/** A set of tickets a customer may see: their contact's, or their company's. */
export interface TicketScope {
  contactId?: string | null;
  companyId?: string | null;
}

/** `<QUEUE_PREFIX>:tickets:v:…` */
function versionKey(keys: RedisKeys, ...parts: string[]): string {
  return keys.key('tickets', 'v', ...parts);
}

/** Bumped when a change may touch every scope at once (an owner renamed, a stage relabelled). */
export function globalVersionKey(keys: RedisKeys): string {
  return versionKey(keys, 'all');
}

/** Moves when a customer's link changes (another company or contact, or none): ADR 0007. */
export function customerLinkKey(keys: RedisKeys, customerId: string): string {
  return versionKey(keys, 'customer', customerId);
}

export function scopeVersionKeys(keys: RedisKeys, scope: TicketScope): string[] {
  return scopeKeys(scope).map((key) => versionKey(keys, key));
}

/**
 * Per-scope versions of the ticket mirror (ADR 0007). Whatever writes tickets bumps the scopes it
 * touched after its transaction commits; everything derived from a scope (cached counts, the search
 * index) is keyed by `current(scope)`, so the next request after a write sees a new version and
 * recomputes. Bumping after the commit is what makes this safe: a reader that saw the old version may
 * cache newer rows under it, never older rows under the new one.
 */
@Injectable()
export class TicketScopeVersionService {
  private readonly globalKey: string;
  private readonly streamKey: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.globalKey = globalVersionKey(keys);
    this.streamKey = eventsStreamKey(keys);
  }

  /**
   * Marks the scopes as changed (both the contact's and the company's version move for each entry)
   * and appends `notices` to the change stream, all in one MULTI: a process that reads a notice knows
   * the versions have moved too (ADR 0009).
   */
  async bump(scopes: ReadonlyArray<TicketScope>, notices: readonly ChangeNotice[] = []): Promise<void> {
    const keys = new Set(scopes.flatMap((scope) => scopeVersionKeys(this.keys, scope)));
    if (keys.size === 0 && notices.length === 0) return;
    const multi = this.redis.multi();
    for (const key of keys) multi.incr(key);
    for (const notice of notices) appendNotice(multi, this.streamKey, notice);
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /**
   * Marks the customers' links as changed (their contact's primary company moved, or the contact is
   * gone): a process that cached which scope such a customer has reads it again on the next request.
   */
  async bumpCustomers(customerIds: readonly string[]): Promise<void> {
    if (customerIds.length === 0) return;
    const ids = [...new Set(customerIds)];
    const multi = this.redis.multi();
    for (const id of ids) multi.incr(customerLinkKey(this.keys, id));
    // Their open event streams re-read the scope at once instead of at their next periodic check.
    appendNotice(multi, this.streamKey, { k: 'c', c: ids });
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /** The customer's link version, read before the link itself (see TicketsListService). */
  async customer(customerId: string): Promise<string> {
    return (await this.currentWithCustomer(null, customerId)).customer;
  }

  /** Marks every scope as changed; every open event stream is told to refetch. */
  async bumpAll(): Promise<void> {
    const multi = this.redis.multi().incr(this.globalKey);
    appendNotice(multi, this.streamKey, { k: 'a' });
    const results = await multi.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /**
   * The scope's version as an opaque string: changes whenever `bump` touched the scope (through its
   * company or its contact, as given) or `bumpAll` ran.
   */
  async current(scope: TicketScope): Promise<string> {
    return (await this.currentWithCustomer(scope, null)).version;
  }

  /**
   * `current(scope)` and, in the same round trip, the customer's link version: it moves with
   * `bumpCustomers` and with the global part (so it also moves when Redis lost its data).
   * `scope` null reads only the latter (`version` is then '').
   */
  async currentWithCustomer(
    scope: TicketScope | null,
    customerId: string | null,
  ): Promise<{ version: string; customer: string }> {
    const keys = [this.globalKey, ...(scope ? scopeVersionKeys(this.keys, scope) : [])];
    if (customerId !== null) keys.push(customerLinkKey(this.keys, customerId));
    const values = await this.redis.mget(...keys);
    const customerPart = customerId === null ? null : (values.pop() ?? '0');
    if (values[0] === null) {
      // A new or emptied Redis: start the global part at a random value, so versions handed out
      // before the data was lost (and cached in some process) are never handed out again.
      await this.redis.set(this.globalKey, String(randomInt(1, 2 ** 47)), 'NX');
      values[0] = await this.redis.get(this.globalKey);
    }
    return {
      version: scope ? values.map((v) => v ?? '0').join('.') : '',
      customer: customerPart === null ? '' : `${values[0] ?? '0'}.${customerPart}`,
    };
  }
}

function appendNotice(multi: ChainableCommander, streamKey: string, notice: ChangeNotice): void {
  multi.xadd(streamKey, 'MAXLEN', '~', String(EVENTS_RETENTION), '*', 'n', JSON.stringify(notice));
}
