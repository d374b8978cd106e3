import {
  AssociationSpecAssociationCategoryEnum as TicketAssociationCategory,
  FilterOperatorEnum,
} from '@hubspot/api-client/lib/codegen/crm/tickets';
import {
  AssociationTypeId,
  HubSpotLimits,
  REQUEST_KEY_PROPERTY,
  TICKET_PROPERTIES,
} from '../hubspot.constants';
import {
  type HsCreateTicketInput,
  type HsCreateTicketResult,
  type HsTicket,
  type HsTicketPage,
} from '../hubspot.types';
import { HubSpotError } from '../hubspot-error';
import { toTicket, toTicketCore } from '../hubspot-ticket.mapper';
import { chunk, cleanIds, uniqueIds } from '../hubspot-value.util';
import { type WireObject } from '../hubspot-wire.types';
import { type HubSpotAssociations } from './associations.adapter';
import { type HubSpotCalls, isKind, mentionsProperty } from './hubspot-calls';

const TICKET_PROPS = [...TICKET_PROPERTIES];
const TICKET_ASSOCIATIONS = ['contacts', 'companies'];
// Above this many tickets on one contact, the request-key lookup uses search instead.
const MAX_CONTACT_TICKETS_SCANNED = 2000;

interface SearchCursor {
  /** hs_lastmodifieddate lower bound (ms, inclusive). */
  s: number;
  /** Offset within that query. */
  a: number;
}

/**
 * Tickets one at a time: reads (by id, by search since a date, the full list, by request key), the
 * idempotent create and the stage change. Many at once: ticket-batches.adapter.ts.
 */
export class HubSpotTickets {
  constructor(
    private readonly calls: HubSpotCalls,
    private readonly associations: HubSpotAssociations,
  ) {}

  async getTicketsByIds(ids: readonly string[]): Promise<HsTicket[]> {
    const tickets: HsTicket[] = [];
    for (const part of chunk(cleanIds(ids), HubSpotLimits.batchInputs)) {
      const objects = await this.batchReadTickets(part);
      const links = await this.associations.ticketLinks(objects.map((o) => o.id));
      tickets.push(...objects.map((o) => toTicket(o, links.get(String(o.id)))));
    }
    return tickets;
  }

  async getTicket(id: string): Promise<HsTicket | null> {
    try {
      const raw = await this.calls.call('read ticket', 'general', () =>
        this.calls.client.crm.tickets.basicApi.getById(
          id,
          TICKET_PROPS,
          undefined,
          TICKET_ASSOCIATIONS,
          false,
        ),
      );
      return toTicket(raw);
    } catch (error) {
      if (isKind(error, 'not_found')) return null;
      throw error;
    }
  }

