import { UnrecoverableError } from 'bullmq';
import { HubSpotError, type HubSpotErrorKind } from './hubspot-error';

// The SDK's message for the search endpoints' per-second limit (§8.1 of the reference).
const SECONDLY_MESSAGE = 'you have reached your secondly limit';
const TEN_SECONDS_MS = 10_000;
// Node and node-fetch error codes that mean "the request never got a proper answer".
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface HttpErrorLike {
  code: number;
  body?: unknown;
  headers?: Record<string, string | undefined>;
}

interface HubSpotErrorBody {
  message?: unknown;
  category?: unknown;
  correlationId?: unknown;
  policyName?: unknown;
  errorType?: unknown;
  context?: { ids?: unknown };
  errors?: Array<{ message?: unknown }>;
}

/**
 * Turns anything the SDK (or the network under it) throws into a HubSpotError. The SDK throws
 * `ApiException {code, body, headers}` for HTTP errors, one class per generated API, so this
 * checks the shape rather than the class.
 */
export function classifyHubSpotError(
  error: unknown,
  operation: string,
  now: number = Date.now(),
): HubSpotError {
  if (error instanceof HubSpotError) return error;
  if (isHttpError(error)) return classifyHttp(error, operation, now);
  return new HubSpotError({
    kind: 'unavailable',
    operation,
    message: `HubSpot ${operation} failed before an answer arrived (${describeNetworkError(error)}); it will be retried`,
    cause: error,
  });
}

/** Whether retrying the same call later can succeed. Non-HubSpot errors are left to the job's attempts. */
export function isRetryable(error: unknown): boolean {
  return error instanceof HubSpotError ? error.retryable : true;
}

/**
 * The error a BullMQ processor should throw: permanent HubSpot refusals become UnrecoverableError
 * (no further attempts, the job fails visibly with the reason); everything else is thrown as is.
 */
export function toJobError(error: unknown): Error {
  if (error instanceof HubSpotError && !error.retryable) {
    const unrecoverable = new UnrecoverableError(error.message);
    unrecoverable.cause = error;
    return unrecoverable;
  }
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * For a BullMQ worker's `settings.backoffStrategy`: HubSpot's own wait when it named one
 * (rate limits, 423/477), else exponential from 1 s capped at 5 min, with ±20 % jitter.
 */
export function hubSpotBackoffDelay(
  attemptsMade: number,
  error: unknown,
  random: () => number = Math.random,
): number {
  const jitter = 0.8 + random() * 0.4;
  if (error instanceof HubSpotError && error.retryAfterMs !== null) {
    return Math.round(error.retryAfterMs * jitter);
  }
  const base = Math.min(1000 * 2 ** Math.max(0, attemptsMade - 1), 5 * 60_000);
  return Math.round(base * jitter);
}

function isHttpError(error: unknown): error is HttpErrorLike {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'number' &&
    'body' in error
  );
}

function classifyHttp(error: HttpErrorLike, operation: string, now: number): HubSpotError {
  const status = error.code;
  const headers = lowerCaseHeaders(error.headers);
  const body = parseBody(error.body);
  const hsMessage = typeof body.message === 'string' ? body.message : undefined;
  const category = typeof body.category === 'string' ? body.category : null;
  const correlationId = typeof body.correlationId === 'string' ? body.correlationId : null;
  const retryAfterHeader = parseRetryAfter(headers['retry-after'], now);
  const common = { operation, status, category, correlationId, cause: error };
  const detail = describeBody(body, hsMessage);

  if (status === 429) {
    const { policy, waitMs } = rateLimitPolicy(body, hsMessage, headers, now);
    return new HubSpotError({
      ...common,
      kind: 'rate_limited',
      policy,
      retryAfterMs: retryAfterHeader ?? waitMs,
      message: `HubSpot ${operation} was rate limited (${policy})${detail}`,
    });
  }
  if (status >= 500 || status === 408 || status === 423 || status === 477) {
    // 423 Locked: "wait at least 2 s"; 477 Migration in Progress sends Retry-After.
    const fallback = status === 423 ? 2000 : null;
    return new HubSpotError({
      ...common,
      kind: 'unavailable',
      retryAfterMs: retryAfterHeader ?? fallback,
      message: `HubSpot ${operation} answered ${status}${detail}; it will be retried`,
    });
  }
  const kind: HubSpotErrorKind = status === 404 ? 'not_found' : status === 409 ? 'conflict' : 'invalid';
  return new HubSpotError({
    ...common,
    kind,
    contextIds: contextIds(body),
    message: `HubSpot ${operation} refused the request with ${status}${detail}`,
  });
}

