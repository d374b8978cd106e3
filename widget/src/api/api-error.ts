import type { ErrorCode } from './api-types.js';
import { messages } from '../internal/messages.js';

/** The API answered with an error status; `message` is written for people and is shown as is. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    /** Seconds from a Retry-After header (429), when the API sent one. */
    readonly retryAfter: number | null = null,
    /** Per-field reasons from the API (request field name → sentence). */
    readonly fields: Readonly<Record<string, string>> = {},
  ) {
    super(message);
  }
}

/** The request never got an answer: offline, DNS, CORS refusal or the API is down. */
export class NetworkError extends Error {
  override readonly name = 'NetworkError';
  readonly code = 'NETWORK_ERROR';
}

export const isAbortError = (error: unknown): boolean =>
  error instanceof DOMException && error.name === 'AbortError';

/** What to tell the customer about a failed call: the API's own message, else a fixed sentence. */
export function errorText(error: unknown): string {
  if (error instanceof NetworkError) return messages.unreachable;
  if (error instanceof Error && error.message) return error.message;
  return messages.badResponse(0);
}
