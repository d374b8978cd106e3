import { Injectable, Logger, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { JobSchedulerTemplateOptions, Queue, RepeatOptions } from 'bullmq';

/** How often every worker checks that its job schedulers still exist in Redis. */
export const SCHEDULER_CHECK_MS = 15_000;

interface Entry {
  queue: Queue;
  id: string;
  repeat: Omit<RepeatOptions, 'key'>;
  template: { name: string; data?: unknown; opts?: JobSchedulerTemplateOptions };
}

/**
 * The worker's BullMQ job schedulers (outbox relay, reconcile, deletion sweep, cleanup, …), kept
 * alive. Schedulers live only in Redis: a Redis that restarts empty (no persistence, a failover to
 * an empty replica, a FLUSHALL) takes them along, and nothing would ever run them again until the
 * worker restarts. So each one registered here is upserted again when it is missing — checked after
 * every reconnect of a queue's connection and every SCHEDULER_CHECK_MS — and the `onRestore`
 * listeners run (the relay re-queues the outbox rows whose jobs went with the old Redis).
 * Scheduler ids are fixed, so several workers restoring at once still yield one scheduler.
 */
@Injectable()
export class SchedulerKeeper implements OnApplicationShutdown {
  private readonly logger = new Logger(SchedulerKeeper.name);
  private readonly entries = new Map<string, Entry>();
  private readonly restoreListeners: Array<() => Promise<unknown>> = [];
  private readonly watched = new Set<Queue>();
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<number> | null = null;
  private again = false;
  private stopped = false;

  constructor(private readonly everyMs = SCHEDULER_CHECK_MS) {}

  /** Upserts a scheduler now and keeps it: it is upserted again whenever Redis lost it. */
  async register(
    queue: Queue,
    id: string,
    repeat: Omit<RepeatOptions, 'key'>,
    template: Entry['template'],
  ): Promise<void> {
    const entry: Entry = { queue, id, repeat, template };
    this.entries.set(`${queue.name}\u0000${id}`, entry);
    await this.upsert(entry);
    this.watch(queue);
    this.startTimer();
  }

  /** Runs after schedulers had to be restored (Redis lost its data). */
  onRestore(listener: () => Promise<unknown>): void {
    this.restoreListeners.push(listener);
  }

  /**
   * Upserts the schedulers Redis no longer has; answers how many. Checks overlapping a running one
   * run once more after it, so a reconnect during a check is never missed.
   */
  check(): Promise<number> {
    if (this.checking) {
      this.again = true;
      return this.checking;
    }
    const run = async (): Promise<number> => {
      let restored = 0;
      do {
        this.again = false;
        restored += await this.restoreMissing();
      } while (this.again && !this.stopped);
      return restored;
    };
    this.checking = run().finally(() => {
      this.checking = null;
    });
    return this.checking;
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async restoreMissing(): Promise<number> {
    if (this.stopped) return 0;
    const missing: Entry[] = [];
    for (const entry of this.entries.values()) {
      if (!(await entry.queue.getJobScheduler(entry.id))) missing.push(entry);
    }
    if (missing.length === 0) return 0;
    for (const entry of missing) await this.upsert(entry);
    this.logger.warn(
      `Redis had lost job schedulers ${missing.map((e) => `${e.queue.name}/${e.id}`).join(', ')} (restarted empty?); registered them again`,
    );
    for (const listener of this.restoreListeners) {
      await listener().catch((error: unknown) =>
        this.logger.warn(
          `After restoring schedulers: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
    return missing.length;
  }

  private async upsert(entry: Entry): Promise<void> {
    await entry.queue.upsertJobScheduler(entry.id, entry.repeat, entry.template);
  }

  // A reconnect is when an emptied Redis shows: check at once rather than at the next tick.
  private watch(queue: Queue): void {
    if (this.watched.has(queue)) return;
    this.watched.add(queue);
    void queue.backend.client
      .then((client) => {
        client.on('ready', () => {
          if (!this.stopped) void this.check().catch(() => undefined);
        });
      })
      .catch(() => undefined);
  }

  private startTimer(): void {
    if (this.timer || this.stopped || this.everyMs <= 0) return;
    // Redis down: the check fails and the next one tries again (the outage is logged elsewhere).
    this.timer = setInterval(() => void this.check().catch(() => undefined), this.everyMs);
    this.timer.unref();
  }
}

/** The worker's scheduler keeper; one per process, shared by every module that schedules jobs. */
@Module({
  providers: [{ provide: SchedulerKeeper, useFactory: () => new SchedulerKeeper() }],
  exports: [SchedulerKeeper],
})
export class SchedulerKeeperModule {}
