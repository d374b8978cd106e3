import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '../common/redis/redis.module';
import { RedisKeys } from '../queues/redis-keys';
import { AppConfig } from '../config/app-config';
import { type CustomerScope, CustomerScopeService } from '../customers/customer-scope.service';
import { type Sql } from '../repositories/sql.util';
import { type Counts, TicketListRepository, walkIndex } from '../repositories/ticket-list.repository';
import { SyncStatusService } from '../sync/sync-status.service';
import { type TicketSortField } from './dto/list-tickets.query.dto';
import type { TicketListDto, TicketListItemDto } from './dto/ticket-list.dto';
import { toTicketListItem } from './ticket-list-item.mapper';
import { normaliseQuery, parseSearch, type TicketListQuery } from './ticket-list-query';
import { type IndexedTicket, tokens } from './ticket-search.index';
import { TicketSearchService } from './ticket-search.service';
import { type TicketScope, TicketScopeVersionService } from './ticket-scope-version.service';
import {
  type ScopeColumn,
  type Strays,
  TicketVisibility,
  type VisibleScope,
} from './ticket-visibility.service';

/**
 * Sorts no index can walk in SQL: the ORDER BY wraps the column in an expression (Ticket ID as a
 * number, NULLs-last status, COALESCE for the requester) or the index holds only a prefix (subject,
 * 100 characters). These pages come from the scope's in-process index instead of a filesort.
 */
const FILESORT_SORTS = new Set<TicketSortField>(['id', 'status', 'subject', 'requestedBy']);
/** Counts kept in Redis per (scope, version, filters); a new version simply stops reading them. */
const COUNTS_TTL_SECONDS = 600;
/** The same in process, so a repeated page costs no Redis read for its counts. */
const LOCAL_COUNTS_MAX = 5_000;

/**
 * Where the customer's tickets are (TicketVisibility's SQL form). `cached` scopes (a single equality
 * on the scope column) get the cached counts and the search index; a scope that also includes
 * submissions outside it stays on SQL.
 */
interface ResolvedScope {
  where: Sql;
  cached: VisibleScope | null;
  /** When the mirror last heard from HubSpot (read in the same round trip). */
  syncedAt: Date | null;
  /** The account is linked to its HubSpot contact (only such scopes are cached). */
  linked: boolean;
  /** What `where` was made from: a filtered list (involvement) asks TicketVisibility again with them. */
  link: CustomerScope | null;
  strays: Strays;
}

/** Customers whose scope one API process keeps at most (oldest first out). */
const SCOPE_CACHE_MAX = 10_000;

/**
 * GET /api/v1/tickets over the MySQL mirror: the customer's scope first (an equality on the leading
 * column of a composite index, ADR 0007), then filters, then one page in index order.
 */
@Injectable()
export class TicketsListService {
  private readonly localCounts = new Map<string, Counts>();
  private readonly scopeCache = new Map<string, { scope: ResolvedScope; until: number; link: string }>();

