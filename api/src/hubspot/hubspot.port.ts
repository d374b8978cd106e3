import {
  type HsBatchCreateOptions,
  type HsCompany,
  type HsContact,
  type HsCreateContactInput,
  type HsCreateTaskInput,
  type HsCreateTaskOutcome,
  type HsCreateTaskResult,
  type HsCreateTicketInput,
  type HsCreateTicketOutcome,
  type HsCreateTicketResult,
  type HsCustomerReplyBatchInput,
  type HsCustomerReplyInput,
  type HsCustomerReplyOutcome,
  type HsCustomerReplyResult,
  type HsEnsurePropertiesResult,
  type HsFile,
  type HsFileDownload,
  type HsMessage,
  type HsOwner,
  type HsPipeline,
  type HsStageChangeInput,
  type HsStageChangeOutcome,
  type HsTask,
  type HsTicket,
  type HsTicketContactPair,
  type HsTicketContactRefusal,
  type HsTicketPage,
  type HsTicketPropertyOptions,
  type HsUploadFileInput,
} from './hubspot.types';
import { type HubSpotError } from './hubspot-error';

/**
 * Everything the portal asks of HubSpot, in our own types. The abstract class is also the NestJS
 * injection token: inject `HubSpotPort`, and unit tests may provide a fake in its place.
 *
 * Every method throws a classified `HubSpotError` (see hubspot-error.ts) when HubSpot or the
 * network fails: `retryable` ones (rate_limited, unavailable) are worth retrying later, the rest are
 * permanent for the same input (use `toJobError()` in BullMQ processors).
 */
export abstract class HubSpotPort {
  /** Tickets with their contacts and companies; ids HubSpot no longer has are simply absent. */
  abstract getTicketsByIds(ids: readonly string[]): Promise<HsTicket[]>;

  /** One ticket, or null when it does not exist (deleted or merged away). */
  abstract getTicket(id: string): Promise<HsTicket | null>;

  /**
   * Tickets modified at or after `sinceMs` (hs_lastmodifieddate), oldest change first, 200 per page,
   * with associations. Pass `nextCursor` back for the next page; the cursor walks past HubSpot's
   * 10,000-result search cap by restarting from the last modified date seen, so a ticket may come
   * twice — upserts must be idempotent. Search is eventually consistent: start from a watermark
   * with some overlap.
   */
  abstract searchTicketsModifiedSince(sinceMs: number, cursor?: string): Promise<HsTicketPage>;

  /** All tickets in id order, 100 per page with associations (backfill). Resume with `nextCursor`. */
  abstract listTickets(cursor?: string): Promise<HsTicketPage>;

  /** Ticket pipelines with their stages (archived stages left out). */
  abstract getPipelines(): Promise<HsPipeline[]>;

  /** Every owner, active and archived (archived owners keep their names on old tickets). */
  abstract getOwners(): Promise<HsOwner[]>;

  abstract getContactsByIds(ids: readonly string[]): Promise<HsContact[]>;

  /**
   * Each contact's company as the portal uses it — the primary company, else the first associated
   * one, null for none — from the v4 associations only (one call per 1,000 contacts, where reading
   * the contacts costs two per 100). Every asked id is a key; ids HubSpot has no contact for map to null.
   */
  abstract getContactCompanies(ids: readonly string[]): Promise<Map<string, string | null>>;

  /** The contact whose primary email is `email` (case-insensitive), or null. */
  abstract findContactByEmail(email: string): Promise<HsContact | null>;

  /** Creates the contact, or returns the existing one when HubSpot already has that email. */
  abstract createContact(input: HsCreateContactInput): Promise<HsContact>;

  /**
   * The contacts whose primary emails these are (case-insensitive), keyed by the lower-cased email:
   * one batch read by email per 100, plus their companies. Emails HubSpot has no contact for are absent.
   */
  abstract findContactsByEmails(emails: readonly string[]): Promise<Map<string, HsContact>>;

