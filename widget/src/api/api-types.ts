// Wire types of the portal API (/api/v1), written from DESIGN.md's HTTP surface.
// Once the API publishes its OpenAPI document these are to be generated from it (see ADR 0003).

export interface Customer {
  id: string;
  email: string;
  name: string | null;
  confirmedAt: string | null;
}

export interface MessageResponse {
  message: string;
}

export interface LoginRequest {
  email: string;
  password: string;
  remember: boolean;
}

export interface LoginResponse {
  accessToken: string;
  /** ISO 8601 instant after which the token is refused. */
  expiresAt: string;
  customer: Customer;
}

/** Codes the widget reacts to; the API may send others, which are shown by their message. */
export type KnownErrorCode =
  | 'TOKEN_INVALID'
  | 'TOKEN_EXPIRED'
  | 'INVALID_CREDENTIALS'
  | 'ACCOUNT_UNCONFIRMED'
  | 'ACCOUNT_LOCKED'
  | 'RATE_LIMITED'
  | 'TOO_MANY_ATTEMPTS'
  | 'VALIDATION_FAILED'
  | 'WEAK_PASSWORD'
  | 'UNAUTHENTICATED'
  | 'LOGIN_METHOD_RETIRED';

// `string & {}` keeps autocompletion for the known codes while accepting any string.

export type ErrorCode = KnownErrorCode | (string & {});

export interface ApiErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: ErrorCode;
  /** Per-field reasons (request field name → sentence), when the API can tell which input is wrong. */
  fields?: Record<string, string>;
}

export interface AccountActionResponse {
  message: string;
  /** The account's email address, so Sign in can be pre-filled. */
  email?: string;
}