function rateLimitPolicy(
  body: HubSpotErrorBody,
  hsMessage: string | undefined,
  headers: Record<string, string>,
  now: number,
): { policy: string; waitMs: number } {
  const policyName = typeof body.policyName === 'string' ? body.policyName.toUpperCase() : '';
  const message = hsMessage?.toLowerCase() ?? '';
  if (policyName === 'DAILY' || message.includes('daily limit')) {
    // The daily quota resets at midnight in the account's time zone, which the API does not tell
    // us; waiting for the next UTC midnight is never early by more than the zone offset.
    return { policy: 'DAILY', waitMs: msUntilNextUtcMidnight(now) };
  }
  if (policyName === 'SECONDLY' || message.includes(SECONDLY_MESSAGE)) {
    return { policy: 'SECONDLY', waitMs: 1000 };
  }
  const interval = Number(headers['x-hubspot-ratelimit-interval-milliseconds']);
  const windowMs = Number.isFinite(interval) && interval > 0 ? interval : TEN_SECONDS_MS;
  return { policy: policyName || 'TEN_SECONDLY_ROLLING', waitMs: windowMs };
}

export function msUntilNextUtcMidnight(now: number): number {
  const date = new Date(now);
  const midnight = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
  return midnight - now + 1000;
}

/** Retry-After is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now: number): number | null {
  if (value === undefined || value.trim() === '') return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

function parseBody(body: unknown): HubSpotErrorBody {
  if (typeof body === 'string') {
    try {
      const parsed: unknown = JSON.parse(body);
      return typeof parsed === 'object' && parsed !== null ? parsed : { message: body };
    } catch {
      return { message: body.slice(0, 200) };
    }
  }
  return typeof body === 'object' && body !== null ? body : {};
}

function describeBody(body: HubSpotErrorBody, hsMessage: string | undefined): string {
  const parts: string[] = [];
  if (hsMessage) parts.push(hsMessage);
  for (const item of body.errors?.slice(0, 3) ?? []) {
    if (typeof item.message === 'string' && item.message !== hsMessage) parts.push(item.message);
  }
  if (typeof body.category === 'string') parts.push(`category ${body.category}`);
  if (typeof body.correlationId === 'string') parts.push(`correlationId ${body.correlationId}`);
  return parts.length > 0 ? `: ${parts.join('; ')}` : '';
}

function contextIds(body: HubSpotErrorBody): string[] {
  const ids = body.context?.ids;
  return Array.isArray(ids) ? ids.map((id) => String(id)) : [];
}

function lowerCaseHeaders(headers: Record<string, string | undefined> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (typeof value === 'string') out[name.toLowerCase()] = value;
  }
  return out;
}

function describeNetworkError(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    const { code, message } = error as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message.slice(0, 200) : '';
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return text ? `${code}: ${text}` : code;
    if (text) return text;
  }
  return String(error).slice(0, 200);
}

/**
 * A batch answer's per-record errors (a 207), keyed by the objectWriteTraceId each names: HubSpot's
 * message for that record, classified like a whole call (a 5xx status is worth retrying, else the
 * record is refused for good).
 */
export function recordErrors(
  errors: ReadonlyArray<{
    status?: string;
    category?: string;
    message?: string;
    context?: Record<string, string[]>;
  }>,
  operation: string,
): Map<string, HubSpotError> {
  const byTrace = new Map<string, HubSpotError>();
  for (const e of errors) {
    const status = Number(e.status);
    const retryable = Number.isFinite(status) && (status >= 500 || status === 429);
    const conflict = e.category === 'CONFLICT' || e.category === 'OBJECT_ALREADY_EXISTS' || status === 409;
    const error = new HubSpotError({
      kind: retryable ? 'unavailable' : conflict ? 'conflict' : 'invalid',
      operation,
      message: e.message ?? 'HubSpot refused this record',
      status: Number.isFinite(status) ? status : 400,
      category: e.category ?? null,
    });
    for (const trace of e.context?.objectWriteTraceId ?? []) byTrace.set(trace, error);
  }
  return byTrace;
}
