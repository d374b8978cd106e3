import { Injectable } from '@nestjs/common';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { type HsTicket } from '../hubspot/hubspot.types';
import { RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { TicketsRepository } from '../repositories/tickets.repository';
import { BatchSettlement } from './batch-settlement.service';
import { DeliveryGatherer, type GatheredBatch } from './delivery-gatherer';
import { DeliveryRecordSteps } from './delivery-record-steps.service';
import { type DeliveryOutcome, reasonFor, type Refusal, type StageChange } from './delivery-support';
import { ReplyFollowUpService } from './reply-follow-up.service';

/**
 * Delivery of `stage` rows (closes and reopens) in gathered batches (ADR 0015, decisions 11 and
 * 14): the latest wish per ticket in one HubSpot batch call, then the reopens' tasks in one batch.
 * RequestBatchDeliveryService.deliverGathered hands it the batch.
 */
@Injectable()
export class StageBatchDeliveryService {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly port: HubSpotPort,
    private readonly gatherer: DeliveryGatherer,
    private readonly shared: DeliveryRecordSteps,
    private readonly settlement: BatchSettlement,
    private readonly followUps: ReplyFollowUpService,
  ) {}

  /**
   * Delivers a gathered batch of closes and reopens (ADR 0015): the latest wish per ticket in one
   * updateTicketStages (one batch update per 100, then one batch read of the moved tickets), the
   * mirror in one write, then each reopen's task. A change waits while a reply written before it is
   * on its way (its own job delivers it after), and a later change of the same ticket supersedes it.
   * A ticket HubSpot refuses fails alone; a whole-call failure gives every row back and throws.
   */
  async deliverBatch(batch: GatheredBatch): Promise<Map<number, DeliveryOutcome | Error>> {
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
      moved = await this.settlement.withQuickRetries(() => this.moveStages(changes, refusals));
      if (moved.length > 0) await this.gatherer.hubspotUp().catch(() => undefined);
      for (const { row } of moved) await this.shared.afterHubSpotWrite?.(row.id, row.kind, 'stage');
      for (const { ticket } of moved) await this.tickets.clearStageFailure(ticket.id);
      await this.shared.mirrorMany(
        moved.map((m) => m.snapshot),
        readStartedAt,
        true,
      );
    } catch (error) {
      throw await this.settlement.failBatch(batch, error);
    }
    await this.settlement.settleRefusals(batch, refusals, outcomes);
    await this.stageSteps(moved, outcomes);
    await this.outboxRows.releaseClaim(batch.claimId).catch(() => undefined);
    return outcomes;
  }

  /**
   * After HubSpot moved a batch of tickets: the reopens' tasks in one batch create
   * (ReplyFollowUpService.afterReopens), then one commit of the rows done (BatchSettlement.settleSteps).
   * A row whose task HubSpot could not make now (or every row, when HubSpot is down) goes back to its
   * own job: HubSpot has the stage, the job moves it again (harmless) and makes the task.
   */
  private async stageSteps(
    moved: ReadonlyArray<StageChange & { snapshot: HsTicket }>,
    outcomes: Map<number, DeliveryOutcome | Error>,
  ): Promise<void> {
    if (moved.length === 0) return;
    const done = await this.settlement.settleSteps(
      moved,
      (seam) => this.followUps.afterReopens(moved, seam),
      () => 'delivered',
      outcomes,
    );
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
}
