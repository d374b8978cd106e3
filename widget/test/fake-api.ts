// The one in-memory stand-in for the portal API (/api/v1) that every widget test talks to, answering
// real Response objects through the ApiClient's `fetch` option: the accounts routes (register,
// confirm, sign in and out, sign-in with a site token, GET me, password reset), GET /portal, the
// ticket list (search, filters, sort with a stable tie-break, counts and paging), the requests routes
// (fields, create with Idempotency-Key, the ticket page, replies, close / reopen / retry), attachments
// (POST attachments through a stand-in for XMLHttpRequest with upload progress, `attachmentIds` on
// requests and replies, downloads), and the live event stream (GET tickets/events, which tests push
// events into: `events`). It follows the contract in
// DESIGN.md (status codes, error bodies with `code` and `fields`, bearer tokens, single-use mail
// tokens) so the widget's tests exercise the same branches the real API will. The real API is
// covered by its own integration tests and the e2e suite.
import { ApiClient } from '../src/api/api-client.js';
import type {
  Attachment,
  AttachmentLimits,
  Involvement,
  RequestField,
  Ticket,
  TicketDetail,
  TicketMessage,
  UploadedAttachment,
} from '../src/api/api-types.js';
import type { UploadRequest } from '../src/requests/attachments-api.js';

export interface FakeAccount {
  id: string;
  email: string;
  password: string;
  name: string | null;
  confirmedAt: string | null;
}

export interface RecordedCall {
  method: string;
  /** Without `/api/v1/` and the query string, e.g. `auth/login`, `tickets/101/replies`. */
  path: string;
  query: URLSearchParams;
  url: string;
  headers: Headers;
  body: Record<string, unknown> | null;
  /** The files of a POST attachments. */
  files?: File[];
}

/** An error answer for the next call, instead of the route's own answer. */
export interface Failure {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
  fields?: Record<string, string>;
}

/** A bearer token the ticket routes always accept (client(): the list and tickets API tests). */
export const TOKEN = 'test-token';

const TOO_COMMON = 'This password is too common. Choose one that is harder to guess.';
const COMMON_PASSWORDS = new Set(['password1234', '1234567890', 'qwertyuiop']);
const SORTS = ['id', 'status', 'subject', 'created', 'owner', 'lastActivity', 'requestedBy'];
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/;
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
};

export class FakeApi {
  readonly baseUrl: string;
  /** Every call, in order. */
  readonly calls: RecordedCall[] = [];

  // --- accounts
  readonly accounts = new Map<string, FakeAccount>();
  /** confirm tokens → email */
  readonly confirmTokens = new Map<string, string>();
  readonly resetTokens = new Map<string, string>();
  readonly expiredTokens = new Set<string>();
  /** access token → { email, expiresAt } */
  readonly sessions = new Map<string, { email: string; expiresAt: number }>();
  /** Emails the fake "sent": kind and address. */
  readonly mails: { kind: 'confirm' | 'reset' | 'resend'; email: string }[] = [];
  /** Lifetime of new sessions. */
  sessionMs = 60 * 60 * 1000;

  // --- tickets
  /** The customer's tickets, list rows or whole tickets (TicketDetail); GET /tickets answers from them. */
  tickets: Ticket[];
  syncedAt: string | null = new Date(Date.now() - 5 * 60_000).toISOString();
  fields: RequestField[] = FIELDS;
  /** GET /portal's support contact ("Need Help?"); none configured beyond the team's name by default. */
  support: { url: string | null; email: string | null; name: string } = {
    url: null,
    email: null,
    name: 'Support',
  };

  // --- sign-in through the host site (issue 15)
  /** PASSWORD_LOGIN on the API; GET /portal reports it. */
  passwordLogin = true;
  /** Site tokens the fake's "site" signed and not used yet → the visitor's email. */
  readonly siteTokens = new Map<string, string>();

  // --- who sees what (issue 15)
  /** GET me `involvements`: the list filters the customer's visibility rule offers. */
  involvements: Involvement[] = ['mine', 'cc'];

  // --- faults
  /** When true every call fails like a dropped connection. */
  offline = false;
  /**
   * When false the page is not in PORTAL_ORIGINS: GET /portal says so, every other call fails as a
   * browser's CORS refusal does (a TypeError, nothing readable).
   */
  originAllowed = true;
  /** Answer the next calls (GET /portal aside) with these errors, one per call, or drop the connection. */
  readonly failures: (Failure | 'offline')[] = [];

  /** GET tickets/events: what it answers, and what tests push into the open streams. */
  readonly events = new FakeEvents(this);

  // --- attachments (issue 13)
  /** GET /portal's attachment limits (the API's defaults). */
  attachmentLimits: AttachmentLimits = { ...ATTACHMENT_LIMITS };
  /** Every file the fake holds (uploads and support's files) by id, with its bytes. */
  readonly files = new Map<string, { meta: UploadedAttachment; blob: Blob; sent: boolean }>();
  /** Answer the next uploads with these errors (or a dropped connection), one per upload. */
  readonly uploadFailures: (Failure | 'offline')[] = [];
  /** Uploads started, in order (their XHR stand-ins). */
  readonly uploads: FakeUpload[] = [];
  private uploadGate: Promise<void> | null = null;
  private openUploadGate: (() => void) | null = null;

