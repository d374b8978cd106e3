import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { conversationMessages, mirrorConversationFiles } from '../attachments/attachment-mirror';
import {
  type ChangeNotice,
  noticeTicket,
  type NoticeTicket,
  scopeKeys,
  ticketNotices,
} from '../events/change-notice';
import {
  type HsCompany,
  type HsContact,
  type HsMessage,
  type HsOwner,
  type HsPipeline,
  type HsTicket,
} from '../hubspot/hubspot.types';
import { AttachmentsRepository } from '../repositories/attachments.repository';
import { CompaniesRepository } from '../repositories/companies.repository';
import { ContactsRepository } from '../repositories/contacts.repository';
import { CustomerLinksRepository } from '../repositories/customer-links.repository';
import { OwnersRepository } from '../repositories/owners.repository';
import { PipelinesRepository, type StageRow } from '../repositories/pipelines.repository';
import { chunk, inTransaction, unique } from '../repositories/sql.util';
import { TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { scopesOfRow, TicketsRepository } from '../repositories/tickets.repository';
import { AppConfig } from '../config/app-config';
import { type TicketScope, TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import { type ShownStatus, statusOf } from '../tickets/ticket-status';
import {
  contactEmail,
  fit,
  ownerDisplayName,
  personName,
  type TicketLookups,
  toCompanyRow,
  toContactRow,
  toMirroredMessage,
  toOwnerRow,
  toTicketRow,
} from './mirror-row.mapper';

export interface TicketWriteResult {
  /** HubSpot ids whose row was inserted or moved to a newer snapshot. */
  advanced: string[];
  /** Of those, the ones whose conversation may have changed (new row or newer last activity). */
  activityChanged: string[];
  /** Snapshots older than the row (a late or reordered read): nothing written. */
  stale: string[];
  /** Snapshots read before a deletion was seen: dropped (and the row removed). */
  tombstoned: string[];
}

/** The same contacts on a ticket: the same primary one and the same others, in any order. */
function sameContacts(stored: readonly string[], read: readonly string[]): boolean {
  const unique = [...new Set(read)];
  if (stored.length !== unique.length || stored[0] !== unique[0]) {
    return stored.length === 0 && unique.length === 0;
  }
  const have = new Set(stored);
  return unique.every((id) => have.has(id));
}

/** The row was written by a read that started after `readStartedAt`. */
function isNewer(rowReadAt: Date | null | undefined, readStartedAt: Date): boolean {
  return rowReadAt != null && rowReadAt.getTime() > readStartedAt.getTime();
}

/**
 * Every write sync makes to the mirror: what a HubSpot read means for the mirror's rows (which
 * snapshot is newer, what a deletion or a moved contact changes), written through the tables'
 * repositories. Each method is one transaction, idempotent, and safe to run concurrently with the
 * others (deadlock victims are retried); after the commit the scopes it touched move (ADR 0007) and
 * open portals hear of the change (ADR 0009).
 */
@Injectable()
export class MirrorWriter {
  // `versions` and `config` are given in the apps (DI); tests that build a bare writer may leave them
  // out (no change notices; statuses read with the default labels).
  constructor(
    private readonly dataSource: DataSource,
    private readonly tickets: TicketsRepository,
    private readonly messages: TicketMessagesRepository,
    private readonly contacts: ContactsRepository,
    private readonly companies: CompaniesRepository,
    private readonly owners: OwnersRepository,
    private readonly pipelines: PipelinesRepository,
    private readonly customerLinks: CustomerLinksRepository,
    private readonly attachments: AttachmentsRepository,
    private readonly versions?: TicketScopeVersionService,
    private readonly config?: AppConfig,
  ) {}

  /** What customers read for a stage (PORTAL_STATUS_LABELS, else HubSpot's default names). */
  private shown(pipelineId: string, stage: { id: string; label: string; closed: boolean }): ShownStatus {
    return statusOf(
      { pipelineId, stageId: stage.id, label: stage.label, closed: stage.closed },
      this.config?.portalStatusLabels ?? new Map(),
    );
  }

  /**
   * After a commit: cached counts and search indexes of these scopes are out of date (ADR 0007), and
   * open portals hear of the change (ADR 0009) — one Redis MULTI for both.
   */
  private async touched(scopes: TicketScope[] | 'all', notices: ChangeNotice[] = []): Promise<void> {
    if (!this.versions) return;
    if (scopes === 'all') await this.versions.bumpAll();
    else await this.versions.bump(scopes, notices);
  }

  /**
   * Upserts HubSpot ticket snapshots read at `readStartedAt`. Owners, stages and contacts should
   * already be mirrored (see ReferenceResolver); unknown ones leave the copied names null.
   */
  async upsertTickets(tickets: readonly HsTicket[], readStartedAt: Date): Promise<TicketWriteResult> {
    const result: TicketWriteResult = { advanced: [], activityChanged: [], stale: [], tombstoned: [] };
    // The same id twice in one batch (search restarts can repeat): keep the newest snapshot.
    const newest = new Map<string, HsTicket>();
    for (const t of tickets) {
      const seen = newest.get(t.id);
      if (!seen || seen.lastModifiedAt.getTime() <= t.lastModifiedAt.getTime()) newest.set(t.id, t);
    }
    const batch = [...newest.values()];
    if (batch.length === 0) return result;
    const ids = batch.map((t) => t.id);
    const now = new Date();
    let scopes: TicketScope[] = [];
    let changed: NoticeTicket[] = [];

    await inTransaction(this.dataSource, async (m) => {
      scopes = [];
      changed = [];
      result.advanced = [];
      result.activityChanged = [];
      result.stale = [];
      result.tombstoned = [];
      const requestKeys = unique(batch.map((t) => t.requestKey));
      const existing = await this.tickets.mirrorPlacements(m, ids, requestKeys);
      const byHubspotId = new Map(
        existing.filter((r) => r.hubspot_id !== null).map((r) => [r.hubspot_id!, r]),
      );
      const byRequestKey = new Map(
        existing.filter((r) => r.request_key !== null).map((r) => [r.request_key!, r]),
      );

      const lookups = await this.lockLookups(m, batch);
      const rows = batch.map((t) => {
        const row = toTicketRow(t, lookups);
        const mine = byHubspotId.get(t.id);
        const holder = row.request_key === null ? undefined : byRequestKey.get(row.request_key);
        // The key already sits on another row (a local duplicate): leave both keys where they are.
        if (mine && holder && holder.id !== mine.id) row.request_key = mine.request_key;
        const current = mine ?? (holder && holder.hubspot_id === null ? holder : undefined);
        if (
          !current ||
          current.hs_lastmodified_at === null ||
          current.hs_lastmodified_at <= t.lastModifiedAt
        ) {
          if (
            !current ||
            current.hs_lastmodified_at === null ||
            current.hs_lastmodified_at < t.lastModifiedAt
          ) {
            result.advanced.push(t.id);
            if (!current || current.last_activity_at.getTime() !== t.lastActivityAt.getTime()) {
              result.activityChanged.push(t.id);
            }
          }
        } else {
          result.stale.push(t.id);
        }
        return row;
      });
      await this.tickets.upsertMirrored(m, rows, now);
      // Every contact on the ticket (ticket_contacts) follows the snapshot the row now holds: the
      // first one is the requester (tickets.contact_id), the others are people in copy. Associations
      // can change without hs_lastmodifieddate moving, so an equally new snapshot rewrites them too.
      const stale = new Set(result.stale);
      const written = batch.filter((t) => !stale.has(t.id));
      const after = await this.tickets.placementsByHubspotId(
        m,
        written.map((t) => t.id),
      );
      const afterByHubspotId = new Map(after.map((r) => [r.hubspot_id, r]));
      const regrouped = new Set<number>();
      const contactChanges: Array<{ id: number; contactIds: string[] }> = [];
      for (const t of written) {
        const row = afterByHubspotId.get(t.id);
        if (!row || sameContacts(row.contact_ids, t.contactIds)) continue;
        contactChanges.push({ id: row.id, contactIds: t.contactIds });
        regrouped.add(row.id);
      }
      await this.tickets.setContacts(m, contactChanges);
      const newContacts = new Map(contactChanges.map((c) => [c.id, c.contactIds]));
      const scopesNow = (row: (typeof after)[number]) =>
        scopesOfRow({ ...row, contact_ids: newContacts.get(row.id) ?? row.contact_ids });
      scopes = [
        ...existing.flatMap(scopesOfRow),
        ...after.flatMap((r) => [...scopesOfRow(r), ...scopesNow(r)]),
      ];
      // The rows that moved or whose people changed, with their local ids and every scope they were
      // or are in, for the change stream (a new row's id exists only now).
      const moved = new Set(result.advanced);
      for (const row of after) {
        if (!moved.has(row.hubspot_id) && !regrouped.has(row.id)) continue;
        const before = existing.filter((r) => r.id === row.id);
        changed.push(
          noticeTicket(
            row.id,
            [...before, row].flatMap(scopesOfRow).concat(scopesNow(row)),
            row.created_by_customer_id,
          ),
        );
      }

      // A deletion seen by a read that started after ours wins: drop what we just wrote.
      const tombstones = await this.tickets.lockTombstones(m, ids);
      const newer = tombstones
        .filter((t) => t.observed_at.getTime() > readStartedAt.getTime())
        .map((t) => t.hubspot_id);
      const older = tombstones
        .filter((t) => t.observed_at.getTime() <= readStartedAt.getTime())
        .map((t) => t.hubspot_id);
      if (newer.length > 0) {
        await this.tickets.deleteByHubspotId(m, newer);
        result.tombstoned = newer;
        const dropped = new Set(newer);
        result.advanced = result.advanced.filter((id) => !dropped.has(id));
        result.activityChanged = result.activityChanged.filter((id) => !dropped.has(id));
        // Rows that were visible before this batch are gone now: their streams hear it.
        for (const row of existing) {
          if (row.hubspot_id === null || !dropped.has(row.hubspot_id)) continue;
          changed.push(noticeTicket(row.id, scopesOfRow(row), row.created_by_customer_id));
        }
      }
      // Read after the deletion and present again: restored in HubSpot.
      await this.tickets.deleteTombstones(m, older);
    });
    await this.touched(scopes, ticketNotices(changed));
    return result;
  }

  /** Removes tickets HubSpot no longer has (deleted, or merged into another id) as seen at `observedAt`. */
  async deleteTickets(hubspotIds: readonly string[], observedAt: Date): Promise<number> {
    const ids = unique(hubspotIds);
    if (ids.length === 0) return 0;
    let scopes: TicketScope[] = [];
    let gone: NoticeTicket[] = [];
    const deleted = await inTransaction(this.dataSource, async (m) => {
      const rows = await this.tickets.placementsByHubspotId(m, ids);
      scopes = rows.flatMap(scopesOfRow);
      gone = rows.map((r) => noticeTicket(r.id, scopesOfRow(r), r.created_by_customer_id));
      await this.tickets.addTombstones(m, ids, observedAt);
      return this.tickets.deleteByHubspotId(m, ids);
    });
    await this.touched(scopes, ticketNotices(gone));
    return deleted;
  }

  /** Tombstones older than this are no longer needed (no read lasts that long). */
  async pruneTombstones(olderThan: Date): Promise<void> {
    await this.tickets.pruneTombstones(olderThan);
  }

  /** Mirrors owners and refreshes owner_name on tickets of owners whose name changed. */
  async upsertOwners(owners: readonly HsOwner[]): Promise<string[]> {
    if (owners.length === 0) return [];
    const now = new Date();
    const renamed = await inTransaction(this.dataSource, async (m) => {
      const changed: string[] = [];
      for (const part of chunk(owners, 500)) {
        const names = await this.owners.lockNames(
          m,
          part.map((o) => o.id),
        );
        for (const o of part) {
          if (!names.has(o.id) || names.get(o.id) !== ownerDisplayName(o)) changed.push(o.id);
        }
        await this.owners.upsert(
          m,
          part.map((o) => toOwnerRow(o, now)),
        );
      }
      for (const part of chunk(changed, 500)) await this.tickets.copyOwnerNames(m, part);
      return changed;
    });
    // An owner's tickets span any number of scopes.
    if (renamed.length > 0) await this.touched('all');
    return renamed;
  }

  /**
   * Mirrors pipelines and stages; stages HubSpot no longer lists are kept (archived) so tickets
   * still pointing at them keep a label. Tickets of changed stages get the new label/order/state.
   * A stage whose customer label or kind differs from the stored one counts as changed too: that is
   * how a new PORTAL_STATUS_LABELS reaches every ticket (at the worker's next pipeline refresh).
   */
  async upsertPipelines(
    pipelines: readonly HsPipeline[],
  ): Promise<Array<{ pipelineId: string; stageId: string }>> {
    const now = new Date();
    const changedStages = await inTransaction(this.dataSource, async (m) => {
      const current = await this.pipelines.lockStages(m);
      const known = new Map(current.map((s) => [`${s.pipeline_id}/${s.id}`, s]));
      const changed: Array<{ pipelineId: string; stageId: string }> = [];
      const seen = new Set<string>();
      await this.pipelines.upsertPipelines(
        m,
        pipelines.map((p) => ({
          id: p.id,
          label: fit(p.label, 200),
          display_order: p.displayOrder,
          archived: p.archived ? 1 : 0,
          updated_at: now,
        })),
      );
      const stageRows: StageRow[] = [];
      for (const p of pipelines) {
        for (const s of p.stages) {
          const key = `${p.id}/${s.id}`;
          seen.add(key);
          const label = fit(s.label, 200);
          const shown = this.shown(p.id, { id: s.id, label, closed: s.ticketState === 'CLOSED' });
          const before = known.get(key);
          if (
            !before ||
            before.label !== label ||
            before.shown_label !== shown.label ||
            before.status_kind !== shown.kind ||
            Number(before.display_order) !== s.displayOrder ||
            before.ticket_state !== s.ticketState ||
            Number(before.archived) !== 0
          ) {
            changed.push({ pipelineId: p.id, stageId: s.id });
          }
          stageRows.push({
            pipeline_id: p.id,
            id: s.id,
            label,
            shown_label: shown.label,
            status_kind: shown.kind,
            display_order: s.displayOrder,
            ticket_state: s.ticketState,
            archived: 0,
            updated_at: now,
          });
        }
      }
      for (const part of chunk(stageRows, 500)) await this.pipelines.upsertStages(m, part);
      const gone = current.filter((s) => !seen.has(`${s.pipeline_id}/${s.id}`) && Number(s.archived) === 0);
      for (const s of gone) {
        await this.pipelines.archiveStage(m, { pipelineId: s.pipeline_id, stageId: s.id }, now);
      }
      for (const part of chunk(changed, 200)) await this.tickets.copyStages(m, part);
      return changed;
    });
    if (changedStages.length > 0) await this.touched('all');
    return changedStages;
  }

  /**
   * Mirrors contacts read from HubSpot at `readStartedAt`; tickets they requested get the new name and
   * email, and the portal accounts linked to them follow their primary company (ADR 0007: each moved
   * account's link version is bumped after the commit). A snapshot read before the one the row holds
   * is skipped, so a slow read never brings back a company the contact has left. Returns the
   * contacts renamed and the accounts moved (another company, or company scope given or taken).
   */
  async upsertContacts(
    contacts: readonly HsContact[],
    readStartedAt = new Date(),
  ): Promise<{ renamed: string[]; moved: string[] }> {
    if (contacts.length === 0) return { renamed: [], moved: [] };
    const now = new Date();
    let scopes: TicketScope[] = [];
    let moved: string[] = [];
    const renamed = await inTransaction(this.dataSource, async (m) => {
      scopes = [];
      moved = [];
      const changed: string[] = [];
      for (const batch of chunk(contacts, 500)) {
        const current = await this.contacts.lock(
          m,
          batch.map((c) => c.id),
        );
        const byId = new Map(current.map((r) => [r.id, r]));
        const part = batch.filter((c) => !isNewer(byId.get(c.id)?.read_at, readStartedAt));
        if (part.length === 0) continue;
        for (const c of part) {
          const before = byId.get(c.id);
          if (
            !before ||
            before.display_name !== personName(c.firstName, c.lastName) ||
            before.email !== contactEmail(c)
          ) {
            changed.push(c.id);
          }
        }
        await this.contacts.upsert(
          m,
          part.map((c) => toContactRow(c, readStartedAt, now)),
        );
        moved.push(
          ...(await this.customersFollowContacts(
            m,
            part.map((c) => c.id),
            now,
          )),
        );
      }
      for (const part of chunk(changed, 500)) scopes.push(...(await this.tickets.copyRequesters(m, part)));
      return changed;
    });
    // A requester's name on their tickets: rare, and possibly many tickets, so their streams refetch.
    const keys = [...new Set(scopes.flatMap(scopeKeys))];
    await this.touched(scopes, keys.length > 0 ? [{ k: 's', s: keys }] : []);
    await this.customersMoved(moved);
    return { renamed, moved };
  }

  /**
   * Sets contacts' primary company as HubSpot answered it at `readStartedAt` (the reconcile's
   * association re-check), unless a later read already wrote the contact. Linked accounts follow.
   * Returns the ids of the accounts that moved.
   */
  async updateContactCompanies(
    companies: ReadonlyMap<string, string | null>,
    readStartedAt: Date,
  ): Promise<string[]> {
    if (companies.size === 0) return [];
    const now = new Date();
    let moved: string[] = [];
    await inTransaction(this.dataSource, async (m) => {
      moved = [];
      for (const ids of chunk([...companies.keys()], 500)) {
        const current = await this.contacts.lock(m, ids);
        for (const row of current) {
          const company = companies.get(row.id) ?? null;
          if (isNewer(row.read_at, readStartedAt) || row.primary_company_id === company) continue;
          await this.contacts.setPrimaryCompany(m, row.id, company, readStartedAt, now);
        }
        moved.push(...(await this.customersFollowContacts(m, ids, now, companies)));
      }
    });
    await this.customersMoved(moved);
    return moved;
  }

  /**
   * Contacts HubSpot no longer has (deleted, or merged into another) as observed by a read that
   * started at `observedAt`: they leave the mirror (so account linking can never fall back to them)
   * and the accounts linked to them are unlinked. Such an account sees only what it submitted until
   * it is linked again by email (queued on its next request). Returns the unlinked account ids.
   */
  async forgetContacts(ids: readonly string[], observedAt: Date): Promise<string[]> {
    if (ids.length === 0) return [];
    const now = new Date();
    let unlinked: string[] = [];
    await inTransaction(this.dataSource, async (m) => {
      unlinked = [];
      for (const part of chunk(unique(ids), 500)) {
        const rows = await this.contacts.lock(m, part);
        // A read that started after this one saw the contact (restored): it stays.
        const kept = new Set(rows.filter((r) => isNewer(r.read_at, observedAt)).map((r) => r.id));
        const gone = part.filter((id) => !kept.has(id));
        if (gone.length === 0) continue;
        await this.contacts.delete(m, gone);
        const customerIds = await this.customerLinks.lockIdsLinkedTo(m, gone);
        await this.customerLinks.unlink(m, customerIds, now);
        unlinked.push(...customerIds);
      }
    });
    await this.customersMoved(unlinked);
    return unlinked;
  }

  /**
   * Accounts linked to these contacts take the mirrored contact's primary company (or, for a
   * contact not mirrored, the one in `fallback`). Returns the ids of the accounts that changed.
   */
  private async customersFollowContacts(
    m: EntityManager,
    contactIds: readonly string[],
    now: Date,
    fallback?: ReadonlyMap<string, string | null>,
  ): Promise<string[]> {
    if (contactIds.length === 0) return [];
    const rows = await this.customerLinks.lockLinkedTo(m, contactIds);
    // Grouped by (company, flag): the company-scope property moves an account as a company does.
    const byTarget = new Map<string, { companyId: string | null; companyScope: boolean; ids: string[] }>();
    for (const row of rows) {
      let target: string | null;
      let companyScope = Number(row.company_scope) === 1;
      if (row.mirrored !== null) {
        target = row.mirrored_company_id;
        companyScope = Number(row.mirrored_company_scope) === 1;
      } else if (fallback?.has(row.contact_id)) target = fallback.get(row.contact_id) ?? null;
      else continue;
      if (target === row.company_id && companyScope === (Number(row.company_scope) === 1)) continue;
      const key = `${target ?? ''}|${companyScope}`;
      const group = byTarget.get(key) ?? { companyId: target, companyScope, ids: [] };
      group.ids.push(row.id);
      byTarget.set(key, group);
    }
    const moved: string[] = [];
    for (const { companyId, companyScope, ids } of byTarget.values()) {
      await this.customerLinks.setCompany(m, ids, companyId, companyScope, now);
      moved.push(...ids);
    }
    return moved;
  }

  /** After a commit: these accounts see another company (or none) now; no process may keep the old one. */
  private async customersMoved(customerIds: readonly string[]): Promise<void> {
    if (!this.versions || customerIds.length === 0) return;
    await this.versions.bumpCustomers(customerIds);
  }

  async upsertCompanies(companies: readonly HsCompany[]): Promise<void> {
    const now = new Date();
    for (const part of chunk(companies, 500)) {
      await this.companies.upsert(part.map((c) => toCompanyRow(c, now)));
    }
  }

  /**
   * Replaces the HubSpot part of a ticket's conversation with what HubSpot had when the read began
   * (`readStartedAt`). Local replies not yet in HubSpot stay; one HubSpot echoes back (same request
   * key) takes its HubSpot id; one delivered after the read began stays until the next read.
   * Returns false when the ticket is not mirrored (yet).
   */
  async replaceConversation(
    ticketHubspotId: string,
    conversation: readonly HsMessage[],
    readStartedAt: Date,
  ): Promise<boolean> {
    const messages = conversationMessages(conversation);
    const now = new Date();
    let notice: ChangeNotice | null = null;
    const found = await inTransaction(this.dataSource, async (m) => {
      notice = null;
      const [ticket] = await this.tickets.placementsByHubspotId(m, [ticketHubspotId], true);
      if (!ticket) return false;
      const before = await this.messages.states(m, ticket.id);
      await this.messages.replaceMirrored(m, ticket.id, messages.map(toMirroredMessage), readStartedAt);
      await mirrorConversationFiles(
        m,
        { attachments: this.attachments, messages: this.messages },
        ticket.id,
        messages,
      );
      await this.tickets.conversationSynced(m, ticket.id, now);
      // Messages that appeared or changed (a reply echoed back from HubSpot is now synced), and how
      // many went away, for open portals.
      const after = await this.messages.states(m, ticket.id);
      const added = [...after].filter(([id, state]) => before.get(id) !== state).map(([id]) => id);
      const removed = [...before.keys()].filter((id) => !after.has(id)).length;
      if (added.length > 0 || removed > 0) {
        const t = noticeTicket(ticket.id, scopesOfRow(ticket), ticket.created_by_customer_id);
        notice = { k: 'm', t, a: added, r: removed };
      }
      return true;
    });
    if (notice) await this.touched([], [notice]);
    return found;
  }

  /** Ids of the given owners / contacts / companies the mirror does not have yet. */
  async missing(table: 'owners' | 'contacts' | 'companies', ids: readonly string[]): Promise<string[]> {
    const repository = { owners: this.owners, contacts: this.contacts, companies: this.companies }[table];
    return repository.missing(ids);
  }

  async missingStages(keys: ReadonlyArray<{ pipelineId: string; stageId: string }>): Promise<number> {
    return this.pipelines.missingStages(keys);
  }

  // Reads the names the rows copy with shared locks, so a concurrent rename either commits first
  // (and we copy the new name) or waits for us (and then rewrites the copies itself).
  private async lockLookups(m: EntityManager, tickets: readonly HsTicket[]): Promise<TicketLookups> {
    const ownerIds = unique(tickets.map((t) => t.ownerId));
    const contactIds = unique(tickets.map((t) => t.contactIds[0]));
    const stageKeys = unique(
      tickets.map((t) =>
        t.pipelineId !== null && t.stageId !== null ? `${t.pipelineId}/${t.stageId}` : null,
      ),
    ).map((k) => k.split('/') as [string, string]);
    const owners = await this.owners.lockNames(m, ownerIds, true);
    const contacts = await this.contacts.lockNames(m, contactIds);
    const stages = await this.pipelines.lockStageInfo(
      m,
      stageKeys.map(([pipelineId, stageId]) => ({ pipelineId, stageId })),
    );
    return {
      stage: (pipelineId, stageId) => {
        const info =
          pipelineId === null || stageId === null ? undefined : stages.get(`${pipelineId}/${stageId}`);
        if (!info || pipelineId === null || stageId === null) return undefined;
        const shown = this.shown(pipelineId, { id: stageId, label: info.label, closed: info.closed });
        return { ...info, label: shown.label, kind: shown.kind };
      },
      ownerName: (id) => owners.get(id),
      contact: (id) => contacts.get(id),
    };
  }
}
