import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { REDIS } from '../common/redis/redis.module';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { RedisKeys } from '../queues/redis-keys';
import { AppConfig } from '../config/app-config';
import { CustomerScopeService } from '../customers/customer-scope.service';
import { SyncStatusService } from '../sync/sync-status.service';
import {
  type ListTicketsQueryDto,
  type SortOrder,
  type TicketSortField,
  type TicketStatusFilter,
} from './dto/list-tickets.query.dto';
import type { TicketListDto, TicketListItemDto } from './dto/ticket-list.dto';
import { type IndexedTicket, tokens } from './ticket-search.index';
import { type ScopeColumn, TicketSearchService } from './ticket-search.service';
import { type TicketScope, TicketScopeVersionService } from './ticket-scope-version.service';
import { LIST_ITEM_COLUMNS, type ListItemRow, toTicketListItem } from './ticket-list-item.mapper';

export const DEFAULT_PAGE_SIZE = 25;
const PAGE_COLUMNS = LIST_ITEM_COLUMNS;
const MAX_SEARCH_WORDS = 8;
/** The same as SyncStatusService.syncedAt, as a subquery of the scope read. */
const SYNCED_AT_SQL =
  "(SELECT MAX(last_success_at) FROM sync_state WHERE stream IN ('webhooks', 'reconcile', 'backfill'))";

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

/** The columns each search word is looked for in (utf8mb4_unicode_ci folds case and accents). */
const SEARCH_COLUMNS = [
  'subject',
  'content',
  'owner_name',
  'requester_name',
  'requester_email',
  'stage_label',
  'priority',
  'category',
] as const;

/**
 * ORDER BY keys per sort field, before the id tie-break. `nullsLast` keys sort NULL after every value
 * in ascending order (and first in descending), so "Unassigned" stays together at one end.
 */
const SORT_KEYS: Record<TicketSortField, Array<{ expr: string; nullsLast?: boolean }>> = {
  // Ticket IDs are decimal strings: compare them as numbers; portal-only rows (no ID yet) at the end.
  id: [{ expr: 'CAST(hubspot_id AS UNSIGNED)', nullsLast: true }],
  status: [{ expr: 'stage_order', nullsLast: true }, { expr: 'stage_label' }],
  subject: [{ expr: 'subject' }],
  created: [{ expr: 'created_at' }],
  owner: [{ expr: 'owner_name', nullsLast: true }],
  lastActivity: [{ expr: 'last_activity_at' }],
  requestedBy: [{ expr: 'COALESCE(requester_name, requester_email)', nullsLast: true }],
};

export interface TicketListQuery {
  q?: string;
  status: TicketStatusFilter;
  createdFrom?: Date;
  createdTo?: Date;
  activityFrom?: Date;
  activityTo?: Date;
  sort: TicketSortField;
  order: SortOrder;
  limit: number;
  page: number;
}

type TicketRow = ListItemRow;

interface Sql {
  text: string;
  params: unknown[];
}

export interface Counts {
  open: number;
  closed: number;
}

/**
 * Where the customer's tickets are. `cached` scopes (a single equality on the scope column) get the
 * cached counts and the search index; a scope that also includes submissions outside it stays on SQL.
 */
interface ResolvedScope {
  where: Sql;
  cached: { column: ScopeColumn; value: string } | null;
  /** When the mirror last heard from HubSpot (read in the same round trip). */
  syncedAt: Date | null;
  /** The account is linked to its HubSpot contact (only such scopes are cached). */
  linked: boolean;
}

/** Customers whose scope one API process keeps at most (oldest first out). */
const SCOPE_CACHE_MAX = 10_000;

interface ScopeRow {
  synced_at: Date | null;
  contact_id: string | null;
  company_id: string | null;
  company_strays: number | string | null;
  contact_strays: number | string | null;
}

