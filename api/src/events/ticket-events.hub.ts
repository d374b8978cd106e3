import { randomBytes, randomInt } from 'node:crypto';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Redis } from 'ioredis';
import type { AuthContext } from '../auth/session.service';
import { SessionService } from '../auth/session.service';
import { sessionRevokedChannel } from '../auth/session-cache';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { DrainState } from '../common/lifecycle/drain-state';
import { logRedisErrors } from '../common/redis/redis-errors';
import { REDIS } from '../common/redis/redis.module';
import { RedisKeys } from '../queues/redis-keys';
import { AppConfig } from '../config/app-config';
import { CustomerScopeService } from '../customers/customer-scope.service';
import { repeatsDescription } from '../requests/conversation';
import { toMessage } from '../requests/ticket-view.service';
import { messageAttachments } from '../attachments/attachments.service';
import { AttachmentsRepository } from '../repositories/attachments.repository';
import { type Counts } from '../repositories/ticket-list.repository';
import { TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { TicketsRepository } from '../repositories/tickets.repository';
import { SyncStatusService } from '../sync/sync-status.service';
import { toTicketListItem } from '../tickets/ticket-list-item.mapper';
import { TicketVisibility } from '../tickets/ticket-visibility.service';
import { TicketsListService } from '../tickets/tickets-list.service';
import {
  type ChangeNotice,
  compareEntryIds,
  decodeNotice,
  eventsStreamKey,
  isEntryId,
  type NoticeTicket,
} from './change-notice';
import { LiveStream, type SseEvent } from './live-stream';

/** Redis key of the change stream's epoch: a new one whenever Redis lost the stream. */
export function eventsEpochKey(keys: RedisKeys): string {
  return `${eventsStreamKey(keys)}:epoch`;
}
/** The reconnection delay an open stream suggests (EventSource's `retry:`). */
export const RETRY_MS = 3000;
/** Missed entries replayed on a resume at most; past that the client refetches instead. */
export const REPLAY_MAX = 1000;
/** How often each stream's session and scope are read again (revocations also arrive at once). */
const CHECK_INTERVAL_MS = 60_000;
/** How often the sync state (behind / current) is read while streams are open. */
const SYNC_POLL_MS = 5_000;
const READ_BLOCK_MS = 5_000;
const READ_COUNT = 200;

export type SyncState = { state: 'current' | 'behind'; syncedAt: string | null };

/** `Last-Event-ID`: `<epoch>:<stream entry id>`, as every event id this API sends. */
const EVENT_ID = /^([a-z0-9]{1,16}):(\d{1,15}-\d{1,15})$/;

export function parseLastEventId(value: string | undefined): { epoch: string; entry: string } | null {
  if (value === undefined || value.trim() === '') return null;
  const match = EVENT_ID.exec(value.trim());
  if (!match || !isEntryId(match[2]!)) {
    throw new AppError(
      ErrorCode.VALIDATION_FAILED,
      'Last-Event-ID: send back the id of the last event this stream gave you (such as "k3x9:1767225600000-0"), or leave the header out to start afresh.',
      { fields: { 'Last-Event-ID': 'must be an event id this stream sent' } },
    );
  }
  return { epoch: match[1]!, entry: match[2]! };
}

/**
 * The live side of the ticket list in one API process (ADR 0009). One blocking XREAD on the
 * deployment's change stream; each notice is matched against the scopes of the streams open here,
 * the rows it names are read once, and each stream gets the events its customer may see. Streams
 * are indexed by scope key, customer and session, so a notice about a company nobody here watches
 * costs a few map lookups and no database read.
 */
@Injectable()
export class TicketEventsHub implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(TicketEventsHub.name);
  private readonly streams = new Set<LiveStream>();
  private readonly byKey = new Map<string, Set<LiveStream>>();
  private readonly byCustomer = new Map<string, Set<LiveStream>>();
  private readonly bySession = new Map<string, Set<LiveStream>>();
  private reader: Redis | null = null;
  private subscriber: Redis | null = null;
  /** The last entry whose fan-out has started: a stream opened now gets every later one live. */
  private position: string | null = null;
  private epoch: string | null = null;
  private started: Promise<void> | null = null;
  private loop: Promise<void> | null = null;
  private stopped = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private syncTimer: NodeJS.Timeout | null = null;
  private sync: SyncState | null = null;
  private checking = false;
  private readonly counters = { notices: 0, resyncs: 0 };
  private readonly streamKey: string;
  private readonly epochKey: string;
  private readonly revokedChannel: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly tickets: TicketsRepository,
    private readonly messages: TicketMessagesRepository,
    private readonly attachments: AttachmentsRepository,
    private readonly visibility: TicketVisibility,
    private readonly config: AppConfig,
    private readonly scopes: CustomerScopeService,
    private readonly list: TicketsListService,
    private readonly sessions: SessionService,
    private readonly syncStatus: SyncStatusService,
    private readonly drain: DrainState,
    keys: RedisKeys,
  ) {
    this.streamKey = eventsStreamKey(keys);
    this.epochKey = eventsEpochKey(keys);
    this.revokedChannel = sessionRevokedChannel(keys);
  }

  onApplicationBootstrap(): void {
    // SIGTERM: streams end as draining starts (not when the listener closes, which would wait on
    // them), so browsers reconnect through the balancer while this process finishes its requests.
    this.drain.onDrain(() => this.closeAllStreams());
    // A connection of its own: XREAD BLOCK holds it. No offline queue and no retries, so an outage
    // fails the read at once and the loop knows to resync its streams afterwards.
    this.reader = this.redis.duplicate({ maxRetriesPerRequest: 0, enableOfflineQueue: false });
    logRedisErrors(this.reader, 'events');
    this.started = this.waitForStart();
    this.loop = this.run();
    this.subscribe();
    this.heartbeat = setInterval(() => this.tick(), this.config.eventsHeartbeatSeconds * 1000);
    this.heartbeat.unref();
    this.syncTimer = setInterval(() => void this.pollSync(), SYNC_POLL_MS);
    this.syncTimer.unref();
  }

  /** Graceful shutdown: every open stream ends with a retry hint (spread, so clients return in turn). */
  async beforeApplicationShutdown(): Promise<void> {
    this.closeAllStreams();
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.reader?.disconnect();
    this.subscriber?.disconnect();
    await this.loop?.catch(() => undefined);
  }

  /** Ends every stream open in this process, each with a `retry:` hint of 1–3 s. */
  closeAllStreams(): void {
    for (const stream of [...this.streams]) stream.end(`retry: ${randomInt(1000, 3000)}\n\n`);
  }

  /** Open streams and notices handled (tests, benchmarks). */
  /** `position`: the last change-stream entry this process's read loop has taken (null before it starts). */
  stats(): {
    streams: number;
    notices: number;
    resyncs: number;
    customers: number;
    scopes: number;
    position: string | null;
  } {
    return {
      position: this.position,
      streams: this.streams.size,
      customers: this.byCustomer.size,
      scopes: this.byKey.size,
      ...this.counters,
    };
  }

  /** GET tickets/events: answers with an event stream that stays open. */
  async open(auth: AuthContext, request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const since = parseLastEventId(headerOf(request, 'last-event-id'));
    if (this.stopped || this.drain.draining) {
      throw new AppError(
        ErrorCode.SHUTTING_DOWN,
        'This API process is shutting down. Connect again: the next attempt reaches another one.',
        { retryAfterSeconds: 1 },
      );
    }
    const ready = await Promise.race([
      this.started?.then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), 2000).unref()),
    ]);
    if (!ready || this.position === null) throw unavailable('Live updates cannot reach Redis');
    const epoch = await this.currentEpoch();
    const scope = await this.scopes.scopeFor(auth.customerId);
    const { key: countsKey, counts } = await this.list.counts(auth.customerId);
    const sync = this.sync ?? (await this.readSync());
    const token = /^Bearer +(\S+) *$/i.exec(headerOf(request, 'authorization') ?? '')?.[1] ?? '';

    // From here on the answer is the stream: the CORS headers set by the hooks so far go on it (helmet is
    // off for this route: see the controller).
    reply.hijack();
    const raw = reply.raw;
    const headers: Record<string, string | number | string[]> = {};
    for (const [name, value] of Object.entries(reply.getHeaders())) {
      if (value !== undefined) headers[name] = value;
    }
    raw.writeHead(200, {
      ...headers,
      'x-content-type-options': 'nosniff',
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
      connection: 'keep-alive',
    });
    raw.socket?.setNoDelay(true);
    raw.socket?.setKeepAlive(true);
    raw.on('error', () => undefined);
    const stream = new LiveStream(
      auth.customerId,
      auth.tokenHash,
      token,
      { scope, key: this.visibility.scopeKey(scope) },
      { counts, countsKey, checkAt: Date.now() + CHECK_INTERVAL_MS },
      raw,
      (s) => this.remove(s),
    );
    raw.on('close', () => stream.end());
    if (this.stopped) {
      stream.end(`retry: ${RETRY_MS}\n\n`);
      return;
    }
    const at = this.position;
    const resume = since && since.epoch === epoch ? since.entry : null;
    if (resume) stream.hold();
    this.add(stream);
    stream.write(`retry: ${RETRY_MS}\n\n`);
    stream.sendNow([['ready', JSON.stringify({ counts, sync })]], resume ? null : `${epoch}:${at}`);
    if (since && !resume) {
      // The stream's epoch changed: Redis lost it, and with it what the client missed.
      this.resync(stream, 'unknown-position', at, epoch);
      stream.release();
      return;
    }
    if (resume) await this.replay(stream, resume, at, epoch);
  }

  private add(stream: LiveStream): void {
    this.streams.add(stream);
    indexAdd(this.byCustomer, stream.customerId, stream);
    indexAdd(this.bySession, stream.tokenHash, stream);
    if (stream.key) indexAdd(this.byKey, stream.key, stream);
  }

  private remove(stream: LiveStream): void {
    this.streams.delete(stream);
    indexDelete(this.byCustomer, stream.customerId, stream);
    indexDelete(this.bySession, stream.tokenHash, stream);
    if (stream.key) indexDelete(this.byKey, stream.key, stream);
  }

  /**
   * Sends what the client missed since `after` (up to `until`, where live delivery took over), then
   * the live events held meanwhile. Past the retention, or too much, one `resync` instead.
   */
  private async replay(stream: LiveStream, after: string, until: string, epoch: string): Promise<void> {
    try {
      if (compareEntryIds(after, until) < 0) {
        if (await this.trimmedAfter(after)) {
          this.resync(stream, 'retention', until, epoch);
          return;
        }
        const entries = (await this.redis.xrange(
          this.streamKey,
          `(${after}`,
          until,
          'COUNT',
          REPLAY_MAX,
        )) as Array<[string, string[]]>;
        if (entries.length >= REPLAY_MAX) {
          this.resync(stream, 'retention', until, epoch);
          return;
        }
        for (const [id, fields] of entries) {
          if (stream.closed) return;
          const notice = decodeNotice(fields);
          if (notice) await this.handle(`${epoch}:${id}`, notice, stream);
        }
      }
    } catch (error) {
      this.logger.warn(`Replay for a stream failed (${message(error)}); it refetches`);
      this.resync(stream, 'interrupted', until, epoch);
    } finally {
      stream.release();
    }
  }

  /** Whether entries after `after` were trimmed away (or the stream is gone altogether). */
  private async trimmedAfter(after: string): Promise<boolean> {
    const info = (await this.redis.call('XINFO', 'STREAM', this.streamKey).catch(() => null)) as
      unknown[] | null;
    if (!info) return true;
    const field = (name: string): unknown => info[info.indexOf(name) + 1];
    const text = (name: string): string | null => {
      const value = info.includes(name) ? field(name) : null;
      return typeof value === 'string' ? value : null;
    };
    const lastGenerated = text('last-generated-id') ?? '0-0';
    if (compareEntryIds(after, lastGenerated) > 0) return true;
    const maxDeleted = text('max-deleted-entry-id');
    if (maxDeleted !== null) return compareEntryIds(after, maxDeleted) < 0;
    // Redis before 7.0: anything older than the first entry kept may have been trimmed.
    const first = field('first-entry') as [string, string[]] | null;
    return first !== null && first !== undefined && compareEntryIds(after, first[0]) < 0;
  }

  private resync(stream: LiveStream, reason: string, at: string, epoch: string): void {
    this.counters.resyncs += 1;
    stream.sendNow([['resync', JSON.stringify({ reason })]], `${epoch}:${at}`);
  }

  /** The stream's epoch; a new one when Redis lost it (every stream resumed from before then resyncs). */
  private async currentEpoch(): Promise<string> {
    let epoch = await this.redis.get(this.epochKey);
    if (epoch === null) {
      await this.redis.set(this.epochKey, randomBytes(6).toString('hex').slice(0, 8), 'NX');
      epoch = (await this.redis.get(this.epochKey)) ?? 'x';
    }
    if (this.epoch !== null && this.epoch !== epoch) this.resyncAll('interrupted', epoch);
    this.epoch = epoch;
    return epoch;
  }

  private async waitForStart(): Promise<void> {
    while (!this.stopped) {
      try {
        const [last] = (await this.reader!.xrevrange(this.streamKey, '+', '-', 'COUNT', 1)) as Array<
          [string, string[]]
        >;
        this.position = last?.[0] ?? '0-0';
        this.epoch = await this.currentEpoch();
        return;
      } catch {
        await sleep(500);
      }
    }
  }

  /** The one reader of this process: blocks on the stream, hands each entry to `handle` in order. */
  private async run(): Promise<void> {
    await this.started;
    let failedAt: number | null = null;
    while (!this.stopped) {
      try {
        const answer = await this.reader!.xread(
          'COUNT',
          READ_COUNT,
          'BLOCK',
          READ_BLOCK_MS,
          'STREAMS',
          this.streamKey,
          this.position!,
        );
        if (failedAt !== null) {
          // Back after an outage: notices written meanwhile may be lost, so every stream refetches.
          failedAt = null;
          const epoch = await this.currentEpoch();
          this.resyncAll('interrupted', epoch);
        }
        for (const [, entries] of answer ?? []) {
          for (const [id, fields] of entries) {
            this.position = id;
            const notice = decodeNotice(fields);
            if (!notice) continue;
            this.counters.notices += 1;
            await this.handle(`${this.epoch}:${id}`, notice).catch((error: unknown) => {
              this.logger.warn(`Change notice ${id} not delivered (${message(error)})`);
            });
          }
        }
      } catch (error) {
        if (this.stopped) break;
        if (failedAt === null) {
          failedAt = Date.now();
          this.logger.warn(`Change stream unreadable (${message(error)}); retrying`);
        }
        await sleep(250);
      }
    }
  }

  private resyncAll(reason: string, epoch: string): void {
    for (const stream of this.streams) this.resync(stream, reason, this.position ?? '0-0', epoch);
  }

  /**
   * One notice. Live (no `only`): every matching stream here, and the list's caches are told.
   * Replay (`only`): just that stream, written ahead of what it holds.
   */
  private async handle(id: string, notice: ChangeNotice, only?: LiveStream): Promise<void> {
    const deliver = (stream: LiveStream, events: SseEvent[]): void =>
      only ? stream.sendNow(events, id) : stream.send(events, id);
    switch (notice.k) {
      case 'a': {
        const resync: SseEvent[] = [['resync', JSON.stringify({ reason: 'changed' })]];
        for (const stream of only ? [only] : this.streams) deliver(stream, resync);
        return;
      }
      case 's': {
        if (!only) void this.list.changed(notice.s, []).catch(() => undefined);
        const resync: SseEvent[] = [['resync', JSON.stringify({ reason: 'changed' })]];
        const targets = new Set<LiveStream>();
        for (const key of notice.s) {
          for (const stream of only ? [only] : (this.byKey.get(key) ?? [])) {
            if (stream.key === key) targets.add(stream);
          }
        }
        for (const stream of targets) deliver(stream, resync);
        return;
      }
      case 't':
        if (!only) {
          void this.list
            .changed(
              [...new Set(notice.t.flatMap((t) => t.s))],
              notice.t.flatMap((t) => (t.b ? [t.b] : [])),
            )
            .catch(() => undefined);
        }
        return this.ticketsChanged(notice.t, deliver, only);
      case 'm':
        return this.messagesChanged(notice, deliver, only);
      case 'c': {
        const moved = new Set(notice.c);
        for (const stream of only ? [only] : this.streams) {
          if (moved.has(stream.customerId)) stream.checkAt = 0;
        }
        return this.checkDue();
      }
    }
  }

  /** Streams a ticket notice concerns: their scope key is one the ticket was or is in, or it is theirs. */
  private targets(tickets: readonly NoticeTicket[], only?: LiveStream): Map<LiveStream, number[]> {
    const out = new Map<LiveStream, number[]>();
    const add = (stream: LiveStream, id: number): void => {
      const ids = out.get(stream);
      if (!ids) out.set(stream, [id]);
      else if (!ids.includes(id)) ids.push(id);
    };
    for (const t of tickets) {
      if (only) {
        if ((only.key !== null && t.s.includes(only.key)) || t.b === only.customerId) add(only, t.i);
        continue;
      }
      for (const key of t.s) for (const stream of this.byKey.get(key) ?? []) add(stream, t.i);
      if (t.b) for (const stream of this.byCustomer.get(t.b) ?? []) add(stream, t.i);
    }
    return out;
  }

  private async ticketsChanged(
    tickets: readonly NoticeTicket[],
    deliver: (stream: LiveStream, events: SseEvent[]) => void,
    only?: LiveStream,
  ): Promise<void> {
    const targets = this.targets(tickets, only);
    if (targets.size === 0) return;
    const ids = [...new Set([...targets.values()].flat())];
    // Rows once per notice, and each item serialised once, whatever the number of streams; the
    // counts once per shared scope (a replay skips them: its `ready` had the current ones).
    const [rows, counts] = await Promise.all([
      this.tickets.placedListItems(ids),
      only ? Promise.resolve(new Map<string, Counts>()) : this.countsFor(targets.keys()),
    ]);
    const items = new Map<number, string>();
    for (const [id, row] of rows) items.set(id, JSON.stringify(toTicketListItem(row)));
    for (const [stream, streamIds] of targets) {
      if (stream.closed) continue;
      const events: SseEvent[] = [];
      for (const id of streamIds) {
        const row = rows.get(id);
        if (row && this.visibility.visibleTo(stream.customerId, stream.scope, row)) {
          events.push(['ticket', items.get(id)!]);
        } else events.push(['ticket-removed', JSON.stringify({ localId: String(id) })]);
      }
      const now = counts.get(stream.countsKey);
      if (
        now &&
        (now.open !== stream.counts.open ||
          now.closed !== stream.counts.closed ||
          now.awaiting !== stream.counts.awaiting)
      ) {
        stream.counts = now;
        events.push(['counts', JSON.stringify(now)]);
      }
      deliver(stream, events);
    }
  }

  private async messagesChanged(
    notice: Extract<ChangeNotice, { k: 'm' }>,
    deliver: (stream: LiveStream, events: SseEvent[]) => void,
    only?: LiveStream,
  ): Promise<void> {
    const targets = this.targets([notice.t], only);
    if (targets.size === 0) return;
    const [rows, changed, opening] = await Promise.all([
      this.tickets.placedListItems([notice.t.i]),
      this.messages.someOfTicket(notice.t.i, notice.a),
      notice.a.length > 0 ? this.messages.opening(notice.t.i) : Promise.resolve(undefined),
    ]);
    const row = rows.get(notice.t.i);
    if (!row) return;
    const localId = String(notice.t.i);
    const files = await messageAttachments(
      this.attachments,
      notice.t.i,
      changed.map((m) => Number(m.id)),
      this.config.attachments.types,
    );
    // The ticket page never shows a first message that repeats the description (requests/conversation.ts),
    // unless it carries files.
    const hidden =
      opening &&
      repeatsDescription(opening, opening.description) &&
      !((files.get(Number(opening.id))?.length ?? 0) > 0)
        ? Number(opening.id)
        : null;
    const messages = changed.filter((m) => Number(m.id) !== hidden);
    const events: SseEvent[] = messages.map((m) => [
      'message',
      JSON.stringify({ localId, message: toMessage(m, files.get(Number(m.id))) }),
    ]);
    if (notice.r > 0) events.push(['conversation', JSON.stringify({ localId })]);
    for (const stream of targets.keys()) {
      if (!stream.closed && this.visibility.visibleTo(stream.customerId, stream.scope, row)) {
        deliver(stream, events);
      }
    }
  }

  /** The current counts of each scope these streams show, read once per scope. */
  private async countsFor(streams: Iterable<LiveStream>): Promise<Map<string, Counts>> {
    const first = new Map<string, string>();
    for (const stream of streams) {
      if (!first.has(stream.countsKey)) first.set(stream.countsKey, stream.customerId);
    }
    const out = new Map<string, Counts>();
    await Promise.all(
      [...first].map(async ([key, customerId]) => {
        const answer = await this.list.counts(customerId).catch(() => null);
        if (answer) out.set(key, answer.counts);
      }),
    );
    return out;
  }

  /** Revocations reach this process at once over the channel the session cache uses. */
  private subscribe(): void {
    const sub = this.redis.duplicate({ maxRetriesPerRequest: null });
    this.subscriber = sub;
    logRedisErrors(sub, 'events-revocations');
    sub.on('message', (channel: string, text: string) => {
      if (channel !== this.revokedChannel) return;
      for (const hash of text.split(',')) {
        for (const stream of [...(this.bySession.get(hash) ?? [])]) endSession(stream);
      }
    });
    let dropped = false;
    sub.on('close', () => {
      dropped = true;
    });
    sub.on('ready', () => {
      sub
        .subscribe(this.revokedChannel)
        .then(() => {
          // A revocation may have been missed while unsubscribed: check every session now.
          if (dropped) for (const stream of this.streams) stream.checkAt = 0;
          dropped = false;
        })
        .catch(() => undefined);
    });
  }

  /** Heartbeats for every stream, then the due session and scope checks. */
  private tick(): void {
    for (const stream of this.streams) stream.write(': keep-alive\n\n');
    if (!this.checking) {
      this.checking = true;
      void this.checkDue().finally(() => {
        this.checking = false;
      });
    }
    if (this.epoch !== null) void this.currentEpoch().catch(() => undefined);
  }

  private async checkDue(): Promise<void> {
    const now = Date.now();
    for (const stream of [...this.streams]) {
      if (stream.closed || stream.checkAt > now) continue;
      stream.checkAt = now + CHECK_INTERVAL_MS;
      try {
        const auth = await this.sessions.validate(stream.token);
        if (!auth || auth.tokenHash !== stream.tokenHash) {
          endSession(stream);
          continue;
        }
        const scope = await this.scopes.scopeFor(stream.customerId);
        const key = this.visibility.scopeKey(scope);
        if (
          key !== stream.key ||
          scope?.companyId !== stream.scope?.companyId ||
          scope?.contactId !== stream.scope?.contactId ||
          scope?.companyScope !== stream.scope?.companyScope
        ) {
          // Linked, or moved to another contact or company: what they may see changed wholesale.
          if (stream.key) indexDelete(this.byKey, stream.key, stream);
          stream.scope = scope;
          stream.key = key;
          if (key) indexAdd(this.byKey, key, stream);
          const { key: countsKey, counts } = await this.list.counts(stream.customerId);
          stream.countsKey = countsKey;
          stream.counts = counts;
          stream.send([['resync', JSON.stringify({ reason: 'scope' })]], null);
        }
      } catch {
        // Database or Redis briefly away: try again at the next check.
      }
    }
  }

  private async pollSync(): Promise<void> {
    if (this.streams.size === 0) {
      this.sync = null;
      return;
    }
    const next = await this.readSync().catch(() => null);
    if (!next) return;
    const before = this.sync;
    this.sync = next;
    if (before && before.state !== next.state) {
      const events: SseEvent[] = [['sync', JSON.stringify(next)]];
      for (const stream of this.streams) stream.send(events, null);
    }
  }

  private async readSync(): Promise<SyncState> {
    const status = await this.syncStatus.status();
    const state: SyncState = { state: status.healthy ? 'current' : 'behind', syncedAt: status.syncedAt };
    this.sync ??= state;
    return state;
  }
}

function endSession(stream: LiveStream): void {
  stream.end(`event: session-ended\ndata: ${JSON.stringify({ reason: 'signed-out' })}\n\n`);
}

function indexAdd<K>(index: Map<K, Set<LiveStream>>, key: K, stream: LiveStream): void {
  const set = index.get(key);
  if (set) set.add(stream);
  else index.set(key, new Set([stream]));
}

function indexDelete<K>(index: Map<K, Set<LiveStream>>, key: K, stream: LiveStream): void {
  const set = index.get(key);
  if (!set) return;
  set.delete(stream);
  if (set.size === 0) index.delete(key);
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function unavailable(what: string): AppError {
  return new AppError(
    ErrorCode.DEPENDENCY_UNAVAILABLE,
    `${what}, so live updates are not available for a moment. Connect again in a few seconds; the ticket list itself keeps working.`,
    { retryAfterSeconds: 3 },
  );
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
