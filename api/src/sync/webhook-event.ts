import { type DirtyKind } from '../queues/queue.constants';

/** One HubSpot webhook notification, as much of it as sync uses. */
export interface WebhookEvent {
  eventId: string;
  subscriptionType: string;
  objectId: string | null;
  occurredAt: number;
  propertyName?: string;
  associationType?: string;
  fromObjectId?: string;
  toObjectId?: string;
  primaryObjectId?: string;
  mergedObjectIds?: string[];
  newObjectId?: string;
}

export interface TicketEventFact {
  action: string;
  at: number;
  peer?: string;
}

export interface WebhookParseResult {
  events: WebhookEvent[];
  /** Problems that make the whole body unusable, each naming the field to fix. */
  problems: string[];
}

/** What a batch of events asks sync to do. */
export interface WebhookWork {
  dirty: Record<DirtyKind, Map<string, number>>;
  /**
   * Every event that marks a ticket dirty: its kind (`creation`, `associationChange`, …), when it
   * happened and, for an association change, the record on the other side.
   */
  ticketEvents: Map<string, TicketEventFact[]>;
  /** Tickets whose conversation changed (an email was (dis)associated). */
  conversations: Set<string>;
  ignored: number;
}

export const MAX_EVENTS_PER_REQUEST = 1000;

const ID_PATTERN = /^\d{1,30}$/;

function idOf(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  if (typeof value === 'string' && ID_PATTERN.test(value)) return value;
  return undefined;
}

/** Validates the body HubSpot posts: a JSON array of notifications. */
export function parseWebhookBody(body: unknown): WebhookParseResult {
  if (!Array.isArray(body)) {
    return { events: [], problems: ['the body must be a JSON array of HubSpot webhook events'] };
  }
  if (body.length > MAX_EVENTS_PER_REQUEST) {
    return {
      events: [],
      problems: [`at most ${MAX_EVENTS_PER_REQUEST} events per request (got ${body.length})`],
    };
  }
  const events: WebhookEvent[] = [];
  const problems: string[] = [];
  body.forEach((raw: unknown, index) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problems.push(`event ${index} must be an object`);
      return;
    }
    const e = raw as Record<string, unknown>;
    const type = typeof e.subscriptionType === 'string' ? e.subscriptionType : e.eventType;
    if (typeof type !== 'string' || !/^[a-z_]+\.[A-Za-z_]+$/.test(type)) {
      problems.push(`event ${index}: subscriptionType must be a string such as "ticket.propertyChange"`);
      return;
    }
    const eventId = idOf(e.eventId);
    if (eventId === undefined) {
      problems.push(`event ${index}: eventId must be a non-negative integer`);
      return;
    }
    const occurredAt = typeof e.occurredAt === 'number' && Number.isFinite(e.occurredAt) ? e.occurredAt : NaN;
    if (Number.isNaN(occurredAt)) {
      problems.push(`event ${index}: occurredAt must be epoch milliseconds`);
      return;
    }
    const event: WebhookEvent = {
      eventId,
      subscriptionType: type,
      objectId: idOf(e.objectId) ?? null,
      occurredAt,
    };
    if (typeof e.propertyName === 'string') event.propertyName = e.propertyName;
    if (typeof e.associationType === 'string') event.associationType = e.associationType;
    const from = idOf(e.fromObjectId);
    const to = idOf(e.toObjectId);
    if (from !== undefined) event.fromObjectId = from;
    if (to !== undefined) event.toObjectId = to;
    const primary = idOf(e.primaryObjectId);
    const newer = idOf(e.newObjectId);
    if (primary !== undefined) event.primaryObjectId = primary;
    if (newer !== undefined) event.newObjectId = newer;
    if (Array.isArray(e.mergedObjectIds)) {
      event.mergedObjectIds = e.mergedObjectIds.map(idOf).filter((x): x is string => x !== undefined);
    }
    events.push(event);
  });
  return { events, problems };
}

