// Our own view of HubSpot. Nothing here comes from @hubspot/api-client: callers of HubSpotPort
// never see SDK classes, property-name strings or association type ids.
import type { HubSpotError } from './hubspot-error';

export type HsTicketState = 'OPEN' | 'CLOSED';

/** A ticket without its associations (what search, create and update answer). */
export interface HsTicketCore {
  id: string;
  subject: string;
  content: string | null;
  pipelineId: string | null;
  stageId: string | null;
  /** Internal option value of hs_ticket_priority (e.g. HIGH), null when unset. */
  priority: string | null;
  /** Internal option value of hs_ticket_category, null when unset. */
  category: string | null;
  /** Owner id (`hubspot_owner_id`), resolve through getOwners(). */
  ownerId: string | null;
  createdAt: Date;
  /** hs_lastactivitydate, else hs_lastmodifieddate. */
  lastActivityAt: Date;
  /** hs_lastmodifieddate: the version used to guard mirror upserts. */
  lastModifiedAt: Date;
  closedAt: Date | null;
  /** Our idempotency key (custom property tp_request_key), null for tickets not made by the portal. */
  requestKey: string | null;
}

export interface HsTicket extends HsTicketCore {
  /** Associated contacts, ids deduplicated, in HubSpot's order. */
  contactIds: string[];
  /** Associated companies, the primary company first when HubSpot marks one. */
  companyIds: string[];
}

export interface HsStage {
  id: string;
  label: string;
  displayOrder: number;
  ticketState: HsTicketState;
}

export interface HsPipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  /** Sorted by displayOrder. */
  stages: HsStage[];
}

export interface HsOwner {
  id: string;
  firstName: string | null;
  lastName: string | null;
  email: string | null;
  archived: boolean;
}

export interface HsContact {
  id: string;
  email: string | null;
  firstName: string | null;
  lastName: string | null;
  /** All associated companies, the primary one first. */
  companyIds: string[];
  primaryCompanyId: string | null;
  /** The contact's PORTAL_COMPANY_SCOPE_PROPERTY is true (always false without that setting). */
  companyScope: boolean;
}

export interface HsCompany {
  id: string;
  name: string | null;
  domain: string | null;
}

export type HsMessageDirection = 'agent' | 'customer';

/** One customer-visible item of a ticket's conversation (an email engagement). */
export interface HsMessage {
  id: string;
  ticketId: string;
  direction: HsMessageDirection;
  authorName: string | null;
  authorEmail: string | null;
  subject: string | null;
  text: string | null;
  /** Raw HTML from HubSpot: sanitize before showing it to anyone. */
  html: string | null;
  createdAt: Date;
  /** The portal's reply key when the portal logged this message, else null. */
  requestKey: string | null;
  /** Files attached to the email (`hs_attachment_ids`); files deleted in HubSpot are left out. */
  attachments: HsAttachment[];
}

/** A file attached to a message. Fetch its bytes with `HubSpotPort.fileDownload(fileId)`. */
export interface HsAttachment {
  fileId: string;
  /** File name with its extension, e.g. `statement.pdf`. */
  name: string;
  /** From the extension (HubSpot stores no media type); `application/octet-stream` when unknown. */
  contentType: string;
  /** Bytes; null when HubSpot did not say. */
  size: number | null;
}

export interface HsPropertyOption {
  value: string;
  label: string;
  displayOrder: number;
  hidden: boolean;
}

export interface HsTicketPropertyOptions {
  priority: HsPropertyOption[];
  category: HsPropertyOption[];
}

export interface HsTicketPage {
  tickets: HsTicket[];
  /** Pass back to get the next page; undefined on the last page. */
  nextCursor?: string;
}

export interface HsCreateTicketInput {
  subject: string;
  content: string;
  pipelineId: string;
  stageId: string;
  priority?: string | null;
  category?: string | null;
  contactId: string;
  companyId?: string | null;
  /** Unique per customer request; the same key never yields a second HubSpot ticket. */
  requestKey: string;
}

export interface HsCreateTicketResult {
  ticket: HsTicket;
  /** false when a ticket with this requestKey already existed and was returned instead. */
  created: boolean;
}

/**
 * One ticket of a batch create: made (or found by its request key), or refused. A refusal carries
 * HubSpot's error for that record alone; `error.retryable` says whether the same input may succeed later.
 */
export type HsCreateTicketOutcome =
  | { requestKey: string; ok: true; ticket: HsTicket; created: boolean }
  | { requestKey: string; ok: false; error: HubSpotError };

export interface HsCreateContactInput {
  email: string;
  firstName?: string | null;
  lastName?: string | null;
}

export interface HsCustomerReplyInput {
  text: string;
  /** Optional HTML body; the caller passes markup it has escaped or sanitized. */
  html?: string | null;
  from: { email: string; firstName?: string | null; lastName?: string | null };
  subject?: string | null;
  /** When the customer wrote it (stable across retries: the local row's creation time). */
  sentAt: Date;
  /** Unique per reply; the same key never yields a second HubSpot email. */
  replyKey: string;
  /** Files already uploaded with `uploadFile`, attached to the email (`hs_attachment_ids`). */
  attachmentIds?: readonly string[];
}

