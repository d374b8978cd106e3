import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { SortOrder, TicketSortField, TicketStatusFilter } from '../tickets/dto/list-tickets.query.dto';
import { parseSearch, type TicketListQuery } from '../tickets/ticket-list-query';
import type { ScopeColumn } from '../tickets/ticket-visibility.service';
import { type Sql } from './sql.util';
import { LIST_ITEM_COLUMNS, type ListItemRow } from './tickets.repository';

/** The same as SyncStatusService.syncedAt, as a subquery of the scope read. */
const SYNCED_AT_SQL =
  "(SELECT MAX(last_success_at) FROM sync_state WHERE stream IN ('webhooks', 'reconcile', 'backfill'))";

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

/** The account's link and what the list needs besides, read in one round trip. */
export interface ListScopeRow {
  synced_at: Date | null;
  contact_id: string | null;
  company_id: string | null;
  /** The contact's PORTAL_COMPANY_SCOPE_PROPERTY as the account has it (1/0). */
  company_scope: number | string | null;
  /** Submissions of the customer outside their company (1/0). */
  company_strays: number | string | null;
  /** Submissions of the customer their contact is not on (1/0). */
  contact_strays: number | string | null;
}

/** A ticket as the scope's search index holds it (ticket-search.index). */
export interface SearchSourceRow extends ListItemRow {
  content: string | null;
  stage_order: number | null;
  priority: string | null;
  category: string | null;
}

/** `awaiting` is a part of `open` (open tickets of kind awaiting_customer). */
export interface Counts {
  open: number;
  closed: number;
  awaiting: number;
}

export const AWAITING_KIND = 'awaiting_customer';

/** LIKE pattern text with the user's own % _ and \ taken literally. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
/**
 * The index a SQL page walks for a sort (and status filter) in a company scope (migrations
 * 1763950000000, 1764013000000). "Awaiting your reply" is a few tickets of the scope: it reads the
 * range (company_id, awaiting_customer) of the kind index, in last-activity order, whatever the sort
 * (other sorts order that small range). A contact scope starts from ticket_contacts
 * (TicketVisibility.scopeWhere) and sorts the contact's few rows, the awaiting filter included: no
 * tickets index to name.
 */
export function walkIndex(
  column: ScopeColumn,
  sort: TicketSortField,
  status: TicketStatusFilter = 'all',
): string | undefined {
  if (column !== 'company_id') return undefined;
  if (status === 'awaiting') return 'idx_tickets_company_kind_activity';
  if (sort === 'lastActivity') return 'idx_tickets_company_activity';
  if (sort === 'created') return 'idx_tickets_company_created';
  if (sort === 'owner') return 'idx_tickets_company_owner';
  return undefined;
}

/**
 * The ticket list's reads of the `tickets` table (ADR 0007): the scope round trip, one page in index
 * order, the grouped counts, and a scope's rows for its search index. What a customer may see comes
 * in as a WHERE fragment from TicketVisibility; the filters, sorts and index hints are built here.
 * The table's other statements are TicketsRepository's.
 */
