// An in-memory stand-in for the requests contract (issue 6): GET /portal, GET /tickets/fields,
// POST /tickets (with Idempotency-Key), GET /tickets/:id, replies, close / reopen / retry, and a
// plain GET /tickets for the list. Real Response objects through the ApiClient's `fetch` option,
// error bodies with `code` and `fields` as the API sends them. The real API is covered by its own
// integration tests and the e2e suite.
import type { RequestField, TicketDetail, TicketMessage } from '../../src/api/api-types.js';

export interface RecordedCall {
  method: string;
  path: string;
  headers: Headers;
  body: Record<string, unknown> | null;
}

export interface QueuedError {
  status: number;
  code: string;
  message: string;
  fields?: Record<string, string>;
}

export const FIELDS: RequestField[] = [
  {
    name: 'priority',
    label: 'Priority',
    required: false,
    options: [
      { value: 'LOW', label: 'Low' },
      { value: 'MEDIUM', label: 'Medium' },
      { value: 'HIGH', label: 'High' },
    ],
  },
  {
    name: 'category',
    label: 'Category',
    required: false,
    options: [
      { value: 'BILLING', label: 'Billing' },
      { value: 'PRODUCT_ISSUE', label: 'Product issue' },
    ],
  },
];

export const HOSTILE_HTML = [
  '<p>Hello <b>there</b><script>window.__pwned = 1</script></p>',
  '<p onclick="window.__pwned = 2" style="color:red">styled</p>',
  '<a href="javascript:window.__pwned=3">click</a>',
  '<a href=" jav&#x09;ascript:alert(1)">tabbed</a>',
  '<img src="x" onerror="window.__pwned = 4">',
  '<iframe src="https://evil.example"></iframe>',
  '<style>:host { display: none }</style>',
  '<svg><script>window.__pwned = 5</script></svg>',
  '<a href="https://example.com/help" onmouseover="window.__pwned = 6">help</a>',
  '<form action="https://evil.example"><input name="x"></form>',
  '<div><span>kept text</span></div>',
].join('');

let seq = 0;

export function makeDetail(overrides: Partial<TicketDetail> = {}): TicketDetail {
  const n = ++seq;
  const now = Date.now();
  return {
    id: String(5000 + n),
    localId: String(100 + n),
    status: { label: 'Waiting on us', state: 'open' },
    subject: `Royalty statement missing (${n})`,
    createdAt: new Date(now - 3 * 86_400_000).toISOString(),
    owner: { name: 'Priya Shah' },
    lastActivityAt: new Date(now - 3_600_000).toISOString(),
    requestedBy: { name: 'Ada Lovelace', email: 'ada@example.com' },
    syncState: 'synced',
    description: 'The statement for Q3 is not in the portal.\nCan you check?',
    priority: { value: 'HIGH', label: 'High' },
    category: { value: 'BILLING', label: 'Billing' },
    closedAt: null,
    syncError: null,
    messages: [
      message({
        from: 'customer',
        html: '<p>The statement for Q3 is not in the portal.</p>',
        minutesAgo: 3 * 1440,
      }),
      message({
        from: 'support',
        html: '<p>Thanks, we are <strong>looking into it</strong>.</p>',
        minutesAgo: 60,
      }),
    ],
    ...overrides,
  };
}

export function message(options: {
  from: 'customer' | 'support';
  html: string;
  minutesAgo?: number;
  syncState?: TicketMessage['syncState'];
}): TicketMessage {
  const n = ++seq;
  return {
    id: `m${n}`,
    from: options.from,
    author:
      options.from === 'support'
        ? { name: 'Priya Shah', email: 'priya@support.example' }
        : { name: 'Ada Lovelace', email: 'ada@example.com' },
    sentAt: new Date(Date.now() - (options.minutesAgo ?? 1) * 60_000).toISOString(),
    html: options.html,
    text: options.html.replace(/<[^>]+>/g, ''),
    syncState: options.syncState ?? 'synced',
    syncError: null,
  };
}

export class FakeRequestsApi {
  readonly calls: RecordedCall[] = [];
  readonly tickets = new Map<string, TicketDetail>();
  readonly queued: (QueuedError | 'offline')[] = [];
  fields: RequestField[] = FIELDS;
  support = { url: null as string | null, email: 'help@synchtank.example', name: 'Synchtank Support' };
  /** Idempotency-Key → { body, localId } */
  private readonly keys = new Map<string, { body: string; localId: string }>();
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  private nextLocal = 900;

  constructor(readonly baseUrl: string) {}

  add(ticket: TicketDetail): TicketDetail {
    this.tickets.set(ticket.localId, ticket);
    return ticket;
  }

  /** The worker's part: the ticket and its messages reach HubSpot. */
  sync(localId: string): void {
    const t = this.tickets.get(localId);
    if (!t) return;
    t.id ??= String(8000 + Number(localId));
    t.syncState = 'synced';
    t.messages = t.messages.map((m) => ({ ...m, syncState: 'synced' }));
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
  }