export interface HsCustomerReplyResult {
  message: HsMessage;
  created: boolean;
}

/** One reply of a batch (addCustomerReplies): the ticket and contact its email is associated with. */
export interface HsCustomerReplyBatchInput {
  ticketId: string;
  contactId: string;
  reply: HsCustomerReplyInput;
}

/** One outcome per reply of a batch: logged now or by an earlier attempt (`created: false`), or refused. */
export type HsCustomerReplyOutcome =
  | { replyKey: string; ok: true; message: HsMessage; created: boolean }
  | { replyKey: string; ok: false; error: HubSpotError };

/** A ticket to move (close / reopen) in a batch. */
export interface HsStageChangeInput {
  ticketId: string;
  stageId: string;
}

/** One outcome per moved ticket: the ticket as HubSpot has it afterwards, or HubSpot's refusal. */
export type HsStageChangeOutcome =
  { ticketId: string; ok: true; ticket: HsTicket } | { ticketId: string; ok: false; error: HubSpotError };

/** A ticket and a contact to associate (people in copy) or dissociate, in a batch. */
export interface HsTicketContactPair {
  ticketId: string;
  contactId: string;
}

/** A pair of a batch HubSpot refused (a ticket or contact it no longer has), with its error. */
export interface HsTicketContactRefusal extends HsTicketContactPair {
  error: HubSpotError;
}

/** Options of the batch creates (createTickets, addCustomerReplies). */
export interface HsBatchCreateOptions {
  /**
   * Keys (request or reply keys) no earlier attempt can have sent to HubSpot: a row's first
   * delivery. They are not looked up before the create, which saves the batch read.
   */
  unsent?: ReadonlySet<string>;
}

export interface HsEnsurePropertiesResult {
  /** Properties this call created, as `objectType.name`. */
  created: string[];
  /**
   * Optional properties HubSpot would not create (the emails' reply key), as `objectType.name`:
   * replies are then logged one by one, each found by reading its ticket's emails.
   */
  refused: string[];
  /**
   * Properties the portal reads but never creates (PORTAL_COMPANY_SCOPE_PROPERTY: the operator's own)
   * that HubSpot does not have, as `objectType.name`.
   */
  missing: string[];
}

export interface HsCreateTaskInput {
  /** The ticket the task is about (task→ticket association). */
  ticketId: string;
  /** The assignee (`hubspot_owner_id`), e.g. the ticket's owner; null leaves it unassigned. */
  ownerId: string | null;
  subject: string;
  /** Plain text or HTML (HubSpot shows it as the task's notes); the caller escapes it. */
  body: string;
  /** When the task is due (`hs_timestamp`). */
  dueAt: Date;
  /** Unique per event that asks for a task; the same key never yields a second task. */
  eventKey: string;
  priority?: 'LOW' | 'MEDIUM' | 'HIGH' | null;
}

/** A HubSpot task (an engagement assigned to an owner). */
export interface HsTask {
  id: string;
  subject: string | null;
  body: string | null;
  /** `hs_task_status`: NOT_STARTED, IN_PROGRESS, WAITING, COMPLETED or DEFERRED (portals may add more). */
  status: string;
  ownerId: string | null;
  dueAt: Date | null;
  completedAt: Date | null;
  /** Our idempotency key (custom property tp_event_key), null for tasks not made by the portal. */
  eventKey: string | null;
}

export interface HsCreateTaskResult {
  task: HsTask;
  /** false when a task with this eventKey already existed and was returned instead. */
  created: boolean;
}

/** One task of a batch create (createTasks): made or found by its event key, or refused alone. */
export type HsCreateTaskOutcome =
  | { eventKey: string; ok: true; task: HsTask; created: boolean }
  | { eventKey: string; ok: false; error: HubSpotError };

export interface HsUploadFileInput {
  /** The file's name with its extension, e.g. `statement.pdf` (HubSpot derives the type from it). */
  name: string;
  contentType: string;
  /** The bytes; a stream is read into memory first (the SDK sends a Buffer), so cap sizes upstream. */
  data: Buffer | NodeJS.ReadableStream;
  /** Folder path in HubSpot's file manager, e.g. `/ticket-portal/2026-05`; missing folders are made. */
  folder: string;
}

/** A file in HubSpot's file manager. */
export interface HsFile {
  id: string;
  /** With its extension. */
  name: string;
  size: number | null;
  /** PRIVATE for everything the portal uploads. */
  access: string;
}

export interface HsFileDownload {
  /** The bytes, straight from HubSpot's file host; consume or destroy it. */
  stream: NodeJS.ReadableStream;
  contentType: string;
  /** From Content-Length, else HubSpot's metadata; null when neither says. */
  size: number | null;
  /** File name with its extension. */
  name: string;
}
