// An in-memory stand-in for GET /api/v1/tickets, answering real Response objects through the
// ApiClient's `fetch` option. It searches, filters, sorts (with a stable tie-break), counts and
// pages the way DESIGN.md describes, and answers 400 / 401 with the API's error body, so the
// widget's tests check real list behaviour. The real query is covered by the API's own tests.

import { ApiClient } from '../../src/api/api-client.js';
import type { Ticket } from '../../src/api/api-types.js';

const SORTS = ['id', 'status', 'subject', 'created', 'owner', 'lastActivity', 'requestedBy'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
export const TOKEN = 'test-token';

const fold = (value: string): string =>
  value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();

const sortValue = (t: Ticket, field: string): string | number => {
  switch (field) {
    case 'id':
      return t.id === null ? Number.MAX_SAFE_INTEGER : Number(t.id);
    case 'status':
      return fold(t.status.label);
    case 'subject':
      return fold(t.subject);
    case 'created':
      return Date.parse(t.createdAt);
    case 'owner':
      return fold(t.owner?.name ?? 'unassigned');
    case 'lastActivity':
      return Date.parse(t.lastActivityAt);
    default:
      return fold(t.requestedBy.name ?? t.requestedBy.email);
  }
};

export interface Failure {
  status: number;
  code: string;
  message: string;
}

export class FakeTicketsServer {
  readonly baseUrl = `http://tickets-${Math.random().toString(36).slice(2)}.test`;
  /** Query strings of every GET /tickets, in order. */
  readonly requests: URLSearchParams[] = [];
  /** Full URL and Authorization header of every GET /tickets, in order. */
  readonly calls: { url: string; authorization: string | null }[] = [];
  tickets: Ticket[];
  syncedAt: string | null = new Date(Date.now() - 5 * 60_000).toISOString();
  /** Answer the next calls with these errors (one per call), or drop the connection. */
  readonly failures: (Failure | 'offline')[] = [];
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;

  constructor(tickets: Ticket[] = makeTickets(60)) {
    this.tickets = tickets;
  }

  /** An ApiClient that talks to this server, signed in. */
  client(): ApiClient {
    const client = new ApiClient({ baseUrl: this.baseUrl, fetch: this.fetch });
    client.tokenSource = () => TOKEN;
    return client;
  }

  /** Calls wait until release(), so tests can look at loading states. */
  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
  }

  get last(): URLSearchParams {
    const last = this.requests[this.requests.length - 1];
    if (!last) throw new Error('no request yet');
    return last;
  }

  readonly fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    if (url.origin !== this.baseUrl || url.pathname !== '/api/v1/tickets' || init.method !== 'GET') {
      return this.json(404, {
        statusCode: 404,
        error: 'Not Found',
        message: 'No such route',
        code: 'NOT_FOUND',
      });
    }
    this.requests.push(url.searchParams);
    this.calls.push({ url: input, authorization: new Headers(init.headers).get('Authorization') });
    const signal = init.signal;
    if (this.gate) await this.gate;
    if (signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    const failure = this.failures.shift();
    if (failure === 'offline') throw new TypeError('Failed to fetch');
    if (failure) {
      return this.json(failure.status, { statusCode: failure.status, error: 'Error', ...failure });
    }
    if (new Headers(init.headers).get('Authorization') !== `Bearer ${TOKEN}`) {
      return this.json(401, {
        statusCode: 401,
        error: 'Unauthorized',
        message: 'Sign in again.',
        code: 'UNAUTHORIZED',
      });
    }
    return this.list(url.searchParams);
  };

  private bad(parameter: string, accepted: string): Response {
    return this.json(400, {
      statusCode: 400,
      error: 'Bad Request',
      message: `${parameter} must be ${accepted}.`,
      code: 'VALIDATION_FAILED',
    });
  }

  private list(params: URLSearchParams): Response {
    const status = params.get('status') ?? 'all';
    if (!['all', 'open', 'closed'].includes(status)) return this.bad('status', 'one of all, open, closed');
    const sort = params.get('sort') ?? 'lastActivity';
    if (!SORTS.includes(sort)) return this.bad('sort', `one of ${SORTS.join(', ')}`);
    const order = params.get('order') ?? 'desc';
    if (!['asc', 'desc'].includes(order)) return this.bad('order', 'asc or desc');
    const limit = Number(params.get('limit') ?? 25);
    if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
      return this.bad('limit', 'an integer from 1 to 200');
    }
    const page = Number(params.get('page') ?? 1);
    if (!Number.isInteger(page) || page < 1) return this.bad('page', 'a positive integer');
    const range: Record<string, number | undefined> = {};
    for (const key of ['createdFrom', 'createdTo', 'activityFrom', 'activityTo']) {
      const value = params.get(key);
      if (value === null) continue;
      if (!ISO.test(value)) return this.bad(key, 'an ISO 8601 instant such as 2026-01-31T23:00:00.000Z');
      range[key] = Date.parse(value);
    }
    const within = (iso: string, from?: number, to?: number): boolean => {
      const at = Date.parse(iso);
      return (from === undefined || at >= from) && (to === undefined || at <= to);
    };
    const q = fold((params.get('q') ?? '').trim());
    const words = q.split(/\s+/).filter(Boolean);
    const matches = (t: Ticket): boolean => {
      if (!q) return true;
      const id = q.replace(/^#/, '');
      if (t.id !== null && t.id === id) return true;
      const text = fold(
        [t.subject, t.status.label, t.owner?.name ?? '', t.requestedBy.name ?? '', t.requestedBy.email].join(
          ' ',
        ),
      );
      return words.every((w) => text.includes(w));
    };
    const scoped = this.tickets.filter(
      (t) =>
        matches(t) &&
        within(t.createdAt, range.createdFrom, range.createdTo) &&
        within(t.lastActivityAt, range.activityFrom, range.activityTo),
    );
    const counts = {
      open: scoped.filter((t) => t.status.state === 'open').length,
      closed: scoped.filter((t) => t.status.state === 'closed').length,
    };
    const filtered = status === 'all' ? scoped : scoped.filter((t) => t.status.state === status);
    const dir = order === 'asc' ? 1 : -1;
    const sorted = [...filtered].sort((a, b) => {
      const [x, y] = [sortValue(a, sort), sortValue(b, sort)];
      if (x < y) return -dir;
      if (x > y) return dir;
      return a.localId < b.localId ? -1 : a.localId > b.localId ? 1 : 0;
    });
    const items = sorted.slice((page - 1) * limit, page * limit);
    return this.json(200, { items, total: filtered.length, counts, syncedAt: this.syncedAt });
  }

  private json(status: number, body: unknown): Response {
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }
}

