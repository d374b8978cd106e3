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
import { type TicketScope, TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import { renderMessage } from '../requests/message-html';
import {
  type HsCompany,
  type HsContact,
  type HsMessage,
  type HsOwner,
  type HsPipeline,
  type HsTicket,
} from '../hubspot/hubspot.types';
import { chunk, inTransaction, placeholders, unique } from './db.util';
import {
  buildTicketUpsert,
  contactEmail,
  fit,
  fitOrNull,
  ownerDisplayName,
  personName,
  type StageInfo,
  type TicketLookups,
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

interface ExistingTicket {
  id: number;
  created_by_customer_id: string | null;
  hubspot_id: string | null;
  request_key: string | null;
  hs_lastmodified_at: Date | null;
  last_activity_at: Date;
  contact_id: string | null;
  company_id: string | null;
}

/** The company a contact's customers belong to: its primary company, else its first one. */
export function primaryCompanyOf(contact: Pick<HsContact, 'primaryCompanyId' | 'companyIds'>): string | null {
  return contact.primaryCompanyId ?? contact.companyIds[0] ?? null;
}

/** The row was written by a read that started after `readStartedAt`. */
function isNewer(rowReadAt: Date | null | undefined, readStartedAt: Date): boolean {
  return rowReadAt != null && rowReadAt.getTime() > readStartedAt.getTime();
}

/**
 * Every write sync makes to the mirror. Each method is one transaction, idempotent, and safe to run
 * concurrently with the others (deadlock victims are retried).
 */
@Injectable()
export class MirrorWriter {
  // `versions` is required in the apps (DI); tests that build a bare writer may leave it out.
  constructor(
    private readonly dataSource: DataSource,
    private readonly versions?: TicketScopeVersionService,
  ) {}

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
      const existing = await m.query<ExistingTicket[]>(
        `SELECT id, hubspot_id, request_key, hs_lastmodified_at, last_activity_at, contact_id, company_id, created_by_customer_id FROM tickets WHERE hubspot_id IN (${placeholders(ids.length)})` +
          (requestKeys.length > 0 ? ` OR request_key IN (${placeholders(requestKeys.length)})` : ''),
        [...ids, ...requestKeys],
      );
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
      const { sql, params } = buildTicketUpsert(rows, now);
      await m.query(sql, params);
      scopes = [
        ...existing.map((r) => ({ contactId: r.contact_id, companyId: r.company_id })),
        ...rows.map((r) => ({ contactId: r.contact_id, companyId: r.company_id })),
      ];
      // The rows that moved, with their local ids and every scope they were or are in, for the
      // change stream (a new row's id exists only now).
      const moved = result.advanced;
      if (moved.length > 0) {
        const after = await m.query<ExistingTicket[]>(
          `SELECT id, hubspot_id, contact_id, company_id, created_by_customer_id FROM tickets WHERE hubspot_id IN (${placeholders(moved.length)})`,
          moved,
        );
        for (const row of after) {
          const before = existing.filter((r) => r.id === row.id);
          changed.push(
            noticeTicket(
              row.id,
              [row, ...before].map((r) => ({ contactId: r.contact_id, companyId: r.company_id })),
              row.created_by_customer_id,
            ),
          );
        }
      }

      // A deletion seen by a read that started after ours wins: drop what we just wrote.
      const tombstones = await m.query<Array<{ hubspot_id: string; observed_at: Date }>>(
        `SELECT hubspot_id, observed_at FROM ticket_tombstones WHERE hubspot_id IN (${placeholders(ids.length)}) FOR UPDATE`,
        ids,
      );
      const newer = tombstones
        .filter((t) => t.observed_at.getTime() > readStartedAt.getTime())
        .map((t) => t.hubspot_id);
      const older = tombstones
        .filter((t) => t.observed_at.getTime() <= readStartedAt.getTime())
        .map((t) => t.hubspot_id);
      if (newer.length > 0) {
        await m.query(`DELETE FROM tickets WHERE hubspot_id IN (${placeholders(newer.length)})`, newer);
        result.tombstoned = newer;
        const dropped = new Set(newer);
        result.advanced = result.advanced.filter((id) => !dropped.has(id));
        result.activityChanged = result.activityChanged.filter((id) => !dropped.has(id));
        // Rows that were visible before this batch are gone now: their streams hear it.
        for (const row of existing) {
          if (row.hubspot_id === null || !dropped.has(row.hubspot_id)) continue;
          changed.push(
            noticeTicket(
              row.id,
              [{ contactId: row.contact_id, companyId: row.company_id }],
              row.created_by_customer_id,
            ),
          );
        }
      }
      // Read after the deletion and present again: restored in HubSpot.
      if (older.length > 0) {
        await m.query(
          `DELETE FROM ticket_tombstones WHERE hubspot_id IN (${placeholders(older.length)})`,
          older,
        );
      }
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
      const rows = await m.query<
        Array<{
          id: number;
          contact_id: string | null;
          company_id: string | null;
          created_by_customer_id: string | null;
        }>
      >(
        `SELECT id, contact_id, company_id, created_by_customer_id FROM tickets WHERE hubspot_id IN (${placeholders(ids.length)})`,
        ids,
      );
      scopes = rows.map((r) => ({ contactId: r.contact_id, companyId: r.company_id }));
      gone = rows.map((r) =>
        noticeTicket(r.id, [{ contactId: r.contact_id, companyId: r.company_id }], r.created_by_customer_id),
      );
      await m.query(
        `INSERT INTO ticket_tombstones (hubspot_id, observed_at) VALUES ${ids.map(() => '(?, ?)').join(', ')} ` +
          'ON DUPLICATE KEY UPDATE observed_at = GREATEST(observed_at, VALUES(observed_at))',
        ids.flatMap((id) => [id, observedAt]),
      );
      const res = await m.query<{ affectedRows: number }>(
        `DELETE FROM tickets WHERE hubspot_id IN (${placeholders(ids.length)})`,
        ids,
      );
      return res.affectedRows ?? 0;
    });
    await this.touched(scopes, ticketNotices(gone));
    return deleted;
  }

  /** Tombstones older than this are no longer needed (no read lasts that long). */
  async pruneTombstones(olderThan: Date): Promise<void> {
    await this.dataSource.query('DELETE FROM ticket_tombstones WHERE observed_at < ?', [olderThan]);
  }

  /** Mirrors owners and refreshes owner_name on tickets of owners whose name changed. */
  async upsertOwners(owners: readonly HsOwner[]): Promise<string[]> {
    if (owners.length === 0) return [];
    const now = new Date();
    const renamed = await inTransaction(this.dataSource, async (m) => {
      const changed: string[] = [];
      for (const part of chunk(owners, 500)) {
        const ids = part.map((o) => o.id);
        const current = await m.query<Array<{ id: string; display_name: string | null }>>(
          `SELECT id, display_name FROM owners WHERE id IN (${placeholders(ids.length)}) FOR UPDATE`,
          ids,
        );
        const names = new Map(current.map((r) => [r.id, r.display_name]));
        for (const o of part) {
          if (!names.has(o.id) || names.get(o.id) !== ownerDisplayName(o)) changed.push(o.id);
        }
        await m.query(
          `INSERT INTO owners (id, first_name, last_name, email, display_name, archived, updated_at) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')} ` +
            'ON DUPLICATE KEY UPDATE first_name = VALUES(first_name), last_name = VALUES(last_name), email = VALUES(email), ' +
            'display_name = VALUES(display_name), archived = VALUES(archived), updated_at = VALUES(updated_at)',
          part.flatMap((o) => [
            o.id,
            fitOrNull(o.firstName, 150),
            fitOrNull(o.lastName, 150),
            fitOrNull(o.email, 254),
            ownerDisplayName(o),
            o.archived ? 1 : 0,
            now,
          ]),
        );
      }
      for (const part of chunk(changed, 500)) {
        await m.query(
          `UPDATE tickets t JOIN owners o ON o.id = t.owner_id SET t.owner_name = o.display_name WHERE o.id IN (${placeholders(part.length)})`,
          part,
        );
      }
      return changed;
    });
    // An owner's tickets span any number of scopes.
    if (renamed.length > 0) await this.touched('all');
    return renamed;
  }

  /**
   * Mirrors pipelines and stages; stages HubSpot no longer lists are kept (archived) so tickets
   * still pointing at them keep a label. Tickets of changed stages get the new label/order/state.
   */
  async upsertPipelines(
    pipelines: readonly HsPipeline[],
  ): Promise<Array<{ pipelineId: string; stageId: string }>> {
    const now = new Date();
    const changedStages = await inTransaction(this.dataSource, async (m) => {
      const current = await m.query<
        Array<{
          pipeline_id: string;
          id: string;
          label: string;
          display_order: number;
          ticket_state: string;
          archived: number;
        }>
      >(
        'SELECT pipeline_id, id, label, display_order, ticket_state, archived FROM pipeline_stages FOR UPDATE',
      );
      const known = new Map(current.map((s) => [`${s.pipeline_id}/${s.id}`, s]));
      const changed: Array<{ pipelineId: string; stageId: string }> = [];
      const seen = new Set<string>();
      if (pipelines.length > 0) {
        await m.query(
          `INSERT INTO pipelines (id, label, display_order, archived, updated_at) VALUES ${pipelines.map(() => '(?, ?, ?, ?, ?)').join(', ')} ` +
            'ON DUPLICATE KEY UPDATE label = VALUES(label), display_order = VALUES(display_order), archived = VALUES(archived), updated_at = VALUES(updated_at)',
          pipelines.flatMap((p) => [p.id, fit(p.label, 200), p.displayOrder, p.archived ? 1 : 0, now]),
        );
      }
      const stageRows: unknown[][] = [];
      for (const p of pipelines) {
        for (const s of p.stages) {
          const key = `${p.id}/${s.id}`;
          seen.add(key);
          const label = fit(s.label, 200);
          const before = known.get(key);
          if (
            !before ||
            before.label !== label ||
            Number(before.display_order) !== s.displayOrder ||
            before.ticket_state !== s.ticketState ||
            Number(before.archived) !== 0
          ) {
            changed.push({ pipelineId: p.id, stageId: s.id });
          }
          stageRows.push([p.id, s.id, label, s.displayOrder, s.ticketState, 0, now]);
        }
      }
      for (const part of chunk(stageRows, 500)) {
        await m.query(
          `INSERT INTO pipeline_stages (pipeline_id, id, label, display_order, ticket_state, archived, updated_at) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?)').join(', ')} ` +
            'ON DUPLICATE KEY UPDATE label = VALUES(label), display_order = VALUES(display_order), ticket_state = VALUES(ticket_state), archived = 0, updated_at = VALUES(updated_at)',
          part.flat(),
        );
      }
      const gone = current.filter((s) => !seen.has(`${s.pipeline_id}/${s.id}`) && Number(s.archived) === 0);
      for (const s of gone) {
        await m.query(
          'UPDATE pipeline_stages SET archived = 1, updated_at = ? WHERE pipeline_id = ? AND id = ?',
          [now, s.pipeline_id, s.id],
        );
      }
      for (const part of chunk(changed, 200)) {
        await m.query(
          'UPDATE tickets t JOIN pipeline_stages s ON s.pipeline_id = t.pipeline_id AND s.id = t.stage_id ' +
            "SET t.stage_label = s.label, t.stage_order = s.display_order, t.is_closed = (s.ticket_state = 'CLOSED') " +
            `WHERE (s.pipeline_id, s.id) IN (${part.map(() => '(?, ?)').join(', ')})`,
          part.flatMap((s) => [s.pipelineId, s.stageId]),
        );
      }
      return changed;
    });
    if (changedStages.length > 0) await this.touched('all');
    return changedStages;
  }

  /**
   * Mirrors contacts read from HubSpot at `readStartedAt`; tickets they requested get the new name and
   * email, and the portal accounts linked to them follow their primary company (ADR 0007: each moved
   * account's link version is bumped after the commit). A snapshot read before the one the row holds
   * is skipped, so a slow read never brings back a company the contact has left.
   */
  async upsertContacts(contacts: readonly HsContact[], readStartedAt = new Date()): Promise<string[]> {
    if (contacts.length === 0) return [];
    const now = new Date();
    let scopes: TicketScope[] = [];
    let moved: string[] = [];
    const renamed = await inTransaction(this.dataSource, async (m) => {
      scopes = [];
      moved = [];
      const changed: string[] = [];
      for (const batch of chunk(contacts, 500)) {
        const ids = batch.map((c) => c.id);
        const current = await m.query<
          Array<{ id: string; display_name: string | null; email: string | null; read_at: Date | null }>
        >(
          `SELECT id, display_name, email, read_at FROM contacts WHERE id IN (${placeholders(ids.length)}) FOR UPDATE`,
          ids,
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
        await m.query(
          `INSERT INTO contacts (id, email, first_name, last_name, display_name, primary_company_id, read_at, updated_at) VALUES ${part.map(() => '(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ` +
            'ON DUPLICATE KEY UPDATE email = VALUES(email), first_name = VALUES(first_name), last_name = VALUES(last_name), ' +
            'display_name = VALUES(display_name), primary_company_id = VALUES(primary_company_id), read_at = VALUES(read_at), updated_at = VALUES(updated_at)',
          part.flatMap((c) => [
            c.id,
            contactEmail(c),
            fitOrNull(c.firstName, 150),
            fitOrNull(c.lastName, 150),
            personName(c.firstName, c.lastName),
            primaryCompanyOf(c),
            readStartedAt,
            now,
          ]),
        );
        moved.push(
          ...(await this.customersFollowContacts(
            m,
            part.map((c) => c.id),
            now,
          )),
        );
      }
      for (const part of chunk(changed, 500)) {
        await m.query(
          'UPDATE tickets t JOIN contacts c ON c.id = t.contact_id SET t.requester_name = c.display_name, t.requester_email = c.email ' +
            `WHERE c.id IN (${placeholders(part.length)})`,
          part,
        );
        const rows = await m.query<Array<{ contact_id: string | null; company_id: string | null }>>(
          `SELECT DISTINCT contact_id, company_id FROM tickets WHERE contact_id IN (${placeholders(part.length)})`,
          part,
        );
        scopes.push(...rows.map((r) => ({ contactId: r.contact_id, companyId: r.company_id })));
      }
      return changed;
    });
    // A requester's name on their tickets: rare, and possibly many tickets, so their streams refetch.
    const keys = [...new Set(scopes.flatMap(scopeKeys))];
    await this.touched(scopes, keys.length > 0 ? [{ k: 's', s: keys }] : []);
    await this.customersMoved(moved);
    return renamed;
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
        const current = await m.query<
          Array<{ id: string; primary_company_id: string | null; read_at: Date | null }>
        >(
          `SELECT id, primary_company_id, read_at FROM contacts WHERE id IN (${placeholders(ids.length)}) FOR UPDATE`,
          ids,
        );
        for (const row of current) {
          const company = companies.get(row.id) ?? null;
          if (isNewer(row.read_at, readStartedAt) || row.primary_company_id === company) continue;
          await m.query(
            'UPDATE contacts SET primary_company_id = ?, read_at = ?, updated_at = ? WHERE id = ?',
            [company, readStartedAt, now, row.id],
          );
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
        const rows = await m.query<Array<{ id: string; read_at: Date | null }>>(
          `SELECT id, read_at FROM contacts WHERE id IN (${placeholders(part.length)}) FOR UPDATE`,
          part,
        );
        // A read that started after this one saw the contact (restored): it stays.
        const kept = new Set(rows.filter((r) => isNewer(r.read_at, observedAt)).map((r) => r.id));
        const gone = part.filter((id) => !kept.has(id));
        if (gone.length === 0) continue;
        await m.query(`DELETE FROM contacts WHERE id IN (${placeholders(gone.length)})`, gone);
        const linked = await m.query<Array<{ id: string }>>(
          `SELECT id FROM customers WHERE hubspot_contact_id IN (${placeholders(gone.length)}) FOR UPDATE`,
          gone,
        );
        if (linked.length === 0) continue;
        const customerIds = linked.map((r) => r.id);
        await m.query(
          'UPDATE customers SET hubspot_contact_id = NULL, hubspot_company_id = NULL, contact_linked_at = NULL, updated_at = ? ' +
            `WHERE id IN (${placeholders(customerIds.length)})`,
          [now, ...customerIds],
        );
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
    const rows = await m.query<
      Array<{
        id: string;
        contact_id: string;
        company_id: string | null;
        mirrored: string | null;
        mirrored_company_id: string | null;
      }>
    >(
      `SELECT c.id, c.hubspot_contact_id AS contact_id, c.hubspot_company_id AS company_id, k.id AS mirrored,
         k.primary_company_id AS mirrored_company_id
       FROM customers c LEFT JOIN contacts k ON k.id = c.hubspot_contact_id
       WHERE c.hubspot_contact_id IN (${placeholders(contactIds.length)}) FOR UPDATE`,
      [...contactIds],
    );
    const byCompany = new Map<string | null, string[]>();
    for (const row of rows) {
      let target: string | null;
      if (row.mirrored !== null) target = row.mirrored_company_id;
      else if (fallback?.has(row.contact_id)) target = fallback.get(row.contact_id) ?? null;
      else continue;
      if (target === row.company_id) continue;
      byCompany.set(target, [...(byCompany.get(target) ?? []), row.id]);
    }
    const moved: string[] = [];
    for (const [companyId, customerIds] of byCompany) {
      await m.query(
        `UPDATE customers SET hubspot_company_id = ?, updated_at = ? WHERE id IN (${placeholders(customerIds.length)})`,
        [companyId, now, ...customerIds],
      );
      moved.push(...customerIds);
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
      await this.dataSource.query(
        `INSERT INTO companies (id, name, domain, updated_at) VALUES ${part.map(() => '(?, ?, ?, ?)').join(', ')} ` +
          'ON DUPLICATE KEY UPDATE name = VALUES(name), domain = VALUES(domain), updated_at = VALUES(updated_at)',
        part.flatMap((c) => [c.id, fitOrNull(c.name, 300), fitOrNull(c.domain, 253), now]),
      );
    }
  }

  /**
   * Replaces the HubSpot part of a ticket's conversation with what HubSpot has now. Local replies
   * not yet in HubSpot stay; one HubSpot echoes back (same request key) takes its HubSpot id.
   * Returns false when the ticket is not mirrored (yet).
   */
  async replaceConversation(ticketHubspotId: string, conversation: readonly HsMessage[]): Promise<boolean> {
    const messages = conversationMessages(conversation);
    const now = new Date();
    let notice: ChangeNotice | null = null;
    const found = await inTransaction(this.dataSource, async (m) => {
      notice = null;
      const [ticket] = await m.query<
        Array<{
          id: number;
          contact_id: string | null;
          company_id: string | null;
          created_by_customer_id: string | null;
        }>
      >(
        'SELECT id, contact_id, company_id, created_by_customer_id FROM tickets WHERE hubspot_id = ? FOR UPDATE',
        [ticketHubspotId],
      );
      if (!ticket) return false;
      const before = await this.messageStates(m, ticket.id);
      for (const msg of messages) {
        if (msg.requestKey) {
          const taken = await m.query<unknown[]>('SELECT id FROM ticket_messages WHERE hubspot_id = ?', [
            msg.id,
          ]);
          if (taken.length === 0) {
            await m.query(
              'UPDATE ticket_messages SET hubspot_id = ? WHERE request_key = ? AND hubspot_id IS NULL',
              [msg.id, msg.requestKey],
            );
          }
        }
      }
      if (messages.length > 0) {
        await m.query(
          'INSERT INTO ticket_messages (hubspot_id, ticket_id, direction, author_name, author_email, subject, text, html_raw, shown_html, shown_text, created_at, sync_state, updated_at) ' +
            `VALUES ${messages.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'synced', ?)").join(', ')} ` +
            'ON DUPLICATE KEY UPDATE ticket_id = VALUES(ticket_id), direction = VALUES(direction), author_name = VALUES(author_name), ' +
            'author_email = VALUES(author_email), subject = VALUES(subject), text = VALUES(text), html_raw = VALUES(html_raw), ' +
            'shown_html = VALUES(shown_html), shown_text = VALUES(shown_text), ' +
            "created_at = VALUES(created_at), sync_state = 'synced', sync_error = NULL, updated_at = VALUES(updated_at)",
          messages.flatMap((msg) => {
            const shown = renderMessage(msg.text, msg.html);
            return [
              msg.id,
              ticket.id,
              msg.direction,
              fitOrNull(msg.authorName, 300),
              fitOrNull(msg.authorEmail?.toLowerCase(), 254),
              fitOrNull(msg.subject, 500),
              msg.text,
              msg.html,
              shown.html,
              shown.text,
              msg.createdAt,
              now,
            ];
          }),
        );
      }
      const keep = messages.map((msg) => msg.id);
      await m.query(
        'DELETE FROM ticket_messages WHERE ticket_id = ? AND hubspot_id IS NOT NULL' +
          (keep.length > 0 ? ` AND hubspot_id NOT IN (${placeholders(keep.length)})` : ''),
        [ticket.id, ...keep],
      );
      await mirrorConversationFiles(m, ticket.id, messages);
      await m.query('UPDATE tickets SET conversation_synced_at = ? WHERE id = ?', [now, ticket.id]);
      // Messages that appeared or changed (a reply echoed back from HubSpot is now synced), and how
      // many went away, for open portals.
      const after = await this.messageStates(m, ticket.id);
      const added = [...after].filter(([id, state]) => before.get(id) !== state).map(([id]) => id);
      const removed = [...before.keys()].filter((id) => !after.has(id)).length;
      if (added.length > 0 || removed > 0) {
        const t = noticeTicket(
          ticket.id,
          [{ contactId: ticket.contact_id, companyId: ticket.company_id }],
          ticket.created_by_customer_id,
        );
        notice = { k: 'm', t, a: added, r: removed };
      }
      return true;
    });
    if (notice) await this.touched([], [notice]);
    return found;
  }

  /** A conversation's messages and what each looks like to a reader (HubSpot id, sync state). */
  private async messageStates(m: EntityManager, ticketId: number): Promise<Map<number, string>> {
    const rows = await m.query<Array<{ id: number; hubspot_id: string | null; sync_state: string }>>(
      'SELECT id, hubspot_id, sync_state FROM ticket_messages WHERE ticket_id = ?',
      [ticketId],
    );
    return new Map(rows.map((r) => [Number(r.id), `${r.hubspot_id ?? ''}|${r.sync_state}`]));
  }

  /** Ids of the given owners / contacts / companies the mirror does not have yet. */
  async missing(table: 'owners' | 'contacts' | 'companies', ids: readonly string[]): Promise<string[]> {
    const wanted = unique(ids);
    if (wanted.length === 0) return [];
    const have = new Set<string>();
    for (const part of chunk(wanted, 1000)) {
      const rows = await this.dataSource.query<Array<{ id: string }>>(
        `SELECT id FROM ${table} WHERE id IN (${placeholders(part.length)})`,
        part,
      );
      for (const r of rows) have.add(r.id);
    }
    return wanted.filter((id) => !have.has(id));
  }

  async missingStages(keys: ReadonlyArray<{ pipelineId: string; stageId: string }>): Promise<number> {
    if (keys.length === 0) return 0;
    const rows = await this.dataSource.query<Array<{ n: number | string }>>(
      `SELECT COUNT(*) AS n FROM pipeline_stages WHERE (pipeline_id, id) IN (${keys.map(() => '(?, ?)').join(', ')})`,
      keys.flatMap((k) => [k.pipelineId, k.stageId]),
    );
    return keys.length - Number(rows[0]?.n ?? 0);
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
    const owners = new Map<string, string | null>();
    const contacts = new Map<string, { name: string | null; email: string | null }>();
    const stages = new Map<string, StageInfo>();
    if (ownerIds.length > 0) {
      const rows = await m.query<Array<{ id: string; display_name: string | null }>>(
        `SELECT id, display_name FROM owners WHERE id IN (${placeholders(ownerIds.length)}) LOCK IN SHARE MODE`,
        ownerIds,
      );
      for (const r of rows) owners.set(r.id, r.display_name);
    }
    if (contactIds.length > 0) {
      const rows = await m.query<Array<{ id: string; display_name: string | null; email: string | null }>>(
        `SELECT id, display_name, email FROM contacts WHERE id IN (${placeholders(contactIds.length)}) LOCK IN SHARE MODE`,
        contactIds,
      );
      for (const r of rows) contacts.set(r.id, { name: r.display_name, email: r.email });
    }
    if (stageKeys.length > 0) {
      const rows = await m.query<
        Array<{ pipeline_id: string; id: string; label: string; display_order: number; ticket_state: string }>
      >(
        `SELECT pipeline_id, id, label, display_order, ticket_state FROM pipeline_stages WHERE (pipeline_id, id) IN (${stageKeys.map(() => '(?, ?)').join(', ')}) LOCK IN SHARE MODE`,
        stageKeys.flat(),
      );
      for (const r of rows) {
        stages.set(`${r.pipeline_id}/${r.id}`, {
          label: r.label,
          displayOrder: Number(r.display_order),
          closed: r.ticket_state === 'CLOSED',
        });
      }
    }
    return {
      stage: (pipelineId, stageId) =>
        pipelineId === null || stageId === null ? undefined : stages.get(`${pipelineId}/${stageId}`),
      ownerName: (id) => owners.get(id),
      contact: (id) => contacts.get(id),
    };
  }
}