  callsTo(method: string, path: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method && c.path === path);
  }

  handles(url: string): boolean {
    const path = new URL(url).pathname.replace(/^\/api\/v1\//, '');
    return (
      path === 'portal' || path === 'tickets' || path.startsWith('tickets/') || path.startsWith('tickets?')
    );
  }

  readonly fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : null;
    const path = url.pathname.replace(/^\/api\/v1\//, '');
    this.calls.push({ method, path, headers, body });
    if (this.gate) await this.gate;
    if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    if (path !== 'portal') {
      const queued = this.queued.shift();
      if (queued === 'offline') throw new TypeError('Failed to fetch');
      if (queued) return this.error(queued.status, queued.code, queued.message, queued.fields);
      if (!/^Bearer .+/.test(headers.get('Authorization') ?? '')) {
        return this.error(401, 'UNAUTHENTICATED', 'Sign in again.');
      }
    }
    return this.route(method, path, headers, body ?? {});
  };

  private route(method: string, path: string, headers: Headers, body: Record<string, unknown>): Response {
    if (method === 'GET' && path === 'portal') return this.json(200, { support: this.support });
    if (method === 'GET' && path === 'tickets/fields') return this.json(200, { fields: this.fields });
    if (method === 'GET' && path === 'tickets') {
      const items = [...this.tickets.values()]
        .sort((a, b) => Date.parse(b.lastActivityAt) - Date.parse(a.lastActivityAt))
        .map(
          ({
            description: _d,
            priority: _p,
            category: _c,
            closedAt: _x,
            syncError: _e,
            messages: _m,
            ...item
          }) => item,
        );
      const open = items.filter((t) => t.status.state === 'open').length;
      return this.json(200, {
        items,
        total: items.length,
        counts: { open, closed: items.length - open },
        syncedAt: new Date().toISOString(),
      });
    }
    if (method === 'POST' && path === 'tickets') return this.create(headers, body);
    const match = /^tickets\/([^/]+)(?:\/(replies|close|reopen|retry))?$/.exec(path);
    const ticket = match ? this.tickets.get(decodeURIComponent(match[1]!)) : undefined;
    if (!match || !ticket) return this.error(404, 'TICKET_NOT_FOUND', 'This ticket does not exist.');
    const action = match[2] as 'replies' | 'close' | 'reopen' | 'retry' | undefined;
    if (method === 'GET' && !action) return this.json(200, ticket);
    if (method !== 'POST') return this.error(404, 'NOT_FOUND', 'No such route');
    const now = new Date().toISOString();
    switch (action) {
      case 'replies': {
        const text = typeof body.body === 'string' ? body.body.trim() : '';
        if (!text) {
          return this.error(400, 'VALIDATION_FAILED', 'body: Write your reply.', {
            body: 'Write your reply.',
          });
        }
        const reply: TicketMessage = {
          id: `r${++seq}`,
          from: 'customer',
          author: { name: 'Ada Lovelace', email: 'ada@example.com' },
          sentAt: now,
          html: `<p>${text.replace(/</g, '&lt;')}</p>`,
          text,
          syncState: 'pending',
          syncError: null,
        };
        ticket.messages = [...ticket.messages, reply];
        ticket.lastActivityAt = now;
        return this.json(201, reply);
      }
      case 'close':
        ticket.status = { label: 'Closed', state: 'closed' };
        ticket.closedAt = now;
        return this.json(200, ticket);
      case 'reopen':
        ticket.status = { label: 'New', state: 'open' };
        ticket.closedAt = null;
        return this.json(200, ticket);
      case 'retry':
        ticket.syncState = ticket.syncState === 'failed' ? 'pending' : ticket.syncState;
        ticket.syncError = null;
        return this.json(200, ticket);
      case undefined:
        return this.error(404, 'NOT_FOUND', 'No such route');
    }
  }

  private create(headers: Headers, body: Record<string, unknown>): Response {
    const subject = typeof body.subject === 'string' ? body.subject.trim() : '';
    const description = typeof body.description === 'string' ? body.description.trim() : '';
    if (!subject || [...subject].length > 200) {
      return this.error(400, 'VALIDATION_FAILED', 'subject: Use 1 to 200 characters.', {
        subject: 'Use 1 to 200 characters.',
      });
    }
    if (!description) {
      return this.error(400, 'VALIDATION_FAILED', 'description: Describe the problem.', {
        description: 'Describe the problem.',
      });
    }
    for (const name of ['priority', 'category'] as const) {
      const value = body[name];
      const field = this.fields.find((f) => f.name === name);
      if (value != null && !field?.options.some((o) => o.value === value)) {
        const accepted = field?.options.map((o) => o.value).join(', ') ?? 'nothing';
        return this.error(400, 'VALIDATION_FAILED', `${name}: Choose one of ${accepted}.`, {
          [name]: `Choose one of ${accepted}.`,
        });
      }
    }
    const key = headers.get('Idempotency-Key');
    const fingerprint = JSON.stringify(body);
    if (key) {
      const seen = this.keys.get(key);
      if (seen && seen.body !== fingerprint) {
        return this.error(
          422,
          'IDEMPOTENCY_KEY_REUSED',
          'This request key was already used for other content.',
        );
      }
      if (seen) return this.json(200, this.tickets.get(seen.localId));
    }
    const now = new Date().toISOString();
    const option = (name: 'priority' | 'category') => {
      const value = body[name];
      return this.fields.find((f) => f.name === name)?.options.find((o) => o.value === value) ?? null;
    };
    const ticket = this.add({
      id: null,
      localId: String(++this.nextLocal),
      status: { label: 'New', state: 'open' },
      subject,
      createdAt: now,
      owner: null,
      lastActivityAt: now,
      requestedBy: { name: 'Ada Lovelace', email: 'ada@example.com' },
      syncState: 'pending',
      description,
      priority: option('priority'),
      category: option('category'),
      closedAt: null,
      syncError: null,
      messages: [],
    });
    if (key) this.keys.set(key, { body: fingerprint, localId: ticket.localId });
    return this.json(201, ticket);
  }

  private json(status: number, body: unknown): Response {
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  }

  private error(status: number, code: string, message: string, fields?: Record<string, string>): Response {
    return this.json(status, {
      statusCode: status,
      error: 'Error',
      message,
      code,
      ...(fields ? { fields } : {}),
    });
  }
}
