import { Inject, Injectable } from '@nestjs/common';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { type HsTicket } from '../hubspot/hubspot.types';
import { chunk, unique } from '../repositories/sql.util';
import { primaryCompanyOf } from './mirror-row.mapper';
import { MirrorWriter } from './mirror-writer.service';
import { SyncStream } from './sync-state.entity';
import { SyncStateStore } from './sync-state.store';
import { SyncRedis } from './sync-redis';
import { SYNC_OPTIONS, type SyncOptions } from './sync.options';
import { BATCH_SIZE } from './sync.queues';

/**
 * Makes sure the owners, stages, contacts and companies tickets point at are mirrored before the
 * tickets are written, so the copied names are there from the first write.
 */
@Injectable()
export class ReferenceResolver {
  constructor(
    private readonly port: HubSpotPort,
    private readonly writer: MirrorWriter,
    private readonly state: SyncStateStore,
    private readonly redis: SyncRedis,
    @Inject(SYNC_OPTIONS) private readonly options: SyncOptions,
  ) {}

  async ensureFor(tickets: readonly HsTicket[]): Promise<void> {
    if (tickets.length === 0) return;
    const missingOwners = await this.writer.missing('owners', unique(tickets.map((t) => t.ownerId)));
    if (missingOwners.length > 0) await this.refreshOwners(false);
    const stageKeys = unique(
      tickets.map((t) =>
        t.pipelineId !== null && t.stageId !== null ? `${t.pipelineId}/${t.stageId}` : null,
      ),
    ).map((k) => {
      const [pipelineId, stageId] = k.split('/') as [string, string];
      return { pipelineId, stageId };
    });
    if ((await this.writer.missingStages(stageKeys)) > 0) await this.refreshPipelines(false);
    // Every contact on a ticket, not only its requester: the ticket page names the people on it.
    await this.ensureContacts(unique(tickets.flatMap((t) => t.contactIds)));
    await this.ensureCompanies(unique(tickets.map((t) => t.companyIds[0])));
  }

  async ensureContacts(ids: readonly string[]): Promise<void> {
    const missing = await this.writer.missing('contacts', ids);
    if (missing.length > 0) await this.refreshContacts(missing);
  }

  async ensureCompanies(ids: readonly string[]): Promise<void> {
    const missing = await this.writer.missing('companies', ids);
    if (missing.length > 0) await this.refreshCompanies(missing);
  }

  /**
   * Re-reads contacts (and their primary companies when new): tickets get the new names, linked
   * accounts the new company. Ids HubSpot no longer answers for (deleted, or merged into another
   * contact, whose id it then answers with) are forgotten, and their accounts unlinked. Returns how
   * many accounts now see something else (moved, company scope changed, or unlinked).
   */
  async refreshContacts(ids: readonly string[]): Promise<number> {
    let moved = 0;
    for (const part of chunk(unique(ids), BATCH_SIZE)) {
      const readStartedAt = new Date();
      const contacts = await this.port.getContactsByIds(part);
      // Companies first: the contact's customers may list them as soon as the contact is written.
      await this.ensureCompanies(unique(contacts.map(primaryCompanyOf)));
      moved += (await this.writer.upsertContacts(contacts, readStartedAt)).moved.length;
      const answered = new Set(contacts.map((c) => c.id));
      moved += (
        await this.writer.forgetContacts(
          part.filter((id) => !answered.has(id)),
          readStartedAt,
        )
      ).length;
    }
    return moved;
  }

  async refreshCompanies(ids: readonly string[]): Promise<void> {
    for (const part of chunk(unique(ids), BATCH_SIZE)) {
      await this.writer.upsertCompanies(await this.port.getCompaniesByIds(part));
    }
  }

  /**
   * Re-reads every owner. Unless forced, at most once per `referenceRefreshMinMs` across all
   * workers (an id HubSpot does not know would otherwise trigger a read per batch).
   */
  async refreshOwners(force: boolean): Promise<void> {
    if (!force && !(await this.claimRefresh('owners'))) return;
    try {
      await this.writer.upsertOwners(await this.port.getOwners());
      await this.state.recordSuccess(SyncStream.Owners);
    } catch (error) {
      await this.state.recordFailure(SyncStream.Owners, error);
      throw error;
    }
  }

  async refreshPipelines(force: boolean): Promise<void> {
    if (!force && !(await this.claimRefresh('pipelines'))) return;
    try {
      await this.writer.upsertPipelines(await this.port.getPipelines());
      await this.state.recordSuccess(SyncStream.Pipelines);
    } catch (error) {
      await this.state.recordFailure(SyncStream.Pipelines, error);
      throw error;
    }
  }

  private async claimRefresh(what: 'owners' | 'pipelines'): Promise<boolean> {
    if (this.options.referenceRefreshMinMs <= 0) return true;
    const answer = await this.redis.client.set(
      this.redis.keys.refreshThrottle(what),
      String(Date.now()),
      'PX',
      this.options.referenceRefreshMinMs,
      'NX',
    );
    return answer === 'OK';
  }
}
