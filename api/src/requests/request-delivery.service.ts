import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AttachmentDeliveryService, requestFilesKey } from '../attachments/attachment-delivery.service';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { type HsTicket } from '../hubspot/hubspot.types';
import { type OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { inTransaction } from '../repositories/sql.util';
import { type MessageRow, TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { TicketPeopleRequestsRepository } from '../repositories/ticket-people-requests.repository';
import { type TicketRow, TicketsRepository } from '../repositories/tickets.repository';
import { MirrorWriter } from '../sync/mirror-writer.service';
import { SyncProducer } from '../sync/sync.producer';
import { textToHtml } from './message-html';
import { DeliveryRecordSteps } from './delivery-record-steps.service';
import {
  claimedElsewhere,
  type DeliveryOutcome,
  fit,
  isBriefOutage,
  missingRequestKeyProperty,
  type OneByOneDelivery,
  PermanentRefusal,
  QUICK_RETRIES,
  reasonFor,
  replyInputOf,
  splitName,
} from './delivery-support';
import { RequestBatchDeliveryService } from './request-batch-delivery.service';
import { ReplyFollowUpService } from './reply-follow-up.service';
import { RequestOutboxQueue } from './request-outbox.queue';
import { type OutboxKind, WaitingForTicketError } from './requests.queue';

export type { DeliveryOutcome } from './delivery-support';

/**
 * The worker side of the outbox: delivers one row to HubSpot, exactly once in effect. HubSpot writes
 * are idempotent by key (tp_request_key on tickets, the reply key on emails), and the local commit
 * happens after HubSpot answered, so a crash in between ends in a retry that finds the record
 * HubSpot already has instead of creating a second one.
 *
 * `deliver` is the one entry point (RequestsProcessor). This class is the one-by-one way; batches
 * (ADR 0015) are RequestBatchDeliveryService (which hands each kind's batch to its service), and the
 * record steps both share DeliveryRecordSteps.
 */
@Injectable()
export class RequestDeliveryService {
  /** What a batch hands back to the one-by-one way. */
  private readonly oneByOne: OneByOneDelivery = {
    deliverOne: (row) => this.deliverOne(row),
  };

  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly messages: TicketMessagesRepository,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly port: HubSpotPort,
    private readonly writer: MirrorWriter,
    private readonly producer: SyncProducer,
    private readonly outbox: RequestOutboxQueue,
    private readonly attachments: AttachmentDeliveryService,
    private readonly followUps: ReplyFollowUpService,
    private readonly peopleRequests: TicketPeopleRequestsRepository,
    private readonly config: AppConfig,
    private readonly shared: DeliveryRecordSteps,
    private readonly batches: RequestBatchDeliveryService,
  ) {}

  /**
   * Test seam: runs after HubSpot accepted the write and before our commit (a throw here is a crash
   * at the worst moment). Null in production. Kept in DeliveryRecordSteps, which both ways call.
   */
  get afterHubSpotWrite():
    ((outboxId: number, kind: OutboxKind, step?: 'email' | 'stage' | 'task') => Promise<void>) | null {
    return this.shared.afterHubSpotWrite;
  }

  set afterHubSpotWrite(
    seam: ((outboxId: number, kind: OutboxKind, step?: 'email' | 'stage' | 'task') => Promise<void>) | null,
  ) {
    this.shared.afterHubSpotWrite = seam;
  }

  async deliver(outboxId: number): Promise<DeliveryOutcome> {
    const row = await this.outboxRows.find(outboxId);
    if (!row || row.state !== 'pending') return 'skipped';
    // Another batch is sending it: looking again shortly beats gathering a batch of whatever is left.
    if (Number(row.claimed) === 1) throw claimedElsewhere(row);
    if (this.config.deliveryBatchSize > 1 && (await this.gathers(row))) {
      return this.batches.deliverGathered(row, this.oneByOne);
    }
    return this.deliverOne(row);
  }

  /**
   * Whether this row's job gathers a batch (ADR 0015): a request always; a reply, stage change or
   * change of people in copy once its ticket is in HubSpot (until then it waits for the ticket, or
   * fails with it, on its own), and a stage change once the replies written before it are delivered
   * (until then it waits for them).
   */
  private async gathers(row: OutboxRow): Promise<boolean> {
    if (row.kind === 'create') return true;
    if (row.kind !== 'reply' && row.kind !== 'stage' && row.kind !== 'people') return false;
    if (((await this.shared.ticket(row.ticket_id))?.hubspot_id ?? null) === null) return false;
    return row.kind !== 'stage' || !(await this.outboxRows.hasEarlierPendingReply(row));
  }

  /** One row on its own, with today's per-record calls (DELIVERY_BATCH_SIZE=1, and rows a batch cannot take). */
  private async deliverOne(row: OutboxRow): Promise<DeliveryOutcome> {
    // A batch after this one reads HubSpot by key before creating: this attempt may reach it.
    await this.outboxRows.recordHandoff(row.id);
    try {
      return await this.deliverWithQuickRetries(row);
    } catch (error) {
      if (missingRequestKeyProperty(error)) throw this.shared.lostRequestKeyProperty(error);
      const permanent =
        error instanceof PermanentRefusal || (error instanceof HubSpotError && !error.retryable);
      if (permanent) {
        await this.shared.markFailed(row, reasonFor(error));
        return 'failed';
      }
      await this.outboxRows
        .recordAttempt(row.id, fit(error instanceof Error ? error.message : String(error)), new Date())
        .catch(() => undefined);
      throw error;
    }
  }

  /**
   * A delivery is several HubSpot calls (look the key up, then write); one flaky 5xx among them
   * should not cost the whole job a backoff. Brief server errors are retried here a couple of times;
   * rate limits, outages that name a wait, and everything else go back to BullMQ's backoff.
   */
  private async deliverWithQuickRetries(row: OutboxRow): Promise<DeliveryOutcome> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        switch (row.kind) {
          case 'create':
            return await this.deliverCreate(row);
          case 'reply':
            return await this.deliverReply(row);
          case 'stage':
            return await this.deliverStage(row);
          case 'people':
            return await this.deliverPeople(row);
          default:
            throw new PermanentRefusal(`Unknown outbox kind "${String(row.kind)}"`);
        }
      } catch (error) {
        if (!isBriefOutage(error) || attempt >= QUICK_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  private async deliverCreate(row: OutboxRow): Promise<DeliveryOutcome> {
    const ticket = await this.shared.ticket(row.ticket_id);
    if (!ticket) return this.shared.finish(row, 'skipped');
    // A webhook may have mirrored the new ticket before this commit; its files may still be on their way.
    if (ticket.hubspot_id !== null && !(await this.attachments.hasUnsent(ticket.id, null))) {
      return this.shared.finish(row, 'already-done');
    }
    const customer = await this.shared.customerOf(ticket.created_by_customer_id);
    const link = await this.shared.ensureContact(customer);
    const input = await this.shared.createInputOf(ticket, link);
    await this.shared.ensureRequestKeyProperty();
    // Files first, each HubSpot id committed as it comes (uploads are not idempotent; a retry reuses them).
    const files = await this.attachments.upload(ticket.id, null);
    if (!files.ok) throw new PermanentRefusal(files.problem);
    const readStartedAt = new Date();
    const { ticket: made, created: isNew } = await this.port.createTicket(input);
    // Colleagues in copy asked for with the request: on the ticket before it counts as delivered.
    const people = await this.deliverPeopleRequests(ticket.id, made.id);
    const created = people.changed ? ((await this.port.getTicket(made.id)) ?? made) : made;
    if (files.fileIds.length > 0) {
      // A HubSpot ticket cannot carry files itself: they go on an incoming email logged on it (ADR 0011),
      // idempotent by its reply key like any reply.
      const { firstName, lastName } = splitName(customer.name);
      const text = `Files attached to this request:\n${files.lines.join('\n')}`;
      await this.port.addCustomerReply(created.id, link.contactId, {
        text,
        html: textToHtml(text),
        from: { email: customer.email, firstName, lastName },
        subject: ticket.subject,
        sentAt: new Date(ticket.created_at),
        replyKey: requestFilesKey(ticket.request_key ?? `tp-local-${ticket.id}`),
        attachmentIds: files.fileIds,
      });
    }
    await this.shared.afterHubSpotWrite?.(row.id, row.kind);
    const now = new Date();
    await inTransaction(this.dataSource, async (m) => {
      await this.tickets.markCreated(m, ticket.id, created.id, link, now);
      // Made just now, it has no conversation the portal does not know (a files email is not one).
      if (isNew) await this.tickets.conversationSynced(m, ticket.id, now);
      await this.outboxRows.markDone(row.id, now, m);
      await this.attachments.markSent(m, files.attachmentIds, now);
      await this.peopleRequests.markDone(m, people.done, now);
    });
    // A ticket made just now has no emails yet: only one found from an earlier attempt may have some.
    await this.shared.mirror(created, readStartedAt, !isNew);
    await this.shared.bump(ticket, link);
    // Replies and stage changes typed meanwhile were waiting for this id.
    const waiting = await this.outboxRows.waitingFor(ticket.id);
    await this.outbox.promote(waiting).catch(() => undefined);
    return 'delivered';
  }

  /**
   * A reply is three steps, each idempotent and committed when done: the email (by its reply key),
   * then the stage (a ticket waiting on the customer or closed moves to the reply stage) and the
   * owner's task (by the same key) — ReplyFollowUpService. The row is done after the last one.
   */
  private async deliverReply(row: OutboxRow): Promise<DeliveryOutcome> {
    const found = row.message_id === null ? undefined : await this.messages.find(row.message_id);
    if (!found) return this.shared.finish(row, 'skipped');
    let message = found;
    const ticket = await this.shared.ticket(row.ticket_id);
    if (!ticket) return this.shared.finish(row, 'skipped');
    const hubspotId = this.requireHubSpotId(ticket);
    let outcome: DeliveryOutcome = 'already-done';
    if (message.hubspot_id !== null) {
      // A conversation refresh matched the email by its key before our commit (or an earlier attempt
      // committed it and stopped before the steps after it).
      await this.attachments.settleReply(message.id);
    } else {
      await this.deliverEmail(row, ticket, message, hubspotId);
      message = (await this.messages.find(message.id)) ?? message;
      outcome = 'delivered';
    }
    const followUp = await this.followUps.afterReply(row, ticket, message, hubspotId, (step) =>
      this.shared.afterHubSpotWrite
        ? this.shared.afterHubSpotWrite(row.id, row.kind, step)
        : Promise.resolve(),
    );
    await this.outboxRows.markDone(row.id, new Date(), undefined, JSON.stringify(followUp));
    // A close or reopen typed after this reply waited for it (order per ticket).
    const waiting = await this.outboxRows.waitingFor(ticket.id);
    await this.outbox.promote(waiting).catch(() => undefined);
    return outcome;
  }

  /** The reply's email, with its files; its HubSpot id is committed before the steps after it. */
  private async deliverEmail(
    row: OutboxRow,
    ticket: TicketRow,
    message: MessageRow,
    hubspotId: string,
  ): Promise<void> {
    const customer = await this.shared.customerOf(message.created_by_customer_id);
    const link = await this.shared.ensureContact(customer);
    const files = await this.attachments.upload(ticket.id, message.id);
    if (!files.ok) throw new PermanentRefusal(files.problem);
    // The reply key property on emails (tp_reply_key) is made with the others, before the first reply.
    await this.shared.ensureRequestKeyProperty();
    const result = await this.port.addCustomerReply(
      hubspotId,
      link.contactId,
      replyInputOf(ticket, message, customer, files.fileIds),
    );
    await this.shared.afterHubSpotWrite?.(row.id, row.kind, 'email');
    const now = new Date();
    await inTransaction(this.dataSource, async (m) => {
      await this.messages.markDelivered(m, message.id, result.message.id, now);
      await this.attachments.markSent(m, files.attachmentIds, now);
    });
    await this.producer.refreshConversation(hubspotId).catch(() => undefined);
    await this.shared.bump(ticket, null, [message.id]);
  }

  private async deliverStage(row: OutboxRow): Promise<DeliveryOutcome> {
    // A later close/reopen of the same ticket wins; this one need not reach HubSpot.
    if (await this.outboxRows.hasNewerStage(row)) return this.shared.finish(row, 'superseded');
    const ticket = await this.shared.ticket(row.ticket_id);
    if (!ticket) return this.shared.finish(row, 'skipped');
    const hubspotId = this.requireHubSpotId(ticket);
    // Order per ticket: a reply written before this close/reopen goes first, stage move included.
    if (await this.outboxRows.hasEarlierPendingReply(row)) {
      throw new WaitingForTicketError(`ticket ${ticket.id}: an earlier reply is still on its way to HubSpot`);
    }
    const readStartedAt = new Date();
    const snapshot = await this.port.updateTicketStage(hubspotId, row.target_stage_id!);
    await this.shared.afterHubSpotWrite?.(row.id, row.kind, 'stage');
    await this.tickets.clearStageFailure(ticket.id);
    await this.shared.mirror(snapshot, readStartedAt);
    return this.completeStage(row, ticket, snapshot);
  }

  /** After HubSpot moved the ticket: a reopen's task for the owner, then the row is done. */
  private async completeStage(
    row: OutboxRow,
    ticket: TicketRow,
    snapshot: HsTicket,
  ): Promise<DeliveryOutcome> {
    const followUp = await this.followUps.afterReopen(row, ticket, snapshot, (step) =>
      this.shared.afterHubSpotWrite
        ? this.shared.afterHubSpotWrite(row.id, row.kind, step)
        : Promise.resolve(),
    );
    await this.outboxRows.markDone(
      row.id,
      new Date(),
      undefined,
      followUp ? JSON.stringify(followUp) : undefined,
    );
    await this.shared.bump(ticket, null);
    return 'delivered';
  }

  /** Colleagues put in copy or taken off a ticket HubSpot has (POST/DELETE tickets/:id/people). */
  private async deliverPeople(row: OutboxRow): Promise<DeliveryOutcome> {
    const ticket = await this.shared.ticket(row.ticket_id);
    if (!ticket) return this.shared.finish(row, 'skipped');
    const hubspotId = this.requireHubSpotId(ticket);
    const people = await this.deliverPeopleRequests(ticket.id, hubspotId);
    await this.shared.afterHubSpotWrite?.(row.id, row.kind);
    const readStartedAt = new Date();
    const snapshot = people.changed ? await this.port.getTicket(hubspotId) : null;
    const now = new Date();
    await inTransaction(this.dataSource, async (m) => {
      await this.peopleRequests.markDone(m, people.done, now);
      await this.outboxRows.markDone(row.id, now, m);
    });
    // The mirror's ticket_contacts (and the people's scopes) follow HubSpot's answer.
    if (snapshot) await this.shared.mirror(snapshot, readStartedAt, false);
    await this.shared.bump(ticket, null);
    return 'delivered';
  }

  /**
   * The ticket's pending people requests, in order, against HubSpot: an added email is found or
   * created as a contact and associated with the ticket; a removed one is dissociated (an email
   * HubSpot has no contact for was on nobody's ticket). Each call is idempotent, so a retry after a
   * crash repeats them harmlessly. Returns the requests done and whether HubSpot changed.
   */
  private async deliverPeopleRequests(
    ticketId: number,
    hubspotTicketId: string,
  ): Promise<{ done: number[]; changed: boolean }> {
    const pending = await this.peopleRequests.pending(ticketId);
    const done: number[] = [];
    for (const request of pending) {
      if (request.action === 'add') {
        const readStartedAt = new Date();
        const contact =
          (await this.port.findContactByEmail(request.email)) ??
          (await this.port.createContact({ email: request.email }));
        await this.writer.upsertContacts([contact], readStartedAt);
        await this.port.associateContacts(hubspotTicketId, [contact.id]);
      } else {
        const contact = await this.port.findContactByEmail(request.email);
        if (contact) await this.port.dissociateContact(hubspotTicketId, contact.id);
      }
      done.push(request.id);
    }
    return { done, changed: done.length > 0 };
  }

  /** Replies and stage changes wait for their ticket to reach HubSpot (or fail with it). */
  private requireHubSpotId(ticket: TicketRow): string {
    if (ticket.hubspot_id !== null) return ticket.hubspot_id;
    if (ticket.sync_state === 'failed') {
      throw new PermanentRefusal(
        'Waiting for the ticket itself, which support did not accept yet. Retry the ticket to send both.',
      );
    }
    throw new WaitingForTicketError(`ticket ${ticket.id} is not in HubSpot yet`);
  }
}
