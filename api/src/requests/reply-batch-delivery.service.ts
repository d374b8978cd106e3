import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AttachmentDeliveryService } from '../attachments/attachment-delivery.service';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { type HsCustomerReplyBatchInput, type HsMessage } from '../hubspot/hubspot.types';
import { CustomerLinksRepository } from '../repositories/customer-links.repository';
import { type OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { inTransaction } from '../repositories/sql.util';
import { TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { SyncProducer } from '../sync/sync.producer';
import { BatchSettlement } from './batch-settlement.service';
import { DeliveryGatherer, type GatheredBatch } from './delivery-gatherer';
import { DeliveryRecordSteps } from './delivery-record-steps.service';
import {
  type DeliveryOutcome,
  missingRequestKeyProperty,
  type OneByOneDelivery,
  PRE_REPLY_KEY_HANDOFFS,
  reasonFor,
  type Refusal,
  type ReplyEmail,
  replyInputOf,
  unsentKeys,
} from './delivery-support';
import { RequestOutboxQueue } from './request-outbox.queue';
import { ReplyFollowUpService, type ReplyStepsItem } from './reply-follow-up.service';

/**
 * Delivery of `reply` rows in gathered batches (ADR 0015, decisions 10 and 14): the emails in one
 * HubSpot batch call and one commit, then the steps after them in batches.
 * RequestBatchDeliveryService.deliverGathered hands it the batch; rows a batch cannot take go back
 * to the one-by-one way through OneByOneDelivery.
 */
@Injectable()
export class ReplyBatchDeliveryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly messages: TicketMessagesRepository,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly customerLinks: CustomerLinksRepository,
    private readonly port: HubSpotPort,
    private readonly producer: SyncProducer,
    private readonly outbox: RequestOutboxQueue,
    private readonly attachments: AttachmentDeliveryService,
    private readonly gatherer: DeliveryGatherer,
    private readonly shared: DeliveryRecordSteps,
    private readonly settlement: BatchSettlement,
    private readonly followUps: ReplyFollowUpService,
  ) {}

  /**
   * Delivers a gathered batch of replies (ADR 0015): their emails in one addCustomerReplies (a batch
   * read by reply key of what an earlier attempt may have logged, then one batch create per 100, the
   * associations inline), one commit of every email HubSpot has, then each reply's steps after its
   * email (the stage, the owner's task) one reply at a time in the order written. A reply HubSpot
   * refuses fails alone; a whole-call failure gives every row back with the try counted and throws.
   */
  async deliverBatch(
    batch: GatheredBatch,
    perRecord: OneByOneDelivery,
  ): Promise<Map<number, DeliveryOutcome | Error>> {
    const outcomes = new Map<number, DeliveryOutcome | Error>();
    const refusals = new Map<number, Refusal>();
    const emails: ReplyEmail[] = [];
    // Rows whose email HubSpot has (logged by this batch or an earlier try): the steps after it, together.
    const steps: ReplyStepsItem[] = [];
    // Rows with files, or from before the reply key: one by one after, email included.
    const single: OutboxRow[] = [];
    const logged = new Set<number>();
    try {
      for (const row of batch.rows) {
        const message = row.message_id === null ? undefined : await this.messages.find(row.message_id);
        const ticket = await this.shared.ticket(row.ticket_id);
        if (!message || !ticket) {
          outcomes.set(row.id, await this.shared.finish(row, 'skipped'));
        } else if (message.hubspot_id !== null && ticket.hubspot_id !== null) {
          await this.attachments.settleReply(message.id);
          steps.push({ row, ticket, message, hubspotId: ticket.hubspot_id });
        } else if (
          message.hubspot_id !== null ||
          Number(row.handoffs) >= PRE_REPLY_KEY_HANDOFFS ||
          (await this.attachments.hasUnsent(ticket.id, message.id))
        ) {
          single.push(row);
        } else if (ticket.hubspot_id !== null) {
          emails.push({ row, ticket, message });
        }
      }
      const made = await this.settlement.withQuickRetries((firstTry) =>
        this.logReplies(emails, refusals, firstTry),
      );
      if (made.length > 0) await this.gatherer.hubspotUp().catch(() => undefined);
      for (const { row } of made) await this.shared.afterHubSpotWrite?.(row.id, row.kind, 'email');
      const now = new Date();
      await inTransaction(
        this.dataSource,
        async (m) => {
          for (const { message, logged: email } of made) {
            await this.messages.markDelivered(m, message.id, email.id, now);
          }
        },
        'READ COMMITTED',
      );
      for (const hubspotId of new Set(made.map((e) => e.ticket.hubspot_id!))) {
        await this.producer.refreshConversation(hubspotId).catch(() => undefined);
      }
      for (const { ticket, message } of made) await this.shared.bump(ticket, null, [message.id]);
      for (const { row, ticket, message, logged: email } of made) {
        logged.add(row.id);
        steps.push({
          row,
          ticket,
          message: { ...message, hubspot_id: email.id },
          hubspotId: ticket.hubspot_id!,
        });
      }
    } catch (error) {
      throw await this.settlement.failBatch(batch, error);
    }
    await this.settlement.settleRefusals(batch, refusals, outcomes);
    await this.replySteps(steps, logged, outcomes);
    await this.settlement.oneByOne(
      single.sort((a, b) => a.id - b.id),
      outcomes,
      (row) => perRecord.deliverOne(row),
    );
    await this.outboxRows.releaseClaim(batch.claimId).catch(() => undefined);
    return outcomes;
  }

  /**
   * The steps after the emails of a batch of replies (the stage, the owner's task), in batches
   * (ReplyFollowUpService.afterReplies), then one commit of the rows done (BatchSettlement.settleSteps).
   * A row HubSpot could not take a step of now (or all of them, when HubSpot is down) goes back to its
   * own job, which resumes at its first step not done.
   */
  private async replySteps(
    items: readonly ReplyStepsItem[],
    logged: ReadonlySet<number>,
    outcomes: Map<number, DeliveryOutcome | Error>,
  ): Promise<void> {
    if (items.length === 0) return;
    const done = await this.settlement.settleSteps(
      items,
      (seam) => this.followUps.afterReplies(items, seam),
      (row) => (logged.has(row.id) ? 'delivered' : 'already-done'),
      outcomes,
    );
    // A close or reopen typed after these replies waited for them (order per ticket).
    const waiting = await this.outboxRows.waitingForTickets([...new Set(done.map((i) => i.ticket.id))]);
    await this.outbox.promote(waiting).catch(() => undefined);
  }

  /**
   * The HubSpot side of a batch of replies: the writers' contacts (once per customer), then
   * addCustomerReplies. Refusals of single rows go into `refusals`; answers the replies HubSpot has.
   */
  private async logReplies(
    emails: readonly ReplyEmail[],
    refusals: Map<number, Refusal>,
    firstTry: boolean,
  ): Promise<Array<ReplyEmail & { logged: HsMessage }>> {
    refusals.clear();
    if (emails.length === 0) return [];
    const links = await this.shared.ensureContacts(emails.map((e) => e.message.created_by_customer_id ?? ''));
    const inputs: Array<ReplyEmail & { input: HsCustomerReplyBatchInput }> = [];
    for (const e of emails) {
      const link = links.get(e.message.created_by_customer_id ?? '')!;
      const customer = await this.customerLinks.find(e.message.created_by_customer_id ?? '');
      if (typeof link === 'string' || !customer) {
        refusals.set(e.row.id, {
          reason: typeof link === 'string' ? link : 'The portal account that wrote this no longer exists.',
          later: false,
        });
        continue;
      }
      inputs.push({
        ...e,
        input: {
          ticketId: e.ticket.hubspot_id!,
          contactId: link.contactId,
          reply: replyInputOf(e.ticket, e.message, customer),
        },
      });
    }
    if (inputs.length === 0) return [];
    await this.shared.ensureRequestKeyProperty();
    const unsent = unsentKeys(inputs, firstTry, (i) => i.input.reply.replyKey);
    let answers: Awaited<ReturnType<HubSpotPort['addCustomerReplies']>>;
    try {
      answers = await this.port.addCustomerReplies(
        inputs.map((i) => i.input),
        { unsent },
      );
    } catch (error) {
      // Refused as a whole for a reason no split could pin on one record: every reply fails with it.
      if (!(error instanceof HubSpotError) || error.retryable || missingRequestKeyProperty(error)) {
        throw error;
      }
      answers = inputs.map(({ input }) => ({ replyKey: input.reply.replyKey, ok: false, error }));
    }
    const made: Array<ReplyEmail & { logged: HsMessage }> = [];
    for (const [index, answer] of answers.entries()) {
      const { row, ticket, message } = inputs[index]!;
      if (answer.ok) made.push({ row, ticket, message, logged: answer.message });
      else if (missingRequestKeyProperty(answer.error)) throw answer.error;
      else refusals.set(row.id, { reason: reasonFor(answer.error), later: answer.error.retryable });
    }
    return made;
  }
}
