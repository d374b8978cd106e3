import type { ApiClient } from '../api/api-client.js';
import type { NewRequest, RequestField, TicketDetail, TicketMessage } from '../api/api-types.js';

// The ticket page's and the request form's calls (the requests contract, issue 6); their wire types
// are in api/api-types.ts.

export const SUBJECT_MAX = 200;
export const DESCRIPTION_MAX = 10_000;
export const REPLY_MAX = 10_000;

const idemHeaders = (key: string | undefined): Record<string, string> | undefined =>
  key ? { 'Idempotency-Key': key } : undefined;

/**
 * The request form's and the ticket page's calls, over the portal's ApiClient (one base URL,
 * bearer token, 401 handling and error mapping for the whole widget).
 */
export class RequestsApi {
  constructor(private readonly client: ApiClient) {}

  async fields(signal?: AbortSignal): Promise<RequestField[]> {
    const body = await this.client.request<{ fields?: unknown }>('GET', 'tickets/fields', {
      auth: true,
      signal,
    });
    return Array.isArray(body?.fields) ? (body.fields as RequestField[]).filter(isField) : [];
  }

  create(request: NewRequest, idempotencyKey?: string, signal?: AbortSignal): Promise<TicketDetail> {
    return this.detailCall('POST', 'tickets', {
      body: request,
      headers: idemHeaders(idempotencyKey),
      signal,
    });
  }

  get(localId: string, signal?: AbortSignal): Promise<TicketDetail> {
    return this.detailCall('GET', `tickets/${encodeURIComponent(localId)}`, { signal });
  }

  /** A reply with the ids of files uploaded for it (POST attachments), if any. */
  reply(
    localId: string,
    body: string,
    idempotencyKey?: string,
    signal?: AbortSignal,
    attachmentIds: readonly string[] = [],
  ): Promise<TicketMessage> {
    return this.client.request<TicketMessage>('POST', `tickets/${encodeURIComponent(localId)}/replies`, {
      auth: true,
      body: attachmentIds.length > 0 ? { body, attachmentIds } : { body },
      headers: idemHeaders(idempotencyKey),
      signal,
    });
  }

  /** close, reopen or retry: each answers the whole ticket. */
  act(localId: string, action: 'close' | 'reopen' | 'retry', signal?: AbortSignal): Promise<TicketDetail> {
    return this.detailCall('POST', `tickets/${encodeURIComponent(localId)}/${action}`, { signal });
  }

  private async detailCall(
    method: 'GET' | 'POST',
    path: string,
    options: {
      body?: unknown;
      headers?: Record<string, string> | undefined;
      signal?: AbortSignal | undefined;
    },
  ): Promise<TicketDetail> {
    const raw = await this.client.request<Partial<TicketDetail>>(method, path, { ...options, auth: true });
    return normaliseDetail(raw);
  }
}

function isField(value: unknown): value is RequestField {
  const f = value as Partial<RequestField> | null;
  return (
    typeof f?.name === 'string' &&
    typeof f.label === 'string' &&
    Array.isArray(f.options) &&
    f.options.every((o) => typeof o?.value === 'string' && typeof o.label === 'string')
  );
}

/** Fills what a malformed or older answer leaves out, so the page never breaks on a missing list. */
export function normaliseDetail(raw: Partial<TicketDetail> | null | undefined): TicketDetail {
  const t = (raw ?? {}) as TicketDetail;
  return {
    ...t,
    description: typeof t.description === 'string' ? t.description : null,
    priority: t.priority ?? null,
    category: t.category ?? null,
    closedAt: t.closedAt ?? null,
    syncError: t.syncError ?? null,
    messages: Array.isArray(t.messages) ? t.messages.filter((m) => typeof m?.id === 'string') : [],
  };
}

/** A random key for the Idempotency-Key header; randomUUID needs a secure page, so fall back. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