const SUBJECTS = [
  'Invoice shows the wrong total',
  'Cannot upload cue sheet',
  'Report export times out',
  'Access for a new colleague',
  'Royalty statement missing',
  'Metadata sync failed',
  'Password policy question',
  'Track titles in Japanese look garbled',
];
const STAGES: Ticket['status'][] = [
  { label: 'New', state: 'open' },
  { label: 'Waiting on us', state: 'open' },
  { label: 'Waiting on you', state: 'open' },
  { label: 'Closed', state: 'closed' },
];
const OWNERS = [{ name: 'Priya Shah' }, { name: 'Tom Becker' }, null, { name: 'Élodie Martin' }];
const PEOPLE = [
  { name: 'Alex Morgan', email: 'demo@example.com' },
  { name: null, email: 'sam@harbourlights.example' },
  { name: 'Zoë Quinn', email: 'zoe@harbourlights.example' },
];

/** Deterministic tickets: ids 1001…, created a day apart going back from now, varied fields. */
export function makeTickets(count: number, now: number = Date.now()): Ticket[] {
  return Array.from({ length: count }, (_, i) => {
    const created = now - (i + 1) * 86_400_000 - i * 3_600_000;
    return {
      id: String(1001 + i),
      localId: `loc-${String(i).padStart(4, '0')}`,
      status: STAGES[i % STAGES.length]!,
      subject: `${SUBJECTS[i % SUBJECTS.length]} (${i})`,
      createdAt: new Date(created).toISOString(),
      owner: OWNERS[i % OWNERS.length]!,
      lastActivityAt: new Date(now - i * 7 * 3_600_000 - 60_000).toISOString(),
      requestedBy: PEOPLE[i % PEOPLE.length]!,
      syncState: 'synced',
    };
  });
}
