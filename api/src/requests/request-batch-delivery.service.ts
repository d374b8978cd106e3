import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AttachmentDeliveryService } from '../attachments/attachment-delivery.service';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { type HsCreateTicketInput, type HsTicket } from '../hubspot/hubspot.types';
import { noticeTicket, ticketNotices } from '../events/change-notice';
import { type OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { inTransaction } from '../repositories/sql.util';
import { TicketPeopleRequestsRepository } from '../repositories/ticket-people-requests.repository';
import { scopesOfRow, type TicketRow, TicketsRepository } from '../repositories/tickets.repository';
import { SyncProducer } from '../sync/sync.producer';
import { TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import { BatchSettlement } from './batch-settlement.service';
import { DeliveryGatherer, type GatheredBatch } from './delivery-gatherer';
import { DeliveryRecordSteps } from './delivery-record-steps.service';
import {
  claimedElsewhere,
  type ContactLinkOf,
  type DeliveryOutcome,
  missingRequestKeyProperty,
  type OneByOneDelivery,
  PermanentRefusal,
  reasonFor,
  type Refusal,
  unsentKeys,
} from './delivery-support';
import { PeopleBatchDeliveryService } from './people-batch-delivery.service';
import { ReplyBatchDeliveryService } from './reply-batch-delivery.service';
import { RequestOutboxQueue } from './request-outbox.queue';
import { StageBatchDeliveryService } from './stage-batch-delivery.service';

/**
 * Delivery of outbox rows in gathered batches (ADR 0015): requests, replies' emails, stage changes
 * and changes of people in copy, each kind in one HubSpot batch call and one commit.
 * RequestDeliveryService.deliver decides when a job gathers a batch and calls deliverGathered, which
 * hands the batch to its kind: requests here, replies to ReplyBatchDeliveryService, stage changes to
 * StageBatchDeliveryService, people to PeopleBatchDeliveryService; all of them settle their rows
 * through BatchSettlement. Rows a batch cannot take go back to the one-by-one way through
 * OneByOneDelivery.
 */
@Injectable()
export class RequestBatchDeliveryService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly port: HubSpotPort,
    private readonly producer: SyncProducer,
    private readonly outbox: RequestOutboxQueue,
    private readonly versions: TicketScopeVersionService,
    private readonly attachments: AttachmentDeliveryService,
    private readonly peopleRequests: TicketPeopleRequestsRepository,
    private readonly gatherer: DeliveryGatherer,
    private readonly config: AppConfig,
    private readonly shared: DeliveryRecordSteps,
    private readonly settlement: BatchSettlement,
    private readonly people: PeopleBatchDeliveryService,
    private readonly replies: ReplyBatchDeliveryService,
    private readonly stages: StageBatchDeliveryService,
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
              ? await this.replies.deliverBatch(batch, perRecord)
              : await this.stages.deliverBatch(batch);
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
      const made = await this.settlement.withQuickRetries((firstTry) =>
        this.createBatch(plain, refusals, firstTry),
      );
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
      throw await this.settlement.failBatch(batch, error);
    }
    await this.settlement.settleRefusals(batch, refusals, outcomes);
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
}
