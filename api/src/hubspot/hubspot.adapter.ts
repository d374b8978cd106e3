import { HubSpotPort } from './hubspot.port';
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
import { HubSpotAccount } from './adapter/account.adapter';
import { HubSpotAssociations } from './adapter/associations.adapter';
import { HubSpotContacts } from './adapter/contacts.adapter';
import { HubSpotConversation } from './adapter/conversation.adapter';
import { HubSpotFiles } from './adapter/files.adapter';
import { HubSpotCalls, type HubSpotAdapterOptions } from './adapter/hubspot-calls';
import { HubSpotReplyBatches } from './adapter/reply-batches.adapter';
import { ReplyKeyProperty } from './adapter/reply-key-property';
import { HubSpotTasks } from './adapter/tasks.adapter';
import { HubSpotTicketBatches } from './adapter/ticket-batches.adapter';
import { HubSpotTickets } from './adapter/tickets.adapter';

export { type HubSpotAdapterOptions, type HubSpotCallEvent } from './adapter/hubspot-calls';

/**
 * HubSpotPort over @hubspot/api-client. This class only composes; each area of HubSpot lives in its
 * own file under adapter/ (the only files besides this one that import the SDK), and every SDK call
 * goes through adapter/hubspot-calls.ts (limiter, timeout, error classification, metrics).
 */
export class HubSpotAdapter extends HubSpotPort {
  private readonly calls: HubSpotCalls;
  private readonly associations: HubSpotAssociations;
  private readonly tickets: HubSpotTickets;
  private readonly ticketBatches: HubSpotTicketBatches;
  private readonly account: HubSpotAccount;
  private readonly contacts: HubSpotContacts;
  private readonly files: HubSpotFiles;
  private readonly conversation: HubSpotConversation;
  private readonly replyBatches: HubSpotReplyBatches;
  private readonly tasks: HubSpotTasks;

  constructor(options: HubSpotAdapterOptions) {
    super();
    this.calls = new HubSpotCalls(options);
    this.associations = new HubSpotAssociations(this.calls);
    this.tickets = new HubSpotTickets(this.calls, this.associations);
    this.ticketBatches = new HubSpotTicketBatches(this.calls, this.associations, this.tickets);
    const replyKeys = new ReplyKeyProperty(this.calls);
    this.account = new HubSpotAccount(this.calls, options.companyScopeProperty, replyKeys);
    this.contacts = new HubSpotContacts(this.calls, this.associations, options.companyScopeProperty);
    this.files = new HubSpotFiles(this.calls);
    this.conversation = new HubSpotConversation(this.calls, this.associations, this.files, replyKeys);
    this.replyBatches = new HubSpotReplyBatches(this.calls, this.conversation, this.files, replyKeys);
    this.tasks = new HubSpotTasks(this.calls, this.associations);
  }

  // ---- tickets (adapter/tickets.adapter.ts, adapter/ticket-batches.adapter.ts) ----------------

  getTicketsByIds(ids: readonly string[]): Promise<HsTicket[]> {
    return this.tickets.getTicketsByIds(ids);
  }

  getTicket(id: string): Promise<HsTicket | null> {
    return this.tickets.getTicket(id);
  }

  searchTicketsModifiedSince(sinceMs: number, cursor?: string): Promise<HsTicketPage> {
    return this.tickets.searchTicketsModifiedSince(sinceMs, cursor);
  }

  listTickets(cursor?: string): Promise<HsTicketPage> {
    return this.tickets.listTickets(cursor);
  }

  findTicketByRequestKey(requestKey: string, contactId?: string): Promise<HsTicket | null> {
    return this.tickets.findTicketByRequestKey(requestKey, contactId);
  }

  createTicket(input: HsCreateTicketInput): Promise<HsCreateTicketResult> {
    return this.tickets.createTicket(input);
  }

  updateTicketStage(ticketId: string, stageId: string): Promise<HsTicket> {
    return this.tickets.updateTicketStage(ticketId, stageId);
  }

  createTickets(
    inputs: readonly HsCreateTicketInput[],
    options?: HsBatchCreateOptions,
  ): Promise<HsCreateTicketOutcome[]> {
    return this.ticketBatches.createTickets(inputs, options);
  }

  updateTicketStages(inputs: readonly HsStageChangeInput[]): Promise<HsStageChangeOutcome[]> {
    return this.ticketBatches.updateTicketStages(inputs);
  }

