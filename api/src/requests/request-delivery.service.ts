import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AttachmentDeliveryService, requestFilesKey } from '../attachments/attachment-delivery.service';
import { HubSpotError } from '../hubspot/hubspot-error';
import { REPLY_KEY_PROPERTY, REQUEST_KEY_PROPERTY } from '../hubspot/hubspot.constants';
import { HubSpotPort } from '../hubspot/hubspot.port';
import {
  type HsContact,
  type HsCreateTicketInput,
  type HsCustomerReplyBatchInput,
  type HsCustomerReplyInput,
  type HsMessage,
  type HsTicket,
} from '../hubspot/hubspot.types';
import { ContactLinkService } from '../sync/contact-link.service';
import { type ChangeNotice, noticeTicket, ticketNotices } from '../events/change-notice';
import { CustomerLinksRepository, type CustomerLinkRow } from '../repositories/customer-links.repository';
import { type OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { inTransaction } from '../repositories/sql.util';
import { type MessageRow, TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { TicketPeopleRequestsRepository } from '../repositories/ticket-people-requests.repository';
import { scopesOfRow, type TicketRow, TicketsRepository } from '../repositories/tickets.repository';
import { primaryCompanyOf } from '../sync/mirror-row.mapper';
import { MirrorWriter } from '../sync/mirror-writer.service';
import { SyncProducer } from '../sync/sync.producer';
import { TicketSyncService } from '../sync/ticket-sync.service';
import { TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import { textToHtml } from './message-html';
import { DeliveryGatherer, type GatheredBatch } from './delivery-gatherer';
import { HubSpotStagesService } from './portal-stages.service';
import { ReplyFollowUpService } from './reply-follow-up.service';
import { RequestOutboxQueue } from './request-outbox.queue';
import { type OutboxKind, WaitingForTicketError } from './requests.queue';

export type DeliveryOutcome = 'delivered' | 'already-done' | 'superseded' | 'failed' | 'skipped';

/** Tries of one job attempt before a brief HubSpot 5xx goes back to the queue's backoff. */
const QUICK_RETRIES = 3;

/**
 * `handoffs` the upgrade gave reply rows pending then (migration OutboxHandoffs): their emails may
 * predate the reply key property, so they are found the per-record way (reading the ticket's emails).
 */
const PRE_REPLY_KEY_HANDOFFS = 1_000;

/** A refusal that retrying the same input cannot fix: the row is marked failed with this reason. */
class PermanentRefusal extends Error {}

/**
 * The worker side of the outbox: delivers one row to HubSpot, exactly once in effect. HubSpot writes
 * are idempotent by key (tp_request_key on tickets, the reply key on emails), and the local commit
 * happens after HubSpot answered, so a crash in between ends in a retry that finds the record
 * HubSpot already has instead of creating a second one.
 */
@Injectable()
export class RequestDeliveryService {
  private readonly logger = new Logger(RequestDeliveryService.name);

  /**
   * Test seam: runs after HubSpot accepted the write and before our commit (a throw here is a crash
   * at the worst moment). Null in production.
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
    private readonly producer: SyncProducer,
    private readonly stages: HubSpotStagesService,
    private readonly outbox: RequestOutboxQueue,
    private readonly versions: TicketScopeVersionService,
    private readonly attachments: AttachmentDeliveryService,
    private readonly followUps: ReplyFollowUpService,
    private readonly peopleRequests: TicketPeopleRequestsRepository,
    private readonly gatherer: DeliveryGatherer,
    private readonly config: AppConfig,
  ) {}

  async deliver(outboxId: number): Promise<DeliveryOutcome> {
    const row = await this.outboxRows.find(outboxId);
    if (!row || row.state !== 'pending') return 'skipped';
    // Another batch is sending it: looking again shortly beats gathering a batch of whatever is left.
    if (Number(row.claimed) === 1) throw claimedElsewhere(row);
    if (this.config.deliveryBatchSize > 1 && (await this.gathers(row))) return this.deliverGathered(row);
    return this.deliverOne(row);
  }

  /**
   * Whether this row's job gathers a batch (ADR 0015): a request always; a reply or stage change once
   * its ticket is in HubSpot (until then it waits for the ticket, or fails with it, on its own), and
   * a stage change once the replies written before it are delivered (until then it waits for them).
   */
  private async gathers(row: OutboxRow): Promise<boolean> {
    if (row.kind === 'create') return true;
    if (row.kind !== 'reply' && row.kind !== 'stage') return false;
    if (((await this.ticket(row.ticket_id))?.hubspot_id ?? null) === null) return false;
    return row.kind === 'reply' || !(await this.outboxRows.hasEarlierPendingReply(row));
  }

  /** One row on its own, with today's per-record calls (DELIVERY_BATCH_SIZE=1, and rows a batch cannot take). */
  private async deliverOne(row: OutboxRow): Promise<DeliveryOutcome> {
    // A batch after this one reads HubSpot by key before creating: this attempt may reach it.
    await this.outboxRows.recordHandoff(row.id);
    try {
      return await this.deliverWithQuickRetries(row);
    } catch (error) {
      if (missingRequestKeyProperty(error)) throw this.lostRequestKeyProperty(error);
      const permanent =
        error instanceof PermanentRefusal || (error instanceof HubSpotError && !error.retryable);
      if (permanent) {
        await this.markFailed(row, reasonFor(error));
        return 'failed';
      }
      await this.outboxRows
        .recordAttempt(row.id, fit(error instanceof Error ? error.message : String(error)), new Date())
        .catch(() => undefined);
      throw error;
    }
  }

  /** Someone deleted the property in HubSpot: create it again and retry, never send without it. */
  private lostRequestKeyProperty(error: unknown): Error {
    this.requestKeyPropertyReady = false;
    return new Error('HubSpot lost the tp_request_key property; it is created again before the retry', {
      cause: error,
    });
  }

  /**
   * A job with batching on (ADR 0015): gathers the due rows of its kind (this one among them, unless
   * another batch already holds it) and delivers them together. Answers this row's outcome; when
   * another batch holds it, the job waits for that one like a reply waits for its ticket.
   */
  private async deliverGathered(row: OutboxRow): Promise<DeliveryOutcome> {
    const batch = await this.gatherer.gather(
      row.kind,
      this.config.deliveryBatchSize,
      this.config.deliveryBatchWindowMs,
    );
    let outcomes: Map<number, DeliveryOutcome | Error>;
    try {
      outcomes =
        row.kind === 'create'
          ? await this.deliverCreateBatch(batch)
          : row.kind === 'reply'
            ? await this.deliverReplyBatch(batch)
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
  private async deliverCreateBatch(batch: GatheredBatch): Promise<Map<number, DeliveryOutcome | Error>> {
    const outcomes = new Map<number, DeliveryOutcome | Error>();
    const refusals = new Map<number, Refusal>();
    const plain: Array<{ row: OutboxRow; ticket: TicketRow }> = [];
    const single: OutboxRow[] = [];
    try {
      for (const row of batch.rows) {
        const ticket = await this.ticket(row.ticket_id);
        if (!ticket) {
          outcomes.set(row.id, await this.finish(row, 'skipped'));
        } else if (
          (await this.attachments.hasUnsent(ticket.id, null)) ||
          (await this.peopleRequests.pending(ticket.id)).length > 0
        ) {
          // Files and colleagues in copy take calls of their own: such a request goes the per-record way.
          single.push(row);
        } else if (ticket.hubspot_id !== null) {
          // A webhook mirrored it before an earlier attempt's commit.
          outcomes.set(row.id, await this.finish(row, 'already-done'));
        } else {
          plain.push({ row, ticket });
        }
      }
      const made = await this.withQuickRetries((firstTry) => this.createBatch(plain, refusals, firstTry));
      if (made.length > 0) await this.gatherer.hubspotUp().catch(() => undefined);
      // The mirror takes these from HubSpot's answer: their creation webhooks need not read them again.
      await this.producer.markDelivered(made.map((m) => m.created)).catch(() => undefined);
      for (const { row } of made) await this.afterHubSpotWrite?.(row.id, row.kind);
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
    for (const row of single) outcomes.set(row.id, await this.deliverOne(row).catch((error: Error) => error));
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
    const links = await this.ensureContacts(plain.map(({ ticket }) => ticket.created_by_customer_id ?? ''));
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
        inputs.push({ row, ticket, link, input: await this.createInputOf(ticket, link) });
      } catch (error) {
        if (!(error instanceof PermanentRefusal)) throw error;
        refusals.set(row.id, { reason: reasonFor(error), later: false });
      }
    }
    if (inputs.length === 0) return [];
    await this.ensureRequestKeyProperty();
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
  private async deliverReplyBatch(batch: GatheredBatch): Promise<Map<number, DeliveryOutcome | Error>> {
    const outcomes = new Map<number, DeliveryOutcome | Error>();
    const refusals = new Map<number, Refusal>();
    const emails: ReplyEmail[] = [];
    // Rows whose email HubSpot has, and rows with files (or from before the reply key): one by one after.
    const steps: OutboxRow[] = [];
    const logged = new Set<number>();
    try {
      for (const row of batch.rows) {
        const message = row.message_id === null ? undefined : await this.messages.find(row.message_id);
        const ticket = await this.ticket(row.ticket_id);
        if (!message || !ticket) {
          outcomes.set(row.id, await this.finish(row, 'skipped'));
        } else if (
          message.hubspot_id !== null ||
          Number(row.handoffs) >= PRE_REPLY_KEY_HANDOFFS ||
          (await this.attachments.hasUnsent(ticket.id, message.id))
        ) {
          steps.push(row);
        } else if (ticket.hubspot_id !== null) {
          emails.push({ row, ticket, message });
        }
      }
      const made = await this.withQuickRetries((firstTry) => this.logReplies(emails, refusals, firstTry));
      if (made.length > 0) await this.gatherer.hubspotUp().catch(() => undefined);
      for (const { row } of made) await this.afterHubSpotWrite?.(row.id, row.kind, 'email');
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
      for (const { ticket, message } of made) await this.bump(ticket, null, [message.id]);
      for (const { row } of made) {
        logged.add(row.id);
        steps.push(row);
      }
    } catch (error) {
      throw await this.failBatch(batch, error);
    }
    await this.settleRefusals(batch, refusals, outcomes);
    await this.oneByOne(
      steps.sort((a, b) => a.id - b.id),
      outcomes,
      async (row) => {
        const outcome = await this.deliverOne(row);
        // This batch logged the email; the steps after it found it committed.
        return logged.has(row.id) && outcome === 'already-done' ? 'delivered' : outcome;
      },
    );
    await this.outboxRows.releaseClaim(batch.claimId).catch(() => undefined);
    return outcomes;
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
    const links = await this.ensureContacts(emails.map((e) => e.message.created_by_customer_id ?? ''));
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
    await this.ensureRequestKeyProperty();
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
          outcomes.set(row.id, await this.finish(row, 'superseded'));
          continue;
        }
        const ticket = await this.ticket(row.ticket_id);
        if (!ticket) outcomes.set(row.id, await this.finish(row, 'skipped'));
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
      for (const { row } of moved) await this.afterHubSpotWrite?.(row.id, row.kind, 'stage');
      for (const { ticket } of moved) await this.tickets.clearStageFailure(ticket.id);
      await this.mirrorMany(
        moved.map((m) => m.snapshot),
        readStartedAt,
        true,
      );
    } catch (error) {
      throw await this.failBatch(batch, error);
    }
    await this.settleRefusals(batch, refusals, outcomes);
    const snapshots = new Map(moved.map((m) => [m.row.id, m]));
    await this.oneByOne(
      moved.map((m) => m.row),
      outcomes,
      async (row) => {
        const { ticket, snapshot } = snapshots.get(row.id)!;
        try {
          return await this.completeStage(row, ticket, snapshot);
        } catch (error) {
          // HubSpot has the stage; the row's own job moves it again (harmless) and makes the task.
          await this.outboxRows
            .recordAttempt(row.id, fit(error instanceof Error ? error.message : String(error)), new Date())
            .catch(() => undefined);
          throw error;
        }
      },
    );
    await this.outboxRows.releaseClaim(batch.claimId).catch(() => undefined);
    return outcomes;
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
    const failure = missingRequestKeyProperty(error) ? this.lostRequestKeyProperty(error) : error;
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
        await this.markFailed(
          batch.rows.find((r) => r.id === rowId)!,
          refusal.reason,
        );
        outcomes.set(rowId, 'failed');
      }
    }
  }

  /**
   * The requesters' HubSpot contacts for a batch, once per customer (ADR 0015): a linked account's
   * as it is; the others found by email in one batch read, the rest created in one batch create,
   * mirrored and linked as contact-link does. A customer HubSpot refuses maps to the reason.
   */
  private async ensureContacts(customerIds: readonly string[]): Promise<Map<string, ContactLinkOf | string>> {
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
    await this.mirrorMany(fresh, readStartedAt, false);
    await this.mirrorMany(found, readStartedAt, true);
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
    const ticket = await this.ticket(row.ticket_id);
    if (!ticket) return this.finish(row, 'skipped');
    // A webhook may have mirrored the new ticket before this commit; its files may still be on their way.
    if (ticket.hubspot_id !== null && !(await this.attachments.hasUnsent(ticket.id, null))) {
      return this.finish(row, 'already-done');
    }
    const customer = await this.customerOf(ticket.created_by_customer_id);
    const link = await this.ensureContact(customer);
    const input = await this.createInputOf(ticket, link);
    await this.ensureRequestKeyProperty();
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
    await this.afterHubSpotWrite?.(row.id, row.kind);
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
    await this.mirror(created, readStartedAt, !isNew);
    await this.bump(ticket, link);
    // Replies and stage changes typed meanwhile were waiting for this id.
    const waiting = await this.outboxRows.waitingFor(ticket.id);
    await this.outbox.promote(waiting).catch(() => undefined);
    return 'delivered';
  }

  /**
   * What HubSpot is asked to create for a request: its fields, the requester's contact and company,
   * and the pipeline and stage the mirror gave it (the portal's, resolved now, for a request written
   * before the mirror knew them). A portal setting that does not fit HubSpot is a PermanentRefusal.
   */
  private async createInputOf(ticket: TicketRow, link: ContactLinkOf): Promise<HsCreateTicketInput> {
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
   * A reply is three steps, each idempotent and committed when done: the email (by its reply key),
   * then the stage (a ticket waiting on the customer or closed moves to the reply stage) and the
   * owner's task (by the same key) — ReplyFollowUpService. The row is done after the last one.
   */
  private async deliverReply(row: OutboxRow): Promise<DeliveryOutcome> {
    const found = row.message_id === null ? undefined : await this.messages.find(row.message_id);
    if (!found) return this.finish(row, 'skipped');
    let message = found;
    const ticket = await this.ticket(row.ticket_id);
    if (!ticket) return this.finish(row, 'skipped');
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
      this.afterHubSpotWrite ? this.afterHubSpotWrite(row.id, row.kind, step) : Promise.resolve(),
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
    const customer = await this.customerOf(message.created_by_customer_id);
    const link = await this.ensureContact(customer);
    const files = await this.attachments.upload(ticket.id, message.id);
    if (!files.ok) throw new PermanentRefusal(files.problem);
    // The reply key property on emails (tp_reply_key) is made with the others, before the first reply.
    await this.ensureRequestKeyProperty();
    const result = await this.port.addCustomerReply(
      hubspotId,
      link.contactId,
      replyInputOf(ticket, message, customer, files.fileIds),
    );
    await this.afterHubSpotWrite?.(row.id, row.kind, 'email');
    const now = new Date();
    await inTransaction(this.dataSource, async (m) => {
      await this.messages.markDelivered(m, message.id, result.message.id, now);
      await this.attachments.markSent(m, files.attachmentIds, now);
    });
    await this.producer.refreshConversation(hubspotId).catch(() => undefined);
    await this.bump(ticket, null, [message.id]);
  }

  private async deliverStage(row: OutboxRow): Promise<DeliveryOutcome> {
    // A later close/reopen of the same ticket wins; this one need not reach HubSpot.
    if (await this.outboxRows.hasNewerStage(row)) return this.finish(row, 'superseded');
    const ticket = await this.ticket(row.ticket_id);
    if (!ticket) return this.finish(row, 'skipped');
    const hubspotId = this.requireHubSpotId(ticket);
    // Order per ticket: a reply written before this close/reopen goes first, stage move included.
    if (await this.outboxRows.hasEarlierPendingReply(row)) {
      throw new WaitingForTicketError(`ticket ${ticket.id}: an earlier reply is still on its way to HubSpot`);
    }
    const readStartedAt = new Date();
    const snapshot = await this.port.updateTicketStage(hubspotId, row.target_stage_id!);
    await this.afterHubSpotWrite?.(row.id, row.kind, 'stage');
    await this.tickets.clearStageFailure(ticket.id);
    await this.mirror(snapshot, readStartedAt);
    return this.completeStage(row, ticket, snapshot);
  }

  /** After HubSpot moved the ticket: a reopen's task for the owner, then the row is done. */
  private async completeStage(
    row: OutboxRow,
    ticket: TicketRow,
    snapshot: HsTicket,
  ): Promise<DeliveryOutcome> {
    const followUp = await this.followUps.afterReopen(row, ticket, snapshot, (step) =>
      this.afterHubSpotWrite ? this.afterHubSpotWrite(row.id, row.kind, step) : Promise.resolve(),
    );
    await this.outboxRows.markDone(
      row.id,
      new Date(),
      undefined,
      followUp ? JSON.stringify(followUp) : undefined,
    );
    await this.bump(ticket, null);
    return 'delivered';
  }

  /** Colleagues put in copy or taken off a ticket HubSpot has (POST/DELETE tickets/:id/people). */
  private async deliverPeople(row: OutboxRow): Promise<DeliveryOutcome> {
    const ticket = await this.ticket(row.ticket_id);
    if (!ticket) return this.finish(row, 'skipped');
    const hubspotId = this.requireHubSpotId(ticket);
    const people = await this.deliverPeopleRequests(ticket.id, hubspotId);
    await this.afterHubSpotWrite?.(row.id, row.kind);
    const readStartedAt = new Date();
    const snapshot = people.changed ? await this.port.getTicket(hubspotId) : null;
    const now = new Date();
    await inTransaction(this.dataSource, async (m) => {
      await this.peopleRequests.markDone(m, people.done, now);
      await this.outboxRows.markDone(row.id, now, m);
    });
    // The mirror's ticket_contacts (and the people's scopes) follow HubSpot's answer.
    if (snapshot) await this.mirror(snapshot, readStartedAt, false);
    await this.bump(ticket, null);
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

  /**
   * tp_request_key must exist before the first create (the worker's start-up chores create it in the
   * background, and may not have managed yet). Once per process; an outage is retried like any call.
   */
  private async ensureRequestKeyProperty(): Promise<void> {
    if (this.requestKeyPropertyReady) return;
    await this.port.ensureCustomProperties();
    this.requestKeyPropertyReady = true;
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

  /** The customer's HubSpot contact: linked, found by email, or created (then linked like contact-link does). */
  private async ensureContact(
    customer: CustomerLinkRow,
  ): Promise<{ contactId: string; companyId: string | null }> {
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

  private async customerOf(customerId: string | null): Promise<CustomerLinkRow> {
    const customer = customerId ? await this.customerLinks.find(customerId) : undefined;
    if (!customer) throw new PermanentRefusal('The portal account that wrote this no longer exists.');
    return customer;
  }

  private ticket(id: number): Promise<TicketRow | undefined> {
    return this.tickets.find(id);
  }

  private async finish(row: OutboxRow, outcome: DeliveryOutcome): Promise<DeliveryOutcome> {
    await this.outboxRows.markDone(row.id, new Date());
    return outcome;
  }

  private async markFailed(row: OutboxRow, reason: string): Promise<void> {
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
  private async mirrorMany(tickets: HsTicket[], readStartedAt: Date, conversations: boolean): Promise<void> {
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
  private async mirror(ticket: HsTicket, readStartedAt: Date, conversations = true): Promise<void> {
    try {
      await this.ticketSync.apply([ticket], readStartedAt, { conversations });
    } catch (error) {
      this.logger.warn(
        `Could not mirror ticket ${ticket.id} right away (${error instanceof Error ? error.message : String(error)}); sync brings it`,
      );
    }
  }

  /** After a commit: the list's scope versions move and open portals hear of the ticket (ADR 0009). */
  private async bump(
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

/** A portal account's HubSpot contact and the company it sees tickets of. */
type ContactLinkOf = { contactId: string; companyId: string | null };

/** A reply of a batch whose email is to be logged. */
interface ReplyEmail {
  row: OutboxRow;
  ticket: TicketRow;
  message: MessageRow;
}

/** A close or reopen of a batch. */
interface StageChange {
  row: OutboxRow;
  ticket: TicketRow;
}

/** Why one row of a batch did not go through: refused for good, or (`later`) worth another try. */
interface Refusal {
  reason: string;
  later: boolean;
}

function isBriefOutage(error: unknown): boolean {
  return (
    error instanceof HubSpotError &&
    error.kind === 'unavailable' &&
    error.status !== null &&
    (error.retryAfterMs === null || error.retryAfterMs <= 1000)
  );
}

/**
 * The keys of a batch no earlier attempt can have sent (ADR 0015): rows claimed for the first time,
 * on the batch's first try (after a 5xx, HubSpot may have made what it refused to confirm).
 */
function unsentKeys<T extends { row: OutboxRow }>(
  inputs: readonly T[],
  firstTry: boolean,
  keyOf: (input: T) => string,
): Set<string> {
  return new Set(firstTry ? inputs.filter((i) => Number(i.row.handoffs) === 1).map(keyOf) : []);
}

/** This row is in a batch another delivery is sending: its job looks again shortly. */
function claimedElsewhere(row: OutboxRow): WaitingForTicketError {
  return new WaitingForTicketError(`outbox ${row.id} is in a batch another delivery is sending`);
}

/** HubSpot lost a key property the portal writes (tp_request_key on tickets, tp_reply_key on emails). */
function missingRequestKeyProperty(error: unknown): boolean {
  return (
    error instanceof HubSpotError &&
    error.kind === 'invalid' &&
    (error.message.includes(REQUEST_KEY_PROPERTY) || error.message.includes(REPLY_KEY_PROPERTY)) &&
    error.message.includes('PROPERTY_DOESNT_EXIST')
  );
}

/** The email a customer's reply is logged as in HubSpot (`attachmentIds`: its files, uploaded first). */
function replyInputOf(
  ticket: TicketRow,
  message: MessageRow,
  customer: CustomerLinkRow,
  attachmentIds: readonly string[] = [],
): HsCustomerReplyInput {
  const { firstName, lastName } = splitName(customer.name);
  const text = message.text ?? '';
  return {
    text,
    html: textToHtml(text),
    from: { email: customer.email, firstName, lastName },
    subject: `Re: ${ticket.subject}`,
    sentAt: new Date(message.created_at),
    replyKey: message.request_key ?? `tpr-local-${message.id}`,
    ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
  };
}

function splitName(name: string | null): { firstName: string | null; lastName: string | null } {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { firstName: null, lastName: null };
  if (parts.length === 1) return { firstName: parts[0]!, lastName: null };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1]! };
}

function fit(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}

/** A sentence for the customer and support: what HubSpot said, without internals. */
function reasonFor(error: unknown): string {
  if (error instanceof PermanentRefusal) return fit(error.message);
  if (error instanceof HubSpotError) {
    const status = error.status ? ` (HTTP ${error.status})` : '';
    return fit(`HubSpot refused it${status}: ${error.message}`);
  }
  return fit(error instanceof Error ? error.message : String(error));
}
