import { Inject, Injectable, Logger } from '@nestjs/common';
import { ContactsRepository } from '../repositories/contacts.repository';
import { CustomerLinksRepository } from '../repositories/customer-links.repository';
import { TicketsRepository } from '../repositories/tickets.repository';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { MirrorWriter } from './mirror-writer.service';
import { ReferenceResolver } from './reference-resolver.service';
import { SyncStream } from './sync-state.entity';
import { SyncStateStore } from './sync-state.store';
import { SyncRedis } from './sync-redis';
import { unique } from '../repositories/sql.util';
import { SYNC_OPTIONS, type SyncOptions } from './sync.options';
import { TicketSyncService } from './ticket-sync.service';

export interface ReconcileOptions {
  /**
   * Also walk every ticket HubSpot has and remove mirrored ones it no longer has: deletions whose
   * webhook never came are invisible to search. Costs one call per 100 tickets.
   */
  sweep?: boolean;
}

export interface ReconcileResult {
  pages: number;
  seen: number;
  advanced: number;
  deleted: number;
  watermarkMs: number | null;
  /** Linked contacts whose primary company was re-read, and the accounts that moved with them. */
  linksChecked: number;
  customersMoved: number;
}

const TOMBSTONE_TTL_MS = 24 * 3600_000;
/** HubSpot's v4 association batch read takes 1,000 ids per call. */
const LINK_RECHECK_BATCH = 1000;

/** The safety net under webhooks: catches whatever they missed. */
@Injectable()
export class ReconcileService {
  private readonly logger = new Logger(ReconcileService.name);

  constructor(
    private readonly port: HubSpotPort,
    private readonly tickets: TicketSyncService,
    private readonly references: ReferenceResolver,
    private readonly writer: MirrorWriter,
    private readonly state: SyncStateStore,
    private readonly redis: SyncRedis,
    private readonly mirroredTickets: TicketsRepository,
    private readonly contacts: ContactsRepository,
    private readonly customerLinks: CustomerLinksRepository,
    @Inject(SYNC_OPTIONS) private readonly options: SyncOptions,
  ) {}

  async run(options: ReconcileOptions = {}): Promise<ReconcileResult> {
    const startedAt = Date.now();
    if (await this.backfillPending()) {
      // The worker's first backfill copies everything and then hands its start time over as the
      // watermark; a reconcile from zero now would only read (and queue conversations for) it all twice.
      this.logger.log('reconcile skipped: the first backfill has not finished');
      return {
        pages: 0,
        seen: 0,
        advanced: 0,
        deleted: 0,
        watermarkMs: null,
        linksChecked: 0,
        customersMoved: 0,
      };
    }
    try {
      // Owner renames and stage relabels produce no ticket change: re-read both every run (two calls).
      await this.references.refreshOwners(true);
      await this.references.refreshPipelines(true);
      const result = await this.incremental();
      const links = await this.recheckLinkedContacts();
      result.linksChecked = links.checked;
      result.customersMoved = links.moved;
      if (options.sweep) result.deleted += await this.sweep();
      await this.writer.pruneTombstones(new Date(Date.now() - TOMBSTONE_TTL_MS));
      await this.state.recordSuccess(SyncStream.Reconcile, {
        watermarkMs: result.watermarkMs,
        lagMs: Date.now() - startedAt,
        addItems: result.advanced,
      });
      return result;
    } catch (error) {
      await this.state.recordFailure(SyncStream.Reconcile, error);
      throw error;
    }
  }

  /** No watermark yet while the worker's own first backfill is due or running (SyncBootstrap). */
  private async backfillPending(): Promise<boolean> {
    if (!this.options.bootstrapOnStart) return false;
    const reconcile = await this.state.get(SyncStream.Reconcile);
    if (reconcile?.watermarkMs != null) return false;
    const backfill = await this.state.get(SyncStream.Backfill);
    if (backfill?.completedAt) return false;
    if (backfill?.startedAt) return true;
    return this.mirroredTickets.isEmpty();
  }