  findTicketsByRequestKeys(requestKeys: readonly string[]): Promise<Map<string, HsTicket>> {
    return this.ticketBatches.findTicketsByRequestKeys(requestKeys);
  }

  // ---- pipelines, owners, properties (adapter/account.adapter.ts) ------------------------------

  getPipelines(): Promise<HsPipeline[]> {
    return this.account.getPipelines();
  }

  getOwners(): Promise<HsOwner[]> {
    return this.account.getOwners();
  }

  getTicketProperties(): Promise<HsTicketPropertyOptions> {
    return this.account.getTicketProperties();
  }

  ensureCustomProperties(): Promise<HsEnsurePropertiesResult> {
    return this.account.ensureCustomProperties();
  }

  // ---- contacts and companies (adapter/contacts.adapter.ts) ------------------------------------

  getContactsByIds(ids: readonly string[]): Promise<HsContact[]> {
    return this.contacts.getContactsByIds(ids);
  }

  getContactCompanies(ids: readonly string[]): Promise<Map<string, string | null>> {
    return this.contacts.getContactCompanies(ids);
  }

  findContactByEmail(email: string): Promise<HsContact | null> {
    return this.contacts.findContactByEmail(email);
  }

  createContact(input: HsCreateContactInput): Promise<HsContact> {
    return this.contacts.createContact(input);
  }

  findContactsByEmails(emails: readonly string[]): Promise<Map<string, HsContact>> {
    return this.contacts.findContactsByEmails(emails);
  }

  createContacts(inputs: readonly HsCreateContactInput[]): Promise<Map<string, HsContact | HubSpotError>> {
    return this.contacts.createContacts(inputs);
  }

  getCompaniesByIds(ids: readonly string[]): Promise<HsCompany[]> {
    return this.contacts.getCompaniesByIds(ids);
  }

  // ---- conversation (adapter/conversation.adapter.ts, adapter/reply-batches.adapter.ts) --------

  getTicketConversation(ticketId: string): Promise<HsMessage[]> {
    return this.conversation.getTicketConversation(ticketId);
  }

  getTicketConversations(ticketIds: readonly string[]): Promise<Map<string, HsMessage[]>> {
    return this.conversation.getTicketConversations(ticketIds);
  }

  addCustomerReply(
    ticketId: string,
    contactId: string,
    reply: HsCustomerReplyInput,
  ): Promise<HsCustomerReplyResult> {
    return this.conversation.addCustomerReply(ticketId, contactId, reply);
  }

  addCustomerReplies(
    inputs: readonly HsCustomerReplyBatchInput[],
    options?: HsBatchCreateOptions,
  ): Promise<HsCustomerReplyOutcome[]> {
    return this.replyBatches.addCustomerReplies(inputs, options);
  }

  // ---- tasks (adapter/tasks.adapter.ts) ----------------------------------------------------------

  createTask(input: HsCreateTaskInput): Promise<HsCreateTaskResult> {
    return this.tasks.createTask(input);
  }

  createTasks(inputs: readonly HsCreateTaskInput[]): Promise<HsCreateTaskOutcome[]> {
    return this.tasks.createTasks(inputs);
  }

  findTaskByEventKey(eventKey: string, ticketId?: string): Promise<HsTask | null> {
    return this.tasks.findTaskByEventKey(eventKey, ticketId);
  }

  // ---- files (adapter/files.adapter.ts) ----------------------------------------------------------

  uploadFile(input: HsUploadFileInput): Promise<HsFile> {
    return this.files.uploadFile(input);
  }

  fileDownload(fileId: string): Promise<HsFileDownload | null> {
    return this.files.fileDownload(fileId);
  }

  // ---- associations (adapter/associations.adapter.ts) --------------------------------------------

  associateContacts(ticketId: string, contactIds: readonly string[]): Promise<void> {
    return this.associations.associateContacts(ticketId, contactIds);
  }

  dissociateContact(ticketId: string, contactId: string): Promise<void> {
    return this.associations.dissociateContact(ticketId, contactId);
  }

  associateContactsMany(pairs: readonly HsTicketContactPair[]): Promise<HsTicketContactRefusal[]> {
    return this.associations.associateContactsMany(pairs);
  }

  dissociateContactsMany(pairs: readonly HsTicketContactPair[]): Promise<HsTicketContactRefusal[]> {
    return this.associations.dissociateContactsMany(pairs);
  }
}