  /**
   * Creates contacts in batches of 100, keyed by the lower-cased email: a contact HubSpot already has
   * (a duplicate email) is answered with that contact; a record HubSpot refuses maps to its error.
   * Throws only when the whole call failed (an outage, a rate limit).
   */
  abstract createContacts(
    inputs: readonly HsCreateContactInput[],
  ): Promise<Map<string, HsContact | HubSpotError>>;

  abstract getCompaniesByIds(ids: readonly string[]): Promise<HsCompany[]>;

  /**
   * Customer-visible messages of a ticket (email engagements, notes excluded), oldest first, with
   * their attachments (file metadata from the Files API; deleted files left out).
   */
  abstract getTicketConversation(ticketId: string): Promise<HsMessage[]>;

  /**
   * Conversations of many tickets at once (the mirror's conversation refreshes): one association
   * batch read per 1,000 tickets and one email batch read per 100 emails, instead of two calls per
   * ticket. Tickets without emails (or unknown ids) map to an empty list; a ticket HubSpot answered
   * with another error (a 207's) is left out of the answer, to be read again.
   */
  abstract getTicketConversations(ticketIds: readonly string[]): Promise<Map<string, HsMessage[]>>;

  /**
   * Creates a ticket associated with the contact (and company), idempotent by `requestKey`: if a
   * ticket with that key exists it is returned with `created: false`.
   */
  abstract createTicket(input: HsCreateTicketInput): Promise<HsCreateTicketResult>;

  /**
   * Creates many tickets, each idempotent by its `requestKey` as in createTicket: per 100 inputs, one
   * batch read by the unique key property (the tickets an earlier attempt already made are answered
   * with `created: false`), then one batch create of the rest with their associations inline. One
   * outcome per input, in input order: a record HubSpot refuses (a 207's per-record error, or a
   * refused batch split until the refused record stands alone) is an outcome with its error, and the
   * others go through. Throws only when the whole call failed (an outage, a rate limit). Keys in
   * `options.unsent` are not looked up first (no earlier attempt can have made them).
   */
  abstract createTickets(
    inputs: readonly HsCreateTicketInput[],
    options?: HsBatchCreateOptions,
  ): Promise<HsCreateTicketOutcome[]>;

  /** The tickets carrying these request keys (consistent reads), keyed by request key; unknown keys absent. */
  abstract findTicketsByRequestKeys(requestKeys: readonly string[]): Promise<Map<string, HsTicket>>;

  /**
   * The ticket carrying this request key, or null. With `contactId` the lookup stays consistent
   * even where the key property is not unique (it scans that contact's tickets before searching).
   */
  abstract findTicketByRequestKey(requestKey: string, contactId?: string): Promise<HsTicket | null>;

  /**
   * Logs the customer's reply on the ticket as an incoming email associated with the ticket and the
   * contact; idempotent by `replyKey`. `attachmentIds` (from uploadFile) become its attachments.
   */
  abstract addCustomerReply(
    ticketId: string,
    contactId: string,
    reply: HsCustomerReplyInput,
  ): Promise<HsCustomerReplyResult>;

  /**
   * Logs many customers' replies as addCustomerReply does, each idempotent by its `replyKey` (the
   * unique email property tp_reply_key): per 100, one batch read by key of the replies an earlier
   * attempt may have logged (keys in `options.unsent` are not looked up), then one batch create of
   * the rest with their associations inline. One outcome per input, in input order; a record HubSpot
   * refuses fails alone (a 207's error, or a refused batch split until it stands alone). Throws only
   * when the whole call failed. Where HubSpot has no reply key property, the replies go one by one.
   */
  abstract addCustomerReplies(
    inputs: readonly HsCustomerReplyBatchInput[],
    options?: HsBatchCreateOptions,
  ): Promise<HsCustomerReplyOutcome[]>;

  /** Moves the ticket to a stage (close / reopen) and answers the ticket as HubSpot now has it. */
  abstract updateTicketStage(ticketId: string, stageId: string): Promise<HsTicket>;

