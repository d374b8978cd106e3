import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { noticeTicket, ticketNotices } from '../events/change-notice';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotPort } from '../hubspot/hubspot.port';
import {
  type HsContact,
  type HsTicketContactPair,
  type HsTicketContactRefusal,
} from '../hubspot/hubspot.types';
import { type OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { inTransaction } from '../repositories/sql.util';
import {
  type PeopleAction,
  TicketPeopleRequestsRepository,
} from '../repositories/ticket-people-requests.repository';
import { scopesOfRow, type TicketRow } from '../repositories/tickets.repository';
import { MirrorWriter } from '../sync/mirror-writer.service';
import { TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import { BatchSettlement } from './batch-settlement.service';
import { DeliveryGatherer, type GatheredBatch } from './delivery-gatherer';
import { DeliveryRecordSteps } from './delivery-record-steps.service';
import { type DeliveryOutcome, reasonFor, type Refusal } from './delivery-support';

/** One ticket of a batch and its rows (oldest first). */
interface PeopleTicket {
  ticket: TicketRow;
  hubspotId: string;
  rows: OutboxRow[];
}

/** The last wish for one email on one ticket, and every pending request it stands for. */
interface PeopleChange {
  ticketId: number;
  hubspotId: string;
  email: string;
  action: PeopleAction;
  requestIds: number[];
}

/**
 * Delivery of `people` rows (colleagues put in copy or taken off a ticket HubSpot has, POST/DELETE
 * tickets/:id/people) in gathered batches (ADR 0015, decision 13). For the batch's tickets, every
 * pending people request, in order per ticket and collapsed per (ticket, email) to the last wish
 * (an add then a remove of the same email ends removed): the emails' contacts in one batch read by
 * email, the missing ones of added emails in one batch create, then one v4 batch associate-default
 * for the adds and one v4 batch archive for the removes, one batch read of the changed tickets for
 * the mirror, and one commit. RequestBatchDeliveryService.deliverGathered hands it the batch.
 *
 * Exactly once: associating and dissociating are idempotent, and the contacts are found by email
 * before any is created, so a crash between HubSpot's answers and the commit (or a whole-batch
 * failure, after which every row is given back) only repeats them harmlessly on the next try.
 */
@Injectable()
export class PeopleBatchDeliveryService {
  private readonly logger = new Logger('RequestDeliveryService');

  constructor(
    private readonly dataSource: DataSource,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly peopleRequests: TicketPeopleRequestsRepository,
    private readonly port: HubSpotPort,
    private readonly writer: MirrorWriter,
    private readonly versions: TicketScopeVersionService,
    private readonly gatherer: DeliveryGatherer,
    private readonly shared: DeliveryRecordSteps,
    private readonly settlement: BatchSettlement,
  ) {}

  /**
   * Delivers a gathered batch of `people` rows. A change HubSpot refuses (an email it will not take
   * as a contact, a ticket it no longer has) fails alone, with HubSpot's reason; a whole-call failure
   * (an outage, a rate limit) gives every row back with the try counted and throws. Answers each
   * claimed row's outcome (an Error: that row is retried by its own job).
   */
  async deliverBatch(batch: GatheredBatch): Promise<Map<number, DeliveryOutcome | Error>> {
    const outcomes = new Map<number, DeliveryOutcome | Error>();
    const refusals = new Map<number, Refusal>();
    try {
      const tickets = await this.ticketsOf(batch, outcomes);
      const pending = await this.peopleRequests.pendingOf([...tickets.keys()]);
      const changes = collapse(pending, tickets);
      const readStartedAt = new Date();
      const results = await this.settlement.withQuickRetries(() => this.applyChanges(changes, readStartedAt));
      if (changes.length > 0) await this.gatherer.hubspotUp().catch(() => undefined);
      for (const { rows } of tickets.values()) {
        for (const row of rows) await this.shared.afterHubSpotWrite?.(row.id, row.kind);
      }
      // HubSpot's view of the tickets whose people changed, for the mirror's ticket_contacts.
      const changed = [...new Set(changes.filter((c) => results.get(c) === null).map((c) => c.hubspotId))];
      const mirrorReadAt = new Date();
      const snapshots =
        changed.length > 0
          ? await this.settlement.withQuickRetries(() => this.port.getTicketsByIds(changed))
          : [];
      await this.commit(tickets, changes, results, outcomes, refusals);
      await this.shared.mirrorMany(snapshots, mirrorReadAt, false);
      const rows = [...tickets.values()].map((t) => t.ticket);
      const scopes = rows.flatMap((t) => scopesOfRow(t));
      const notices = ticketNotices(
        rows.map((t) => noticeTicket(t.id, scopesOfRow(t), t.created_by_customer_id)),
      );
      await this.versions.bump(scopes, notices).catch(() => undefined);
    } catch (error) {
      // A people batch writes no key property: its error is given back as it is.
      throw await this.settlement.failBatch(batch, error, false);
    }
    // Refused rows fail alone: their people requests were failed in the commit.
    await this.settlement.settleRefusals(batch, refusals, outcomes, (row, reason) =>
      this.settlement.failRowOnly(row, reason),
    );
    // Rows left to their own jobs (a ticket another batch is delivering people of) are free again.
    await this.outboxRows.releaseClaim(batch.claimId).catch(() => undefined);
    return outcomes;
  }

  /**
   * The batch's rows by ticket. A ticket the portal no longer has: its rows are done. A ticket whose
   * earlier people rows another batch is delivering: its rows wait for that one (order per ticket).
   */
  private async ticketsOf(
    batch: GatheredBatch,
    outcomes: Map<number, DeliveryOutcome | Error>,
  ): Promise<Map<number, PeopleTicket>> {
    const tickets = new Map<number, PeopleTicket>();
    for (const row of batch.rows) {
      const known = tickets.get(row.ticket_id);
      if (known) {
        known.rows.push(row);
        continue;
      }
      const ticket = await this.shared.ticket(row.ticket_id);
      if (!ticket) outcomes.set(row.id, await this.shared.finish(row, 'skipped'));
      // Claimed only once the ticket is in HubSpot (readyFor); the row's own job handles a surprise.
      else if (ticket.hubspot_id !== null) {
        tickets.set(ticket.id, { ticket, hubspotId: ticket.hubspot_id, rows: [row] });
      }
    }
    const elsewhere = await this.outboxRows.peopleClaimedElsewhere([...tickets.keys()], batch.claimId);
    const waiting: number[] = [];
    for (const [ticketId, firstElsewhere] of elsewhere) {
      const own = tickets.get(ticketId)!;
      if (firstElsewhere > own.rows[0]!.id) continue;
      waiting.push(...own.rows.map((r) => r.id));
      tickets.delete(ticketId);
    }
    if (waiting.length > 0) {
      await this.outboxRows.releaseClaim(
        batch.claimId,
        waiting,
        'Earlier changes of the people on this ticket are still on their way to HubSpot',
      );
    }
    return tickets;
  }

  /**
   * The HubSpot side: contacts found (one batch read by email per 100) or, for added emails, created
   * (one batch create per 100) and mirrored; then one batch associate and one batch archive. Answers
   * each change's result: null when HubSpot has it, else why not (`later`: worth another try).
   */
  private async applyChanges(
    changes: readonly PeopleChange[],
    readStartedAt: Date,
  ): Promise<Map<PeopleChange, Refusal | null>> {
    const results = new Map<PeopleChange, Refusal | null>();
    if (changes.length === 0) return results;
    const found = await this.port.findContactsByEmails([...new Set(changes.map((c) => c.email))]);
    const missing = [
      ...new Set(changes.filter((c) => c.action === 'add' && !found.has(c.email)).map((c) => c.email)),
    ];
    const created =
      missing.length > 0
        ? await this.port.createContacts(missing.map((email) => ({ email })))
        : new Map<string, HsContact | HubSpotError>();
    const addedContacts = [
      ...new Set(
        changes.filter((c) => c.action === 'add').map((c) => found.get(c.email) ?? created.get(c.email)),
      ),
    ].filter((c): c is HsContact => c !== undefined && !(c instanceof HubSpotError));
    await this.writer.upsertContacts(addedContacts, readStartedAt);

    const adds: Array<{ change: PeopleChange; pair: HsTicketContactPair }> = [];
    const removes: Array<{ change: PeopleChange; pair: HsTicketContactPair }> = [];
    for (const change of changes) {
      const contact = found.get(change.email) ?? created.get(change.email);
      if (change.action === 'remove') {
        // An email HubSpot has no contact for was on nobody's ticket: nothing to take off.
        if (contact instanceof HubSpotError || contact === undefined) results.set(change, null);
        else removes.push({ change, pair: { ticketId: change.hubspotId, contactId: contact.id } });
      } else if (contact === undefined) {
        results.set(change, {
          reason: `HubSpot did not answer for the contact ${change.email}`,
          later: true,
        });
      } else if (contact instanceof HubSpotError) {
        results.set(change, { reason: reasonFor(contact), later: contact.retryable });
      } else {
        adds.push({ change, pair: { ticketId: change.hubspotId, contactId: contact.id } });
      }
    }
    const settle = (
      writes: ReadonlyArray<{ change: PeopleChange; pair: HsTicketContactPair }>,
      refused: readonly HsTicketContactRefusal[],
    ): void => {
      const byPair = new Map(refused.map((r) => [`${r.ticketId}:${r.contactId}`, r.error]));
      for (const { change, pair } of writes) {
        const error = byPair.get(`${pair.ticketId}:${pair.contactId}`);
        results.set(change, error ? { reason: reasonFor(error), later: error.retryable } : null);
      }
    };
    if (adds.length > 0) settle(adds, await this.port.associateContactsMany(adds.map((a) => a.pair)));
    if (removes.length > 0) {
      settle(removes, await this.port.dissociateContactsMany(removes.map((r) => r.pair)));
    }
    return results;
  }

  /**
   * One commit: the requests HubSpot has are done, each refused one failed with its own reason.
   * Rows follow their ticket: a ticket with a change worth another try gives one row back (its job
   * tries again; the change stays pending), one with refused changes fails as many rows with the
   * reasons (the customer sees the colleague go), and its other rows are done.
   */
  private async commit(
    tickets: ReadonlyMap<number, PeopleTicket>,
    changes: readonly PeopleChange[],
    results: ReadonlyMap<PeopleChange, Refusal | null>,
    outcomes: Map<number, DeliveryOutcome | Error>,
    refusals: Map<number, Refusal>,
  ): Promise<void> {
    const now = new Date();
    const done: number[] = [];
    const doneRows: OutboxRow[] = [];
    const failed: Array<{ ids: number[]; reason: string }> = [];
    for (const { ticket, rows } of tickets.values()) {
      const own = changes.filter((c) => c.ticketId === ticket.id);
      const later = own.map((c) => results.get(c)).find((r) => r?.later);
      const refused: Refusal[] = [];
      for (const change of own) {
        const result = results.get(change);
        if (result === null) done.push(...change.requestIds);
        else if (result && !result.later) {
          refused.push(result);
          failed.push({ ids: change.requestIds, reason: result.reason });
        }
      }
      const left = [...rows];
      if (later) refusals.set(left.pop()!.id, later);
      for (const refusal of refused) {
        const row = left.pop();
        if (row) refusals.set(row.id, { reason: refusal.reason, later: false });
      }
      for (const row of left) {
        doneRows.push(row);
        outcomes.set(row.id, own.length > 0 ? 'delivered' : 'already-done');
      }
    }
    await inTransaction(
      this.dataSource,
      async (m) => {
        await this.peopleRequests.markDone(m, done, now);
        for (const { ids, reason } of failed) {
          this.logger.warn(`people requests ${ids.join(', ')} refused: ${reason}`);
          await this.peopleRequests.markFailed(ids, reason, now, m);
        }
        for (const row of doneRows) await this.outboxRows.markDone(row.id, now, m);
      },
      'READ COMMITTED',
    );
  }
}

/**
 * The pending requests of the batch's tickets, per (ticket, email) the last wish, in order: an add
 * then a remove of the same email is a remove (and the reverse an add). Requests of tickets not in
 * the batch (left to another one) are left out.
 */
function collapse(
  pending: ReadonlyArray<{ id: number; ticket_id: number; email: string; action: PeopleAction }>,
  tickets: ReadonlyMap<number, PeopleTicket>,
): PeopleChange[] {
  const changes = new Map<string, PeopleChange>();
  for (const request of pending) {
    const ticket = tickets.get(Number(request.ticket_id));
    if (!ticket) continue;
    const email = request.email.trim().toLowerCase();
    const key = `${ticket.ticket.id}:${email}`;
    const change = changes.get(key);
    if (change) {
      change.action = request.action;
      change.requestIds.push(request.id);
    } else {
      changes.set(key, {
        ticketId: ticket.ticket.id,
        hubspotId: ticket.hubspotId,
        email,
        action: request.action,
        requestIds: [request.id],
      });
    }
  }
  return [...changes.values()];
}
