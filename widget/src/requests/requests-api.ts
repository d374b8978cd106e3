import type { ApiClient } from '../api/api-client.js';
import type { NewRequest, RequestField, TicketDetail, TicketMessage } from '../api/api-types.js';
import { msg, str } from '../internal/msg.js';

// The ticket page's and the request form's calls (the requests contract, issue 6); their wire types
// are in api/api-types.ts.

export const SUBJECT_MAX = 200;
export const DESCRIPTION_MAX = 10_000;
export const REPLY_MAX = 10_000;
/** Colleagues in copy on a request at most, as the API limits them (CC_MAX). */
export const CC_MAX = 5;
const EMAIL = /^[^\s@,;<>]+@[^\s@,;<>]+\.[^\s@,;<>]+$/;

/** The emails typed into a "colleagues in copy" field: split on commas, semicolons and spaces. */
export function parseEmails(text: string): string[] {
  return text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter((e) => e !== '');
}

/** What is wrong with the colleagues typed for copy, as a person can fix it; undefined when fine. */
export function checkCc(text: string, ownEmail: string | undefined): string | undefined {
  const emails = parseEmails(text);
  const bad = emails.find((e) => !EMAIL.test(e) || e.length > 254);
  if (bad) {
    return msg(
      str`"${bad}" is not an email address. Enter addresses such as sam@example.com, separated by commas.`,
    );
  }
  const unique = new Set(emails.map((e) => e.toLowerCase()));
  if (unique.size > CC_MAX) {
    return msg(str`You can put at most ${CC_MAX} colleagues in copy (you have ${unique.size}).`);
  }
  if (ownEmail && unique.has(ownEmail.toLowerCase())) {
    return msg(
      'That includes your own email — you see your requests already. Enter only colleagues’ emails.',
    );
  }
  return undefined;
}

/** One email to add to a ticket's people: what is wrong with it, or undefined. */
export function checkEmail(email: string, ownEmail: string | undefined): string | undefined {
  const value = email.trim();
  if (value === '') return msg('Enter your colleague’s email address.');
  if (!EMAIL.test(value) || value.length > 254) return msg('Enter an email address such as sam@example.com.');
  if (ownEmail && value.toLowerCase() === ownEmail.toLowerCase()) {
    return msg('That is your own email — you are on this ticket already. Enter a colleague’s email.');
  }
  return undefined;
}

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

  /** Puts a colleague in copy (through HubSpot): answers the whole ticket with them pending. */
  addPerson(localId: string, email: string, signal?: AbortSignal): Promise<TicketDetail> {
    return this.detailCall('POST', `tickets/${encodeURIComponent(localId)}/people`, {
      body: { email },
      signal,
    });
  }

  /** Takes a colleague off the ticket: answers the whole ticket without them. */
  removePerson(localId: string, email: string, signal?: AbortSignal): Promise<TicketDetail> {
    return this.detailCall(
      'DELETE',
      `tickets/${encodeURIComponent(localId)}/people/${encodeURIComponent(email)}`,
      { signal },
    );
  }

  /** close, reopen or retry: each answers the whole ticket. */
  act(localId: string, action: 'close' | 'reopen' | 'retry', signal?: AbortSignal): Promise<TicketDetail> {
    return this.detailCall('POST', `tickets/${encodeURIComponent(localId)}/${action}`, { signal });
  }

  private async detailCall(
    method: 'GET' | 'POST' | 'DELETE',
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
    ...(Array.isArray(t.people)
      ? { people: t.people.filter((p) => p?.role === 'requester' || p?.role === 'cc') }
      : {}),
  };
}

/** A random key for the Idempotency-Key header; randomUUID needs a secure page, so fall back. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