  /**
   * Moves many tickets (one change per ticket) as updateTicketStage does: one batch update per 100,
   * then one batch read of the moved tickets. One outcome per input, in input order; a ticket HubSpot
   * refuses (a 207's error, a ticket it no longer has) fails alone. Throws only when the whole call failed.
   */
  abstract updateTicketStages(inputs: readonly HsStageChangeInput[]): Promise<HsStageChangeOutcome[]>;

  /** Options of the ticket priority and category properties, for the request form. */
  abstract getTicketProperties(): Promise<HsTicketPropertyOptions>;

  /** Creates the portal's custom properties (tp_request_key on tickets, tp_event_key on tasks) when missing. */
  abstract ensureCustomProperties(): Promise<HsEnsurePropertiesResult>;

  /**
   * Creates a task on the ticket, assigned to `ownerId` (HubSpot notifies the assignee), exactly
   * once per `eventKey`: when a task with that key exists it is returned with `created: false`.
   * Needs tp_event_key (ensureCustomProperties); without it the create is refused naming the property.
   */
  abstract createTask(input: HsCreateTaskInput): Promise<HsCreateTaskResult>;

  /**
   * createTask for many events at once (the delivery worker's batches): per 100, one batch read by
   * the unique tp_event_key (what an earlier attempt made is answered with `created: false`), then
   * one batch create of the rest with the task→ticket association inline. Answers one outcome per
   * input, in order; a record HubSpot refuses (an owner it will not assign, say) fails alone. Only a
   * whole-call outage or rate limit throws. Where tp_event_key is not unique, tasks go one by one.
   */
  abstract createTasks(inputs: readonly HsCreateTaskInput[]): Promise<HsCreateTaskOutcome[]>;

  /**
   * The task carrying this event key, or null. With `ticketId` the lookup stays consistent even where
   * the key property is not unique (it scans that ticket's tasks before searching).
   */
  abstract findTaskByEventKey(eventKey: string, ticketId?: string): Promise<HsTask | null>;

  /**
   * Uploads a file to HubSpot's file manager as PRIVATE (readable only through signed URLs) and
   * answers its id, for `attachmentIds`. Not idempotent: a retried upload makes a second file.
   */
  abstract uploadFile(input: HsUploadFileInput): Promise<HsFile>;

  /**
   * The file's bytes as a stream, through a short-lived signed URL the adapter uses at once (never
   * hand HubSpot's URL to a browser), or null when HubSpot has no such file (deleted, unknown id).
   */
  abstract fileDownload(fileId: string): Promise<HsFileDownload | null>;

  /**
   * Associates contacts with the ticket (HubSpot's default ticket→contact association: people in
   * copy). Idempotent: an association that exists stays as it is.
   */
  abstract associateContacts(ticketId: string, contactIds: readonly string[]): Promise<void>;

  /** Removes every association between the ticket and the contact. Idempotent. */
  abstract dissociateContact(ticketId: string, contactId: string): Promise<void>;

  /**
   * associateContacts for many tickets at once (the delivery worker's batches of people in copy):
   * one v4 batch associate-default per 1,000 pairs. Idempotent. Answers the pairs HubSpot refused
   * (a ticket or contact it no longer has), each with its error — a batch refused as a whole is
   * split until the refused pair stands alone; throws only when the whole call failed.
   */
  abstract associateContactsMany(pairs: readonly HsTicketContactPair[]): Promise<HsTicketContactRefusal[]>;

  /**
   * dissociateContact for many pairs: one v4 batch archive per 1,000 pairs. Idempotent (a pair
   * without an association, or with a record HubSpot no longer has, is nothing to remove). Answers
   * the pairs HubSpot refused, as associateContactsMany does.
   */
  abstract dissociateContactsMany(pairs: readonly HsTicketContactPair[]): Promise<HsTicketContactRefusal[]>;
}
