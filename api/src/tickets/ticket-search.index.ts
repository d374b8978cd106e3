import type { SortOrder, TicketSortField, TicketStatusFilter } from './dto/list-tickets.query.dto';

/** One ticket of a scope as the list shows it (the description is only tokenised, not kept). */
export interface IndexedTicket {
  id: number;
  hubspotId: string | null;
  subject: string;
  stageLabel: string | null;
  stageOrder: number | null;
  isClosed: boolean;
  /** The stored status kind (NULL on rows from before issue 13). */
  statusKind: string | null;
  ownerName: string | null;
  requesterName: string | null;
  requesterEmail: string | null;
  createdAt: number;
  lastActivityAt: number;
  syncState: string;
}

/** {open, closed, awaiting} as GET /tickets counts them (awaiting is a part of open). */
export interface IndexCounts {
  open: number;
  closed: number;
  awaiting: number;
}

const isAwaiting = (t: IndexedTicket): boolean => !t.isClosed && t.statusKind === 'awaiting_customer';

function add(counts: IndexCounts, t: IndexedTicket): void {
  counts[t.isClosed ? 'closed' : 'open']++;
  if (isAwaiting(t)) counts.awaiting++;
}

export interface SourceTicket extends IndexedTicket {
  content: string | null;
  priority: string | null;
  category: string | null;
}

export interface SearchFilters {
  status: TicketStatusFilter;
  createdFrom?: number;
  createdTo?: number;
  activityFrom?: number;
  activityTo?: number;
}

export interface SearchPage {
  rows: IndexedTicket[];
  counts: IndexCounts;
}

/** Case- and accent-folded text, as utf8mb4_unicode_ci compares it (é = e, ß = ss). */
export function fold(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss');
}

/** The words of a text: runs of letters and digits after folding. */
export function tokens(text: string): string[] {
  return fold(text)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((t) => t.length > 0);
}

// Collation of the sortable text columns, close to utf8mb4_unicode_ci (case and accents ignored).
const collator = new Intl.Collator('en', { sensitivity: 'base', ignorePunctuation: false });

function nullsLast<T>(a: T | null, b: T | null, compare: (x: T, y: T) => number): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  return compare(a, b);
}

function nullsFirst<T>(a: T | null, b: T | null, compare: (x: T, y: T) => number): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : -1) : 1;
  return compare(a, b);
}

const numeric = (a: number, b: number): number => a - b;
/** Ticket IDs compared as numbers (CAST(hubspot_id AS UNSIGNED)), portal-only rows last. */
const idNumber = (t: IndexedTicket): number | null => (t.hubspotId === null ? null : Number(t.hubspotId));

/** The ascending order of each sort field before the id tie-break, as the SQL list orders it. */
const ASCENDING: Record<TicketSortField, (a: IndexedTicket, b: IndexedTicket) => number> = {
  id: (a, b) => nullsLast(idNumber(a), idNumber(b), numeric),
  status: (a, b) =>
    nullsLast(a.stageOrder, b.stageOrder, numeric) ||
    // Then the label, NULL first as MySQL orders it.
    nullsFirst(a.stageLabel, b.stageLabel, collator.compare),
  subject: (a, b) => collator.compare(a.subject, b.subject),
  created: (a, b) => a.createdAt - b.createdAt,
  owner: (a, b) => nullsLast(a.ownerName, b.ownerName, collator.compare),
  lastActivity: (a, b) => a.lastActivityAt - b.lastActivityAt,
  requestedBy: (a, b) =>
    nullsLast(a.requesterName ?? a.requesterEmail, b.requesterName ?? b.requesterEmail, collator.compare),
};

/**
 * A scope's tickets with an inverted index of their folded words (subject, description, owner,
 * requester name and email, status label, priority, category), answering a search, its filters, its
 * counts and one sorted page without the database (ADR 0007). Immutable: a changed scope gets a new
 * index, built from the mirror.
 */
export class TicketSearchIndex {
  readonly size: number;
  private readonly rows: IndexedTicket[];
  private readonly terms: string[];
  private readonly postings: Int32Array[];
  private readonly byTicketId = new Map<string, number>();
  // Each sort order (ascending, id tie-break) as row positions, computed on first use.
  private readonly orders = new Map<TicketSortField, Int32Array>();
  private readonly counts = new Map<string, IndexCounts>();

  constructor(source: readonly SourceTicket[]) {
    this.size = source.length;
    const lists = new Map<string, number[]>();
    this.rows = source.map((t, i) => {
      const words = new Set<string>();
      for (const field of [
        t.subject,
        t.content,
        t.ownerName,
        t.requesterName,
        t.requesterEmail,
        t.stageLabel,
        t.priority,
        t.category,
      ]) {
        if (field) for (const w of tokens(field)) words.add(w);
      }
      for (const w of words) {
        const list = lists.get(w);
        if (list) list.push(i);
        else lists.set(w, [i]);
      }
      if (t.hubspotId !== null) this.byTicketId.set(t.hubspotId, i);
      return {
        id: t.id,
        hubspotId: t.hubspotId,
        subject: t.subject,
        stageLabel: t.stageLabel,
        stageOrder: t.stageOrder,
        isClosed: t.isClosed,
        statusKind: t.statusKind,
        ownerName: t.ownerName,
        requesterName: t.requesterName,
        requesterEmail: t.requesterEmail,
        createdAt: t.createdAt,
        lastActivityAt: t.lastActivityAt,
        syncState: t.syncState,
      };
    });
    this.terms = [...lists.keys()].sort();
    this.postings = this.terms.map((term) => Int32Array.from(lists.get(term)!));
  }

