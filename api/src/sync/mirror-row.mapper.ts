import {
  type HsCompany,
  type HsContact,
  type HsMessage,
  type HsOwner,
  type HsTicket,
} from '../hubspot/hubspot.types';
import { renderMessage } from '../requests/message-html';
import { type CompanyRow } from '../repositories/companies.repository';
import { type ContactRow } from '../repositories/contacts.repository';
import { type OwnerRow } from '../repositories/owners.repository';
import { type StageInfo } from '../repositories/pipelines.repository';
import { type StatusKind } from '../tickets/ticket-status';
import { type MirroredMessage } from '../repositories/ticket-messages.repository';
import { type MirroredTicket } from '../repositories/tickets.repository';

// HubSpot records as mirror rows (the repositories write them): each value cut to what its column holds.

/** A stage as tickets copy it: `label` is what customers read (statusOf), with its kind. */
export interface ShownStageInfo extends StageInfo {
  kind: StatusKind;
}

/** What the ticket row copies from the stage, the owner and the requester. */
export interface TicketLookups {
  stage(pipelineId: string | null, stageId: string | null): ShownStageInfo | undefined;
  ownerName(ownerId: string): string | null | undefined;
  contact(contactId: string): { name: string | null; email: string | null } | undefined;
}

/** Trims to what the column holds, counting characters (not UTF-16 units) as MySQL does. */
export function fit(value: string, max: number): string {
  if (value.length <= max) return value;
  return Array.from(value).slice(0, max).join('');
}

export function fitOrNull(value: string | null | undefined, max: number): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : fit(trimmed, max);
}

export function personName(first: string | null | undefined, last: string | null | undefined): string | null {
  const name = [first, last]
    .map((part) => (part ?? '').trim())
    .filter((part) => part !== '')
    .join(' ');
  return name === '' ? null : fit(name, 300);
}

export function ownerDisplayName(owner: Pick<HsOwner, 'firstName' | 'lastName' | 'email'>): string | null {
  return personName(owner.firstName, owner.lastName) ?? fitOrNull(owner.email, 300);
}

export function contactEmail(contact: Pick<HsContact, 'email'>): string | null {
  return fitOrNull(contact.email?.toLowerCase(), 254);
}

export function toTicketRow(ticket: HsTicket, lookups: TicketLookups): MirroredTicket {
  const stage = lookups.stage(ticket.pipelineId, ticket.stageId);
  const contactId = ticket.contactIds[0] ?? null;
  const requester = contactId === null ? undefined : lookups.contact(contactId);
  // Without a known stage, HubSpot's close date is the best evidence of a closed ticket.
  const closed = stage ? stage.closed : ticket.closedAt !== null;
  return {
    hubspot_id: ticket.id,
    subject: fit(ticket.subject, 500),
    content: ticket.content,
    pipeline_id: ticket.pipelineId,
    stage_id: ticket.stageId,
    stage_label: stage?.label ?? null,
    stage_order: stage?.displayOrder ?? null,
    is_closed: closed ? 1 : 0,
    status_kind: stage?.kind ?? (closed ? 'closed' : null),
    owner_id: ticket.ownerId,
    owner_name: ticket.ownerId === null ? null : (lookups.ownerName(ticket.ownerId) ?? null),
    contact_id: contactId,
    requester_name: requester?.name ?? null,
    requester_email: requester?.email ?? null,
    company_id: ticket.companyIds[0] ?? null,
    priority: fitOrNull(ticket.priority, 100),
    category: fitOrNull(ticket.category, 100),
    created_at: ticket.createdAt,
    last_activity_at: ticket.lastActivityAt,
    closed_at: ticket.closedAt,
    request_key: fitOrNull(ticket.requestKey, 191),
    hs_lastmodified_at: ticket.lastModifiedAt,
  };
}

/** The company a contact's customers belong to: its primary company, else its first one. */
export function primaryCompanyOf(contact: Pick<HsContact, 'primaryCompanyId' | 'companyIds'>): string | null {
  return contact.primaryCompanyId ?? contact.companyIds[0] ?? null;
}

export function toContactRow(contact: HsContact, readStartedAt: Date, now: Date): ContactRow {
  return {
    id: contact.id,
    email: contactEmail(contact),
    first_name: fitOrNull(contact.firstName, 150),
    last_name: fitOrNull(contact.lastName, 150),
    display_name: personName(contact.firstName, contact.lastName),
    primary_company_id: primaryCompanyOf(contact),
    company_scope: contact.companyScope ? 1 : 0,
    read_at: readStartedAt,
    updated_at: now,
  };
}

export function toOwnerRow(owner: HsOwner, now: Date): OwnerRow {
  return {
    id: owner.id,
    first_name: fitOrNull(owner.firstName, 150),
    last_name: fitOrNull(owner.lastName, 150),
    email: fitOrNull(owner.email, 254),
    display_name: ownerDisplayName(owner),
    archived: owner.archived ? 1 : 0,
    updated_at: now,
  };
}

export function toCompanyRow(company: HsCompany, now: Date): CompanyRow {
  return {
    id: company.id,
    name: fitOrNull(company.name, 300),
    domain: fitOrNull(company.domain, 253),
    updated_at: now,
  };
}

/** A HubSpot email as the conversation stores it, rendered for the portal once, here. */
export function toMirroredMessage(message: HsMessage): MirroredMessage {
  return {
    message,
    authorName: fitOrNull(message.authorName, 300),
    authorEmail: fitOrNull(message.authorEmail?.toLowerCase(), 254),
    subject: fitOrNull(message.subject, 500),
    shown: renderMessage(message.text, message.html),
  };
}