/**
 * The dedupe key of an event: eventId is "not guaranteed to be unique", so the object and the time
 * are part of it. Redeliveries repeat occurredAt; a reused eventId (an app reinstall, the emulator
 * restarting its counter at 1) does not, so such events are not swallowed as duplicates.
 */
export function eventKey(event: WebhookEvent): string {
  return `${event.eventId}-${event.subscriptionType}-${event.objectId ?? event.fromObjectId ?? ''}-${event.occurredAt}`;
}

/**
 * Maps events to refreshes. Every ticket event re-reads the ticket from HubSpot (a deletion reads
 * as absent and deletes, a restore reads as present), so order and duplicates do not matter. The
 * same holds for contacts: a deleted or merged-away contact reads as absent, and its portal
 * accounts are unlinked (ReferenceResolver.refreshContacts).
 */
export function planWebhookWork(events: readonly WebhookEvent[]): WebhookWork {
  const work: WebhookWork = {
    dirty: { tickets: new Map(), contacts: new Map(), companies: new Map() },
    ticketEvents: new Map(),
    conversations: new Set(),
    ignored: 0,
  };
  const mark = (kind: DirtyKind, id: string | undefined | null, at: number, fact?: TicketEventFact): void => {
    if (id === undefined || id === null) return;
    const seen = work.dirty[kind].get(id);
    if (seen === undefined || at < seen) work.dirty[kind].set(id, at);
    if (kind === 'tickets') {
      work.ticketEvents.set(id, [...(work.ticketEvents.get(id) ?? []), fact ?? { action: '', at }]);
    }
  };
  for (const event of events) {
    const [object, action] = event.subscriptionType.split('.') as [string, string];
    const kind: DirtyKind | undefined =
      object === 'ticket'
        ? 'tickets'
        : object === 'contact'
          ? 'contacts'
          : object === 'company'
            ? 'companies'
            : undefined;
    if (kind === undefined) {
      work.ignored += 1;
      continue;
    }
    if (action === 'associationChange') {
      const assoc = (event.associationType ?? '').toUpperCase();
      const [fromType, toType] = assoc.split('_TO_');
      const sides: Array<[string | undefined, string | undefined]> = [
        [fromType, event.fromObjectId],
        [toType, event.toObjectId],
      ];
      for (const [index, [type, id]] of sides.entries()) {
        const peer = sides[1 - index]![1];
        if (type === 'TICKET') {
          mark('tickets', id, event.occurredAt, { action, at: event.occurredAt, ...(peer ? { peer } : {}) });
        } else if (type === 'COMPANY' && kind === 'companies') mark('companies', id, event.occurredAt);
      }
      // A contact's primary company is part of the contact we mirror, and decides which company's
      // tickets its portal accounts see: re-read the contact whichever side reported the change
      // (HubSpot sends CONTACT_TO_COMPANY and COMPANY_TO_CONTACT). Its other associations (tickets,
      // emails, deals) change nothing we mirror on the contact.
      if (fromType === 'CONTACT' && toType === 'COMPANY') {
        mark('contacts', event.fromObjectId, event.occurredAt);
      }
      if (fromType === 'COMPANY' && toType === 'CONTACT') {
        mark('contacts', event.toObjectId, event.occurredAt);
      }
      if (fromType === 'TICKET' && (toType === 'EMAIL' || toType === 'ENGAGEMENT') && event.fromObjectId) {
        work.conversations.add(event.fromObjectId);
      }
      if (toType === 'TICKET' && (fromType === 'EMAIL' || fromType === 'ENGAGEMENT') && event.toObjectId) {
        work.conversations.add(event.toObjectId);
      }
      continue;
    }
    mark(kind, event.objectId, event.occurredAt, { action, at: event.occurredAt });
    if (action === 'merge') {
      mark(kind, event.primaryObjectId, event.occurredAt);
      mark(kind, event.newObjectId, event.occurredAt);
      for (const id of event.mergedObjectIds ?? []) mark(kind, id, event.occurredAt);
    }
  }
  return work;
}
