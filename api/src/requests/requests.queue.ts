import { HubSpotError } from '../hubspot/hubspot-error';
import type { RedisKeys } from '../queues/redis-keys';

// The portal-request outbox on BullMQ: job ids, options and backoff. The queue's name (`requests`),
// its jobs and their data live in api/src/queues.

export const RELAY_SCHEDULER_ID = 'requests-relay';
export const FIELDS_SCHEDULER_ID = 'requests-fields';

/** `people`: colleagues put in copy or taken off after the request (ticket_people_requests). */
export type OutboxKind = 'create' | 'reply' | 'stage' | 'people';
export type OutboxState = 'pending' | 'done' | 'failed';

export function deliverJobId(outboxId: string | number): string {
  return `request-${outboxId}`;
}

/**
 * Delivery jobs retry for days: a HubSpot outage of minutes (or hours) must go through. Permanent
 * refusals never throw (the row is marked failed), so attempts only count outages and waits.
 */
export const DELIVER_JOB_OPTIONS = {
  attempts: 5000,
  backoff: { type: 'requests' },
  removeOnComplete: { age: 3600, count: 5000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
} as const;

/** Backoff of delivery jobs: HubSpot's own wait when it named one, else 0.5 s doubling to 30 s, ±20 %. */
export function requestBackoffDelay(
  attemptsMade: number,
  error: unknown,
  random: () => number = Math.random,
): number {
  const jitter = 0.8 + random() * 0.4;
  if (error instanceof HubSpotError && error.retryAfterMs !== null) {
    return Math.round(Math.min(error.retryAfterMs, 10 * 60_000) * jitter);
  }
  if (error instanceof WaitingForTicketError) {
    return Math.round(Math.min(500 * 2 ** attemptsMade, 10_000) * jitter);
  }
  return Math.round(Math.min(500 * 2 ** Math.max(0, attemptsMade - 1), 30_000) * jitter);
}

/** A reply or stage change whose ticket is not in HubSpot yet: tried again shortly. */
export class WaitingForTicketError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WaitingForTicketError';
  }
}

/** The cached options of the request form's fields: `<QUEUE_PREFIX>:requests:fields`. */
export function requestFieldsCacheKey(keys: RedisKeys): string {
  return keys.key('requests', 'fields');
}
/** How long the cached field options are trusted before the next read asks HubSpot again. */
export const REQUEST_FIELDS_FRESH_MS = 10 * 60_000;
