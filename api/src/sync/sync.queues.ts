// The sync queue layout, in one place. Queue names carry no ':' (BullMQ prefix 'tp' comes from the
// root BullModule config); job ids are deterministic where duplicates must collapse.

export const SyncQueue = {
  /** Batch refreshes of tickets, contacts and companies (webhooks and reference resolution). */
  Refresh: 'sync-refresh',
  /** One ticket's customer-visible conversation. */
  Conversations: 'sync-conversations',
  /** The repeatable incremental reconcile (plus owners and pipelines). */
  Reconcile: 'sync-reconcile',
} as const;
export type SyncQueueName = (typeof SyncQueue)[keyof typeof SyncQueue];
export const SYNC_QUEUES: readonly SyncQueueName[] = Object.values(SyncQueue);

export const SyncJob = {
  /** Fan-out: moves up to 100 ids from a dirty set into a RefreshBatch job. Id: `flush-<kind>-<bucket>`. */
  FlushDirty: 'flush-dirty',
  /** Reads ≤ 100 records of one kind from HubSpot and writes them (or deletes the missing tickets). */
  RefreshBatch: 'refresh-batch',
  /** Reads a ticket's conversation. Id: `conversation-<hubspotId>-<bucket>`. */
  RefreshConversation: 'refresh-conversation',
  /** Incremental reconcile from the stored watermark. Scheduler id: `reconcile-tickets`. */
  Reconcile: 'reconcile-tickets',
} as const;
export type SyncJobName = (typeof SyncJob)[keyof typeof SyncJob];

export type DirtyKind = 'tickets' | 'contacts' | 'companies';
export const DIRTY_KINDS: readonly DirtyKind[] = ['tickets', 'contacts', 'companies'];

export interface FlushDirtyData {
  kind: DirtyKind;
}

export interface RefreshBatchData {
  kind: DirtyKind;
  ids: string[];
  /** Epoch ms of the oldest event behind these ids (for the webhook lag), when known. */
  oldestEventMs?: number;
}

export interface RefreshConversationData {
  ticketId: string;
}

export interface ReconcileData {
  /** Also walk every HubSpot ticket to find deletions whose webhook never came. */
  sweep?: boolean;
}

/** Every job of the sync queues, by queue: a processor switches over `name` and gets typed data. */
export type RefreshQueueJob =
  | { name: typeof SyncJob.FlushDirty; data: FlushDirtyData }
  | { name: typeof SyncJob.RefreshBatch; data: RefreshBatchData };
export type ConversationQueueJob = {
  name: typeof SyncJob.RefreshConversation;
  data: RefreshConversationData;
};
export type ReconcileQueueJob = { name: typeof SyncJob.Reconcile; data: ReconcileData };

export const RECONCILE_SCHEDULER_ID = 'reconcile-tickets';
export const SWEEP_SCHEDULER_ID = 'reconcile-sweep';
/** The sweep runs at most this often (and never more often than every 60 reconciles). */
export const SWEEP_MIN_INTERVAL_MS = 3600_000;

/** Redis keys of sync's own state, under a prefix (default `tp:`; tests use their own). */
export function syncRedisKeys(prefix: string) {
  return {
    // Hash-tagged per set so each lives in one Redis Cluster slot.
    dirty: (kind: DirtyKind): string => `${prefix}sync:{dirty-${kind}}`,
    event: (eventKey: string): string => `${prefix}sync:event:${eventKey}`,
    refreshThrottle: (what: 'owners' | 'pipelines'): string => `${prefix}sync:refreshed:${what}`,
    /** The last contact id the reconcile's linked-contact re-check reached ('' = start over). */
    linkRecheckCursor: `${prefix}sync:link-recheck-after`,
  };
}
export type SyncRedisKeys = ReturnType<typeof syncRedisKeys>;

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

export function conversationJobId(ticketId: string, bucket: number): string {
  return `conversation-${ticketId}-${bucket}`;
}

// Retryable failures back off with hubSpotBackoffDelay (HubSpot's own wait when it names one).
export const SYNC_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'hubspot' },
  removeOnComplete: { age: 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 5000 },
} as const;
