import { ApiError, NetworkError, isAbortError } from './api-error.js';
import type { ApiErrorBody, LoginRequest, LoginResponse, Me, PortalInfo } from './api-types.js';
import { messages } from '../internal/messages.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface ApiClientOptions {
  /** Origin (and optional path prefix) of the API, e.g. `https://portal-api.example.com`. */
  baseUrl: string;
  /** Defaults to the page's `fetch`; tests inject a fake server here. */
  fetch?: FetchLike;
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Send the session's bearer token; a 401 then means the session is gone. */
  auth?: boolean;
  /** Use this token instead of the session's (sign out after the session was cleared locally). */
  token?: string;
  /** Extra request headers (e.g. Idempotency-Key). */
  headers?: Record<string, string> | undefined;
}

/** Fired on the client when an authenticated call is refused with 401. */
export const UNAUTHORIZED_EVENT = 'unauthorized';

/**
 * Typed calls to `${baseUrl}/api/v1/…` (the lazily loaded account screens' own calls are in
 * internal/accounts-api.ts). Stateless apart from where it reads the bearer token,
 * so one instance can be shared by every part of the widget through context.
 */
export class ApiClient extends EventTarget {
  readonly baseUrl: string;
  /** Set by <ticket-portal> to read the current session's token. */
  tokenSource: () => string | null = () => null;
  /** @internal The fetch every call goes through (the live stream reads GET tickets/events with it). */
  readonly fetchFn: FetchLike;

  constructor(options: ApiClientOptions) {
    super();
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    // Bind so a window.fetch taken off its object does not throw "Illegal invocation".
    this.fetchFn = options.fetch ?? ((input, init) => fetch(input, init));
  }

  async login(body: LoginRequest, signal?: AbortSignal): Promise<LoginResponse> {
    const result = await this.request<LoginResponse>('POST', 'auth/login', { body, signal });
    if (
      typeof result?.accessToken !== 'string' ||
      Number.isNaN(Date.parse(result.expiresAt)) ||
      typeof result.customer?.email !== 'string'
    ) {
      throw new ApiError(502, 'BAD_RESPONSE', messages.badResponse(502));
    }
    return result;
  }

  /** Revokes `token` on the server. Never signals `unauthorized`: the session is already gone. */
  logout(token: string, signal?: AbortSignal): Promise<void> {
    return this.request('POST', 'auth/logout', { token, signal });
  }

  async me(signal?: AbortSignal): Promise<Me> {
    const customer = await this.request<Me>('GET', 'me', { auth: true, signal });
    if (typeof customer?.email !== 'string') {
      throw new ApiError(502, 'BAD_RESPONSE', messages.badResponse(502));
    }
    return customer;
  }

  /** The public support contact for "Need Help?" (GET /portal). */
  portal(signal?: AbortSignal): Promise<PortalInfo> {
    return this.request('GET', 'portal', { signal });
  }

  /**
   * One call to `/api/v1/{path}`; feature modules (tickets, requests) build their calls on it so the
   * whole widget shares one base URL, bearer token, 401 handling and error mapping.
   */
  async request<T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    options: RequestOptions = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: 'application/json', ...options.headers };
    if (options.body !== undefined) headers['Content-Type'] = 'application/json';
    const token = options.token ?? (options.auth ? this.tokenSource() : null);
    if (token) headers.Authorization = `Bearer ${token}`;

    let response: Response;
    try {
      response = await this.fetchFn(`${this.baseUrl}/api/v1/${path}`, {
        method,
        headers,
        body: options.body === undefined ? null : JSON.stringify(options.body),
        signal: options.signal ?? null,
        // Bearer tokens only: never send the host page's cookies to the API.
        credentials: 'omit',
        mode: 'cors',
      });
    } catch (error) {
      if (isAbortError(error)) throw error;
      throw new NetworkError(messages.unreachable);
    }

    const payload = await readJson(response);
    if (response.ok) return payload as T;

    if (response.status === 401 && options.auth) {
      this.dispatchEvent(new Event(UNAUTHORIZED_EVENT));
    }
    const body = (payload ?? {}) as Partial<ApiErrorBody>;
    const retryAfter = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
    throw new ApiError(
      response.status,
      typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
      typeof body.message === 'string' && body.message.trim() !== ''
        ? body.message
        : messages.badResponse(response.status),
      Number.isFinite(retryAfter) ? retryAfter : null,
      stringEntries(body.fields),
    );
  }
}

function stringEntries(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );
}

async function readJson(response: Response): Promise<unknown> {
  if (response.status === 204) return undefined;
  const text = await response.text().catch(() => '');
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