  /** Idempotency-Key → { body, localId } */
  private readonly keys = new Map<string, { body: string; localId: string }>();
  /** Held calls wait for release(), to observe pending states. */
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  private seq = 0;
  private nextLocal = 900;

  constructor(options: { baseUrl?: string; tickets?: Ticket[] } = {}) {
    this.baseUrl = options.baseUrl ?? `http://api-${Math.random().toString(36).slice(2)}.test`;
    this.tickets = options.tickets ?? [];
  }

  /** An ApiClient that talks to this fake, signed in with TOKEN. */
  client(): ApiClient {
    const client = new ApiClient({ baseUrl: this.baseUrl, fetch: this.fetch });
    client.tokenSource = () => TOKEN;
    return client;
  }

  addAccount(email: string, password: string, options: { confirmed?: boolean; name?: string | null } = {}) {
    const account: FakeAccount = {
      id: `c_${++this.seq}`,
      email,
      password,
      name: options.name ?? null,
      confirmedAt: options.confirmed === false ? null : '2026-11-01T10:00:00.000Z',
    };
    this.accounts.set(email.toLowerCase(), account);
    return account;
  }

  issueToken(kind: 'confirm' | 'reset', email: string): string {
    const token = `${kind}-${++this.seq}-${Math.random().toString(36).slice(2)}`;
    (kind === 'confirm' ? this.confirmTokens : this.resetTokens).set(token, email.toLowerCase());
    return token;
  }

