import { Injectable } from '@nestjs/common';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { type HsTicketPage } from '../hubspot/hubspot.types';
import { ReferenceResolver } from './reference-resolver.service';
import { SyncStream } from './sync-state.entity';
import { SyncStateStore } from './sync-state.store';
import { TicketSyncService } from './ticket-sync.service';

export interface BackfillProgress {
  items: number;
  pages: number;
  startedAt: Date;
  /** Items written by this process (for the rate; `items` includes earlier runs when resumed). */
  itemsThisRun: number;
  runStartedAt: number;
  resumed: boolean;
  done: boolean;
}

export interface BackfillOptions {
  /** Forget a finished or interrupted run and start from the first ticket. */
  restart?: boolean;
  /** Also queue every ticket's conversation (a worker reads them at the shared rate limit). */
  conversations?: boolean;
  onProgress?: (progress: BackfillProgress) => void;
}

export interface BackfillResult {
  status: 'completed' | 'already-complete';
  items: number;
  resumed: boolean;
}

/**
 * Copies every HubSpot ticket into the mirror, page by page (100 per call, with associations),
 * saving HubSpot's cursor after each page: after a crash it resumes from the last saved page.
 * Upserts are guarded, so re-writing a page is harmless.
 */
@Injectable()
export class BackfillService {
  constructor(
    private readonly port: HubSpotPort,
    private readonly tickets: TicketSyncService,
    private readonly references: ReferenceResolver,
    private readonly state: SyncStateStore,
  ) {}

  async run(options: BackfillOptions = {}): Promise<BackfillResult> {
    if (options.restart) await this.state.reset(SyncStream.Backfill);
    const previous = await this.state.get(SyncStream.Backfill);
    if (previous?.completedAt) {
      return { status: 'already-complete', items: previous.items, resumed: false };
    }
    const resumed = previous?.startedAt != null;
    const startedAt = previous?.startedAt ?? new Date();
    const progress: BackfillProgress = {
      items: resumed ? (previous?.items ?? 0) : 0,
      pages: 0,
      startedAt,
      itemsThisRun: 0,
      runStartedAt: Date.now(),
      resumed,
      done: false,
    };
    let cursor: string | undefined = previous?.resumeCursor ?? undefined;
    try {
      await this.state.saveProgress(SyncStream.Backfill, {
        cursor: cursor ?? null,
        items: progress.items,
        startedAt,
      });
      await this.references.refreshOwners(true);
      await this.references.refreshPipelines(true);
      let readStartedAt = new Date();
      let next: Promise<HsTicketPage> = this.port.listTickets(cursor);
      for (;;) {
        const page = await next;
        const pageReadAt = readStartedAt;
        // Fetch the next page while this one is written.
        if (page.nextCursor !== undefined) {
          readStartedAt = new Date();
          next = this.port.listTickets(page.nextCursor);
          next.catch(() => undefined);
        }
        await this.tickets.apply(page.tickets, pageReadAt, { conversations: options.conversations ?? false });
        progress.items += page.tickets.length;
        progress.itemsThisRun += page.tickets.length;
        progress.pages += 1;
        cursor = page.nextCursor;
        await this.state.saveProgress(SyncStream.Backfill, {
          cursor: cursor ?? null,
          items: progress.items,
          startedAt,
        });
        options.onProgress?.(progress);
        if (cursor === undefined) break;
      }
      await this.state.saveProgress(SyncStream.Backfill, {
        cursor: null,
        items: progress.items,
        startedAt,
        completedAt: new Date(),
      });
      // Hand over to the reconcile: everything modified since the backfill began gets re-read.
      await this.state.initWatermark(SyncStream.Reconcile, startedAt.getTime());
      await this.state.recordSuccess(SyncStream.Backfill, { lagMs: Date.now() - progress.runStartedAt });
      progress.done = true;
      options.onProgress?.(progress);
      return { status: 'completed', items: progress.items, resumed };
    } catch (error) {
      await this.state.recordFailure(SyncStream.Backfill, error);
      throw error;
    }
  }
}
