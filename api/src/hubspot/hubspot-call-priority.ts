import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Whose HubSpot calls these are, for the shared limiter (ADR 0015): `customer` work (deliveries,
 * webhook refreshes) may use the whole budget; `background` work (the mirror's reconcile and sweep)
 * leaves a reserve to customers' changes, so a reconcile never holds back a burst of requests.
 */
export type HubSpotCallPriority = 'customer' | 'background';

const priority = new AsyncLocalStorage<HubSpotCallPriority>();

/** Runs `work` with every HubSpot call in it counted as background work. */
export function inBackground<T>(work: () => Promise<T>): Promise<T> {
  return priority.run('background', work);
}

/** The priority of the HubSpot calls made here (customer unless inside inBackground). */
export function callPriority(): HubSpotCallPriority {
  return priority.getStore() ?? 'customer';
}
