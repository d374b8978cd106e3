import { HubSpotError } from '../hubspot/hubspot-error';
import { REPLY_KEY_PROPERTY, REQUEST_KEY_PROPERTY } from '../hubspot/hubspot.constants';
import { type HsCustomerReplyInput } from '../hubspot/hubspot.types';
import { type CustomerLinkRow } from '../repositories/customer-links.repository';
import { type OutboxRow } from '../repositories/request-outbox.repository';
import { type MessageRow } from '../repositories/ticket-messages.repository';
import { type TicketRow } from '../repositories/tickets.repository';
import { textToHtml } from './message-html';
import { WaitingForTicketError } from './requests.queue';

/**
 * What the delivery of outbox rows shares (RequestDeliveryService one by one, RequestBatchDeliveryService
 * and the batch services it dispatches to in batches): outcomes, refusals, and the pure helpers that
 * turn rows and HubSpot errors into them.
 */

export type DeliveryOutcome = 'delivered' | 'already-done' | 'superseded' | 'failed' | 'skipped';

/** Tries of one job attempt before a brief HubSpot 5xx goes back to the queue's backoff. */
export const QUICK_RETRIES = 3;

/**
 * `handoffs` the upgrade gave reply rows pending then (migration OutboxHandoffs): their emails may
 * predate the reply key property, so they are found the per-record way (reading the ticket's emails).
 */
export const PRE_REPLY_KEY_HANDOFFS = 1_000;

/** A refusal that retrying the same input cannot fix: the row is marked failed with this reason. */
export class PermanentRefusal extends Error {}

/** A portal account's HubSpot contact and the company it sees tickets of. */
export type ContactLinkOf = { contactId: string; companyId: string | null };

/** A reply of a batch whose email is to be logged. */
export interface ReplyEmail {
  row: OutboxRow;
  ticket: TicketRow;
  message: MessageRow;
}

/** A close or reopen of a batch. */
export interface StageChange {
  row: OutboxRow;
  ticket: TicketRow;
}

/** Why one row of a batch did not go through: refused for good, or (`later`) worth another try. */
export interface Refusal {
  reason: string;
  later: boolean;
}

/** The per-record steps a batch hands rows to (RequestDeliveryService's, the one-by-one way). */
export interface OneByOneDelivery {
  deliverOne(row: OutboxRow): Promise<DeliveryOutcome>;
}

export function isBriefOutage(error: unknown): boolean {
  return (
    error instanceof HubSpotError &&
    error.kind === 'unavailable' &&
    error.status !== null &&
    (error.retryAfterMs === null || error.retryAfterMs <= 1000)
  );
}

/**
 * The keys of a batch no earlier attempt can have sent (ADR 0015): rows claimed for the first time,
 * on the batch's first try (after a 5xx, HubSpot may have made what it refused to confirm).
 */
export function unsentKeys<T extends { row: OutboxRow }>(
  inputs: readonly T[],
  firstTry: boolean,
  keyOf: (input: T) => string,
): Set<string> {
  return new Set(firstTry ? inputs.filter((i) => Number(i.row.handoffs) === 1).map(keyOf) : []);
}

/** This row is in a batch another delivery is sending: its job looks again shortly. */
export function claimedElsewhere(row: OutboxRow): WaitingForTicketError {
  return new WaitingForTicketError(`outbox ${row.id} is in a batch another delivery is sending`);
}

/** HubSpot lost a key property the portal writes (tp_request_key on tickets, tp_reply_key on emails). */
export function missingRequestKeyProperty(error: unknown): boolean {
  return (
    error instanceof HubSpotError &&
    error.kind === 'invalid' &&
    (error.message.includes(REQUEST_KEY_PROPERTY) || error.message.includes(REPLY_KEY_PROPERTY)) &&
    error.message.includes('PROPERTY_DOESNT_EXIST')
  );
}

/** The email a customer's reply is logged as in HubSpot (`attachmentIds`: its files, uploaded first). */
export function replyInputOf(
  ticket: TicketRow,
  message: MessageRow,
  customer: CustomerLinkRow,
  attachmentIds: readonly string[] = [],
): HsCustomerReplyInput {
  const { firstName, lastName } = splitName(customer.name);
  const text = message.text ?? '';
  return {
    text,
    html: textToHtml(text),
    from: { email: customer.email, firstName, lastName },
    subject: `Re: ${ticket.subject}`,
    sentAt: new Date(message.created_at),
    replyKey: message.request_key ?? `tpr-local-${message.id}`,
    ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
  };
}

export function splitName(name: string | null): { firstName: string | null; lastName: string | null } {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return { firstName: null, lastName: null };
  if (parts.length === 1) return { firstName: parts[0]!, lastName: null };
  return { firstName: parts.slice(0, -1).join(' '), lastName: parts[parts.length - 1]! };
}

export function fit(text: string): string {
  return text.length > 1000 ? `${text.slice(0, 997)}...` : text;
}

/** A sentence for the customer and support: what HubSpot said, without internals. */
export function reasonFor(error: unknown): string {
  if (error instanceof PermanentRefusal) return fit(error.message);
  if (error instanceof HubSpotError) {
    const status = error.status ? ` (HTTP ${error.status})` : '';
    return fit(`HubSpot refused it${status}: ${error.message}`);
  }
  return fit(error instanceof Error ? error.message : String(error));
}
