import { randomInt } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '../common/redis/redis.module';

/** A set of tickets a customer may see: their contact's, or their company's. */
export interface TicketScope {
  contactId?: string | null;
  companyId?: string | null;
}

const PREFIX = 'tp:tickets:v';
/** Bumped when a change may touch every scope at once (an owner renamed, a stage relabelled). */
export const GLOBAL_VERSION_KEY = `${PREFIX}:all`;

/** Moves when a customer's link changes (another company or contact, or none): ADR 0007. */
export function customerLinkKey(customerId: string): string {
  return `${PREFIX}:customer:${customerId}`;
}

export function scopeVersionKeys(scope: TicketScope): string[] {
  const keys: string[] = [];
  if (scope.companyId) keys.push(`${PREFIX}:company:${scope.companyId}`);
  if (scope.contactId) keys.push(`${PREFIX}:contact:${scope.contactId}`);
  return keys;
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
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  /** Marks the scopes as changed. Both the contact's and the company's version move for each entry. */
  async bump(scopes: ReadonlyArray<TicketScope>): Promise<void> {
    const keys = new Set(scopes.flatMap(scopeVersionKeys));
    if (keys.size === 0) return;
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.incr(key);
    const results = await pipeline.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /**
   * Marks the customers' links as changed (their contact's primary company moved, or the contact is
   * gone): a process that cached which scope such a customer has reads it again on the next request.
   */
  async bumpCustomers(customerIds: readonly string[]): Promise<void> {
    if (customerIds.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const id of new Set(customerIds)) pipeline.incr(customerLinkKey(id));
    const results = await pipeline.exec();
    const failed = results?.find(([err]) => err);
    if (failed?.[0]) throw failed[0];
  }

  /** The customer's link version, read before the link itself (see TicketsListService). */
  async customer(customerId: string): Promise<string> {
    return (await this.currentWithCustomer(null, customerId)).customer;
  }

  /** Marks every scope as changed. */
  async bumpAll(): Promise<void> {
    await this.redis.incr(GLOBAL_VERSION_KEY);
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
    const keys = [GLOBAL_VERSION_KEY, ...(scope ? scopeVersionKeys(scope) : [])];
    if (customerId !== null) keys.push(customerLinkKey(customerId));
    const values = await this.redis.mget(...keys);
    const customerPart = customerId === null ? null : (values.pop() ?? '0');
    if (values[0] === null) {
      // A new or emptied Redis: start the global part at a random value, so versions handed out
      // before the data was lost (and cached in some process) are never handed out again.
      await this.redis.set(GLOBAL_VERSION_KEY, String(randomInt(1, 2 ** 47)), 'NX');
      values[0] = await this.redis.get(GLOBAL_VERSION_KEY);
    }
    return {
      version: scope ? values.map((v) => v ?? '0').join('.') : '',
      customer: customerPart === null ? '' : `${values[0] ?? '0'}.${customerPart}`,
    };
  }
}
