import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { HubSpotError } from '../hubspot/hubspot-error';
import { type OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { inTransaction } from '../repositories/sql.util';
import { DeliveryGatherer, type GatheredBatch } from './delivery-gatherer';
import { DeliveryRecordSteps } from './delivery-record-steps.service';
import {
  type DeliveryOutcome,
  fit,
  isBriefOutage,
  missingRequestKeyProperty,
  QUICK_RETRIES,
  type Refusal,
} from './delivery-support';
import { type FollowUp } from './reply-follow-up.service';

/**
 * How every kind of gathered batch (ADR 0015: requests, replies, stage changes, people) settles its
 * rows: quick retries of a brief outage, a whole batch given back, the rows HubSpot refused, the
 * steps after the batch's writes, the rows left to the one-by-one way. One home, so the kinds fail,
 * retry and give rows back the same way.
 */
@Injectable()
export class BatchSettlement {
  // The log context delivery always had.
  private readonly logger = new Logger('RequestDeliveryService');

  constructor(
    private readonly dataSource: DataSource,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly gatherer: DeliveryGatherer,
    private readonly shared: DeliveryRecordSteps,
  ) {}

  /**
   * Runs `work` again after a brief HubSpot 5xx, twice at most (200 and 400 ms later). `work` learns
   * whether this is its first try: after a 5xx HubSpot may have written what it answered with an error.
   */
  async withQuickRetries<T>(work: (firstTry: boolean) => Promise<T>): Promise<T> {
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
   * A whole batch failed (an outage, a rate limit): every row back to its job with the try counted.
   * An outage also holds the next batches back for a while (DeliveryGatherer.hubspotDown). Answers
   * the error to throw. `keyProperties` (requests, replies, stage changes): HubSpot losing
   * tp_request_key or tp_reply_key is told (DeliveryRecordSteps.lostRequestKeyProperty) so the retry
   * creates it again; a people batch writes neither and gives its error back as it is.
   */
  async failBatch(batch: GatheredBatch, error: unknown, keyProperties = true): Promise<unknown> {
    const failure =
      keyProperties && missingRequestKeyProperty(error) ? this.shared.lostRequestKeyProperty(error) : error;
    if (failure instanceof HubSpotError && failure.kind === 'unavailable') {
      await this.gatherer.hubspotDown(failure).catch(() => undefined);
    }
    const reason = fit(failure instanceof Error ? failure.message : String(failure));
    await this.outboxRows.releaseClaim(batch.claimId, undefined, reason).catch(() => undefined);
    return failure;
  }

  /**
   * The rows of a batch HubSpot refused: failed with HubSpot's reason through `fail` (by default
   * DeliveryRecordSteps.markFailed: the row and what it stands for), or (`later`) back to their jobs
   * with the try counted.
   */
  async settleRefusals(
    batch: GatheredBatch,
    refusals: ReadonlyMap<number, Refusal>,
    outcomes: Map<number, DeliveryOutcome | Error>,
    fail: (row: OutboxRow, reason: string) => Promise<void> = (row, reason) =>
      this.shared.markFailed(row, reason),
  ): Promise<void> {
    for (const [rowId, refusal] of refusals) {
      if (refusal.later) {
        // HubSpot could not take this record now (its own 5xx in a 207): the row's job tries again.
        await this.outboxRows.releaseClaim(batch.claimId, [rowId], refusal.reason);
        outcomes.set(rowId, new Error(`outbox ${rowId}: ${refusal.reason}`));
      } else {
        await fail(
          batch.rows.find((r) => r.id === rowId)!,
          refusal.reason,
        );
        outcomes.set(rowId, 'failed');
      }
    }
  }

  /** Fails the outbox row alone, for a batch that failed what it stands for in its own commit. */
  async failRowOnly(row: OutboxRow, reason: string): Promise<void> {
    this.logger.warn(`outbox ${row.id} (${row.kind}, ticket ${row.ticket_id}) refused: ${reason}`);
    await inTransaction(this.dataSource, (m) => this.outboxRows.markFailed(m, row.id, reason, new Date()));
  }

  /**
   * The steps after a batch's HubSpot writes (`steps`: ReplyFollowUpService.afterReplies or
   * afterReopens, handed the test seam), then one commit of the rows done, each with its follow-up
   * state; `delivered` names a done row's outcome. A row HubSpot could not take a step of now (or
   * every row, when HubSpot is down) goes back to its own job, which resumes at its first step not
   * done. Answers the items done.
   */
  async settleSteps<I extends { row: OutboxRow }>(
    items: readonly I[],
    steps: (
      seam: (row: OutboxRow, step: 'stage' | 'task') => Promise<void>,
    ) => Promise<Map<number, FollowUp | null | Error>>,
    delivered: (row: OutboxRow) => DeliveryOutcome,
    outcomes: Map<number, DeliveryOutcome | Error>,
  ): Promise<I[]> {
    let results: Map<number, FollowUp | null | Error>;
    try {
      results = await steps((row, step) =>
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
          const followUp = results.get(row.id);
          await this.outboxRows.markDone(row.id, now, m, followUp ? JSON.stringify(followUp) : undefined);
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
        outcomes.set(row.id, delivered(row));
      }
    }
    return done;
  }

  /**
   * Runs the per-row part of a batch, one row at a time in the order given, each outcome (or error)
   * kept. When HubSpot fails a row in a way worth retrying (it is down), the rest are left to their
   * own jobs rather than each failing the same way.
   */
  async oneByOne(
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
}
