export type HubSpotErrorKind = 'rate_limited' | 'unavailable' | 'not_found' | 'conflict' | 'invalid';

export interface HubSpotErrorInit {
  kind: HubSpotErrorKind;
  operation: string;
  message: string;
  status?: number | null;
  retryAfterMs?: number | null;
  policy?: string | null;
  category?: string | null;
  correlationId?: string | null;
  /** Ids HubSpot named in the error context (e.g. the missing ones of a batch read). */
  contextIds?: string[];
  cause?: unknown;
}

/**
 * A failed HubSpot call, classified. `retryable` errors (rate_limited, unavailable) should be
 * retried after `retryAfterMs` when given; the others are permanent for the same input.
 */
export class HubSpotError extends Error {
  readonly kind: HubSpotErrorKind;
  readonly operation: string;
  readonly status: number | null;
  readonly retryAfterMs: number | null;
  readonly policy: string | null;
  readonly category: string | null;
  readonly correlationId: string | null;
  readonly contextIds: string[];
  readonly retryable: boolean;

  constructor(init: HubSpotErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'HubSpotError';
    this.kind = init.kind;
    this.operation = init.operation;
    this.status = init.status ?? null;
    this.retryAfterMs = init.retryAfterMs ?? null;
    this.policy = init.policy ?? null;
    this.category = init.category ?? null;
    this.correlationId = init.correlationId ?? null;
    this.contextIds = init.contextIds ?? [];
    this.retryable = init.kind === 'rate_limited' || init.kind === 'unavailable';
  }
}