  async searchTicketsModifiedSince(sinceMs: number, cursor?: string): Promise<HsTicketPage> {
    const position =
      cursor === undefined ? { s: Math.max(0, Math.floor(sinceMs)), a: 0 } : decodeCursor(cursor);
    const page = await this.calls.call('search tickets', 'search', () =>
      this.calls.client.crm.tickets.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              {
                propertyName: 'hs_lastmodifieddate',
                operator: FilterOperatorEnum.Gte,
                value: String(position.s),
              },
            ],
          },
        ],
        // HubSpot documents sorts as objects; the SDK types them as strings but passes them through.
        sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' } as unknown as string],
        properties: TICKET_PROPS,
        limit: HubSpotLimits.searchPage,
        after: String(position.a),
      }),
    );
    const objects: WireObject[] = page.results ?? [];
    const links = await this.associations.ticketLinks(objects.map((o) => o.id));
    const tickets = objects.map((o) => toTicket(o, links.get(String(o.id))));

    const nextAfter = page.paging?.next?.after;
    if (nextAfter === undefined || tickets.length === 0) return { tickets };
    const after = Number(nextAfter);
    if (Number.isFinite(after) && after < HubSpotLimits.searchResultCap) {
      return { tickets, nextCursor: encodeCursor({ s: position.s, a: after }) };
    }
    // HubSpot refuses offsets past 10,000: restart the query from the newest date seen. GTE re-reads
    // the tickets sharing that millisecond, which the caller's upsert absorbs.
    const newest = Math.max(...tickets.map((t) => t.lastModifiedAt.getTime()));
    const restartAt = newest > position.s ? newest : position.s + 1;
    return { tickets, nextCursor: encodeCursor({ s: restartAt, a: 0 }) };
  }

  async listTickets(cursor?: string): Promise<HsTicketPage> {
    const page = await this.calls.call('list tickets', 'general', () =>
      this.calls.client.crm.tickets.basicApi.getPage(
        HubSpotLimits.listPage,
        cursor,
        TICKET_PROPS,
        undefined,
        TICKET_ASSOCIATIONS,
        false,
      ),
    );
    const tickets = (page.results ?? []).map((o) => toTicket(o));
    const next = page.paging?.next?.after;
    return next === undefined || next === '' ? { tickets } : { tickets, nextCursor: next };
  }

  async findTicketByRequestKey(requestKey: string, contactId?: string): Promise<HsTicket | null> {
    // Reads by a unique property and association lists are consistent; search is not (a ticket
    // created a moment ago may not be indexed yet), so it is the last resort.
    try {
      const raw = await this.calls.call('read ticket by request key', 'general', () =>
        this.calls.client.crm.tickets.basicApi.getById(
          requestKey,
          TICKET_PROPS,
          undefined,
          TICKET_ASSOCIATIONS,
          false,
          REQUEST_KEY_PROPERTY,
        ),
      );
      if (toTicketCore(raw).requestKey === requestKey) return toTicket(raw);
    } catch (error) {
      // 404: a read by a unique property is consistent, so no ticket carries this key — the
      // answer, in one call. 400: the property is not unique (created by hand), so idProperty is
      // refused and the slower lookups below have to do.
      if (isKind(error, 'not_found')) return null;
      if (!isKind(error, 'invalid')) throw error;
    }
    if (contactId !== undefined) {
      const viaContact = await this.findByKeyAmongContactTickets(requestKey, contactId);
      if (viaContact !== undefined) return viaContact;
    }
    const found = await this.calls.call('search ticket by request key', 'search', () =>
      this.calls.client.crm.tickets.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              { propertyName: REQUEST_KEY_PROPERTY, operator: FilterOperatorEnum.Eq, value: requestKey },
            ],
          },
        ],
        properties: TICKET_PROPS,
        limit: 10,
        after: '0',
      }),
    );
    const match = (found.results ?? []).find((o) => o.properties?.[REQUEST_KEY_PROPERTY] === requestKey);
    if (match === undefined) return null;
    const links = await this.associations.ticketLinks([match.id]);
    return toTicket(match, links.get(String(match.id)));
  }

  async createTicket(input: HsCreateTicketInput): Promise<HsCreateTicketResult> {
    const existing = await this.findTicketByRequestKey(input.requestKey, input.contactId);
    if (existing) return { ticket: existing, created: false };
    try {
      const raw = await this.calls.call('create ticket', 'general', () =>
        this.calls.client.crm.tickets.basicApi.create({
          properties: newTicketProperties(input),
          associations: newTicketAssociations(input),
        }),
      );
      return { ticket: toTicket(raw, newTicketLinks(input)), created: true };
    } catch (error) {
      // The unique request key refused a duplicate: a concurrent or earlier attempt won.
      if (isKind(error, 'conflict') || mentionsRequestKey(error)) {
        const winner = await this.findTicketByRequestKey(input.requestKey, input.contactId);
        if (winner) return { ticket: winner, created: false };
      }
      throw error;
    }
  }

  async updateTicketStage(ticketId: string, stageId: string): Promise<HsTicket> {
    await this.calls.call('update ticket stage', 'general', () =>
      this.calls.client.crm.tickets.basicApi.update(ticketId, { properties: { hs_pipeline_stage: stageId } }),
    );
    // PATCH answers only some properties; read the whole ticket back (a consistent read).
    const ticket = await this.getTicket(ticketId);
    if (ticket === null) {
      throw new HubSpotError({
        kind: 'not_found',
        operation: 'update ticket stage',
        message: `HubSpot ticket ${ticketId} disappeared right after its stage was changed`,
      });
    }
    return ticket;
  }

  private async batchReadTickets(ids: string[]): Promise<WireObject[]> {
    try {
      const answer = await this.calls.call('batch read tickets', 'general', () =>
        this.calls.client.crm.tickets.batchApi.read(
          { inputs: ids.map((id) => ({ id })), properties: TICKET_PROPS, propertiesWithHistory: [] },
          false,
        ),
      );
      // A 207 lists missing ids under `errors`: they are deleted, so simply absent here.
      return answer.results ?? [];
    } catch (error) {
      // Some portals answer a whole-request 404 when any id is missing: drop the named ids and ask
      // again, or fall back to single reads when HubSpot did not say which.
      if (!isKind(error, 'not_found')) throw error;
      const missing = new Set((error as HubSpotError).contextIds);
      const rest = ids.filter((id) => !missing.has(id));
      if (missing.size > 0 && rest.length < ids.length) {
        return rest.length > 0 ? this.batchReadTickets(rest) : [];
      }
      const found: WireObject[] = [];
      for (const id of ids) {
        try {
          found.push(
            await this.calls.call('read ticket', 'general', () =>
              this.calls.client.crm.tickets.basicApi.getById(id, TICKET_PROPS, undefined, undefined, false),
            ),
          );
        } catch (single) {
          if (!isKind(single, 'not_found')) throw single;
        }
      }
      return found;
    }
  }

  /**
   * Looks for the key among the contact's tickets (associations, then batch read: both consistent).
   * Answers undefined when the contact has too many tickets for that to be cheap.
   */
  private async findByKeyAmongContactTickets(
    requestKey: string,
    contactId: string,
  ): Promise<HsTicket | null | undefined> {
    const { ids: ticketIds, complete } = await this.associations.associatedIds(
      'list contact tickets',
      'contacts',
      contactId,
      'tickets',
      { max: MAX_CONTACT_TICKETS_SCANNED },
    );
    if (!complete) return undefined;
    // Newest ids first: a retried request is almost always one of the contact's latest tickets.
    const ordered = uniqueIds(ticketIds).sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    for (const part of chunk(ordered, HubSpotLimits.batchInputs)) {
      const match = (await this.batchReadTickets(part)).find(
        (o) => o.properties?.[REQUEST_KEY_PROPERTY] === requestKey,
      );
      if (match) {
        const links = await this.associations.ticketLinks([match.id]);
        return toTicket(match, links.get(String(match.id)));
      }
    }
    return null;
  }
}

