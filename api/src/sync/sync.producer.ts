import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable } from '@nestjs/common';
import { type Queue } from 'bullmq';
import { SyncRedis } from './sync-redis';
import { SYNC_OPTIONS, type SyncOptions } from './sync.options';
import { type DirtyKind, QueueName, SyncJobName } from '../queues/queue.constants';
import { bucketOf, conversationJobId, DELIVERED_TTL_MS, flushJobId, SYNC_JOB_OPTIONS } from './sync.queues';
import { type TicketEventFact } from './webhook-event';

/**
 * Puts sync work on the queues. Refreshes go through a dirty set per kind (a sorted set scored by
 * the oldest event time) and one flush job per time bucket, so a burst of events about the same
 * or different records becomes a few batch reads of up to 100 records.
 */
@Injectable()
export class SyncProducer {
  constructor(
    @InjectQueue(QueueName.SyncRefresh) private readonly refreshQueue: Queue,
    @InjectQueue(QueueName.SyncConversations) private readonly conversationQueue: Queue,
    @Inject(SYNC_OPTIONS) private readonly options: SyncOptions,
    private readonly redis: SyncRedis,
  ) {}

  /**
   * Remembers tickets the outbox just created (ADR 0015): the delivery writes HubSpot's answer to the
   * create into the mirror, so the webhooks the create itself caused need not read the ticket again.
   */
  async markDelivered(
    tickets: ReadonlyArray<{
      ticket: { id: string; lastModifiedAt: Date; contactIds: string[]; companyIds: string[] };
      /** Made by this delivery (false: found, made by an earlier attempt). */
      created: boolean;
    }>,
  ): Promise<void> {
    if (tickets.length === 0) return;
    const multi = this.redis.client.multi();
    for (const { ticket: t, created } of tickets) {
      const answer = { m: t.lastModifiedAt.getTime(), a: [...t.contactIds, ...t.companyIds], c: created };
      multi.set(this.redis.keys.delivered(t.id), JSON.stringify(answer), 'PX', DELIVERED_TTL_MS);
    }
    await multi.exec();
  }

  /**
   * Of these tickets (→ the events about them), the ones whose every event a delivery's create answer
   * already covers: the ticket's creation, an association the create made, or anything no newer than
   * the answer. A change by anyone else (a later property change, another association) is not covered.
   */
  async coveredByDelivery(events: ReadonlyMap<string, readonly TicketEventFact[]>): Promise<Set<string>> {
    const ids = [...events.keys()];
    if (ids.length === 0) return new Set();
    const answers = await this.redis.client.mget(ids.map((id) => this.redis.keys.delivered(id)));
    const covered = new Set<string>();
    for (const [i, id] of ids.entries()) {
      const raw = answers[i];
      if (raw === null || raw === undefined) continue;
      const answer = JSON.parse(raw) as { m: number; a: string[] };
      const made = new Set(answer.a);
      const all = events
        .get(id)!
        .every(
          (e) =>
            e.action === 'creation' ||
            e.at <= answer.m ||
            (e.action === 'associationChange' && e.peer !== undefined && made.has(e.peer)),
        );
      if (all) covered.add(id);
    }
    return covered;
  }

  /**
   * Of these snapshots, the ones no newer than the answer of the delivery that just created the
   * ticket: HubSpot has nothing on them the portal did not write itself (their conversation
   * included). A ticket found from an earlier attempt is not one: support may have answered it since.
   */
  async deliveredAsIs(tickets: ReadonlyArray<{ id: string; lastModifiedAt: Date }>): Promise<Set<string>> {
    if (tickets.length === 0) return new Set();
    const answers = await this.redis.client.mget(tickets.map((t) => this.redis.keys.delivered(t.id)));
    const asIs = new Set<string>();
    for (const [i, t] of tickets.entries()) {
      const raw = answers[i];
      if (raw === null || raw === undefined) continue;
      const answer = JSON.parse(raw) as { m: number; c?: boolean };
      if (answer.c === true && t.lastModifiedAt.getTime() <= answer.m) asIs.add(t.id);
    }
    return asIs;
  }

  /** Marks records as changed (id → epoch ms of the oldest event about it) and schedules a flush. */
  async markDirty(
    kind: DirtyKind,
    ids: ReadonlyMap<string, number> | readonly string[],
    now = Date.now(),
  ): Promise<void> {
    const entries: Array<[string, number]> = Array.isArray(ids)
      ? (ids as readonly string[]).map((id) => [id, now])
      : [...(ids as ReadonlyMap<string, number>)];
    if (entries.length === 0) return;
    const redis = this.redis.client;
    // LT keeps the oldest time per id (and adds new ids).
    await redis.zadd(this.redis.keys.dirty(kind), 'LT', ...entries.flatMap(([id, at]) => [at, id]));
    const { bucket, delay } = bucketOf(now, this.options.flushBucketMs);
    await this.refreshQueue.add(
      SyncJobName.FlushDirty,
      { kind },
      { ...SYNC_JOB_OPTIONS, jobId: flushJobId(kind, bucket), delay },
    );
  }

  /**
   * Schedules a conversation refresh: the ticket joins the conversations-due set and one job per
   * time bucket reads every due ticket in batches (a burst of replies on 100 tickets is a few batch
   * reads, not two calls per ticket).
   */
  async refreshConversation(ticketHubspotId: string, now = Date.now()): Promise<void> {
    await this.redis.client.zadd(this.redis.keys.conversationsDue, 'LT', now, ticketHubspotId);
    await this.scheduleConversations(now);
  }

  /** One conversations job for the bucket `now` falls in (a job of the same bucket is already it). */
  async scheduleConversations(now = Date.now()): Promise<void> {
    const { bucket, delay } = bucketOf(now, Math.max(this.options.flushBucketMs, 500));
    await this.conversationQueue.add(
      SyncJobName.RefreshConversation,
      {},
      { ...SYNC_JOB_OPTIONS, jobId: conversationJobId(bucket), delay },
    );
  }

  /**
   * Remembers webhook event keys for the dedupe window; answers the keys not seen before.
   * `forget` undoes it when the events could not be queued (so HubSpot's retry is not dropped).
   */
  async claimEvents(keys: readonly string[]): Promise<Set<string>> {
    if (keys.length === 0) return new Set();
    const redis = this.redis.client;
    const pipeline = redis.pipeline();
    for (const key of keys) {
      pipeline.set(this.redis.keys.event(key), '1', 'EX', this.options.eventDedupeTtlSeconds, 'NX');
    }
    const answers = (await pipeline.exec()) ?? [];
    const fresh = new Set<string>();
    answers.forEach(([error, value]: [Error | null, unknown], index: number) => {
      if (error) throw error;
      if (value === 'OK') fresh.add(keys[index]!);
    });
    return fresh;
  }

  async forgetEvents(keys: Iterable<string>): Promise<void> {
    const list = [...keys].map((k) => this.redis.keys.event(k));
    if (list.length === 0) return;
    const redis = this.redis.client;
    await redis.del(...list);
  }
}