@Injectable()
export class TicketListRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * The account's link, both stray probes (each an index lookup on created_by_customer_id, normally
   * finding nothing) and syncedAt (as SyncStatusService.syncedAt reads it) in one round trip.
   * Undefined when the account does not exist.
   */
  async readScope(customerId: string): Promise<ListScopeRow | undefined> {
    const [row] = await this.dataSource.query<ListScopeRow[]>(
      `SELECT ${SYNCED_AT_SQL} AS synced_at, c.hubspot_contact_id AS contact_id, c.hubspot_company_id AS company_id, c.company_scope,
         EXISTS(SELECT 1 FROM tickets t FORCE INDEX (idx_tickets_created_by_customer) WHERE t.created_by_customer_id = c.id
           AND (t.company_id IS NULL OR t.company_id <> c.hubspot_company_id)) AS company_strays,
         EXISTS(SELECT 1 FROM tickets t FORCE INDEX (idx_tickets_created_by_customer) WHERE t.created_by_customer_id = c.id
           AND NOT EXISTS(SELECT 1 FROM ticket_contacts tc WHERE tc.ticket_id = t.id AND tc.contact_id = c.hubspot_contact_id)) AS contact_strays
       FROM customers c WHERE c.id = ?`,
      [customerId],
    );
    return row;
  }

  /** The scope's fragment AND the query's date and search filters (not status: counts ignore it). */
  where(scope: Sql, query: TicketListQuery): Sql {
    const filters = filterWhere(query);
    return {
      text: [scope.text, ...filters.map((f) => f.text)].join(' AND '),
      params: [...scope.params, ...filters.flatMap((f) => f.params)],
    };
  }

  /** One page of `where` (status applied), walking `index` when given (FORCE INDEX). */
  page(where: Sql, query: TicketListQuery, index?: string): Promise<ListItemRow[]> {
    return this.pageQuery(where, query, index, false);
  }

  /** EXPLAIN of `page` with the same arguments (tests and benchmarks). */
  explainPage(where: Sql, query: TicketListQuery, index?: string): Promise<Array<Record<string, unknown>>> {
    return this.pageQuery(where, query, index, true);
  }

  private pageQuery<T>(
    where: Sql,
    query: TicketListQuery,
    index: string | undefined,
    explain: boolean,
  ): Promise<T[]> {
    const status = statusWhere(query.status);
    const whereText = status ? `${where.text} AND ${status}` : where.text;
    const params = where.params;
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
      const assigned = `SELECT ${LIST_ITEM_COLUMNS}, 0 AS grp FROM ${tickets} WHERE ${whereText} AND owner_name IS NOT NULL
          ORDER BY owner_name ${dir}, id ${dir} LIMIT ?`;
      const unassigned = `SELECT ${LIST_ITEM_COLUMNS}, 1 AS grp FROM ${tickets} WHERE ${whereText} AND owner_name IS NULL
          ORDER BY id ${dir} LIMIT ?`;
      return this.dataSource.query<T[]>(
        `${run}SELECT * FROM ((${assigned}) UNION ALL (${unassigned})) AS page
          ORDER BY grp ${dir}, owner_name ${dir}, id ${dir} LIMIT ? OFFSET ?`,
        [...params, end, ...params, end, query.limit, offset],
      );
    }
    return this.dataSource.query<T[]>(
      `${run}SELECT ${LIST_ITEM_COLUMNS} FROM ${tickets} WHERE ${whereText}
        ORDER BY ${orderBy(query.sort, query.order)} LIMIT ? OFFSET ?`,
      [...params, query.limit, offset],
    );
  }

  /** {open, closed, awaiting} of `where`: one grouped count on (scope, is_closed, status_kind). */
  async counts(where: Sql): Promise<Counts> {
    const rows = await this.dataSource.query<
      Array<{ is_closed: number; status_kind: string | null; n: number | string }>
    >(
      `SELECT is_closed, status_kind, COUNT(*) AS n FROM tickets WHERE ${where.text} GROUP BY is_closed, status_kind`,
      where.params,
    );
    const counts = { open: 0, closed: 0, awaiting: 0 };
    for (const row of rows) {
      const closed = Number(row.is_closed) === 1;
      counts[closed ? 'closed' : 'open'] += Number(row.n);
      if (!closed && row.status_kind === AWAITING_KIND) counts.awaiting += Number(row.n);
    }
    return counts;
  }

  /** EXPLAIN of `counts` (tests and benchmarks). */
  explainCounts(where: Sql): Promise<Array<Record<string, unknown>>> {
    return this.dataSource.query(
      `EXPLAIN SELECT is_closed, status_kind, COUNT(*) AS n FROM tickets WHERE ${where.text} GROUP BY is_closed, status_kind`,
      where.params,
    );
  }

  /** EXPLAIN of the default list's page query (tests and benchmarks). */
  explainDefault(scope: Sql): Promise<Array<Record<string, unknown>>> {
    return this.dataSource.query(
      `EXPLAIN SELECT id FROM tickets WHERE ${scope.text} ORDER BY ${orderBy('lastActivity', 'desc')} LIMIT 25`,
      scope.params,
    );
  }

  /** How many tickets the scope (TicketVisibility.scopeWhere) has. */
  async scopeSize(scope: Sql): Promise<number> {
    const [count] = await this.dataSource.query<Array<{ n: number | string }>>(
      `SELECT COUNT(*) AS n FROM tickets WHERE ${scope.text}`,
      scope.params,
    );
    return Number(count?.n ?? 0);
  }

  /** Every ticket of the scope, description included (the search index's one read). */
  searchSource(scope: Sql): Promise<SearchSourceRow[]> {
    return this.dataSource.query<SearchSourceRow[]>(
      `SELECT id, hubspot_id, subject, content, stage_label, stage_order, is_closed, status_kind, owner_name, requester_name,
         requester_email, priority, category, created_at, last_activity_at, sync_state
       FROM tickets WHERE ${scope.text}`,
      scope.params,
    );
  }
}

function filterWhere(query: TicketListQuery): Sql[] {
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
      // Inside the already-narrow scope: for scopes too large for the in-process search index and
      // for words made only of punctuation (ADR 0007).
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

function statusWhere(status: TicketStatusFilter): string | null {
  if (status === 'open') return 'is_closed = 0';
  if (status === 'closed') return 'is_closed = 1';
  // A closed stage is always of kind closed (ticket-status.ts), so the kind alone is the filter.
  if (status === 'awaiting') return `status_kind = '${AWAITING_KIND}'`;
  return null;
}

function orderBy(sort: TicketSortField, order: SortOrder): string {
  const dir = order === 'asc' ? 'ASC' : 'DESC';
  const keys = SORT_KEYS[sort].flatMap((key) =>
    key.nullsLast ? [`(${key.expr} IS NULL) ${dir}`, `${key.expr} ${dir}`] : [`${key.expr} ${dir}`],
  );
  return [...keys, `id ${dir}`].join(', ');
}
