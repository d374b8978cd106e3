import { type HsCreateTaskInput, type HsTicket } from '../hubspot/hubspot.types';
import { type MessageRow } from '../repositories/ticket-messages.repository';
import { type TicketRow } from '../repositories/tickets.repository';
import { escapeHtml } from './message-html';
import { type FollowUp } from './reply-follow-up.service';

/** Lines of the reply quoted in the task, and their length together. */
const QUOTED_LINES = 6;
const QUOTED_CHARS = 600;

/** HUBSPOT_PORTAL_ID and HUBSPOT_APP_URL: where "Open the ticket in HubSpot" points. */
export interface TaskLink {
  portalId: string | null | undefined;
  appUrl: string;
}

/**
 * The owner's task for a reply (issue 13), as ReplyFollowUpService makes it one by one or in a batch:
 * due when the customer wrote (a reply delivered late is overdue at once), HIGH when the ticket was
 * closed, keyed by the reply's key so HubSpot never makes it twice.
 */
export function replyTaskInput(
  ticket: TicketRow,
  message: MessageRow,
  now: HsTicket,
  stage: NonNullable<FollowUp['stage']>,
  link: TaskLink,
): HsCreateTaskInput {
  return {
    ticketId: now.id,
    ownerId: now.ownerId,
    subject: `Customer replied: ${now.subject || ticket.subject}`,
    body: replyBody(message, stage, now.id, link),
    dueAt: new Date(message.created_at),
    eventKey: message.request_key ?? `tpr-local-${message.id}`,
    priority: stage.closed ? 'HIGH' : null,
  };
}

/** The owner's task for a reopen: HIGH (the ticket was closed), keyed by the row's committed key. */
export function reopenTaskInput(
  ticket: TicketRow,
  snapshot: HsTicket,
  targetLabel: string,
  eventKey: string,
  link: TaskLink,
): HsCreateTaskInput {
  return {
    ticketId: snapshot.id,
    ownerId: snapshot.ownerId,
    subject: `Customer reopened: ${snapshot.subject || ticket.subject}`,
    body: [
      `<p>The customer reopened this ticket in the portal; it is now in "${escapeHtml(targetLabel)}".</p>`,
      linkParagraph(snapshot.id, link),
    ].join(''),
    dueAt: new Date(),
    eventKey,
    priority: 'HIGH',
  };
}

/** The task's notes (HTML, escaped): who wrote, the reply's first lines, the stage, a link. */
function replyBody(
  message: MessageRow,
  stage: NonNullable<FollowUp['stage']>,
  hubspotId: string,
  link: TaskLink,
): string {
  const who = message.author_name || message.author_email || 'The customer';
  const parts = [`<p>${escapeHtml(who)} replied in the portal:</p>`];
  const quoted = firstLines(message.text ?? '');
  if (quoted) parts.push(`<blockquote>${quoted.split('\n').map(escapeHtml).join('<br>')}</blockquote>`);
  if (stage.to && !stage.note) {
    parts.push(
      `<p>The ticket was ${stage.closed ? 'closed' : 'waiting on the customer'} ("${escapeHtml(stage.fromLabel ?? stage.from ?? '')}"); it is now in "${escapeHtml(stage.toLabel ?? stage.to)}".</p>`,
    );
  } else if (stage.closed) {
    parts.push(`<p>The ticket is closed ("${escapeHtml(stage.fromLabel ?? stage.from ?? '')}").</p>`);
  }
  parts.push(linkParagraph(hubspotId, link));
  return parts.join('');
}

/** A link to the ticket in HubSpot when the account id is known (HUBSPOT_PORTAL_ID), else nothing. */
function linkParagraph(hubspotId: string, link: TaskLink): string {
  if (!link.portalId) return '';
  const href = `${link.appUrl}/contacts/${link.portalId}/record/0-5/${encodeURIComponent(hubspotId)}`;
  return `<p><a href="${escapeHtml(href)}">Open the ticket in HubSpot</a></p>`;
}

/** The reply's first non-empty lines, cut at QUOTED_LINES lines and QUOTED_CHARS characters. */
export function firstLines(text: string): string {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
  let out = lines.slice(0, QUOTED_LINES).join('\n');
  let cut = lines.length > QUOTED_LINES;
  if (out.length > QUOTED_CHARS) {
    out = out.slice(0, QUOTED_CHARS).trimEnd();
    cut = true;
  }
  return cut ? `${out} …` : out;
}
