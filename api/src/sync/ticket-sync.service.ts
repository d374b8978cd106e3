import { Injectable, Logger } from '@nestjs/common';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { type HsTicket } from '../hubspot/hubspot.types';
import { chunk, unique } from '../repositories/sql.util';
import { MirrorWriter, type TicketWriteResult } from './mirror-writer.service';
import { ReferenceResolver } from './reference-resolver.service';
import { SyncProducer } from './sync.producer';
import { BATCH_SIZE } from './sync.queues';

export interface ApplyOptions {
  /** Queue a conversation refresh for new tickets and tickets with newer activity. */
  conversations: boolean;
}

export interface RefreshResult extends TicketWriteResult {
  deleted: number;
}

/** Reads tickets from HubSpot and writes them to the mirror (the handlers' shared core). */
@Injectable()
export class TicketSyncService {
  private readonly logger = new Logger(TicketSyncService.name);

  constructor(
    private readonly port: HubSpotPort,
    private readonly writer: MirrorWriter,
    private readonly references: ReferenceResolver,
    private readonly producer: SyncProducer,
  ) {}

  /**
   * Re-reads tickets by id (≤ 100 per call) and mirrors what HubSpot answers now: present ones are
   * upserted, absent ones (deleted, or merged into another id) are removed. Idempotent.
   */
  async refreshTickets(ids: readonly string[]): Promise<RefreshResult> {
    const total: RefreshResult = { advanced: [], activityChanged: [], stale: [], tombstoned: [], deleted: 0 };
    for (const part of chunk(unique(ids), BATCH_SIZE)) {
      const readStartedAt = new Date();
      const tickets = await this.port.getTicketsByIds(part);
      const present = new Set(tickets.map((t) => t.id));
      const gone = part.filter((id) => !present.has(id));
      if (gone.length > 0) total.deleted += await this.writer.deleteTickets(gone, readStartedAt);
      const written = await this.apply(tickets, readStartedAt, { conversations: true });
      total.advanced.push(...written.advanced);
      total.activityChanged.push(...written.activityChanged);
      total.stale.push(...written.stale);
      total.tombstoned.push(...written.tombstoned);
    }
    return total;
  }

  /** Writes snapshots read at `readStartedAt` (search, list or batch read answers). */
  async apply(
    tickets: readonly HsTicket[],
    readStartedAt: Date,
    options: ApplyOptions,
  ): Promise<TicketWriteResult> {
    if (tickets.length === 0) return { advanced: [], activityChanged: [], stale: [], tombstoned: [] };
    await this.references.ensureFor(tickets);
    const result = await this.writer.upsertTickets(tickets, readStartedAt);
    if (options.conversations && result.activityChanged.length > 0) {
      // A ticket the outbox just created, read as the create answered it, has only what the portal
      // wrote: its conversation needs no read (ADR 0015). Best effort: without Redis, read it.
      const changed = new Set(result.activityChanged);
      const asIs = await this.producer
        .deliveredAsIs(tickets.filter((t) => changed.has(t.id)))
        .catch(() => new Set<string>());
      for (const id of result.activityChanged) {
        if (!asIs.has(id)) await this.producer.refreshConversation(id);
      }
    }
    if (result.stale.length > 0) this.logger.debug(`skipped ${result.stale.length} older ticket snapshot(s)`);
    return result;
  }

  /** Mirrors a ticket's customer-visible conversation; false when the ticket is not mirrored. */
  async refreshConversation(ticketHubspotId: string): Promise<boolean> {
    const readStartedAt = new Date();
    const messages = await this.port.getTicketConversation(ticketHubspotId);
    return this.writer.replaceConversation(ticketHubspotId, messages, readStartedAt);
  }

  /**
   * Reads many tickets' conversations in batches (getTicketConversations) and mirrors each. Answers
   * how many were mirrored and the tickets HubSpot could not answer for now (to read again later).
   */
  async refreshConversations(
    ticketHubspotIds: readonly string[],
  ): Promise<{ mirrored: number; unread: string[] }> {
    const readStartedAt = new Date();
    const conversations = await this.port.getTicketConversations(ticketHubspotIds);
    let mirrored = 0;
    const unread: string[] = [];
    for (const id of ticketHubspotIds) {
      const messages = conversations.get(id);
      if (messages === undefined) unread.push(id);
      else if (await this.writer.replaceConversation(id, messages, readStartedAt)) mirrored += 1;
    }
    return { mirrored, unread };
  }
}