  // Search by hs_lastmodifieddate from the watermark minus the overlap, oldest change first. The
  // port's cursor restarts from the last seen date before HubSpot's 10,000-result cap; the
  // watermark is saved after every page so a crash resumes close to where it stopped.
  private async incremental(): Promise<ReconcileResult> {
    const current = await this.state.get(SyncStream.Reconcile);
    const since = Math.max(0, (current?.watermarkMs ?? 0) - this.options.reconcileOverlapMs);
    const result: ReconcileResult = {
      pages: 0,
      seen: 0,
      advanced: 0,
      deleted: 0,
      watermarkMs: current?.watermarkMs ?? null,
      linksChecked: 0,
      customersMoved: 0,
    };
    let cursor: string | undefined;
    do {
      const readStartedAt = new Date();
      const page = await this.port.searchTicketsModifiedSince(since, cursor);
      const written = await this.tickets.apply(page.tickets, readStartedAt, { conversations: true });
      result.pages += 1;
      result.seen += page.tickets.length;
      result.advanced += written.advanced.length;
      const newest = Math.max(
        result.watermarkMs ?? 0,
        ...page.tickets.map((t) => t.lastModifiedAt.getTime()),
      );
      if (newest > (result.watermarkMs ?? 0)) {
        result.watermarkMs = newest;
        await this.state.recordSuccess(SyncStream.Reconcile, { watermarkMs: newest });
      }
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    return result;
  }

  /**
   * The safety net under lost contact webhooks: which company an account sees follows its contact's
   * primary company, and moving a contact to another company changes no ticket, so the ticket search
   * above never notices, and HubSpot does not promise that an association change moves the contact's
   * lastmodifieddate either. So each run re-reads the primary company of up to `linkRecheckPerRun`
   * linked contacts (one association batch read per 1,000), in id order from where the previous run
   * stopped, and moves the accounts whose contact moved. With PORTAL_COMPANY_SCOPE_PROPERTY the
   * contacts themselves are re-read (their property decides company scope, and a property change
   * reaches us only by a contact.propertyChange webhook the app may not be subscribed to).
   */
  private async recheckLinkedContacts(): Promise<{ checked: number; moved: number }> {
    const limit = this.options.linkRecheckPerRun;
    if (limit <= 0) return { checked: 0, moved: 0 };
    const cursorKey = this.redis.keys.linkRecheckCursor;
    let after = (await this.redis.client.get(cursorKey)) ?? '';
    let checked = 0;
    let moved = 0;
    while (checked < limit) {
      const size = Math.min(LINK_RECHECK_BATCH, limit - checked);
      const ids = await this.customerLinks.linkedContactIdsAfter(after, size);
      if (ids.length > 0) {
        if (this.options.recheckContactProperty) {
          moved += await this.references.refreshContacts(ids);
        } else {
          const readStartedAt = new Date();
          const companies = await this.port.getContactCompanies(ids);
          await this.references.ensureCompanies(unique([...companies.values()]));
          moved += (await this.writer.updateContactCompanies(companies, readStartedAt)).length;
        }
        checked += ids.length;
      }
      // The end of the accounts: the next run starts from the first again.
      after = ids.length < size ? '' : ids[ids.length - 1]!;
      if (after === '') break;
    }
    await this.redis.client.set(cursorKey, after);
    if (moved > 0) this.logger.log(`${moved} account(s) follow their contact to another company`);
    return { checked, moved };
  }

  // Contact renames are no ticket change: without contact webhooks only a re-read finds them.
  private async refreshMirroredContacts(): Promise<void> {
    let afterId = '';
    for (;;) {
      const ids = await this.contacts.idsAfter(afterId, 100);
      if (ids.length === 0) break;
      afterId = ids[ids.length - 1]!;
      await this.references.refreshContacts(ids);
    }
  }

  private async sweep(): Promise<number> {
    const sweepStartedAt = new Date();
    const seen = new Set<string>();
    let cursor: string | undefined;
    do {
      const readStartedAt = new Date();
      const page = await this.port.listTickets(cursor);
      for (const t of page.tickets) seen.add(t.id);
      await this.tickets.apply(page.tickets, readStartedAt, { conversations: true });
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    // Rows written after the sweep started (by sync, or a portal request getting its HubSpot id)
    // may be newer than the walk: leave them.
    let deleted = 0;
    let afterId = 0;
    for (;;) {
      const rows = await this.mirroredTickets.notMirroredSince(afterId, sweepStartedAt);
      if (rows.length === 0) break;
      afterId = rows[rows.length - 1]!.id;
      const gone = rows.filter((r) => !seen.has(r.hubspot_id)).map((r) => r.hubspot_id);
      if (gone.length > 0) deleted += await this.writer.deleteTickets(gone, sweepStartedAt);
    }
    if (deleted > 0) this.logger.log(`sweep removed ${deleted} ticket(s) HubSpot no longer has`);
    await this.refreshMirroredContacts();
    return deleted;
  }
}
