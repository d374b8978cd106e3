// Sync's job ids, options and Redis keys. The queues' names (`sync-refresh`, `sync-conversations`,
// `sync-reconcile`), their jobs and the jobs' data live in api/src/queues.
import type { DirtyKind } from '../queues/queue.constants';

export const RECONCILE_SCHEDULER_ID = 'reconcile-tickets';
export const SWEEP_SCHEDULER_ID = 'reconcile-sweep';
/** The sweep runs at most this often (and never more often than every 60 reconciles). */
export const SWEEP_MIN_INTERVAL_MS = 3600_000;

/** Redis keys of sync's own state, under `<QUEUE_PREFIX>:` (SyncOptions.redisKeyPrefix). */
export function syncRedisKeys(prefix: string) {
  return {
    // Hash-tagged per set so each lives in one Redis Cluster slot.
    dirty: (kind: DirtyKind): string => `${prefix}sync:{dirty-${kind}}`,
    /** Tickets whose conversation is due for a read (a sorted set scored by when it was asked for). */
    conversationsDue: `${prefix}sync:{conversations-due}`,
    event: (eventKey: string): string => `${prefix}sync:event:${eventKey}`,
    refreshThrottle: (what: 'owners' | 'pipelines'): string => `${prefix}sync:refreshed:${what}`,
    /** The last contact id the reconcile's linked-contact re-check reached ('' = start over). */
    linkRecheckCursor: `${prefix}sync:link-recheck-after`,
    /** A portal request's HubSpot ticket as the delivery's create answered it (ADR 0015): its hs_lastmodifieddate. */
    delivered: (ticketId: string): string => `${prefix}sync:delivered:${ticketId}`,
  };
}
export type SyncRedisKeys = ReturnType<typeof syncRedisKeys>;

/** How long the mirror remembers a ticket the delivery just created (webhooks come late, retried). */
export const DELIVERED_TTL_MS = 10 * 60_000;

/** Batch reads HubSpot takes per call. */
export const BATCH_SIZE = 100;

// Jobs with a time-bucket id: a job only starts after its bucket ends, so an id added while a job
// runs always lands in a later bucket (a fresh job) and is never lost behind the running one.
export function bucketOf(now: number, bucketMs: number): { bucket: number; delay: number } {
  const bucket = Math.floor(now / bucketMs);
  return { bucket, delay: (bucket + 1) * bucketMs - now };
}

export function flushJobId(kind: DirtyKind, bucket: number): string {
  return `flush-${kind}-${bucket}`;
}

export function conversationJobId(bucket: number): string {
  return `conversations-${bucket}`;
}

// Retryable failures back off with hubSpotBackoffDelay (HubSpot's own wait when it names one).
export const SYNC_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'hubspot' },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
} as const;
