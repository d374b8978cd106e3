import { Injectable } from '@nestjs/common';
import { type SearchSourceRow, TicketListRepository } from '../repositories/ticket-list.repository';
import { type SourceTicket, TicketSearchIndex } from './ticket-search.index';
import { type ScopeColumn, scopeWhere } from './ticket-visibility.service';

/** Rows kept in all cached indexes together (≈ 150–300 bytes each, plus their words). */
export const SEARCH_CACHE_MAX_ROWS = 200_000;
/** A scope larger than this is searched in SQL rather than indexed in process. */
export const SEARCH_INDEX_MAX_SCOPE_ROWS = 100_000;

interface Entry {
  version: string;
  index: Promise<TicketSearchIndex | null>;
  /** The index once built (undefined while building; null when the scope is too large). */
  built?: TicketSearchIndex | null;
  rows: number;
}

/**
 * Per-scope search indexes in this process (ADR 0007): built from the mirror on a scope's first
 * search, reused while the scope's version (TicketScopeVersionService) stays the same, rebuilt on the
 * first search after it moves. Least recently used scopes leave once the cached rows pass
 * SEARCH_CACHE_MAX_ROWS. Derived state only: a restart or another process just builds its own.
 */
@Injectable()
export class TicketSearchService {
  private readonly entries = new Map<string, Entry>();
  private rows = 0;

  constructor(private readonly tickets: TicketListRepository) {}

  /** The index of `column = value` at `version`; null when the scope is too large to index. */
  index(column: ScopeColumn, value: string, version: string): Promise<TicketSearchIndex | null> {
    const key = `${column}:${value}`;
    const hit = this.entries.get(key);
    if (hit && hit.version === version) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit.index;
    }
    if (hit) this.drop(key, hit);
    const entry: Entry = { version, index: this.build(column, value), rows: 0 };
    this.entries.set(key, entry);
    entry.index.then(
      (index) => {
        entry.built = index;
        if (this.entries.get(key) !== entry) return;
        entry.rows = index?.size ?? 0;
        this.rows += entry.rows;
        this.evict(key);
      },
      () => {
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry.index;
  }

  /**
   * The index of `column = value` at `version` if it is already built; otherwise null, and the build
   * starts in the background (a plain list never waits for one: it has the SQL walk meanwhile).
   */
  ready(column: ScopeColumn, value: string, version: string): TicketSearchIndex | null {
    const hit = this.entries.get(`${column}:${value}`);
    if (hit && hit.version === version && hit.built !== undefined) {
      this.entries.delete(`${column}:${value}`);
      this.entries.set(`${column}:${value}`, hit);
      return hit.built;
    }
    if (!hit || hit.version !== version) this.index(column, value, version).catch(() => undefined);
    return null;
  }

  /** Whether this process holds an index of the scope, at any version. */
  has(column: ScopeColumn, value: string): boolean {
    return this.entries.has(`${column}:${value}`);
  }

  /** Cached scopes and rows (metrics, tests). */
  stats(): { scopes: number; rows: number } {
    return { scopes: this.entries.size, rows: this.rows };
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.rows -= entry.rows;
  }

  private evict(keep: string): void {
    for (const [key, entry] of this.entries) {
      if (this.rows <= SEARCH_CACHE_MAX_ROWS) return;
      if (key !== keep) this.drop(key, entry);
    }
  }

  private async build(column: ScopeColumn, value: string): Promise<TicketSearchIndex | null> {
    const scope = scopeWhere(column, value);
    if ((await this.tickets.scopeSize(scope)) > SEARCH_INDEX_MAX_SCOPE_ROWS) return null;
    const rows = await this.tickets.searchSource(scope);
    return new TicketSearchIndex(rows.map(toSource));
  }
}

function toSource(r: SearchSourceRow): SourceTicket {
  return {
    id: Number(r.id),
    hubspotId: r.hubspot_id,
    subject: r.subject,
    content: r.content,
    stageLabel: r.stage_label,
    stageOrder: r.stage_order === null ? null : Number(r.stage_order),
    isClosed: Number(r.is_closed) === 1,
    statusKind: r.status_kind,
    ownerName: r.owner_name,
    requesterName: r.requester_name,
    requesterEmail: r.requester_email,
    priority: r.priority,
    category: r.category,
    createdAt: new Date(r.created_at).getTime(),
    lastActivityAt: new Date(r.last_activity_at).getTime(),
    syncState: r.sync_state,
  };
}