  /**
   * Rows whose words contain, for every query word, a word starting with it (so the words match in
   * any order and the last one may be a prefix). A query word with punctuation inside ("zed@a.test")
   * is its folded parts, each matched the same way.
   */
  matchWords(queryWords: readonly string[]): Int32Array {
    const parts = [...new Set(queryWords.flatMap(tokens))].slice(0, 32);
    if (parts.length === 0) return new Int32Array(0);
    // hits[row] = how many of the parts (in order) the row has matched so far.
    const hits = new Uint8Array(this.size);
    for (let p = 0; p < parts.length; p++) {
      const prefix = parts[p]!;
      let lo = 0;
      let hi = this.terms.length;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (this.terms[mid]! < prefix) lo = mid + 1;
        else hi = mid;
      }
      let any = false;
      for (let t = lo; t < this.terms.length && this.terms[t]!.startsWith(prefix); t++) {
        for (const row of this.postings[t]!) {
          if (hits[row] === p) {
            hits[row] = p + 1;
            any = true;
          }
        }
      }
      if (!any) return new Int32Array(0);
    }
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) if (hits[i] === parts.length) out.push(i);
    return Int32Array.from(out);
  }

  /** The row with this Ticket ID, if the scope has it. */
  matchTicketId(ticketId: string): Int32Array {
    const row = this.byTicketId.get(ticketId);
    return row === undefined ? new Int32Array(0) : Int32Array.of(row);
  }

  /** Filters, counts (for the date filters, before the status filter) and one page in sort order. */
  page(
    matches: Int32Array | 'all',
    filters: SearchFilters,
    sort: TicketSortField,
    order: SortOrder,
    offset: number,
    limit: number,
  ): SearchPage & { total: number } {
    const inDates = (t: IndexedTicket): boolean =>
      !(
        (filters.createdFrom !== undefined && t.createdAt < filters.createdFrom) ||
        (filters.createdTo !== undefined && t.createdAt > filters.createdTo) ||
        (filters.activityFrom !== undefined && t.lastActivityAt < filters.activityFrom) ||
        (filters.activityTo !== undefined && t.lastActivityAt > filters.activityTo)
      );
    const inStatus = (t: IndexedTicket): boolean =>
      filters.status === 'all' ||
      (filters.status === 'awaiting' ? isAwaiting(t) : t.isClosed === (filters.status === 'closed'));

    // Membership: every row (a plain list) or the matches of a search.
    let member: Uint8Array | null = null;
    let counts: IndexCounts;
    if (matches === 'all') {
      counts = this.countsFor(filters, inDates);
    } else {
      member = new Uint8Array(this.size);
      counts = { open: 0, closed: 0, awaiting: 0 };
      for (const i of matches) {
        const t = this.rows[i]!;
        if (!inDates(t)) continue;
        add(counts, t);
        member[i] = 1;
      }
    }
    const total = filters.status === 'all' ? counts.open + counts.closed : counts[filters.status];

    // Walk the precomputed order and stop at the page's end: no sort per request.
    const sorted = this.order(sort);
    const rows: IndexedTicket[] = [];
    let skipped = 0;
    const step = order === 'asc' ? 1 : -1;
    for (
      let k = order === 'asc' ? 0 : this.size - 1;
      k >= 0 && k < this.size && rows.length < limit && skipped + rows.length < total;
      k += step
    ) {
      const i = sorted[k]!;
      if (member ? !member[i] : !inDates(this.rows[i]!)) continue;
      const t = this.rows[i]!;
      if (!inStatus(t)) continue;
      if (skipped < offset) skipped++;
      else rows.push(t);
    }
    return { rows, counts, total };
  }

  /** {open, closed, awaiting} of the whole scope within the date filters, kept per set of dates. */
  private countsFor(filters: SearchFilters, inDates: (t: IndexedTicket) => boolean): IndexCounts {
    const key = [filters.createdFrom, filters.createdTo, filters.activityFrom, filters.activityTo].join('|');
    let counts = this.counts.get(key);
    if (!counts) {
      counts = { open: 0, closed: 0, awaiting: 0 };
      for (const t of this.rows) if (inDates(t)) add(counts, t);
      if (this.counts.size >= 100) this.counts.clear();
      this.counts.set(key, counts);
    }
    return { ...counts };
  }

  /** Row positions in ascending order of the sort field (id tie-break), computed on first use. */
  private order(sort: TicketSortField): Int32Array {
    let sorted = this.orders.get(sort);
    if (!sorted) {
      const compare = ASCENDING[sort];
      const positions = this.rows.map((_, i) => i);
      positions.sort((a, b) => compare(this.rows[a]!, this.rows[b]!) || this.rows[a]!.id - this.rows[b]!.id);
      sorted = Int32Array.from(positions);
      this.orders.set(sort, sorted);
    }
    return sorted;
  }
}
