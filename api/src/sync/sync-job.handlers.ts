import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { HubSpotError } from '../hubspot/hubspot-error';
import { inBackground } from '../hubspot/hubspot-call-priority';
import { ReconcileService, type ReconcileResult } from './reconcile.service';
import { ReferenceResolver } from './reference-resolver.service';
import { SyncStream } from './sync-state.entity';
import { SyncStateStore } from './sync-state.store';
import { SyncRedis } from './sync-redis';
import {
  type FlushDirtyData,
  QueueName,
  type ReconcileData,
  type RefreshBatchData,
  type RefreshConversationData,
  SyncJobName,
} from '../queues/queue.constants';
import { BATCH_SIZE, SYNC_JOB_OPTIONS } from './sync.queues';
import { TicketSyncService } from './ticket-sync.service';

/** What each sync job does. Every handler is idempotent: running it twice leaves the same mirror. */
@Injectable()
export class SyncJobHandlers {
  constructor(
    private readonly tickets: TicketSyncService,
    private readonly references: ReferenceResolver,
    private readonly reconciler: ReconcileService,
    private readonly state: SyncStateStore,
    private readonly redis: SyncRedis,
    @InjectQueue(QueueName.SyncRefresh) private readonly refreshQueue: Queue,
  ) {}

  /** Fan-out only: moves the dirty ids into batch jobs of up to 100 (oldest events first). */
  async flushDirty(data: FlushDirtyData): Promise<{ batches: number }> {
    const key = this.redis.keys.dirty(data.kind);
    let batches = 0;
    for (;;) {
      const popped = await this.redis.client.zpopmin(key, BATCH_SIZE);
      if (popped.length === 0) break;
      const ids: string[] = [];
      let oldest = Number.POSITIVE_INFINITY;
      for (let i = 0; i < popped.length; i += 2) {
        ids.push(popped[i]!);
        oldest = Math.min(oldest, Number(popped[i + 1]));
      }
      const batch: RefreshBatchData = { kind: data.kind, ids };
      if (Number.isFinite(oldest)) batch.oldestEventMs = oldest;
      try {
        await this.refreshQueue.add(SyncJobName.RefreshBatch, batch, SYNC_JOB_OPTIONS);
      } catch (error) {
        // Put them back so the next flush (or this job's retry) picks them up.
        await this.redis.client.zadd(key, 'LT', ...ids.flatMap((id) => [oldest, id]));
        throw error;
      }
      batches += 1;
      if (popped.length < BATCH_SIZE * 2) break;
    }
    return { batches };
  }

  async refreshBatch(data: RefreshBatchData): Promise<Record<string, number>> {
    switch (data.kind) {
      case 'tickets': {
        try {
          const result = await this.tickets.refreshTickets(data.ids);
          await this.state.recordSuccess(SyncStream.Webhooks, {
            lagMs: data.oldestEventMs === undefined ? null : Math.max(0, Date.now() - data.oldestEventMs),
            addItems: result.advanced.length + result.deleted,
          });
          return {
            advanced: result.advanced.length,
            stale: result.stale.length,
            deleted: result.deleted,
            tombstoned: result.tombstoned.length,
          };
        } catch (error) {
          await this.state.recordFailure(SyncStream.Webhooks, error);
          throw error;
        }
      }
      case 'contacts':
        await this.references.refreshContacts(data.ids);
        await this.state.recordSuccess(SyncStream.Contacts, { addItems: data.ids.length });
        return { contacts: data.ids.length };
      case 'companies':
        await this.references.refreshCompanies(data.ids);
        return { companies: data.ids.length };
    }
  }

  /**
   * Reads the conversations of every ticket in the conversations-due set, 100 per batch. Tickets
   * HubSpot could not answer for (and every ticket of a batch that failed) go back into the set and
   * the job fails, to be retried with backoff.
   */
  async refreshConversation(data: RefreshConversationData): Promise<{ mirrored: number }> {
    const key = this.redis.keys.conversationsDue;
    // A job queued before the due set existed names its ticket.
    if (data.ticketId) await this.redis.client.zadd(key, 'LT', Date.now(), data.ticketId);
    let mirrored = 0;
    const unread: Array<[string, number]> = [];
    for (;;) {
      const popped = await this.redis.client.zpopmin(key, BATCH_SIZE);
      if (popped.length === 0) break;
      const due: Array<[string, number]> = [];
      for (let i = 0; i < popped.length; i += 2) due.push([popped[i]!, Number(popped[i + 1])]);
      let result: { mirrored: number; unread: string[] };
      try {
        result = await this.tickets.refreshConversations(due.map(([id]) => id));
      } catch (error) {
        await this.redis.client.zadd(key, 'LT', ...due.flatMap(([id, at]) => [at, id]));
        await this.state.recordFailure(SyncStream.Conversations, error);
        throw error;
      }
      mirrored += result.mirrored;
      const asked = new Map(due);
      unread.push(...result.unread.map((id): [string, number] => [id, asked.get(id)!]));
      if (popped.length < BATCH_SIZE * 2) break;
    }
    await this.state.recordSuccess(SyncStream.Conversations, { addItems: mirrored });
    if (unread.length > 0) {
      await this.redis.client.zadd(key, 'LT', ...unread.flatMap(([id, at]) => [at, id]));
      throw new HubSpotError({
        kind: 'unavailable',
        operation: 'batch read ticket conversations',
        message: `HubSpot did not answer for the conversations of ${unread.length} ticket(s); they are read again`,
      });
    }
    return { mirrored };
  }

  reconcile(data: ReconcileData): Promise<ReconcileResult> {
    // The reconcile is the mirror's safety net: it leaves a reserve of the budget to customers' changes.
    return inBackground(() => this.reconciler.run({ sweep: data.sweep === true }));
  }
}
