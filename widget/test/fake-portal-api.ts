// A small in-memory stand-in for the portal API's accounts routes, answering with real Response
// objects through the ApiClient's `fetch` option. It follows the contract in DESIGN.md (status
// codes, error bodies with `code`, bearer tokens, single-use mail tokens) so the widget's tests
// exercise the same branches the real API will. The real API is covered by the e2e suite.

export interface FakeAccount {
  id: string;
  email: string;
  password: string;
  name: string | null;
  confirmedAt: string | null;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  body: Record<string, unknown> | null;
}

interface ErrorSpec {
  status: number;
  code: string;
  message: string;
  headers?: Record<string, string>;
  fields?: Record<string, string>;
}

const TOO_COMMON = 'This password is too common. Choose one that is harder to guess.';
const COMMON_PASSWORDS = new Set(['password1234', '1234567890', 'qwertyuiop']);

export class FakePortalApi {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[] = [];
  readonly accounts = new Map<string, FakeAccount>();
  /** confirm tokens → email */
  readonly confirmTokens = new Map<string, string>();
  readonly resetTokens = new Map<string, string>();
  readonly expiredTokens = new Set<string>();
  /** access token → { email, expiresAt } */
  readonly sessions = new Map<string, { email: string; expiresAt: number }>();
  /** Emails the fake "sent": kind and address. */
  readonly mails: { kind: 'confirm' | 'reset' | 'resend'; email: string }[] = [];

  /** When true every call fails like a dropped connection. */
  offline = false;
  /** Answer this instead of the route's own answer (once per entry). */
  readonly queuedErrors: ErrorSpec[] = [];
  /** Lifetime of new sessions. */
  sessionMs = 60 * 60 * 1000;
  /** Held calls wait for release(), to observe pending states. */
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  private seq = 0;

  constructor(baseUrl = `http://api-${Math.random().toString(36).slice(2)}.test`) {
    this.baseUrl = baseUrl;
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

  hold(): void {
    this.gate = new Promise((resolve) => (this.openGate = resolve));
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
    this.openGate = null;
  }

  callsTo(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  readonly fetch = async (input: string, init: RequestInit): Promise<Response> => {
    const url = new URL(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : null;
    const path = url.pathname.replace(/^\/api\/v1\//, '');
    this.requests.push({ method, path, headers, body });

    if (this.gate) await this.gate;
    if (init.signal?.aborted) throw new DOMException('The operation was aborted.', 'AbortError');
    if (this.offline) throw new TypeError('Failed to fetch');
    if (url.origin !== new URL(this.baseUrl).origin || !url.pathname.startsWith('/api/v1/')) {
      return this.error(404, 'NOT_FOUND', `Cannot ${method} ${url.pathname}`);
    }
    const queued = this.queuedErrors.shift();
    if (queued) return this.error(queued.status, queued.code, queued.message, queued);
    return this.route(method, path, headers, body ?? {});
  };

  private route(method: string, path: string, headers: Headers, body: Record<string, unknown>): Response {
    const text = (key: string): string => (typeof body[key] === 'string' ? body[key] : '');
    switch (`${method} ${path}`) {
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
        const accessToken = `at-${++this.seq}-${Math.random().toString(36).slice(2)}`;
        const expiresAt = Date.now() + this.sessionMs;
        this.sessions.set(accessToken, { email: account.email, expiresAt });
        return this.json(200, {
          accessToken,
          expiresAt: new Date(expiresAt).toISOString(),
          customer: this.customer(account),
        });
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
        return this.json(200, this.customer(account));
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

  private error(
    status: number,
    code: string,
    message: string,
    extra: { headers?: Record<string, string>; fields?: Record<string, string> } = {},
  ): Response {
    const error = {
      400: 'Bad Request',
      401: 'Unauthorized',
      403: 'Forbidden',
      404: 'Not Found',
      429: 'Too Many Requests',
    }[status];
    const body = {
      statusCode: status,
      error: error ?? 'Error',
      message,
      code,
      ...(extra.fields ? { fields: extra.fields } : {}),
    };
    return this.json(status, body, extra.headers);
  }
}
