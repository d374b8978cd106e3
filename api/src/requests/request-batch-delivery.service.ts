import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AttachmentDeliveryService } from '../attachments/attachment-delivery.service';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotPort } from '../hubspot/hubspot.port';
import {
  type HsCreateTicketInput,
  type HsCustomerReplyBatchInput,
  type HsMessage,
  type HsTicket,
} from '../hubspot/hubspot.types';
import { noticeTicket, ticketNotices } from '../events/change-notice';
import { CustomerLinksRepository } from '../repositories/customer-links.repository';
import { type OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { inTransaction } from '../repositories/sql.util';
import { TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { TicketPeopleRequestsRepository } from '../repositories/ticket-people-requests.repository';
import { scopesOfRow, type TicketRow, TicketsRepository } from '../repositories/tickets.repository';
import { SyncProducer } from '../sync/sync.producer';
import { TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import { DeliveryGatherer, type GatheredBatch } from './delivery-gatherer';
import { DeliveryRecordSteps } from './delivery-record-steps.service';
import {
  claimedElsewhere,
  type ContactLinkOf,
  type DeliveryOutcome,
  fit,
  isBriefOutage,
  missingRequestKeyProperty,
  PermanentRefusal,
  PRE_REPLY_KEY_HANDOFFS,
  QUICK_RETRIES,
  reasonFor,
  type Refusal,
  type ReplyEmail,
  replyInputOf,
  type StageChange,
  unsentKeys,
} from './delivery-support';
import { PeopleBatchDeliveryService } from './people-batch-delivery.service';
import { RequestOutboxQueue } from './request-outbox.queue';
import { type FollowUp, ReplyFollowUpService, type ReplyStepsItem } from './reply-follow-up.service';

/** The per-record steps a batch hands rows to (RequestDeliveryService's, the one-by-one way). */
export interface OneByOneDelivery {
  deliverOne(row: OutboxRow): Promise<DeliveryOutcome>;
}

/**
 * Delivery of outbox rows in gathered batches (ADR 0015): requests, replies' emails and stage
 * changes, each kind in one HubSpot batch call and one commit. RequestDeliveryService.deliver
 * decides when a job gathers a batch and calls deliverGathered; rows a batch cannot take go back
 * to the one-by-one way through OneByOneDelivery.
 */
@Injectable()
export class RequestBatchDeliveryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly messages: TicketMessagesRepository,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly customerLinks: CustomerLinksRepository,
    private readonly port: HubSpotPort,
    private readonly producer: SyncProducer,
    private readonly outbox: RequestOutboxQueue,
    private readonly versions: TicketScopeVersionService,
    private readonly attachments: AttachmentDeliveryService,
    private readonly peopleRequests: TicketPeopleRequestsRepository,
    private readonly gatherer: DeliveryGatherer,
    private readonly config: AppConfig,
    private readonly shared: DeliveryRecordSteps,
    private readonly people: PeopleBatchDeliveryService,
    private readonly followUps: ReplyFollowUpService,
  ) {}

  /**
   * A job with batching on (ADR 0015): gathers the due rows of its kind (this one among them, unless
   * another batch already holds it) and delivers them together. Answers this row's outcome; when
   * another batch holds it, the job waits for that one like a reply waits for its ticket.
   */
  async deliverGathered(row: OutboxRow, perRecord: OneByOneDelivery): Promise<DeliveryOutcome> {
    const batch = await this.gatherer.gather(
      row.kind,
      this.config.deliveryBatchSize,
      this.config.deliveryBatchWindowMs,
      row.id,
    );
    let outcomes: Map<number, DeliveryOutcome | Error>;
    try {
      outcomes =
        row.kind === 'people'
          ? await this.people.deliverBatch(batch)
          : row.kind === 'create'
            ? await this.deliverCreateBatch(batch, perRecord)
            : row.kind === 'reply'
              ? await this.deliverReplyBatch(batch, perRecord)
              : await this.deliverStageBatch(batch);
    } finally {
      batch.close();
    }
    const own = outcomes.get(row.id);
    if (own instanceof Error) throw own;
    if (own !== undefined) return own;
    const now = await this.outboxRows.find(row.id);
    if (!now || now.state !== 'pending') return 'skipped';
    throw claimedElsewhere(row);
  }

  /**
   * Delivers a gathered batch of `create` rows: the requesters' contacts, then one createTickets (a
   * batch read by request key and a batch create per 100), then one commit for every ticket HubSpot
   * has. A record HubSpot refuses fails alone; a whole-call failure (an outage, a rate limit) gives
   * every row back with the try counted and throws. Answers each claimed row's outcome (an Error:
   * that row is retried by its own job).
   */
  private async deliverCreateBatch(
    batch: GatheredBatch,
    perRecord: OneByOneDelivery,
  ): Promise<Map<number, DeliveryOutcome | Error>> {
    const outcomes = new Map<number, DeliveryOutcome | Error>();
    const refusals = new Map<number, Refusal>();
    const plain: Array<{ row: OutboxRow; ticket: TicketRow }> = [];
    const single: OutboxRow[] = [];
    try {
      for (const row of batch.rows) {
        const ticket = await this.shared.ticket(row.ticket_id);
        if (!ticket) {
          outcomes.set(row.id, await this.shared.finish(row, 'skipped'));
        } else if (
          (await this.attachments.hasUnsent(ticket.id, null)) ||
          (await this.peopleRequests.pending(ticket.id)).length > 0
        ) {
          // Files and colleagues in copy take calls of their own: such a request goes the per-record way.
          single.push(row);
        } else if (ticket.hubspot_id !== null) {
          // A webhook mirrored it before an earlier attempt's commit.
          outcomes.set(row.id, await this.shared.finish(row, 'already-done'));
        } else {
          plain.push({ row, ticket });
        }
      }
      const made = await this.withQuickRetries((firstTry) => this.createBatch(plain, refusals, firstTry));
      if (made.length > 0) await this.gatherer.hubspotUp().catch(() => undefined);
      // The mirror takes these from HubSpot's answer: their creation webhooks need not read them again.
      await this.producer.markDelivered(made.map((m) => m.created)).catch(() => undefined);
      for (const { row } of made) await this.shared.afterHubSpotWrite?.(row.id, row.kind);
      const now = new Date();
      // One commit for the batch, by key only: READ COMMITTED takes no gap locks on the tickets'
      // indexes, which new rows and the mirror's upserts of a burst would deadlock with.
      await inTransaction(
        this.dataSource,
        async (m) => {
          for (const { row, ticket, link, created } of made) {
            await this.tickets.markCreated(m, ticket.id, created.ticket.id, link, now);
            // Made just now, it has no conversation the portal does not know: nothing to read when it is opened.
            if (created.created) await this.tickets.conversationSynced(m, ticket.id, now);
            await this.outboxRows.markDone(row.id, now, m);
          }
        },
        'READ COMMITTED',
      );
      for (const { row } of made) outcomes.set(row.id, 'delivered');
      await this.afterBatchCommit(made);
    } catch (error) {
      throw await this.failBatch(batch, error);
    }
    await this.settleRefusals(batch, refusals, outcomes);
    for (const row of single) {
      outcomes.set(row.id, await perRecord.deliverOne(row).catch((error: Error) => error));
    }
    // Whatever is still pending (a per-record delivery that will be retried) is free for its own job.
    await this.outboxRows.releaseClaim(batch.claimId).catch(() => undefined);
    return outcomes;
  }

  /**
   * The HubSpot side of a batch: each requester's contact (once per customer), the pipeline and stage
   * where the mirror had none, then createTickets. Refusals of single rows go into `refusals`;
   * answers the rows HubSpot has a ticket for.
   */
  private async createBatch(
    plain: ReadonlyArray<{ row: OutboxRow; ticket: TicketRow }>,
    refusals: Map<number, Refusal>,
    firstTry: boolean,
  ): Promise<
    Array<{
      row: OutboxRow;
      ticket: TicketRow;
      link: { contactId: string; companyId: string | null };
      created: { ticket: HsTicket; created: boolean };
    }>
  > {
    refusals.clear();
    const links = await this.shared.ensureContacts(
      plain.map(({ ticket }) => ticket.created_by_customer_id ?? ''),
    );
    const inputs: Array<{
      row: OutboxRow;
      ticket: TicketRow;
      link: ContactLinkOf;
      input: HsCreateTicketInput;
    }> = [];
    for (const { row, ticket } of plain) {
      const customerId = ticket.created_by_customer_id ?? '';
      const link = links.get(customerId)!;
      if (typeof link === 'string') {
        refusals.set(row.id, { reason: link, later: false });
        continue;
      }
      try {
        inputs.push({ row, ticket, link, input: await this.shared.createInputOf(ticket, link) });
      } catch (error) {
        if (!(error instanceof PermanentRefusal)) throw error;
        refusals.set(row.id, { reason: reasonFor(error), later: false });
      }
    }
    if (inputs.length === 0) return [];
    await this.shared.ensureRequestKeyProperty();
    const unsent = unsentKeys(inputs, firstTry, (i) => i.input.requestKey);
    let answers: Awaited<ReturnType<HubSpotPort['createTickets']>>;
    try {
      answers = await this.port.createTickets(
        inputs.map((i) => i.input),
        { unsent },
      );
    } catch (error) {
      // Refused as a whole for a reason no split could pin on one record: every request fails with it.
      if (!(error instanceof HubSpotError) || error.retryable || missingRequestKeyProperty(error)) {
        throw error;
      }
      answers = inputs.map(({ input }) => ({ requestKey: input.requestKey, ok: false, error }));
    }
    const made = [];
    for (const [index, answer] of answers.entries()) {
      const { row, ticket, link } = inputs[index]!;
      if (answer.ok) {
        made.push({ row, ticket, link, created: { ticket: answer.ticket, created: answer.created } });
      } else if (missingRequestKeyProperty(answer.error)) {
        throw answer.error;
      } else {
        refusals.set(row.id, { reason: reasonFor(answer.error), later: answer.error.retryable });
      }
    }
    return made;
  }

  /**
   * Delivers a gathered batch of replies (ADR 0015): their emails in one addCustomerReplies (a batch
   * read by reply key of what an earlier attempt may have logged, then one batch create per 100, the
   * associations inline), one commit of every email HubSpot has, then each reply's steps after its
   * email (the stage, the owner's task) one reply at a time in the order written. A reply HubSpot
   * refuses fails alone; a whole-call failure gives every row back with the try counted and throws.
   */
  private async deliverReplyBatch(
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
      const made = await this.withQuickRetries((firstTry) => this.logReplies(emails, refusals, firstTry));
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
      throw await this.failBatch(batch, error);
    }
    await this.settleRefusals(batch, refusals, outcomes);
    await this.replySteps(steps, logged, outcomes);
    await this.oneByOne(
      single.sort((a, b) => a.id - b.id),
      outcomes,
      (row) => perRecord.deliverOne(row),
    );
    await this.outboxRows.releaseClaim(batch.claimId).catch(() => undefined);
    return outcomes;
  }

  /**
   * The steps after the emails of a batch of replies (the stage, the owner's task), in batches
   * (ReplyFollowUpService.afterReplies), then one commit of the rows done. A row HubSpot could not
   * take a step of now (or all of them, when HubSpot is down) goes back to its own job, which resumes
   * at its first step not done.
   */
  private async replySteps(
    items: readonly ReplyStepsItem[],
    logged: ReadonlySet<number>,
    outcomes: Map<number, DeliveryOutcome | Error>,
  ): Promise<void> {
    if (items.length === 0) return;
    let results: Map<number, FollowUp | Error>;
    try {
      results = await this.followUps.afterReplies(items, (row, step) =>
        this.shared.afterHubSpotWrite
          ? this.shared.afterHubSpotWrite(row.id, row.kind, step)
          : Promise.resolve(),
      );
    } catch (error) {
      if (error instanceof HubSpotError && error.kind === 'unavailable') {
        await this.gatherer.hubspotDown(error).catch(() => undefined);
      }
      const failure = error instanceof Error ? error : new Error(String(error));
      results = new Map(items.map((i) => [i.row.id, failure]));
    }
    const now = new Date();
    const done = items.filter((i) => !(results.get(i.row.id) instanceof Error));
    await inTransaction(
      this.dataSource,
      async (m) => {
        for (const { row } of done) {
          await this.outboxRows.markDone(row.id, now, m, JSON.stringify(results.get(row.id)));
        }
      },
      'READ COMMITTED',
    );
    for (const { row } of items) {
      const result = results.get(row.id);
      if (result instanceof Error) {
        await this.outboxRows.recordAttempt(row.id, fit(result.message), now).catch(() => undefined);
        outcomes.set(row.id, result);
      } else {
        outcomes.set(row.id, logged.has(row.id) ? 'delivered' : 'already-done');
      }
    }
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

  /**
   * Delivers a gathered batch of closes and reopens (ADR 0015): the latest wish per ticket in one
   * updateTicketStages (one batch update per 100, then one batch read of the moved tickets), the
   * mirror in one write, then each reopen's task. A change waits while a reply written before it is
   * on its way (its own job delivers it after), and a later change of the same ticket supersedes it.
   * A ticket HubSpot refuses fails alone; a whole-call failure gives every row back and throws.
   */
  private async deliverStageBatch(batch: GatheredBatch): Promise<Map<number, DeliveryOutcome | Error>> {
    const outcomes = new Map<number, DeliveryOutcome | Error>();
    const refusals = new Map<number, Refusal>();
    const changes: StageChange[] = [];
    let moved: Array<StageChange & { snapshot: HsTicket }>;
    try {
      const waiting: number[] = [];
      for (const row of batch.rows) {
        if (await this.outboxRows.hasNewerStage(row)) {
          outcomes.set(row.id, await this.shared.finish(row, 'superseded'));
          continue;
        }
        const ticket = await this.shared.ticket(row.ticket_id);
        if (!ticket) outcomes.set(row.id, await this.shared.finish(row, 'skipped'));
        else if (await this.outboxRows.hasEarlierPendingReply(row)) waiting.push(row.id);
        else if (ticket.hubspot_id !== null) changes.push({ row, ticket });
      }
      if (waiting.length > 0) {
        // Order per ticket: these wait for a reply written before them, as the per-record way does.
        await this.outboxRows.releaseClaim(
          batch.claimId,
          waiting,
          'An earlier reply of this ticket is still on its way to HubSpot',
        );
      }
      const readStartedAt = new Date();
      moved = await this.withQuickRetries(() => this.moveStages(changes, refusals));
      if (moved.length > 0) await this.gatherer.hubspotUp().catch(() => undefined);
      for (const { row } of moved) await this.shared.afterHubSpotWrite?.(row.id, row.kind, 'stage');
      for (const { ticket } of moved) await this.tickets.clearStageFailure(ticket.id);
      await this.shared.mirrorMany(
        moved.map((m) => m.snapshot),
        readStartedAt,
        true,
      );
    } catch (error) {
      throw await this.failBatch(batch, error);
    }
    await this.settleRefusals(batch, refusals, outcomes);
    await this.stageSteps(moved, outcomes);
    await this.outboxRows.releaseClaim(batch.claimId).catch(() => undefined);
    return outcomes;
  }

  /**
   * After HubSpot moved a batch of tickets: the reopens' tasks in one batch create
   * (ReplyFollowUpService.afterReopens), then one commit of the rows done. A row whose task HubSpot
   * could not make now (or every row, when HubSpot is down) goes back to its own job: HubSpot has
   * the stage, the job moves it again (harmless) and makes the task.
   */
  private async stageSteps(
    moved: ReadonlyArray<StageChange & { snapshot: HsTicket }>,
    outcomes: Map<number, DeliveryOutcome | Error>,
  ): Promise<void> {
    if (moved.length === 0) return;
    let results: Map<number, FollowUp | null | Error>;
    try {
      results = await this.followUps.afterReopens(moved, (row, step) =>
        this.shared.afterHubSpotWrite
          ? this.shared.afterHubSpotWrite(row.id, row.kind, step)
          : Promise.resolve(),
      );
    } catch (error) {
      if (error instanceof HubSpotError && error.kind === 'unavailable') {
        await this.gatherer.hubspotDown(error).catch(() => undefined);
      }
      const failure = error instanceof Error ? error : new Error(String(error));
      results = new Map(moved.map((m) => [m.row.id, failure]));
    }
    const now = new Date();
    const done = moved.filter((m) => !(results.get(m.row.id) instanceof Error));
    await inTransaction(
      this.dataSource,
      async (m) => {
        for (const { row } of done) {
          const followUp = results.get(row.id);
          await this.outboxRows.markDone(row.id, now, m, followUp ? JSON.stringify(followUp) : undefined);
        }
      },
      'READ COMMITTED',
    );
    for (const { row } of moved) {
      const result = results.get(row.id);
      if (result instanceof Error) {
        await this.outboxRows.recordAttempt(row.id, fit(result.message), now).catch(() => undefined);
        outcomes.set(row.id, result);
      } else {
        outcomes.set(row.id, 'delivered');
      }
    }
    for (const { ticket } of done) await this.shared.bump(ticket, null);
  }

  /** The HubSpot side of a batch of stage changes: answers the tickets HubSpot moved. */
  private async moveStages(
    changes: readonly StageChange[],
    refusals: Map<number, Refusal>,
  ): Promise<Array<StageChange & { snapshot: HsTicket }>> {
    refusals.clear();
    if (changes.length === 0) return [];
    const inputs = changes.map(({ row, ticket }) => ({
      ticketId: ticket.hubspot_id!,
      stageId: row.target_stage_id!,
    }));
    let answers: Awaited<ReturnType<HubSpotPort['updateTicketStages']>>;
    try {
      answers = await this.port.updateTicketStages(inputs);
    } catch (error) {
      if (!(error instanceof HubSpotError) || error.retryable) throw error;
      answers = inputs.map(({ ticketId }) => ({ ticketId, ok: false, error }));
    }
    const moved: Array<StageChange & { snapshot: HsTicket }> = [];
    for (const [index, answer] of answers.entries()) {
      const change = changes[index]!;
      if (answer.ok) moved.push({ ...change, snapshot: answer.ticket });
      else refusals.set(change.row.id, { reason: reasonFor(answer.error), later: answer.error.retryable });
    }
    return moved;
  }

  /**
   * Runs the per-row part of a batch, one row at a time in the order given, each outcome (or error)
   * kept. When HubSpot fails a row in a way worth retrying (it is down), the rest are left to their
   * own jobs rather than each failing the same way.
   */
  private async oneByOne(
    rows: readonly OutboxRow[],
    outcomes: Map<number, DeliveryOutcome | Error>,
    work: (row: OutboxRow) => Promise<DeliveryOutcome>,
  ): Promise<void> {
    for (const row of rows) {
      const outcome = await work(row).catch((error: Error) => error);
      outcomes.set(row.id, outcome);
      if (outcome instanceof HubSpotError && outcome.retryable) return;
    }
  }

  /**
   * A whole batch failed (an outage, a rate limit): every row back to its job with the try counted.
   * An outage also holds the next batches back for a while (DeliveryGatherer.hubspotDown).
   */
  private async failBatch(batch: GatheredBatch, error: unknown): Promise<unknown> {
    const failure = missingRequestKeyProperty(error) ? this.shared.lostRequestKeyProperty(error) : error;
    if (failure instanceof HubSpotError && failure.kind === 'unavailable') {
      await this.gatherer.hubspotDown(failure).catch(() => undefined);
    }
    const reason = fit(failure instanceof Error ? failure.message : String(failure));
    await this.outboxRows.releaseClaim(batch.claimId, undefined, reason).catch(() => undefined);
    return failure;
  }

  /** The rows of a batch HubSpot refused: failed with HubSpot's reason, or (`later`) back to their jobs. */
  private async settleRefusals(
    batch: GatheredBatch,
    refusals: ReadonlyMap<number, Refusal>,
    outcomes: Map<number, DeliveryOutcome | Error>,
  ): Promise<void> {
    for (const [rowId, refusal] of refusals) {
      if (refusal.later) {
        // HubSpot could not take this record now (its own 5xx in a 207): the row's job tries again.
        await this.outboxRows.releaseClaim(batch.claimId, [rowId], refusal.reason);
        outcomes.set(rowId, new Error(`outbox ${rowId}: ${refusal.reason}`));
      } else {
        await this.shared.markFailed(
          batch.rows.find((r) => r.id === rowId)!,
          refusal.reason,
        );
        outcomes.set(rowId, 'failed');
      }
    }
  }

  /** After a batch's commit: HubSpot's answers into the mirror, the lists told, waiting replies promoted. */
  private async afterBatchCommit(
    made: ReadonlyArray<{
      ticket: TicketRow;
      link: { contactId: string; companyId: string | null };
      created: { ticket: HsTicket; created: boolean };
    }>,
  ): Promise<void> {
    if (made.length === 0) return;
    const readStartedAt = new Date();
    // A ticket made just now has no emails yet: only ones found from an earlier attempt may have some.
    const fresh = made.filter((m) => m.created.created).map((m) => m.created.ticket);
    const found = made.filter((m) => !m.created.created).map((m) => m.created.ticket);
    await this.shared.mirrorMany(fresh, readStartedAt, false);
    await this.shared.mirrorMany(found, readStartedAt, true);
    const changed = made.map(({ ticket, link }) =>
      noticeTicket(
        ticket.id,
        [...scopesOfRow(ticket), { contactId: link.contactId, companyId: link.companyId }],
        ticket.created_by_customer_id,
      ),
    );
    const scopes = made.flatMap(({ ticket, link }) => [
      ...scopesOfRow(ticket),
      { contactId: link.contactId, companyId: link.companyId },
    ]);
    await this.versions.bump(scopes, ticketNotices(changed)).catch(() => undefined);
    const waiting = await this.outboxRows.waitingForTickets(made.map((m) => m.ticket.id));
    await this.outbox.promote(waiting).catch(() => undefined);
  }

  /**
   * Runs `work` again after a brief HubSpot 5xx, twice at most (200 and 400 ms later). `work` learns
   * whether this is its first try: after a 5xx HubSpot may have written what it answered with an error.
   */
  private async withQuickRetries<T>(work: (firstTry: boolean) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await work(attempt === 1);
      } catch (error) {
        if (!isBriefOutage(error) || attempt >= QUICK_RETRIES) throw error;
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }
}