  /**
   * A site token for this visitor, shaped like a JWT (the widget reads its email to compare with a
   * saved session); POST auth/site-token accepts it once.
   */
  issueSiteToken(email: string, name: string | null = null): string {
    const part = (value: unknown) =>
      btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
    const token = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ email, name, jti: ++this.seq })}.c2ln`;
    this.siteTokens.set(token, email.toLowerCase());
    return token;
  }

  /** Adds a ticket (or replaces the one with its localId). */
  add<T extends Ticket>(ticket: T): T {
    const at = this.tickets.findIndex((t) => t.localId === ticket.localId);
    if (at >= 0) this.tickets[at] = ticket;
    else this.tickets.push(ticket);
    return ticket;
  }

  /** The ticket with this localId, as the ticket page reads it (list rows get empty details). */
  ticket(localId: string): TicketDetail | undefined {
    const found = this.tickets.find((t) => t.localId === localId) as Partial<TicketDetail> | undefined;
    if (!found) return undefined;
    found.description ??= null;
    found.priority ??= null;
    found.category ??= null;
    found.closedAt ??= null;
    found.syncError ??= null;
    found.messages ??= [];
    found.conversationState ??= 'loaded';
    return found as TicketDetail;
  }

  /** The worker's part: the ticket and its messages reach HubSpot. */
  sync(localId: string): void {
    const t = this.ticket(localId);
    if (!t) return;
    t.id ??= String(8000 + Number(localId));
    t.syncState = 'synced';
    t.messages = t.messages.map((m) => ({ ...m, syncState: 'synced' }));
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  /** Uploads stop half-way (their progress at 50 %) until releaseUploads(). */
  holdUploads(): void {
    this.uploadGate = new Promise((resolve) => (this.openUploadGate = resolve));
  }

  releaseUploads(): void {
    this.openUploadGate?.();
    this.uploadGate = this.openUploadGate = null;
  }

  /** @internal FakeUpload waits here while uploads are held. */
  get uploadsHeld(): Promise<void> | null {
    return this.uploadGate;
  }

  /** An XMLHttpRequest stand-in for uploads (put it in `uploadTransport.create`). */
  readonly xhr = (): UploadRequest => {
    const upload = new FakeUpload(this);
    this.uploads.push(upload);
    return upload;
  };

  /**
   * A file on the ticket (support's, or the request's), downloadable at its downloadPath; answers
   * the attachment as GET tickets/:id shows it.
   */
  addFile(localId: string, blob: Blob, name: string, contentType = blob.type): Attachment {
    const id = `att-${++this.seq}`;
    this.files.set(id, { meta: { id, name, size: blob.size, contentType }, blob, sent: true });
    return attachmentOf(localId, this.files.get(id)!.meta);
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
    this.openGate = null;
  }

  /** The calls to `path` (without `/api/v1/`), of one method or of any. */
  callsTo(path: string, method?: string): RecordedCall[] {
    return this.calls.filter((c) => c.path === path && (method === undefined || c.method === method));
  }

  /** The query of every GET /tickets (the list and the export), in order. */
  get listQueries(): URLSearchParams[] {
    return this.callsTo('tickets', 'GET').map((c) => c.query);
  }

  get lastListQuery(): URLSearchParams {
    const last = this.listQueries.at(-1);
    if (!last) throw new Error('no GET /tickets yet');
    return last;
  }

  readonly fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : null;
    const path = url.pathname.replace(/^\/api\/v1\//, '');
    this.calls.push({ method, path, query: url.searchParams, url: input, headers, body });
    // The event stream has its own switches (events.mode): held calls and queued failures are the
    // other routes'.
    if (path === 'tickets/events' && method === 'GET') {
      if (this.offline || this.events.mode === 'offline') throw new TypeError('Failed to fetch');
      if (!this.signedIn(headers)) {
        return this.error(401, 'UNAUTHENTICATED', 'Your session has ended. Sign in again.');
      }
      return this.events.respond(headers, init.signal ?? null);
    }

    if (this.gate) await this.gate;
    if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    if (this.offline) throw new TypeError('Failed to fetch');
    if (!this.originAllowed && path !== 'portal') throw new TypeError('Failed to fetch');
    if (url.origin !== new URL(this.baseUrl).origin || !url.pathname.startsWith('/api/v1/')) {
      return this.error(404, 'NOT_FOUND', `Cannot ${method} ${url.pathname}`);
    }
    // "Need Help?" is read once when the portal starts: a failure queued for a later call stays queued.
    if (path !== 'portal') {
      const failure = this.failures.shift();
      if (failure === 'offline') throw new TypeError('Failed to fetch');
      if (failure) return this.error(failure.status, failure.code, failure.message, failure);
    }
    if (path === 'tickets' || path.startsWith('tickets/')) {
      if (!this.signedIn(headers)) {
        return this.error(401, 'UNAUTHENTICATED', 'Your session has ended. Sign in again.');
      }
      return this.ticketRoute(method, path, url.searchParams, headers, body ?? {});
    }
    return this.accountRoute(method, path, headers, body ?? {});
  };

  // --- accounts and GET /portal

  private accountRoute(
    method: string,
    path: string,
    headers: Headers,
    body: Record<string, unknown>,
  ): Response {
    const text = (key: string): string => (typeof body[key] === 'string' ? body[key] : '');
    switch (`${method} ${path}`) {
      case 'GET portal':
        return this.json(200, {
          support: this.support,
          signIn: { password: this.passwordLogin, siteToken: true },
          originAllowed: this.originAllowed,
          attachments: this.attachmentLimits,
        });
      case 'POST auth/site-token': {
        const token = text('token');
        const email = this.siteTokens.get(token);
        if (!email) {
          return this.error(
            401,
            'SITE_TOKEN_INVALID',
            "Signing in through this website failed: the token's signature does not match the shared secret (SITE_TOKEN_SECRET).",
          );
        }
        this.siteTokens.delete(token);
        const account = this.accounts.get(email) ?? this.addAccount(email, `site-${token}`);
        account.confirmedAt ??= new Date().toISOString();
        return this.session(account);
      }
      case 'POST auth/register': {
        const email = text('email').toLowerCase();
        const password = text('password');
        if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
          return this.error(400, 'VALIDATION_FAILED', 'email: Enter a valid email address.', {
            fields: { email: 'Enter a valid email address.' },
          });
        }
        if ([...password].length < 10 || [...password].length > 128) {
          return this.weakPassword('Use 10 to 128 characters.');
        }
        if (COMMON_PASSWORDS.has(password)) return this.weakPassword(TOO_COMMON);
        if (!this.accounts.has(email)) this.addAccount(email, password, { confirmed: false });
        this.issueToken('confirm', email);
        this.mails.push({ kind: 'confirm', email });
        return this.json(202, { message: `Check your inbox: we've sent a confirmation link to ${email}.` });
      }
      case 'POST auth/confirm': {
        const token = text('token');
        if (/[^\w-]/.test(token)) {
          // As the API refuses a token that is not one it could have sent (a link cut or damaged).
          const sentence = 'The link is incomplete or damaged. Open the link from the email again.';
          return this.error(400, 'VALIDATION_FAILED', `token: ${sentence}`, { fields: { token: sentence } });
        }
        if (this.expiredTokens.has(token)) {
          return this.error(
            400,
            'TOKEN_EXPIRED',
            'This confirmation link has expired. Ask for a new one below.',
          );
        }
        const email = this.confirmTokens.get(token);
        const account = email ? this.accounts.get(email) : undefined;
        if (!account) {
          return this.error(400, 'TOKEN_INVALID', 'This confirmation link is not valid or was already used.');
        }
        this.confirmTokens.delete(token);
        account.confirmedAt = new Date().toISOString();
        return this.json(200, {
          message: 'Your account is confirmed. You can sign in now.',
          email: account.email,
        });
      }
      case 'POST auth/confirm/resend':
        this.mails.push({ kind: 'resend', email: text('email') });
        return this.json(202, {
          message: 'If that account is waiting for confirmation, we have sent the email again.',
        });
      case 'POST auth/login': {
        const account = this.accounts.get(text('email').toLowerCase());
        if (!account || account.password !== text('password')) {
          return this.error(401, 'INVALID_CREDENTIALS', 'The email or password is not correct.');
        }
        if (!account.confirmedAt) {
          return this.error(
            403,
            'ACCOUNT_UNCONFIRMED',
            'Confirm your account first: open the link in the email we sent you.',
          );
        }
        return this.session(account);
      }
      case 'POST auth/logout': {
        this.sessions.delete(this.bearer(headers) ?? '');
        return new Response(null, { status: 204 });
      }
      case 'GET me': {
        const session = this.sessions.get(this.bearer(headers) ?? '');
        const account =
          session && session.expiresAt > Date.now() ? this.accounts.get(session.email) : undefined;
        if (!account) return this.error(401, 'UNAUTHENTICATED', 'Your session has ended. Sign in again.');
        return this.json(200, { ...this.customer(account), involvements: this.involvements });
      }
      case 'POST auth/password/forgot': {
        const email = text('email').toLowerCase();
        if (this.accounts.has(email)) {
          this.issueToken('reset', email);
          this.mails.push({ kind: 'reset', email });
        }
        return this.json(202, {
          message: 'If an account exists for that address, we have sent a reset link to it.',
        });
      }
      case 'POST auth/password/reset': {
        const token = text('token');
        if (this.expiredTokens.has(token)) {
          return this.error(
            400,
            'TOKEN_EXPIRED',
            'This reset link has expired. Use Forgot password to get a new one.',
          );
        }
        const email = this.resetTokens.get(token);
        const account = email ? this.accounts.get(email) : undefined;
        if (!account) {
          return this.error(400, 'TOKEN_INVALID', 'This reset link is not valid or was already used.');
        }
        const password = text('password');
        if (COMMON_PASSWORDS.has(password)) return this.weakPassword(TOO_COMMON);
        this.resetTokens.delete(token);
        account.password = password;
        for (const [key, value] of this.sessions) {
          if (value.email === account.email) this.sessions.delete(key);
        }
        return this.json(200, { message: 'Your password has been changed.', email: account.email });
      }
      default:
        return this.error(404, 'NOT_FOUND', `Cannot ${method} /api/v1/${path}`);
    }
  }

  private customer(account: FakeAccount) {
    return { id: account.id, email: account.email, name: account.name, confirmedAt: account.confirmedAt };
  }

  private bearer(headers: Headers): string | null {
    return /^Bearer (.+)$/.exec(headers.get('Authorization') ?? '')?.[1] ?? null;
  }

  /** A new session for the account, answered like POST auth/login. */
  private session(account: FakeAccount): Response {
    const accessToken = `at-${++this.seq}-${Math.random().toString(36).slice(2)}`;
    const expiresAt = Date.now() + this.sessionMs;
    this.sessions.set(accessToken, { email: account.email, expiresAt });
    return this.json(200, {
      accessToken,
      expiresAt: new Date(expiresAt).toISOString(),
      customer: this.customer(account),
    });
  }

  /** A live session from POST auth/login, or TOKEN (the ticket routes only). */
  private signedIn(headers: Headers): boolean {
    const token = this.bearer(headers);
    const session = this.sessions.get(token ?? '');
    return token === TOKEN || (!!session && session.expiresAt > Date.now());
  }

  // --- tickets: the list, the ticket page and the request form

  private ticketRoute(
    method: string,
    path: string,
    query: URLSearchParams,
    headers: Headers,
    body: Record<string, unknown>,
  ): Response {
    if (method === 'GET' && path === 'tickets') return this.list(query);
    if (method === 'GET' && path === 'tickets/fields') return this.json(200, { fields: this.fields });
    if (method === 'POST' && path === 'tickets') return this.create(headers, body);
    const file = /^tickets\/([^/]+)\/attachments\/([^/]+)$/.exec(path);
    if (file && method === 'GET') {
      return this.download(decodeURIComponent(file[1]!), decodeURIComponent(file[2]!));
    }
    const people = /^tickets\/([^/]+)\/people(?:\/([^/]+))?$/.exec(path);
    if (people) return this.peopleRoute(method, decodeURIComponent(people[1]!), people[2], body);
    const match = /^tickets\/([^/]+)(?:\/(replies|close|reopen|retry))?$/.exec(path);
    const ticket = match ? this.ticket(decodeURIComponent(match[1]!)) : undefined;
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
            fields: { body: 'Write your reply.' },
          });
        }
        const files = this.attach(ticket.localId, body.attachmentIds);
        if (files instanceof Response) return files;
        const reply: TicketMessage = {
          id: `r${++seq}`,
          from: 'customer',
          author: { name: 'Ada Lovelace', email: 'ada@example.com' },
          sentAt: now,
          html: `<p>${text.replace(/</g, '&lt;')}</p>`,
          text,
          syncState: 'pending',
          syncError: null,
          attachments: files,
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

  /** POST tickets/:id/people {email} and DELETE tickets/:id/people/:email, as the API checks them. */
  private peopleRoute(
    method: string,
    localId: string,
    encoded: string | undefined,
    body: Record<string, unknown>,
  ) {
    const ticket = this.ticket(localId);
    if (!ticket) return this.error(404, 'TICKET_NOT_FOUND', 'This ticket does not exist.');
    const people = (ticket.people ??= [
      {
        name: ticket.requestedBy.name,
        email: ticket.requestedBy.email,
        role: 'requester',
        syncState: 'synced',
      },
    ]);
    if (method === 'POST' && encoded === undefined) {
      const email = typeof body.email === 'string' ? body.email.trim().toLowerCase() : '';
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) {
        return this.error(
          400,
          'VALIDATION_FAILED',
          'email: Enter an email address such as sam@example.com.',
          {
            fields: { email: 'Enter an email address such as sam@example.com.' },
          },
        );
      }
      if (people.filter((p) => p.role === 'cc').length >= 5) {
        return this.error(400, 'VALIDATION_FAILED', 'email: This ticket has 5 colleagues in copy already.', {
          fields: {
            email:
              'This ticket has 5 colleagues in copy already, the most the portal adds. Remove one first.',
          },
        });
      }
      if (!people.some((p) => p.email === email)) {
        people.push({ name: null, email, role: 'cc', syncState: 'pending' });
      }
      return this.json(200, ticket);
    }
    if (method === 'DELETE' && encoded !== undefined) {
      const email = decodeURIComponent(encoded).toLowerCase();
      if (people.some((p) => p.email === email && p.role === 'requester')) {
        return this.error(400, 'VALIDATION_FAILED', 'email: The requester stays on their ticket.', {
          fields: { email: 'The requester stays on their ticket. Only colleagues in copy can be removed.' },
        });
      }
      ticket.people = people.filter((p) => p.email !== email);
      return this.json(200, ticket);
    }
    return this.error(404, 'NOT_FOUND', 'No such route');
  }

  private bad(parameter: string, accepted: string): Response {
    return this.error(400, 'VALIDATION_FAILED', `${parameter} must be ${accepted}.`);
  }

  /** GET /tickets: search, date ranges, status, sort (stable tie-break), counts and one page. */
  private list(params: URLSearchParams): Response {
    const status = params.get('status') ?? 'all';
    if (!['all', 'open', 'closed', 'awaiting'].includes(status)) {
      return this.bad('status', 'one of all, open, closed, awaiting');
    }
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
    const involvement = params.get('involvement');
    if (involvement !== null && !['mine', 'cc', 'company'].includes(involvement)) {
      return this.bad('involvement', 'one of mine, cc, company');
    }
    // The fake's customer is ada@example.com: theirs as requester, in copy when `people` says so.
    const involved = (t: Ticket): boolean => {
      if (involvement === null || involvement === 'company') {
        return involvement === null || this.involvements.includes('company');
      }
      const cc = ((t as Partial<TicketDetail>).people ?? []).some(
        (p) => p.role === 'cc' && p.email === 'ada@example.com',
      );
      return involvement === 'cc' ? cc : !cc;
    };
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
        involved(t) &&
        matches(t) &&
        within(t.createdAt, range.createdFrom, range.createdTo) &&
        within(t.lastActivityAt, range.activityFrom, range.activityTo),
    );
    const counts = {
      open: scoped.filter((t) => t.status.state === 'open').length,
      closed: scoped.filter((t) => t.status.state === 'closed').length,
      awaiting: scoped.filter(isAwaiting).length,
    };
    const filtered =
      status === 'all'
        ? scoped
        : scoped.filter((t) => (status === 'awaiting' ? isAwaiting(t) : t.status.state === status));
    const dir = order === 'asc' ? 1 : -1;
    const sorted = [...filtered].sort((a, b) => {
      const [x, y] = [sortValue(a, sort), sortValue(b, sort)];
      if (x < y) return -dir;
      if (x > y) return dir;
      return a.localId < b.localId ? -1 : a.localId > b.localId ? 1 : 0;
    });
    const items = sorted.slice((page - 1) * limit, page * limit).map(listRow);
    return this.json(200, { items, total: filtered.length, counts, syncedAt: this.syncedAt });
  }

  /** POST /tickets: validation, Idempotency-Key (same key and body: the same ticket), a pending ticket. */
  private create(headers: Headers, body: Record<string, unknown>): Response {
    const subject = typeof body.subject === 'string' ? body.subject.trim() : '';
    const description = typeof body.description === 'string' ? body.description.trim() : '';
    if (!subject || [...subject].length > 200) {
      return this.error(400, 'VALIDATION_FAILED', 'subject: Use 1 to 200 characters.', {
        fields: { subject: 'Use 1 to 200 characters.' },
      });
    }
    if (!description) {
      return this.error(400, 'VALIDATION_FAILED', 'description: Describe the problem.', {
        fields: { description: 'Describe the problem.' },
      });
    }
    if (Array.isArray(body.cc) && body.cc.length > 5) {
      return this.error(400, 'VALIDATION_FAILED', 'cc: cc can name at most 5 colleagues.', {
        fields: { cc: 'cc can name at most 5 colleagues.' },
      });
    }
    for (const name of ['priority', 'category'] as const) {
      const value = body[name];
      const field = this.fields.find((f) => f.name === name);
      if (value != null && !field?.options.some((o) => o.value === value)) {
        const accepted = field?.options.map((o) => o.value).join(', ') ?? 'nothing';
        return this.error(400, 'VALIDATION_FAILED', `${name}: Choose one of ${accepted}.`, {
          fields: { [name]: `Choose one of ${accepted}.` },
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
      if (seen) return this.json(200, this.ticket(seen.localId));
    }
    const localId = String(this.nextLocal + 1);
    const files = this.attach(localId, body.attachmentIds);
    if (files instanceof Response) return files;
    this.nextLocal += 1;
    const now = new Date().toISOString();
    const option = (name: 'priority' | 'category') => {
      const value = body[name];
      return this.fields.find((f) => f.name === name)?.options.find((o) => o.value === value) ?? null;
    };
    const ticket = this.add<TicketDetail>({
      id: null,
      localId,
      status: { label: 'New', state: 'open', kind: 'new' },
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
      conversationState: 'loaded',
      attachments: files,
      people: [
        { name: 'Ada Lovelace', email: 'ada@example.com', role: 'requester', syncState: 'synced' },
        ...(Array.isArray(body.cc) ? body.cc : []).map((email) => ({
          name: null,
          email: String(email).toLowerCase(),
          role: 'cc' as const,
          syncState: 'pending' as const,
        })),
      ],
    });
    if (key) this.keys.set(key, { body: fingerprint, localId: ticket.localId });
    return this.json(201, ticket);
  }

  // --- attachments

  /** POST attachments as the API checks it (docs/api.md): the limits, then one stored file per part. */
  uploadRoute(headers: Headers, files: File[]): Response {
    if (!this.signedIn(headers)) {
      return this.error(401, 'UNAUTHENTICATED', 'Your session has ended. Sign in again.');
    }
    const limits = this.attachmentLimits;
    const refuse = (status: number, code: string, message: string) =>
      this.error(status, code, message, { fields: { files: message } });
    if (files.length === 0) return refuse(400, 'VALIDATION_FAILED', 'Attach a file.');
    if (files.length > limits.maxFiles) {
      return refuse(
        400,
        'VALIDATION_FAILED',
        `Attach at most ${limits.maxFiles} files: one message can carry at most ${limits.maxFiles}.`,
      );
    }
    let total = 0;
    for (const file of files) {
      if (file.size === 0) {
        return refuse(400, 'VALIDATION_FAILED', `${file.name} is empty. Attach a file with content.`);
      }
      if (file.size > limits.maxBytes) {
        return refuse(
          413,
          'PAYLOAD_TOO_LARGE',
          `${file.name} is larger than ${mb(limits.maxBytes)}: each file can be at most ${mb(limits.maxBytes)}.`,
        );
      }
      const ext = file.name.includes('.') ? file.name.split('.').pop()!.toLowerCase() : '';
      if (!limits.types.includes(file.type) && !limits.extensions.includes(ext)) {
        return refuse(
          415,
          'UNSUPPORTED_MEDIA_TYPE',
          `${file.name} cannot be attached here. Files you can attach: ${limits.typesText}.`,
        );
      }
      total += file.size;
    }
    if (total > limits.maxTotalBytes) {
      return refuse(
        413,
        'PAYLOAD_TOO_LARGE',
        `These files add up to more than ${mb(limits.maxTotalBytes)}: the files of one message can be at most ${mb(limits.maxTotalBytes)} together.`,
      );
    }
    const stored = files.map((file) => {
      const meta = {
        id: `up-${++this.seq}`,
        name: file.name,
        size: file.size,
        contentType: file.type || 'text/plain',
      };
      this.files.set(meta.id, { meta, blob: file, sent: false });
      return meta;
    });
    return this.json(201, { attachments: stored });
  }

  /** `attachmentIds` of a request or reply: the customer's unsent uploads, now the message's files. */
  private attach(localId: string, ids: unknown): Attachment[] | Response {
    if (ids === undefined) return [];
    const list: unknown[] = Array.isArray(ids) ? ids : [ids];
    const files = list.map((id) => (typeof id === 'string' ? this.files.get(id) : undefined));
    const at = list.findIndex((_id, i) => !files[i] || files[i].sent);
    if (at >= 0) {
      const message = `attachmentIds: ${JSON.stringify(list[at])} is not a file you uploaded, or it was sent already. Attach the file again.`;
      return this.error(400, 'VALIDATION_FAILED', message, { fields: { attachmentIds: message } });
    }
    return files.map((f) => {
      f!.sent = true;
      return attachmentOf(localId, f!.meta);
    });
  }

  /** GET tickets/:id/attachments/:attachmentId: the bytes, for a file on that ticket only. */
  private download(localId: string, id: string): Response {
    const ticket = this.ticket(localId);
    if (!ticket) return this.error(404, 'TICKET_NOT_FOUND', 'This ticket does not exist.');
    const onTicket = [...(ticket.attachments ?? []), ...ticket.messages.flatMap((m) => m.attachments ?? [])];
    const file = this.files.get(id);
    const listed = onTicket.find((a) => a.id === id);
    if (!file || !listed) return this.error(404, 'NOT_FOUND', 'This file is not on this ticket.');
    return new Response(file.blob, {
      status: 200,
      headers: {
        'Content-Type': file.meta.contentType,
        'Content-Disposition': `${listed.inline ? 'inline' : 'attachment'}; filename="${file.meta.name}"`,
        'X-Content-Type-Options': 'nosniff',
      },
    });
  }

  // --- answers

  private json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
    return new Response(JSON.stringify(body), {
      status,
      headers: { 'Content-Type': 'application/json', ...headers },
    });
  }

  // The real API's WEAK_PASSWORD: a 400 whose `fields` name the input at fault.
  private weakPassword(problem: string): Response {
    return this.error(400, 'WEAK_PASSWORD', `password: ${problem}`, { fields: { password: problem } });
  }

  /** The API's error body: `{ statusCode, error, message, code, fields? }`. */
  private error(
    status: number,
    code: string,
    message: string,
    extra: { headers?: Record<string, string>; fields?: Record<string, string> } = {},
  ): Response {
    const body = {
      statusCode: status,
      error: STATUS_TEXT[status] ?? 'Error',
      message,
      code,
      ...(extra.fields ? { fields: extra.fields } : {}),
    };
    return this.json(status, body, extra.headers);
  }
}

const mb = (bytes: number): string => `${Math.round((bytes / 1024 ** 2) * 10) / 10} MB`;

const RASTER = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** A stored file as GET tickets/:id lists it. */
function attachmentOf(localId: string, meta: UploadedAttachment): Attachment {
  return {
    ...meta,
    downloadPath: `/api/v1/tickets/${encodeURIComponent(localId)}/attachments/${meta.id}`,
    inline: RASTER.includes(meta.contentType),
  };
}

/**
 * XMLHttpRequest as an upload uses it, answering from the fake: progress events of the multipart
 * body (half-way, then all of it; held at half-way while `holdUploads()`), then the API's answer.
 */
export class FakeUpload implements UploadRequest {
  status = 0;
  responseText = '';
  readonly upload: UploadRequest['upload'] = { onprogress: null };
  onload: UploadRequest['onload'] = null;
  onerror: UploadRequest['onerror'] = null;
  onabort: UploadRequest['onabort'] = null;
  url = '';
  readonly headers = new Headers();
  private answerHeaders = new Headers();
  private finished = false;

  constructor(private readonly api: FakeApi) {}

  /** Whether it was aborted or answered. */
  get done(): boolean {
    return this.finished;
  }

  open(_method: string, url: string): void {
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers.set(name, value);
  }

  getResponseHeader(name: string): string | null {
    return this.answerHeaders.get(name);
  }

  abort(): void {
    if (this.finished) return;
    this.finished = true;
    this.aborted = true;
    this.onabort?.(new ProgressEvent('abort'));
  }

  /** Whether the widget aborted it (Remove during the upload). */
  aborted = false;

  send(body: FormData): void {
    void this.run([...body.values()].filter((v): v is File => v instanceof File));
  }

  private async run(files: File[]): Promise<void> {
    const url = new URL(this.url);
    this.api.calls.push({
      method: 'POST',
      path: url.pathname.replace(/^\/api\/v1\//, ''),
      query: url.searchParams,
      url: this.url,
      headers: this.headers,
      body: null,
      files,
    });
    // Multipart framing around the bytes, as a browser reports it.
    const total = files.reduce((n, f) => n + f.size, 0) + 180 * files.length;
    const progress = (loaded: number) =>
      this.upload.onprogress?.(new ProgressEvent('progress', { loaded, total, lengthComputable: true }));
    await Promise.resolve();
    if (this.finished) return;
    progress(Math.round(total / 2));
    while (this.api.uploadsHeld) await this.api.uploadsHeld;
    if (this.finished) return;
    const failure = this.api.uploadFailures.shift();
    if (failure === 'offline' || this.api.offline) {
      this.finished = true;
      this.onerror?.(new ProgressEvent('error'));
      return;
    }
    progress(total);
    const response = failure
      ? new Response(
          JSON.stringify({
            statusCode: failure.status,
            error: 'Error',
            message: failure.message,
            code: failure.code,
            ...(failure.fields ? { fields: failure.fields } : {}),
          }),
          { status: failure.status, headers: { 'Content-Type': 'application/json', ...failure.headers } },
        )
      : this.api.uploadRoute(this.headers, files);
    this.responseText = await response.text();
    if (this.finished) return;
    this.finished = true;
    this.status = response.status;
    this.answerHeaders = response.headers;
    this.onload?.(new ProgressEvent('load'));
  }
}

/** GET /portal's attachment limits: the API's defaults, fewer types (docs/api.md). */
export const ATTACHMENT_LIMITS: AttachmentLimits = {
  maxFiles: 10,
  maxBytes: 25 * 1024 * 1024,
  maxTotalBytes: 50 * 1024 * 1024,
  types: ['image/png', 'image/jpeg', 'image/gif', 'image/webp', 'application/pdf', 'text/plain', 'text/csv'],
  extensions: ['png', 'jpg', 'jpeg', 'gif', 'webp', 'pdf', 'txt', 'log', 'csv'],
  typesText: 'PNG image, JPEG image, GIF image, WebP image, PDF document, plain text, CSV file',
};

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

/** A list row: the ticket without the ticket page's details. */
/** "Awaiting your reply" as the API filters it: open, of kind awaiting_customer. */
const isAwaiting = (t: Ticket): boolean => t.status.state === 'open' && t.status.kind === 'awaiting_customer';

export function listRow(ticket: Ticket): Ticket {
  const {
    description: _d,
    priority: _p,
    category: _c,
    closedAt: _x,
    syncError: _e,
    messages: _m,
    conversationState: _s,
    ...row
  } = ticket as Partial<TicketDetail> & Ticket;
  return row;
}

/**
 * GET tickets/events as the API serves it (docs/api.md): `retry:`, then `ready` with an id, then
 * whatever the test pushes. `mode` makes it fail the ways a real deployment can: `json` (a proxy
 * that turns the stream into something else), `unavailable` (503 while Redis is away), `offline`.
 */
export class FakeEvents {
  mode: 'stream' | 'json' | 'unavailable' | 'offline' = 'stream';
  /** The `retry:` hint sent on connect (the API's is 3000 ms). */
  retryMs = 20;
  /** Whether a connection says `ready` at once (false: a proxy that buffers the stream). */
  sayReady = true;
  /** The Last-Event-ID of every connection, in order (null when none was sent). */
  readonly connects: (string | null)[] = [];
  private readonly open = new Set<ReadableStreamDefaultController<Uint8Array>>();
  private readonly encoder = new TextEncoder();
  private seq = 0;

  constructor(private readonly api: FakeApi) {}

  /** Streams open right now. */
  get openCount(): number {
    return this.open.size;
  }

  respond(headers: Headers, signal: AbortSignal | null): Response {
    this.connects.push(headers.get('Last-Event-ID'));
    if (this.mode === 'unavailable') {
      return new Response(
        JSON.stringify({ statusCode: 503, code: 'DEPENDENCY_UNAVAILABLE', message: 'Later.' }),
        {
          status: 503,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '0' },
        },
      );
    }
    if (this.mode === 'json') {
      return new Response('{}', { status: 200, headers: { 'Content-Type': 'application/json' } });
    }
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start: (c) => {
        controller = c;
      },
      cancel: () => {
        this.open.delete(controller);
      },
    });
    this.open.add(controller);
    signal?.addEventListener('abort', () => {
      if (!this.open.delete(controller)) return;
      controller.error(new DOMException('The operation was aborted.', 'AbortError'));
    });
    const counts = {
      open: this.api.tickets.filter((t) => t.status.state === 'open').length,
      closed: this.api.tickets.filter((t) => t.status.state === 'closed').length,
    };
    this.write(controller, `retry: ${this.retryMs}\n\n`);
    if (this.sayReady) {
      this.write(
        controller,
        this.block('ready', { counts, sync: { state: 'current', syncedAt: this.api.syncedAt } }, true),
      );
    }
    return new Response(body, {
      status: 200,
      headers: { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache' },
    });
  }

  /** Sends one event to every open stream; `id` (default true) gives it an id to resume after. */
  send(event: string, data: unknown, id = true): void {
    const text = this.block(event, data, id);
    for (const controller of this.open) this.write(controller, text);
  }

  /** A `ticket` event with the ticket's current list row. */
  ticket(localId: string): void {
    const ticket = this.api.tickets.find((t) => t.localId === localId);
    if (!ticket) throw new Error(`no ticket ${localId}`);
    this.send('ticket', listRow(ticket));
  }

  /** The server ends every open stream (a restart): clients come back after the retry hint. */
  end(): void {
    for (const controller of this.open) controller.close();
    this.open.clear();
  }

  /** The connection breaks (network): every open stream fails. */
  drop(): void {
    for (const controller of this.open) controller.error(new TypeError('network error'));
    this.open.clear();
  }

  private block(event: string, data: unknown, id: boolean): string {
    return `event: ${event}\n${id ? `id: e1:${++this.seq}-0\n` : ''}data: ${JSON.stringify(data)}\n\n`;
  }

  private write(controller: ReadableStreamDefaultController<Uint8Array>, text: string): void {
    try {
      controller.enqueue(this.encoder.encode(text));
    } catch {
      this.open.delete(controller);
    }
  }
}

// --- test data

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

/** A whole ticket as the ticket page reads it: a customer's question and support's answer. */
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
    conversationState: 'loaded',
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
  attachments?: Attachment[];
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
    ...(options.attachments ? { attachments: options.attachments } : {}),
  };
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
  { label: 'New', state: 'open', kind: 'new' },
  { label: 'Waiting on us', state: 'open', kind: 'in_progress' },
  { label: 'Waiting on you', state: 'open', kind: 'awaiting_customer' },
  { label: 'Closed', state: 'closed', kind: 'closed' },
];
const OWNERS = [{ name: 'Priya Shah' }, { name: 'Tom Becker' }, null, { name: 'Élodie Martin' }];
const PEOPLE = [
  { name: 'Alex Morgan', email: 'demo@example.com' },
  { name: null, email: 'sam@harbourlights.example' },
  { name: 'Zoë Quinn', email: 'zoe@harbourlights.example' },
];

/** Deterministic list rows: ids 1001…, created a day apart going back from now, varied fields. */
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
