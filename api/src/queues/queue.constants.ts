// Every BullMQ queue of the product, its jobs and their data, in one place (after twenty's
// message-queue.constants.ts). Queue names are kebab-case without ':' (BullMQ puts them between
// QUEUE_PREFIX and its own key parts); job ids are deterministic where duplicates must collapse
// (each module's *.queue.ts / job-id helpers). Processors only switch over `name` and hand the typed
// `data` to a service.

export const QueueName = {
  /** Account mails: registration, a resent confirmation, a password reset (api/src/mail). */
  Mail: 'mail',
  /** Linking a confirmed account to its HubSpot contact (api/src/customers). */
  ContactLink: 'contact-link',
  /** Housekeeping: expired sessions and tokens, unconfirmed accounts. */
  Maintenance: 'maintenance',
  /** The portal-request outbox: delivery to HubSpot, the relay, the form's field options. */
  Requests: 'requests',
  /** Batch refreshes of tickets, contacts and companies (webhooks and reference resolution). */
  SyncRefresh: 'sync-refresh',
  /** One ticket's customer-visible conversation. */
  SyncConversations: 'sync-conversations',
  /** The repeatable incremental reconcile (plus owners and pipelines) and the deletion sweep. */
  SyncReconcile: 'sync-reconcile',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

/** Every queue, as Bull Board lists them and the worker consumes them. */
export const QUEUE_NAMES: readonly QueueName[] = Object.values(QueueName);

export const SYNC_QUEUES = [
  QueueName.SyncRefresh,
  QueueName.SyncConversations,
  QueueName.SyncReconcile,
] as const;
export type SyncQueueName = (typeof SYNC_QUEUES)[number];

// --- mail -------------------------------------------------------------------------------------

// Account mails are decided in the worker (does the account exist? is it confirmed?), so the HTTP
// answer is the same, and costs the same, whether or not the email has an account.
export const MailJobName = {
  Register: 'register',
  ResendConfirmation: 'resend-confirmation',
  ForgotPassword: 'forgot-password',
} as const;

export interface RegisterJobData {
  email: string;
  // argon2id hash computed by the HTTP process; the plain password never reaches Redis
  passwordHash: string;
}

export interface EmailJobData {
  email: string;
}

export type MailJob =
  | { name: typeof MailJobName.Register; data: RegisterJobData }
  | { name: typeof MailJobName.ResendConfirmation; data: EmailJobData }
  | { name: typeof MailJobName.ForgotPassword; data: EmailJobData };

// --- contact-link -----------------------------------------------------------------------------

export const ContactLinkJobName = {
  Link: 'link-contact',
} as const;

export interface ContactLinkJobData {
  customerId: string;
}

export type ContactLinkJob = { name: typeof ContactLinkJobName.Link; data: ContactLinkJobData };

// --- requests ---------------------------------------------------------------------------------

export const RequestJobName = {
  /** Delivers one outbox row. Id: `request-<outbox id>`. */
  Deliver: 'deliver',
  /** Re-enqueues outbox rows still pending (a crash between commit and enqueue). Scheduled. */
  Relay: 'relay',
  /** Refreshes the cached options of the request form's fields. Scheduled. */
  RefreshFields: 'refresh-fields',
} as const;

export interface DeliverJobData {
  outboxId: string;
}

export type RequestsJob =
  | { name: typeof RequestJobName.Deliver; data: DeliverJobData }
  | { name: typeof RequestJobName.Relay; data: unknown }
  | { name: typeof RequestJobName.RefreshFields; data: unknown };

// --- maintenance ------------------------------------------------------------------------------

export const MaintenanceJobName = {
  CleanupAccounts: 'cleanup-accounts',
  /** Uploads never sent with a message, and bytes already in HubSpot (ADR 0011). */
  CleanupAttachments: 'cleanup-attachments',
} as const;

export type MaintenanceJob =
  | { name: typeof MaintenanceJobName.CleanupAccounts; data: unknown }
  | { name: typeof MaintenanceJobName.CleanupAttachments; data: unknown };

// --- sync -------------------------------------------------------------------------------------

export const SyncJobName = {
  /** Fan-out: moves up to 100 ids from a dirty set into a RefreshBatch job. Id: `flush-<kind>-<bucket>`. */
  FlushDirty: 'flush-dirty',
  /** Reads ≤ 100 records of one kind from HubSpot and writes them (or deletes the missing tickets). */
  RefreshBatch: 'refresh-batch',
  /** Reads a ticket's conversation. Id: `conversation-<hubspotId>-<bucket>`. */
  RefreshConversation: 'refresh-conversation',
  /** Incremental reconcile from the stored watermark. Scheduler ids: `reconcile-tickets`, `reconcile-sweep`. */
  Reconcile: 'reconcile-tickets',
} as const;

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

/**
 * The tickets to read are in the conversations-due set (SyncRedisKeys.conversationsDue), one job
 * per time bucket reads them all in batches; `ticketId` is what jobs queued before that carried.
 */
export interface RefreshConversationData {
  ticketId?: string;
}

export interface ReconcileData {
  /** Also walk every HubSpot ticket to find deletions whose webhook never came. */
  sweep?: boolean;
}

export type SyncRefreshJob =
  | { name: typeof SyncJobName.FlushDirty; data: FlushDirtyData }
  | { name: typeof SyncJobName.RefreshBatch; data: RefreshBatchData };
export type SyncConversationJob = {
  name: typeof SyncJobName.RefreshConversation;
  data: RefreshConversationData;
};
export type SyncReconcileJob = { name: typeof SyncJobName.Reconcile; data: ReconcileData };

// --- by queue ---------------------------------------------------------------------------------

/** The jobs each queue carries. */
export interface QueueJobs {
  [QueueName.Mail]: MailJob;
  [QueueName.ContactLink]: ContactLinkJob;
  [QueueName.Requests]: RequestsJob;
  [QueueName.Maintenance]: MaintenanceJob;
  [QueueName.SyncRefresh]: SyncRefreshJob;
  [QueueName.SyncConversations]: SyncConversationJob;
  [QueueName.SyncReconcile]: SyncReconcileJob;
}

/**
 * A BullMQ job as the union of the queue's jobs, so a processor's `switch (job.name)` narrows `data`.
 * Only what a processor reads is typed (name, data); the rest of the Job stays available untyped.
 */
export function typedJob<Q extends QueueName>(_queue: Q, job: { name: string; data: unknown }): QueueJobs[Q] {
  return job as QueueJobs[Q];
}