  constructor(
    private readonly repository: TicketListRepository,
    private readonly visibility: TicketVisibility,
    private readonly scopes: CustomerScopeService,
    private readonly syncStatus: SyncStatusService,
    private readonly config: AppConfig,
    private readonly versions: TicketScopeVersionService,
    private readonly search: TicketSearchService,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async list(customerId: string, query: TicketListQuery): Promise<TicketListDto> {
    const { scope, version } = await this.resolveScope(customerId);
    const syncedAt = scope.syncedAt ? new Date(scope.syncedAt).toISOString() : null;
    const search = query.q ? parseSearch(query.q) : null;
    if (query.involvement) {
      // A part of the customer's tickets: TicketVisibility's fragment for it, on SQL (never cached).
      const part = this.visibility.listScope(customerId, scope.link, scope.strays, query.involvement);
      const where = this.repository.where(part.where, query);
      const [rows, counts] = await Promise.all([
        this.repository.page(where, query),
        this.repository.counts(where),
      ]);
      return { items: rows.map(toTicketListItem), total: totalOf(counts, query), counts, syncedAt };
    }
    if (scope.cached && version !== null) {
      const { column, value } = scope.cached;
      // Words made only of punctuation ("_", "%") have no indexed form: those searches stay on LIKE.
      // Sorts SQL can only filesort wait for the scope's index; a plain list that SQL walks well
      // uses the index when it is already built for this version, else the SQL walk.
      const index = search
        ? 'ticketId' in search || search.words.every((w) => tokens(w).length > 0)
          ? await this.search.index(column, value, version)
          : null
        : FILESORT_SORTS.has(query.sort)
          ? await this.search.index(column, value, version)
          : this.search.ready(column, value, version);
      if (index) {
        const matches = !search
          ? ('all' as const)
          : 'ticketId' in search
            ? index.matchTicketId(search.ticketId)
            : index.matchWords(search.words);
        const page = index.page(
          matches,
          {
            status: query.status,
            createdFrom: query.createdFrom?.getTime(),
            createdTo: query.createdTo?.getTime(),
            activityFrom: query.activityFrom?.getTime(),
            activityTo: query.activityTo?.getTime(),
          },
          query.sort,
          query.order,
          (query.page - 1) * query.limit,
          query.limit,
        );
        return { items: page.rows.map(indexedToItem), total: page.total, counts: page.counts, syncedAt };
      }
      if (!search) {
        const where = this.repository.where(scope.where, query);
        const [rows, counts] = await Promise.all([
          this.repository.page(where, query, walkIndex(column, query.sort, query.status)),
          this.cachedCounts(`${column}:${value}`, version, query, where),
        ]);
        return { items: rows.map(toTicketListItem), total: totalOf(counts, query), counts, syncedAt };
      }
    }
    const where = this.repository.where(scope.where, query);
    const [rows, counts] = await Promise.all([
      this.repository.page(where, query),
      this.repository.counts(where),
    ]);
    return { items: rows.map(toTicketListItem), total: totalOf(counts, query), counts, syncedAt };
  }

  /**
   * The customer's open/closed/awaiting counts as GET /tickets answers them without filters, and the key of
   * the scope they were counted in (customers with the same key have the same counts): live events.
   */
  async counts(customerId: string): Promise<{ key: string; counts: Counts }> {
    const { scope, version } = await this.resolveScope(customerId);
    const query = normaliseQuery({});
    const where = this.repository.where(scope.where, query);
    if (scope.cached && version !== null) {
      const { column, value } = scope.cached;
      const key = `${column}:${value}`;
      return { key, counts: await this.cachedCounts(key, version, query, where) };
    }
    return { key: `customer:${customerId}`, counts: await this.repository.counts(where) };
  }

  /**
   * Told by the change stream (ADR 0009) that tickets of these scopes (`company:<id>`,
   * `contact:<id>`), or submitted by these customers, changed. A scope whose search index this
   * process holds is rebuilt at its new version now, in the background, instead of by the next list
   * request; the submitters' scopes are read afresh (a submission outside their contact or company
   * changes how their list is queried).
   */
  async changed(scopeKeys: readonly string[], customers: readonly string[]): Promise<void> {
    for (const id of customers) this.scopeCache.delete(id);
    for (const key of scopeKeys) {
      const colon = key.indexOf(':');
      const kind = key.slice(0, colon);
      const value = key.slice(colon + 1);
      const column: ScopeColumn = kind === 'company' ? 'company_id' : 'contact_id';
      if (!this.search.has(column, value)) continue;
      const version = await this.versions.current(
        kind === 'company' ? { companyId: value } : { contactId: value },
      );
      this.search.ready(column, value, version);
    }
  }

  /**
   * {open, closed, awaiting} for the scope and date filters (status does not change them), from this process,
   * else Redis, else one grouped count that is then kept under the scope's current version.
   */
  private async cachedCounts(
    scopeKey: string,
    version: string,
    query: TicketListQuery,
    where: Sql,
  ): Promise<Counts> {
    const filters = [query.createdFrom, query.createdTo, query.activityFrom, query.activityTo]
      .map((d) => d?.toISOString() ?? '')
      .join('|');
    const hash = createHash('sha1').update(filters).digest('base64url').slice(0, 16);
    const key = new RedisKeys(this.config.queuePrefix).key('tickets', 'counts', scopeKey, version, hash);
    const local = this.localCounts.get(key);
    if (local) return local;
    const stored = await this.redis.get(key).catch(() => null);
    let counts: Counts;
    // "open,closed,awaiting"; a value without awaiting (stored before issue 13) is counted again.
    const parts = stored?.split(',').map(Number);
    if (parts?.length === 3 && parts.every(Number.isFinite)) {
      counts = { open: parts[0]!, closed: parts[1]!, awaiting: parts[2]! };
    } else {
      counts = await this.repository.counts(where);
      await this.redis
        .set(key, `${counts.open},${counts.closed},${counts.awaiting}`, 'EX', COUNTS_TTL_SECONDS)
        .catch(() => undefined);
    }
    if (this.localCounts.size >= LOCAL_COUNTS_MAX) {
      const oldest = this.localCounts.keys().next();
      if (!oldest.done) this.localCounts.delete(oldest.value);
    }
    this.localCounts.set(key, counts);
    return counts;
  }

  /** The page query's SQL for the default list (EXPLAIN checks in tests and benchmarks). */
  async explainDefault(customerId: string): Promise<Array<Record<string, unknown>>> {
    return this.repository.explainDefault((await this.resolveScope(customerId)).scope.where);
  }

  /** EXPLAIN of the SQL page query this list would run (tests and benchmarks). */
  async explainPage(customerId: string, query: TicketListQuery): Promise<Array<Record<string, unknown>>> {
    const { scope } = await this.resolveScope(customerId);
    const where = this.repository.where(scope.where, query);
    const index = scope.cached ? walkIndex(scope.cached.column, query.sort, query.status) : undefined;
    return this.repository.explainPage(where, query, index);
  }

  /** EXPLAIN of the grouped counts this list would run without date filters (tests and benchmarks). */
  async explainCounts(customerId: string): Promise<Array<Record<string, unknown>>> {
    const { scope } = await this.resolveScope(customerId);
    return this.repository.explainCounts(this.repository.where(scope.where, normaliseQuery({})));
  }

  /**
   * What the customer may see, and the scope's version when it is a cached scope. Tickets they
   * submitted themselves are theirs in every scope; they are OR-ed in only when some lie outside the
   * contact/company scope, so the usual query stays a single equality on the composite index.
   */
  private async resolveScope(customerId: string): Promise<{ scope: ResolvedScope; version: string | null }> {
    // A busy list asks for the same customer's scope many times a second: each API process reuses a
    // linked customer's for TICKETS_SCOPE_CACHE_MS (2 s), which takes the database off a list page
    // served from the scope's index. Tickets changing within the scope still show at once (the scope
    // version moves), and so does a customer whose company or contact sync changed: the customer's
    // link version is read in the same MGET, and sync bumps it after its commit. What may lag by the
    // TTL is syncedAt and a link edited by hand in MySQL. Not-yet-linked customers are always read afresh.
    const ttl = this.config.ticketsScopeCacheMs;
    if (ttl === 0) {
      const scope = await this.readScope(customerId);
      return { scope, version: await this.versionOf(scope) };
    }
    const now = Date.now();
    const hit = this.scopeCache.get(customerId);
    if (hit && hit.until > now) {
      const read = await this.versions.currentWithCustomer(versionScope(hit.scope), customerId);
      if (read.customer === hit.link) {
        return { scope: hit.scope, version: hit.scope.cached ? read.version : null };
      }
      // Sync moved the customer to another company or contact since: read the link again now.
    }
    // The link version is read before the link: a change committed after the read bumps it past this.
    const link = await this.versions.customer(customerId);
    const scope = await this.readScope(customerId);
    this.scopeCache.delete(customerId);
    if (scope.linked) {
      if (this.scopeCache.size >= SCOPE_CACHE_MAX) {
        const oldest = this.scopeCache.keys().next();
        if (!oldest.done) this.scopeCache.delete(oldest.value);
      }
      this.scopeCache.set(customerId, { scope, until: now + ttl, link });
    }
    return { scope, version: await this.versionOf(scope) };
  }

  private async versionOf(scope: ResolvedScope): Promise<string | null> {
    const key = versionScope(scope);
    return key ? this.versions.current(key) : null;
  }

  /**
   * The customer's scope from one round trip (TicketListRepository.readScope), as TicketVisibility's
   * WHERE fragment.
   */
  private async readScope(customerId: string): Promise<ResolvedScope> {
    const row = await this.repository.readScope(customerId);
    const syncedAt = row ? row.synced_at : await this.syncStatus.syncedAt();
    if (!row?.contact_id) {
      // Not linked yet: CustomerScopeService queues the link (and answers null). A link stored in
      // between is used, with the customer's submissions OR-ed in (the probes did not see it).
      const link = await this.scopes.scopeFor(customerId);
      const strays = { company: true, contact: true };
      return {
        ...this.visibility.listScope(customerId, link, strays),
        syncedAt,
        linked: false,
        link,
        strays,
      };
    }
    const link = {
      contactId: row.contact_id,
      companyId: row.company_id,
      companyScope: Number(row.company_scope) === 1,
    };
    const strays = {
      company: Number(row.company_strays) === 1,
      contact: Number(row.contact_strays) === 1,
    };
    return { ...this.visibility.listScope(customerId, link, strays), syncedAt, linked: true, link, strays };
  }
}

/** The key of a cached scope's version (counts, search index), null for the SQL-only scopes. */
function versionScope(scope: ResolvedScope): TicketScope | null {
  if (!scope.cached) return null;
  const { column, value } = scope.cached;
  return column === 'company_id' ? { companyId: value } : { contactId: value };
}

function totalOf(counts: Counts, query: TicketListQuery): number {
  return query.status === 'all' ? counts.open + counts.closed : counts[query.status];
}

function indexedToItem(t: IndexedTicket): TicketListItemDto {
  return toTicketListItem({
    id: t.id,
    hubspot_id: t.hubspotId,
    subject: t.subject,
    stage_label: t.stageLabel,
    is_closed: t.isClosed ? 1 : 0,
    status_kind: t.statusKind,
    owner_name: t.ownerName,
    requester_name: t.requesterName,
    requester_email: t.requesterEmail,
    created_at: new Date(t.createdAt),
    last_activity_at: new Date(t.lastActivityAt),
    sync_state: t.syncState,
  });
}
