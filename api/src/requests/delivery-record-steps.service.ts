import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { type HsContact, type HsCreateTicketInput, type HsTicket } from '../hubspot/hubspot.types';
import { ContactLinkService } from '../sync/contact-link.service';
import { type ChangeNotice, noticeTicket, ticketNotices } from '../events/change-notice';
import { CustomerLinksRepository, type CustomerLinkRow } from '../repositories/customer-links.repository';
import { type OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { inTransaction } from '../repositories/sql.util';
import { TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { TicketPeopleRequestsRepository } from '../repositories/ticket-people-requests.repository';
import { scopesOfRow, type TicketRow, TicketsRepository } from '../repositories/tickets.repository';
import { primaryCompanyOf } from '../sync/mirror-row.mapper';
import { MirrorWriter } from '../sync/mirror-writer.service';
import { TicketSyncService } from '../sync/ticket-sync.service';
import { TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import {
  type ContactLinkOf,
  type DeliveryOutcome,
  PermanentRefusal,
  reasonFor,
  splitName,
} from './delivery-support';
import { HubSpotStagesService } from './portal-stages.service';
import { type OutboxKind } from './requests.queue';

/**
 * The record steps both ways of delivering share (RequestDeliveryService one by one,
 * RequestBatchDeliveryService and the kinds' batch services in batches): the request's HubSpot
 * input, the customer's contact, finishing or failing a row, the mirror and the lists told after a
 * commit, and the test seam.
 */
@Injectable()
export class DeliveryRecordSteps {
  // The log context delivery always had.
  private readonly logger = new Logger('RequestDeliveryService');

  /**
   * Test seam: runs after HubSpot accepted the write and before our commit (a throw here is a crash
   * at the worst moment). Null in production. Set through RequestDeliveryService.afterHubSpotWrite.
   */
  afterHubSpotWrite:
    ((outboxId: number, kind: OutboxKind, step?: 'email' | 'stage' | 'task') => Promise<void>) | null = null;

  private requestKeyPropertyReady = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly messages: TicketMessagesRepository,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly customerLinks: CustomerLinksRepository,
    private readonly port: HubSpotPort,
    private readonly contactLinks: ContactLinkService,
    private readonly writer: MirrorWriter,
    private readonly ticketSync: TicketSyncService,
    private readonly stages: HubSpotStagesService,
    private readonly versions: TicketScopeVersionService,
    private readonly peopleRequests: TicketPeopleRequestsRepository,
  ) {}

  /** Someone deleted the property in HubSpot: create it again and retry, never send without it. */
  lostRequestKeyProperty(error: unknown): Error {
    this.requestKeyPropertyReady = false;
    return new Error('HubSpot lost the tp_request_key property; it is created again before the retry', {
      cause: error,
    });
  }

  /**
   * What HubSpot is asked to create for a request: its fields, the requester's contact and company,
   * and the pipeline and stage the mirror gave it (the portal's, resolved now, for a request written
   * before the mirror knew them). A portal setting that does not fit HubSpot is a PermanentRefusal.
   */
  async createInputOf(ticket: TicketRow, link: ContactLinkOf): Promise<HsCreateTicketInput> {
    let pipelineId = ticket.pipeline_id;
    let stageId = ticket.stage_id;
    if (pipelineId === null || stageId === null) {
      const resolved = await this.stages.resolve();
      if (!resolved.ok) {
        throw new PermanentRefusal(`The portal's HubSpot settings are wrong: ${resolved.problem}`);
      }
      pipelineId = resolved.stages.pipelineId;
      stageId = ticket.is_closed ? resolved.stages.closedStageId : resolved.stages.newStageId;
    }
    return {
      subject: ticket.subject,
      content: ticket.content ?? '',
      pipelineId,
      stageId,
      priority: ticket.priority,
      category: ticket.category,
      contactId: link.contactId,
      companyId: link.companyId,
      requestKey: ticket.request_key ?? `tp-local-${ticket.id}`,
    };
  }

  /**
   * The requesters' HubSpot contacts for a batch, once per customer (ADR 0015): a linked account's
   * as it is; the others found by email in one batch read, the rest created in one batch create,
   * mirrored and linked as contact-link does. A customer HubSpot refuses maps to the reason.
   */
  async ensureContacts(customerIds: readonly string[]): Promise<Map<string, ContactLinkOf | string>> {
    const links = new Map<string, ContactLinkOf | string>();
    const unlinked: CustomerLinkRow[] = [];
    for (const id of new Set(customerIds)) {
      const customer = id ? await this.customerLinks.find(id) : undefined;
      if (!customer) links.set(id, 'The portal account that wrote this no longer exists.');
      else if (customer.hubspot_contact_id) {
        links.set(id, { contactId: customer.hubspot_contact_id, companyId: customer.hubspot_company_id });
      } else unlinked.push(customer);
    }
    if (unlinked.length === 0) return links;
    const emailOf = (c: CustomerLinkRow): string => c.email.trim().toLowerCase();
    const readStartedAt = new Date();
    const found = await this.port.findContactsByEmails(unlinked.map(emailOf));
    const missing = unlinked.filter((c) => !found.has(emailOf(c)));
    const created =
      missing.length > 0
        ? await this.port.createContacts(missing.map((c) => ({ email: emailOf(c), ...splitName(c.name) })))
        : new Map<string, HsContact | HubSpotError>();
    const contacts = [
      ...found.values(),
      ...[...created.values()].filter((c): c is HsContact => !(c instanceof HubSpotError)),
    ];
    await this.writer.upsertContacts(contacts, readStartedAt);
    for (const customer of unlinked) {
      const contact = found.get(emailOf(customer)) ?? created.get(emailOf(customer));
      if (contact === undefined || contact instanceof HubSpotError) {
        if (contact === undefined || contact.retryable) {
          throw contact ?? new Error(`HubSpot did not answer for the contact of account ${customer.id}`);
        }
        links.set(customer.id, reasonFor(contact));
        continue;
      }
      const link = { contactId: contact.id, companyId: primaryCompanyOf(contact) };
      await this.contactLinks.storeLink(customer.id, link);
      const current = await this.customerLinks.find(customer.id);
      links.set(
        customer.id,
        current?.hubspot_contact_id
          ? { contactId: current.hubspot_contact_id, companyId: current.hubspot_company_id }
          : link,
      );
    }
    return links;
  }

  /**
   * tp_request_key must exist before the first create (the worker's start-up chores create it in the
   * background, and may not have managed yet). Once per process; an outage is retried like any call.
   */
  async ensureRequestKeyProperty(): Promise<void> {
    if (this.requestKeyPropertyReady) return;
    await this.port.ensureCustomProperties();
    this.requestKeyPropertyReady = true;
  }

  /** The customer's HubSpot contact: linked, found by email, or created (then linked like contact-link does). */
  async ensureContact(customer: CustomerLinkRow): Promise<{ contactId: string; companyId: string | null }> {
    if (customer.hubspot_contact_id) {
      return { contactId: customer.hubspot_contact_id, companyId: customer.hubspot_company_id };
    }
    let link = await this.contactLinks.linkCustomerToContact(customer.email);
    if (!link) {
      const { firstName, lastName } = splitName(customer.name);
      const readStartedAt = new Date();
      const contact = await this.port.createContact({ email: customer.email, firstName, lastName });
      await this.writer.upsertContacts([contact], readStartedAt);
      link = { contactId: contact.id, companyId: primaryCompanyOf(contact) };
    }
    await this.contactLinks.storeLink(customer.id, link);
    const current = await this.customerLinks.find(customer.id);
    if (current?.hubspot_contact_id) {
      return { contactId: current.hubspot_contact_id, companyId: current.hubspot_company_id };
    }
    return link;
  }

  async customerOf(customerId: string | null): Promise<CustomerLinkRow> {
    const customer = customerId ? await this.customerLinks.find(customerId) : undefined;
    if (!customer) throw new PermanentRefusal('The portal account that wrote this no longer exists.');
    return customer;
  }

  ticket(id: number): Promise<TicketRow | undefined> {
    return this.tickets.find(id);
  }

  async finish(row: OutboxRow, outcome: DeliveryOutcome): Promise<DeliveryOutcome> {
    await this.outboxRows.markDone(row.id, new Date());
    return outcome;
  }

  async markFailed(row: OutboxRow, reason: string): Promise<void> {
    const now = new Date();
    this.logger.warn(`outbox ${row.id} (${row.kind}, ticket ${row.ticket_id}) refused: ${reason}`);
    await inTransaction(this.dataSource, async (m) => {
      await this.outboxRows.markFailed(m, row.id, reason, now);
      if (row.kind === 'reply') {
        // A reply whose email HubSpot has (a step after it was refused) is not a failed message.
        const message = row.message_id === null ? undefined : await this.messages.find(row.message_id);
        if (message && message.hubspot_id === null) {
          await this.messages.markFailed(m, message.id, reason, now);
        }
      } else if (row.kind === 'people') {
        // A colleague HubSpot refused (an email it will not take): the ticket itself is fine.
        const pending = await this.peopleRequests.pending(row.ticket_id, m);
        await this.peopleRequests.markFailed(
          pending.map((p) => p.id),
          reason,
          now,
          m,
        );
      } else {
        await this.tickets.markFailed(m, row.ticket_id, reason, now);
      }
    });
    const ticket = await this.ticket(row.ticket_id);
    if (ticket) {
      await this.bump(ticket, null, row.kind === 'reply' && row.message_id !== null ? [row.message_id] : []);
    }
  }

  /** HubSpot's answers for many tickets into the mirror, in one guarded write. */
  async mirrorMany(tickets: HsTicket[], readStartedAt: Date, conversations: boolean): Promise<void> {
    if (tickets.length === 0) return;
    try {
      await this.ticketSync.apply(tickets, readStartedAt, { conversations });
    } catch (error) {
      this.logger.warn(
        `Could not mirror ${tickets.length} new ticket(s) right away (${error instanceof Error ? error.message : String(error)}); sync brings them`,
      );
    }
  }

  /** Writes HubSpot's answer into the mirror now (webhooks would bring it too, a little later). */
  async mirror(ticket: HsTicket, readStartedAt: Date, conversations = true): Promise<void> {
    try {
      await this.ticketSync.apply([ticket], readStartedAt, { conversations });
    } catch (error) {
      this.logger.warn(
        `Could not mirror ticket ${ticket.id} right away (${error instanceof Error ? error.message : String(error)}); sync brings it`,
      );
    }
  }

  /** After a commit: the list's scope versions move and open portals hear of the ticket (ADR 0009). */
  async bump(
    ticket: TicketRow,
    link: { contactId: string; companyId: string | null } | null,
    messageIds: number[] = [],
  ): Promise<void> {
    const scopes = scopesOfRow(ticket);
    if (link) scopes.push({ contactId: link.contactId, companyId: link.companyId });
    const changed = noticeTicket(ticket.id, scopes, ticket.created_by_customer_id);
    const notices: ChangeNotice[] = ticketNotices([changed]);
    if (messageIds.length > 0) notices.push({ k: 'm', t: changed, a: messageIds, r: 0 });
    await this.versions.bump(scopes, notices).catch(() => undefined);
  }
}