export function newTicketProperties(input: HsCreateTicketInput): Record<string, string> {
  const properties: Record<string, string> = {
    subject: input.subject,
    content: input.content,
    hs_pipeline: input.pipelineId,
    hs_pipeline_stage: input.stageId,
    [REQUEST_KEY_PROPERTY]: input.requestKey,
  };
  if (input.priority) properties.hs_ticket_priority = input.priority;
  if (input.category) properties.hs_ticket_category = input.category;
  return properties;
}

export function newTicketAssociations(input: HsCreateTicketInput) {
  return [
    ticketAssociation(input.contactId, AssociationTypeId.ticketToContact),
    ...(input.companyId
      ? [ticketAssociation(input.companyId, AssociationTypeId.ticketToPrimaryCompany)]
      : []),
  ];
}

export function newTicketLinks(input: HsCreateTicketInput): { contactIds: string[]; companyIds: string[] } {
  return { contactIds: [input.contactId], companyIds: input.companyId ? [input.companyId] : [] };
}

function ticketAssociation(id: string, typeId: number) {
  return {
    to: { id },
    types: [{ associationCategory: TicketAssociationCategory.HubspotDefined, associationTypeId: typeId }],
  };
}

export function mentionsRequestKey(error: unknown): boolean {
  return mentionsProperty(error, REQUEST_KEY_PROPERTY);
}

function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

function decodeCursor(cursor: string): SearchCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<SearchCursor>;
    if (typeof parsed.s === 'number' && typeof parsed.a === 'number') return { s: parsed.s, a: parsed.a };
  } catch {
    // fall through to the error below
  }
  throw new HubSpotError({
    kind: 'invalid',
    operation: 'search tickets',
    message: `The search cursor "${cursor.slice(0, 40)}" is not one this adapter produced; restart from a date`,
  });
}
