import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
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

export const DEFAULT_PAGE_SIZE = 25;
const PAGE_COLUMNS = `id, hubspot_id, subject, stage_label, is_closed, owner_name, requester_name, requester_email,
  created_at, last_activity_at, sync_state`;
const MAX_SEARCH_WORDS = 8;

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

interface TicketRow {
  id: number;
  hubspot_id: string | null;
  subject: string;
  stage_label: string | null;
  is_closed: number;
  owner_name: string | null;
  requester_name: string | null;
  requester_email: string | null;
  created_at: Date;
  last_activity_at: Date;
  sync_state: string;
}

interface Sql {
  text: string;
  params: unknown[];
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
  constructor(
    private readonly dataSource: DataSource,
    private readonly scopes: CustomerScopeService,
    private readonly syncStatus: SyncStatusService,
    private readonly config: AppConfig,
  ) {}

  async list(customerId: string, query: TicketListQuery): Promise<TicketListDto> {
    const [scope, syncedAt] = await Promise.all([this.scopeWhere(customerId), this.syncStatus.syncedAt()]);
    const filters = this.filterWhere(query);
    const where: Sql = {
      text: [scope.text, ...filters.map((f) => f.text)].join(' AND '),
      params: [...scope.params, ...filters.flatMap((f) => f.params)],
    };
    const statusWhere = this.statusWhere(query.status);
    const pageWhere = statusWhere ? `${where.text} AND ${statusWhere}` : where.text;

    // TODO(ADR 0007): cache {open, closed} per (scope, filters) in Redis under a per-scope version
    // bumped by the mirror writer, so unchanged scopes are not recounted on every request.
    const [rows, countRows] = await Promise.all([
      this.page(pageWhere, where.params, query),
      this.dataSource.query<Array<{ is_closed: number; n: number | string }>>(
        `SELECT is_closed, COUNT(*) AS n FROM tickets WHERE ${where.text} GROUP BY is_closed`,
        where.params,
      ),
    ]);

    const counts = { open: 0, closed: 0 };
    for (const row of countRows) counts[Number(row.is_closed) ? 'closed' : 'open'] += Number(row.n);
    const total = query.status === 'all' ? counts.open + counts.closed : counts[query.status];
    return {
      items: rows.map(toItem),
      total,
      counts,
      syncedAt: syncedAt ? new Date(syncedAt).toISOString() : null,
    };
  }

  private page(whereText: string, params: unknown[], query: TicketListQuery): Promise<TicketRow[]> {
    const offset = (query.page - 1) * query.limit;
    if (query.sort === 'owner') {
      // "Unassigned" last in ascending order (first in descending) without giving up the
      // (company_id, owner_name, id) index walk: assigned and unassigned rows are read as two index
      // ranges, each cut at the page's end, and only those few rows are merged.
      const dir = query.order === 'asc' ? 'ASC' : 'DESC';
      const end = offset + query.limit;
      const assigned = `SELECT ${PAGE_COLUMNS}, 0 AS grp FROM tickets WHERE ${whereText} AND owner_name IS NOT NULL
          ORDER BY owner_name ${dir}, id ${dir} LIMIT ?`;
      const unassigned = `SELECT ${PAGE_COLUMNS}, 1 AS grp FROM tickets WHERE ${whereText} AND owner_name IS NULL
          ORDER BY id ${dir} LIMIT ?`;
      return this.dataSource.query<TicketRow[]>(
        `SELECT * FROM ((${assigned}) UNION ALL (${unassigned})) AS page
          ORDER BY grp ${dir}, owner_name ${dir}, id ${dir} LIMIT ? OFFSET ?`,
        [...params, end, ...params, end, query.limit, offset],
      );
    }
    return this.dataSource.query<TicketRow[]>(
      `SELECT ${PAGE_COLUMNS} FROM tickets WHERE ${whereText}
        ORDER BY ${this.orderBy(query.sort, query.order)} LIMIT ? OFFSET ?`,
      [...params, query.limit, offset],
    );
  }

  /** The page query's SQL for the default list (EXPLAIN checks in tests and benchmarks). */
  async explainDefault(customerId: string): Promise<Array<Record<string, unknown>>> {
    const scope = await this.scopeWhere(customerId);
    return this.dataSource.query(
      `EXPLAIN SELECT id FROM tickets WHERE ${scope.text} ORDER BY ${this.orderBy('lastActivity', 'desc')} LIMIT 25`,
      scope.params,
    );
  }

  /**
   * What the customer may see. Tickets they submitted themselves are theirs in every scope; they are
   * OR-ed in only when some lie outside the contact/company scope, so the usual query stays a single
   * equality on the composite index.
   */
  private async scopeWhere(customerId: string): Promise<Sql> {
    const scope = await this.scopes.scopeFor(customerId);
    if (!scope) return { text: 'created_by_customer_id = ?', params: [customerId] };
    const byCompany = this.config.portalTicketScope === 'company' && scope.companyId !== null;
    const column = byCompany ? 'company_id' : 'contact_id';
    const value = byCompany ? scope.companyId! : scope.contactId;
    const strays = await this.dataSource.query<unknown[]>(
      `SELECT 1 FROM tickets WHERE created_by_customer_id = ? AND (${column} IS NULL OR ${column} <> ?) LIMIT 1`,
      [customerId, value],
    );
    if (strays.length === 0) return { text: `${column} = ?`, params: [value] };
    return { text: `(${column} = ? OR created_by_customer_id = ?)`, params: [value, customerId] };
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

function toItem(row: TicketRow): TicketListItemDto {
  const closed = Number(row.is_closed) === 1;
  const syncState = row.sync_state === 'pending' || row.sync_state === 'failed' ? row.sync_state : 'synced';
  return {
    id: row.hubspot_id,
    localId: String(row.id),
    status: { label: row.stage_label ?? (closed ? 'Closed' : 'Open'), state: closed ? 'closed' : 'open' },
    subject: row.subject,
    createdAt: new Date(row.created_at).toISOString(),
    owner: row.owner_name ? { name: row.owner_name } : null,
    lastActivityAt: new Date(row.last_activity_at).toISOString(),
    requestedBy: { name: row.requester_name, email: row.requester_email ?? '' },
    syncState,
  };
}
