import { type HsAttachment, type HsMessage, type HsMessageDirection } from './hubspot.types';
import { attachmentIds } from './hubspot-file.mapper';
import { optionalString, parseHsDate } from './hubspot-value.util';
import { type WireObject } from './hubspot-wire.types';

/** Field inside hs_email_headers where the portal records its reply key. */
export const REPLY_KEY_HEADER = 'tpRequestKey';

// Agent mail the customer never received is not part of their conversation.
const UNDELIVERED_STATUSES = new Set(['FAILED', 'BOUNCED', 'SCHEDULED']);

interface EmailHeaders {
  from?: { email?: unknown; firstName?: unknown; lastName?: unknown };
  [REPLY_KEY_HEADER]?: unknown;
}

export function messageDirection(emailDirection: string | null | undefined): HsMessageDirection | null {
  const value = emailDirection?.toUpperCase();
  if (value === 'INCOMING_EMAIL') return 'customer';
  if (value === 'EMAIL' || value === 'FORWARDED_EMAIL') return 'agent';
  return null;
}

/**
 * Maps an email engagement to a conversation message, or null when a customer must not see it
 * (unknown direction, or agent mail that was never delivered). Notes never reach this mapper.
 * `files` holds what the adapter read about the attached files; ids it lacks (deleted files) are
 * left out of `attachments`.
 */
export function toMessage(
  raw: WireObject,
  ticketId: string,
  files: ReadonlyMap<string, HsAttachment> = new Map(),
): HsMessage | null {
  const p = raw.properties ?? {};
  const direction = messageDirection(p.hs_email_direction);
  if (direction === null) return null;
  const status = p.hs_email_status?.toUpperCase();
  if (direction === 'agent' && status !== undefined && UNDELIVERED_STATUSES.has(status)) return null;

  const headers = parseHeaders(p.hs_email_headers);
  const fromEmail = str(headers?.from?.email) ?? optionalString(p.hs_email_from_email);
  const firstName = str(headers?.from?.firstName) ?? optionalString(p.hs_email_from_firstname);
  const lastName = str(headers?.from?.lastName) ?? optionalString(p.hs_email_from_lastname);
  const name = [firstName, lastName].filter((part): part is string => part !== null).join(' ');

  return {
    id: String(raw.id),
    ticketId,
    direction,
    authorName: name === '' ? null : name,
    authorEmail: fromEmail?.toLowerCase() ?? null,
    subject: optionalString(p.hs_email_subject),
    text: optionalString(p.hs_email_text),
    html: optionalString(p.hs_email_html),
    createdAt: parseHsDate(p.hs_timestamp) ?? parseHsDate(raw.createdAt) ?? new Date(0),
    requestKey: str(headers?.[REPLY_KEY_HEADER]),
    attachments: attachmentIds(p.hs_attachment_ids)
      .map((id) => files.get(id))
      .filter((a): a is HsAttachment => a !== undefined),
  };
}

/** The file ids a customer-visible email attaches (what the adapter must look up). */
export function messageAttachmentIds(raw: WireObject): string[] {
  return messageDirection(raw.properties?.hs_email_direction) === null
    ? []
    : attachmentIds(raw.properties?.hs_attachment_ids);
}

/** Oldest first; equal timestamps keep a stable order by id. */
export function sortConversation(messages: HsMessage[]): HsMessage[] {
  return [...messages].sort(
    (a, b) =>
      a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id, 'en', { numeric: true }),
  );
}

/** The hs_email_headers value for a customer reply logged by the portal. */
export function replyHeaders(
  from: { email: string; firstName?: string | null; lastName?: string | null },
  replyKey: string,
): string {
  return JSON.stringify({
    from: { email: from.email, firstName: from.firstName ?? '', lastName: from.lastName ?? '' },
    to: [],
    cc: [],
    bcc: [],
    [REPLY_KEY_HEADER]: replyKey,
  });
}

function parseHeaders(value: string | null | undefined): EmailHeaders | null {
  if (value == null || value.trim() === '') return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return typeof parsed === 'object' && parsed !== null ? parsed : null;
  } catch {
    return null;
  }
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}
