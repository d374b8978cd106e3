import { HubSpotError } from '../hubspot/hubspot-error';

// The portal-request outbox on BullMQ. Queue names carry no ':' (prefix 'tp' comes from BullModule).
export const REQUESTS_QUEUE = 'requests';

export const RequestJob = {
  /** Delivers one outbox row. Id: `request-<outbox id>`. */
  Deliver: 'deliver',
  /** Re-enqueues outbox rows still pending (a crash between commit and enqueue). Scheduler id below. */
  Relay: 'relay',
  /** Refreshes the cached options of the request form's fields. */
  RefreshFields: 'refresh-fields',
} as const;

export const RELAY_SCHEDULER_ID = 'requests-relay';
export const FIELDS_SCHEDULER_ID = 'requests-fields';

export type OutboxKind = 'create' | 'reply' | 'stage';
export type OutboxState = 'pending' | 'done' | 'failed';

export interface DeliverJobData {
  outboxId: string;
}

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

/** Redis keys of the requests module (prefix `tp:`). */
export const REQUEST_FIELDS_CACHE_KEY = 'tp:requests:fields';
/** How long the cached field options are trusted before the next read asks HubSpot again. */
export const REQUEST_FIELDS_FRESH_MS = 10 * 60_000;