/** Defaults applied; a range whose start is after its end is refused (400) rather than answered empty. */
export function normaliseQuery(dto: ListTicketsQueryDto): TicketListQuery {
  const date = (value: string | undefined): Date | undefined => (value ? new Date(value) : undefined);
  for (const [from, to] of [
    ['createdFrom', 'createdTo'],
    ['activityFrom', 'activityTo'],
  ] as const) {
    const start = date(dto[from]);
    const end = date(dto[to]);
    if (start && end && start.getTime() > end.getTime()) {
      const text = `${from} must not be later than ${to}; swap them or widen the range.`;
      throw new AppError(ErrorCode.VALIDATION_FAILED, `${from}: ${text}`, { fields: { [from]: text } });
    }
  }
  return {
    q: dto.q?.trim() || undefined,
    status: dto.status ?? 'all',
    createdFrom: date(dto.createdFrom),
    createdTo: date(dto.createdTo),
    activityFrom: date(dto.activityFrom),
    activityTo: date(dto.activityTo),
    sort: dto.sort ?? 'lastActivity',
    order: dto.order ?? 'desc',
    limit: dto.limit ?? DEFAULT_PAGE_SIZE,
    page: dto.page ?? 1,
  };
}

/** LIKE pattern text with the user's own % _ and \ taken literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `#123` or `123`: a ticket ID; anything else: up to eight words. */
export function parseSearch(q: string): { ticketId: string } | { words: string[] } {
  const id = /^#?\s*(\d{1,20})$/.exec(q);
  if (id) return { ticketId: id[1]!.replace(/^0+(?=\d)/, '') };
  const words = q
    .split(/\s+/)
    .map((w) => w.replace(/^#/, ''))
    .filter((w) => w.length > 0)
    .slice(0, MAX_SEARCH_WORDS);
  return { words };
}

/**
 * GET /api/v1/tickets over the MySQL mirror: the customer's scope first (an equality on the leading
 * column of a composite index, ADR 0007), then filters, then one page in index order.
 */
@Injectable()
export class TicketsListService {
  private readonly localCounts = new Map<string, Counts>();
  private readonly scopeCache = new Map<string, { scope: ResolvedScope; until: number; link: string }>();

  constructor(
    private readonly dataSource: DataSource,
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
        const where = this.where(scope.where, query);
        const [rows, counts] = await Promise.all([
          this.pageRows(where, query, walkIndex(column, query.sort)),
          this.cachedCounts(`${column}:${value}`, version, query, where),
        ]);
        return { items: rows.map(toTicketListItem), total: totalOf(counts, query), counts, syncedAt };
      }
    }
    const where = this.where(scope.where, query);
    const [rows, counts] = await Promise.all([this.pageRows(where, query), this.count(where)]);
    return { items: rows.map(toTicketListItem), total: totalOf(counts, query), counts, syncedAt };
  }

  /**
   * The customer's open/closed counts as GET /tickets answers them without filters, and the key of
   * the scope they were counted in (customers with the same key have the same counts): live events.
   */
  async counts(customerId: string): Promise<{ key: string; counts: Counts }> {
    const { scope, version } = await this.resolveScope(customerId);
    const query = normaliseQuery({});
    const where = this.where(scope.where, query);
    if (scope.cached && version !== null) {
      const { column, value } = scope.cached;
      const key = `${column}:${value}`;
      return { key, counts: await this.cachedCounts(key, version, query, where) };
    }
    return { key: `customer:${customerId}`, counts: await this.count(where) };
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

  private where(scope: Sql, query: TicketListQuery): Sql {
    const filters = this.filterWhere(query);
    return {
      text: [scope.text, ...filters.map((f) => f.text)].join(' AND '),
      params: [...scope.params, ...filters.flatMap((f) => f.params)],
    };
  }

  private pageRows(where: Sql, query: TicketListQuery, index?: string): Promise<TicketRow[]> {
    const statusWhere = this.statusWhere(query.status);
    return this.page(
      statusWhere ? `${where.text} AND ${statusWhere}` : where.text,
      where.params,
      query,
      index,
    );
  }

  private async count(where: Sql): Promise<Counts> {
    const rows = await this.dataSource.query<Array<{ is_closed: number; n: number | string }>>(
      `SELECT is_closed, COUNT(*) AS n FROM tickets WHERE ${where.text} GROUP BY is_closed`,
      where.params,
    );
    const counts = { open: 0, closed: 0 };
    for (const row of rows) counts[Number(row.is_closed) ? 'closed' : 'open'] += Number(row.n);
    return counts;
  }

  /**
   * {open, closed} for the scope and date filters (status does not change them), from this process,
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
    if (stored) {
      const [open, closed] = stored.split(',').map(Number);
      counts = { open: open ?? 0, closed: closed ?? 0 };
    } else {
      counts = await this.count(where);
      await this.redis
        .set(key, `${counts.open},${counts.closed}`, 'EX', COUNTS_TTL_SECONDS)
        .catch(() => undefined);
    }
    if (this.localCounts.size >= LOCAL_COUNTS_MAX) {
      const oldest = this.localCounts.keys().next();
      if (!oldest.done) this.localCounts.delete(oldest.value);
    }
    this.localCounts.set(key, counts);
    return counts;
  }

  private page(
    whereText: string,
    params: unknown[],
    query: TicketListQuery,
    index?: string,
    explain = false,
  ): Promise<TicketRow[]> {
    const run = explain ? 'EXPLAIN ' : '';
    // The index this page walks, when known: MariaDB then skips weighing the scope's ten other
    // candidate indexes, which costs more than the walk itself (≈ 0.3 ms of 0.5 ms).
    const tickets = index ? `tickets FORCE INDEX (${index})` : 'tickets';
    const offset = (query.page - 1) * query.limit;
    if (query.sort === 'owner') {
      // "Unassigned" last in ascending order (first in descending) without giving up the
      // (company_id, owner_name, id) index walk: assigned and unassigned rows are read as two index
      // ranges, each cut at the page's end, and only those few rows are merged.
      const dir = query.order === 'asc' ? 'ASC' : 'DESC';
      const end = offset + query.limit;
      const assigned = `SELECT ${PAGE_COLUMNS}, 0 AS grp FROM ${tickets} WHERE ${whereText} AND owner_name IS NOT NULL
          ORDER BY owner_name ${dir}, id ${dir} LIMIT ?`;
      const unassigned = `SELECT ${PAGE_COLUMNS}, 1 AS grp FROM ${tickets} WHERE ${whereText} AND owner_name IS NULL
          ORDER BY id ${dir} LIMIT ?`;
      return this.dataSource.query<TicketRow[]>(
        `${run}SELECT * FROM ((${assigned}) UNION ALL (${unassigned})) AS page
          ORDER BY grp ${dir}, owner_name ${dir}, id ${dir} LIMIT ? OFFSET ?`,
        [...params, end, ...params, end, query.limit, offset],
      );
    }
    return this.dataSource.query<TicketRow[]>(
      `${run}SELECT ${PAGE_COLUMNS} FROM ${tickets} WHERE ${whereText}
        ORDER BY ${this.orderBy(query.sort, query.order)} LIMIT ? OFFSET ?`,
      [...params, query.limit, offset],
    );
  }

  /** The page query's SQL for the default list (EXPLAIN checks in tests and benchmarks). */
  async explainDefault(customerId: string): Promise<Array<Record<string, unknown>>> {
    const { where } = (await this.resolveScope(customerId)).scope;
    return this.dataSource.query(
      `EXPLAIN SELECT id FROM tickets WHERE ${where.text} ORDER BY ${this.orderBy('lastActivity', 'desc')} LIMIT 25`,
      where.params,
    );
  }

  /** EXPLAIN of the SQL page query this list would run (tests and benchmarks). */
  async explainPage(customerId: string, query: TicketListQuery): Promise<Array<Record<string, unknown>>> {
    const { scope } = await this.resolveScope(customerId);
    const where = this.where(scope.where, query);
    const statusWhere = this.statusWhere(query.status);
    const index = scope.cached ? walkIndex(scope.cached.column, query.sort) : undefined;
    const text = statusWhere ? `${where.text} AND ${statusWhere}` : where.text;
    return (await this.page(text, where.params, query, index, true)) as unknown as Array<
      Record<string, unknown>
    >;
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

  private async readScope(customerId: string): Promise<ResolvedScope> {
    // The account's link, both stray probes (each an index lookup on created_by_customer_id, normally
    // finding nothing) and syncedAt (as SyncStatusService.syncedAt reads it) in one round trip.
    const [row] = await this.dataSource.query<ScopeRow[]>(
      `SELECT ${SYNCED_AT_SQL} AS synced_at, c.hubspot_contact_id AS contact_id, c.hubspot_company_id AS company_id,
         EXISTS(SELECT 1 FROM tickets t FORCE INDEX (idx_tickets_created_by_customer) WHERE t.created_by_customer_id = c.id
           AND (t.company_id IS NULL OR t.company_id <> c.hubspot_company_id)) AS company_strays,
         EXISTS(SELECT 1 FROM tickets t FORCE INDEX (idx_tickets_created_by_customer) WHERE t.created_by_customer_id = c.id
           AND (t.contact_id IS NULL OR t.contact_id <> c.hubspot_contact_id)) AS contact_strays
       FROM customers c WHERE c.id = ?`,
      [customerId],
    );
    const syncedAt = row ? row.synced_at : await this.syncStatus.syncedAt();
    if (!row?.contact_id) {
      // Not linked yet: CustomerScopeService queues the link (and answers null).
      const scope = await this.scopes.scopeFor(customerId);
      if (!scope) {
        return {
          where: { text: 'created_by_customer_id = ?', params: [customerId] },
          cached: null,
          syncedAt,
          linked: false,
        };
      }
      return { ...this.scopeOf(customerId, scope.contactId, scope.companyId, true), syncedAt, linked: false };
    }
    const byCompany = this.config.portalTicketScope === 'company' && row.company_id !== null;
    return {
      ...this.scopeOf(
        customerId,
        row.contact_id,
        row.company_id,
        Number(byCompany ? row.company_strays : row.contact_strays) === 1,
      ),
      syncedAt,
      linked: true,
    };
  }

  private scopeOf(
    customerId: string,
    contactId: string,
    companyId: string | null,
    strays: boolean,
  ): Omit<ResolvedScope, 'syncedAt' | 'linked'> {
    const byCompany = this.config.portalTicketScope === 'company' && companyId !== null;
    const column: ScopeColumn = byCompany ? 'company_id' : 'contact_id';
    const value = byCompany && companyId !== null ? companyId : contactId;
    if (!strays) return { where: { text: `${column} = ?`, params: [value] }, cached: { column, value } };
    return {
      where: { text: `(${column} = ? OR created_by_customer_id = ?)`, params: [value, customerId] },
      cached: null,
    };
  }

  private filterWhere(query: TicketListQuery): Sql[] {
    const out: Sql[] = [];
    if (query.createdFrom) out.push({ text: 'created_at >= ?', params: [query.createdFrom] });
    if (query.createdTo) out.push({ text: 'created_at <= ?', params: [query.createdTo] });
    if (query.activityFrom) out.push({ text: 'last_activity_at >= ?', params: [query.activityFrom] });
    if (query.activityTo) out.push({ text: 'last_activity_at <= ?', params: [query.activityTo] });
    if (query.q) {
      const search = parseSearch(query.q);
      if ('ticketId' in search) {
        out.push({ text: 'hubspot_id = ?', params: [search.ticketId] });
      } else {
        // First slice: LIKE inside the already-narrow scope. The scope-first search index of
        // ADR 0007 replaces this.
        for (const word of search.words) {
          const pattern = `%${escapeLike(word)}%`;
          out.push({
            text: `(${SEARCH_COLUMNS.map((c) => `${c} LIKE ?`).join(' OR ')})`,
            params: SEARCH_COLUMNS.map(() => pattern),
          });
        }
      }
    }
    return out;
  }

  private statusWhere(status: TicketStatusFilter): string | null {
    if (status === 'open') return 'is_closed = 0';
    if (status === 'closed') return 'is_closed = 1';
    return null;
  }

  private orderBy(sort: TicketSortField, order: SortOrder): string {
    const dir = order === 'asc' ? 'ASC' : 'DESC';
    const keys = SORT_KEYS[sort].flatMap((key) =>
      key.nullsLast ? [`(${key.expr} IS NULL) ${dir}`, `${key.expr} ${dir}`] : [`${key.expr} ${dir}`],
    );
    return [...keys, `id ${dir}`].join(', ');
  }
}

/** The key of a cached scope's version (counts, search index), null for the SQL-only scopes. */
function versionScope(scope: ResolvedScope): TicketScope | null {
  if (!scope.cached) return null;
  const { column, value } = scope.cached;
  return column === 'company_id' ? { companyId: value } : { contactId: value };
}

/** The index a SQL page walks for a sort in a scope (the sorts FILESORT_SORTS leaves to SQL). */
function walkIndex(column: ScopeColumn, sort: TicketSortField): string | undefined {
  const scope = column === 'company_id' ? 'company' : 'contact';
  if (sort === 'lastActivity') return `idx_tickets_${scope}_activity`;
  if (sort === 'created') return `idx_tickets_${scope}_created`;
  if (sort === 'owner') return `idx_tickets_${scope}_owner`;
  return undefined;
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
    owner_name: t.ownerName,
    requester_name: t.requesterName,
    requester_email: t.requesterEmail,
    created_at: new Date(t.createdAt),
    last_activity_at: new Date(t.lastActivityAt),
    sync_state: t.syncState,
  });
}
