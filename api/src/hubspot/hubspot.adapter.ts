import * as http from 'node:http';
import * as https from 'node:https';
import { Readable } from 'node:stream';
import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum as EmailAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/emails';
import { AssociationSpecAssociationCategoryEnum as TaskAssociationCategory } from '@hubspot/api-client/lib/codegen/crm/objects/tasks';
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from '@hubspot/api-client/lib/codegen/crm/properties';
import {
  AssociationSpecAssociationCategoryEnum as TicketAssociationCategory,
  FilterOperatorEnum,
} from '@hubspot/api-client/lib/codegen/crm/tickets';
import {
  AssociationTypeId,
  COMPANY_PROPERTIES,
  CONTACT_PROPERTIES,
  EMAIL_PROPERTIES,
  FILE_ACCESS_PRIVATE,
  HubSpotLimits,
  REQUEST_KEY_PROPERTY,
  SIGNED_URL_SECONDS,
  TASK_EVENT_KEY_PROPERTY,
  TASK_PROPERTIES,
  TICKET_PROPERTIES,
} from './hubspot.constants';
import { HubSpotPort } from './hubspot.port';
import {
  type HsAttachment,
  type HsCompany,
  type HsContact,
  type HsCreateContactInput,
  type HsCreateTaskInput,
  type HsCreateTaskResult,
  type HsCreateTicketInput,
  type HsCreateTicketOutcome,
  type HsCreateTicketResult,
  type HsCustomerReplyInput,
  type HsCustomerReplyResult,
  type HsEnsurePropertiesResult,
  type HsFile,
  type HsFileDownload,
  type HsMessage,
  type HsOwner,
  type HsPipeline,
  type HsTask,
  type HsTicket,
  type HsTicketPage,
  type HsTicketPropertyOptions,
  type HsUploadFileInput,
} from './hubspot.types';
import { associationMap, type AssociationLinks } from './hubspot-association.mapper';
import { toCompany, toContact } from './hubspot-contact.mapper';
import { HubSpotError } from './hubspot-error';
import { outageLog } from '../common/logging/outage-log';
import { classifyHubSpotError } from './hubspot-error.classifier';
import { contentTypeFor, toAttachment, toHsFile } from './hubspot-file.mapper';
import { messageAttachmentIds, replyHeaders, sortConversation, toMessage } from './hubspot-message.mapper';
import { toOwner } from './hubspot-owner.mapper';
import { toPipeline } from './hubspot-pipeline.mapper';
import { toPropertyOptions } from './hubspot-property.mapper';
import { toTask } from './hubspot-task.mapper';
import { type HubSpotCallKind, type HubSpotRateLimiter } from './hubspot-rate-limiter';
import { toTicket, toTicketCore } from './hubspot-ticket.mapper';
import { chunk, uniqueIds } from './hubspot-value.util';
import { type WireFile, type WireObject } from './hubspot-wire.types';

export interface HubSpotAdapterOptions {
  accessToken: string;
  /** HUBSPOT_BASE_URL, e.g. https://api.hubapi.com or the emulator's URL. */
  basePath: string;
  /** Shared Redis limiter; without it calls are not throttled (single-process tools, tests). */
  limiter?: HubSpotRateLimiter;
  /** A call that has not answered by then fails as `unavailable` (default 20 s). */
  requestTimeoutMs?: number;
  /** Told about every finished call (metrics: calls, latency, 429s per operation). Must not throw. */
  onCall?: (event: HubSpotCallEvent) => void;
  /** PORTAL_COMPANY_SCOPE_PROPERTY: a contact property read with every contact (`HsContact.companyScope`). */
  companyScopeProperty?: string;
}

export interface HubSpotCallEvent {
  operation: string;
  kind: HubSpotCallKind;
  /** Time on the wire, after the limiter granted the slot. */
  durationMs: number;
  outcome: 'ok' | HubSpotError['kind'];
  status: number | null;
}

const TICKET_PROPS = [...TICKET_PROPERTIES];
const COMPANY_PROPS = [...COMPANY_PROPERTIES];
const EMAIL_PROPS = [...EMAIL_PROPERTIES];
const TASK_PROPS = [...TASK_PROPERTIES];
// Above this many tasks on one ticket, the event-key lookup uses search instead.
const MAX_TICKET_TASKS_SCANNED = 2000;

/** The portal's custom properties, created by ensureCustomProperties (unique values: idempotency keys). */
const CUSTOM_PROPERTIES = [
  {
    objectType: 'tickets',
    name: REQUEST_KEY_PROPERTY,
    label: 'Ticket Portal request key',
    description:
      'Set by Ticket Portal on tickets customers submit, so one request never becomes two tickets. Do not edit.',
    groupName: 'ticketinformation',
  },
  {
    objectType: 'tasks',
    name: TASK_EVENT_KEY_PROPERTY,
    label: 'Ticket Portal event key',
    description:
      'Set by Ticket Portal on tasks it assigns (e.g. a customer replied), so one event never becomes two tasks. Do not edit.',
    groupName: 'taskinformation',
  },
] as const;
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
 * HubSpotPort over @hubspot/api-client, the only file that imports it. The SDK's own retries are
 * off (numberOfApiCallRetries 0): retries belong to BullMQ, and a shared Redis limiter paces calls.
 */
export class HubSpotAdapter extends HubSpotPort {
  private readonly client: Client;
  private readonly limiter: HubSpotRateLimiter | undefined;
  private readonly timeoutMs: number;
  private readonly companyScopeProperty: string | undefined;
  /** The contact properties every contact read asks for. */
  private readonly contactProps: string[];
  private readonly onCall: ((event: HubSpotCallEvent) => void) | undefined;

  constructor(options: HubSpotAdapterOptions) {
    super();
    if (!options.accessToken) throw new Error('HubSpotAdapter: accessToken is required');
    const basePath = options.basePath.replace(/\/+$/, '');
    const url = new URL(basePath);
    this.timeoutMs = options.requestTimeoutMs ?? 20_000;
    this.companyScopeProperty = options.companyScopeProperty;
    this.contactProps = options.companyScopeProperty
      ? [...CONTACT_PROPERTIES, options.companyScopeProperty]
      : [...CONTACT_PROPERTIES];
    const agentOptions = { keepAlive: true, maxSockets: 32, timeout: this.timeoutMs };
    this.client = new Client({
      accessToken: options.accessToken,
      // The SDK concatenates basePath and '/crm/v3/…': a trailing slash would give '//crm'.
      basePath,
      numberOfApiCallRetries: 0,
      httpAgent: url.protocol === 'https:' ? new https.Agent(agentOptions) : new http.Agent(agentOptions),
    });
    this.limiter = options.limiter;
    this.onCall = options.onCall;
  }

  // ---- tickets -------------------------------------------------------------------------------

  async getTicketsByIds(ids: readonly string[]): Promise<HsTicket[]> {
    const tickets: HsTicket[] = [];
    for (const part of chunk(cleanIds(ids), HubSpotLimits.batchInputs)) {
      const objects = await this.batchReadTickets(part);
      const links = await this.ticketLinks(objects.map((o) => o.id));
      tickets.push(...objects.map((o) => toTicket(o, links.get(String(o.id)))));
    }
    return tickets;
  }

  async getTicket(id: string): Promise<HsTicket | null> {
    try {
      const raw = await this.call('read ticket', 'general', () =>
        this.client.crm.tickets.basicApi.getById(id, TICKET_PROPS, undefined, TICKET_ASSOCIATIONS, false),
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
    const page = await this.call('search tickets', 'search', () =>
      this.client.crm.tickets.searchApi.doSearch({
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
    const links = await this.ticketLinks(objects.map((o) => o.id));
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
    const page = await this.call('list tickets', 'general', () =>
      this.client.crm.tickets.basicApi.getPage(
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
      const raw = await this.call('read ticket by request key', 'general', () =>
        this.client.crm.tickets.basicApi.getById(
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
    const found = await this.call('search ticket by request key', 'search', () =>
      this.client.crm.tickets.searchApi.doSearch({
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
    const links = await this.ticketLinks([match.id]);
    return toTicket(match, links.get(String(match.id)));
  }

  async createTicket(input: HsCreateTicketInput): Promise<HsCreateTicketResult> {
    const existing = await this.findTicketByRequestKey(input.requestKey, input.contactId);
    if (existing) return { ticket: existing, created: false };
    try {
      const raw = await this.call('create ticket', 'general', () =>
        this.client.crm.tickets.basicApi.create({
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

  async createTickets(inputs: readonly HsCreateTicketInput[]): Promise<HsCreateTicketOutcome[]> {
    const outcomes = new Map<string, HsCreateTicketOutcome>();
    const unique = [...new Map(inputs.map((i) => [i.requestKey, i])).values()];
    for (const part of chunk(unique, HubSpotLimits.batchInputs)) {
      // What an earlier attempt (one that died before its commit) already made is not made again.
      const found = await this.ticketsByRequestKey(part);
      for (const [requestKey, ticket] of found) {
        outcomes.set(requestKey, { requestKey, ok: true, ticket, created: false });
      }
      await this.createTicketBatch(
        part.filter((i) => !found.has(i.requestKey)),
        outcomes,
      );
    }
    return inputs.map((i) => outcomes.get(i.requestKey)!);
  }

  async findTicketsByRequestKeys(requestKeys: readonly string[]): Promise<Map<string, HsTicket>> {
    return this.ticketsByRequestKey(requestKeys.map((requestKey) => ({ requestKey })));
  }

  /** findTicketsByRequestKeys, with each key's contact for the lookup where the key is not unique. */
  private async ticketsByRequestKey(
    keys: ReadonlyArray<{ requestKey: string; contactId?: string }>,
  ): Promise<Map<string, HsTicket>> {
    const found = new Map<string, HsTicket>();
    const contactOf = new Map(keys.map((k) => [k.requestKey, k.contactId]));
    for (const part of chunk(uniqueIds(keys.map((k) => k.requestKey)), HubSpotLimits.batchInputs)) {
      const objects = await this.batchReadTicketsByKey(part);
      if (objects === null) {
        // The key property is not unique here (made by hand): the slower consistent lookups, one by one.
        for (const key of part) {
          const ticket = await this.findTicketByRequestKey(key, contactOf.get(key));
          if (ticket) found.set(key, ticket);
        }
        continue;
      }
      const links = await this.ticketLinks(objects.map((o) => o.id));
      for (const o of objects) {
        const key = o.properties?.[REQUEST_KEY_PROPERTY];
        if (key && part.includes(key)) found.set(key, toTicket(o, links.get(String(o.id))));
      }
    }
    return found;
  }

  /**
   * One batch create with associations inline, each input traced by its request key so a 207 names
   * the refused records. A batch HubSpot refuses as a whole (a 400 naming no record) is split in
   * halves until the refused record stands alone; a refused duplicate key means an earlier or
   * concurrent attempt won, and that ticket is the answer.
   */
  private async createTicketBatch(
    inputs: readonly HsCreateTicketInput[],
    outcomes: Map<string, HsCreateTicketOutcome>,
  ): Promise<void> {
    if (inputs.length === 0) return;
    let answer;
    try {
      answer = await this.call('batch create tickets', 'general', () =>
        this.client.crm.tickets.batchApi.create({
          inputs: inputs.map((input) => ({
            properties: newTicketProperties(input),
            associations: newTicketAssociations(input),
            objectWriteTraceId: input.requestKey,
          })),
        }),
      );
    } catch (error) {
      if (!isKind(error, 'invalid') && !isKind(error, 'conflict')) throw error;
      if (inputs.length > 1) {
        const half = Math.ceil(inputs.length / 2);
        await this.createTicketBatch(inputs.slice(0, half), outcomes);
        await this.createTicketBatch(inputs.slice(half), outcomes);
        return;
      }
      const input = inputs[0]!;
      const winner = await this.findTicketByRequestKey(input.requestKey, input.contactId);
      outcomes.set(
        input.requestKey,
        winner
          ? { requestKey: input.requestKey, ok: true, ticket: winner, created: false }
          : { requestKey: input.requestKey, ok: false, error: error as HubSpotError },
      );
      return;
    }
    const byKey = new Map(inputs.map((i) => [i.requestKey, i]));
    for (const raw of answer.results ?? []) {
      const input = byKey.get(raw.properties?.[REQUEST_KEY_PROPERTY] ?? '');
      if (!input) continue;
      outcomes.set(input.requestKey, {
        requestKey: input.requestKey,
        ok: true,
        ticket: toTicket(raw, newTicketLinks(input)),
        created: true,
      });
    }
    const missing = inputs.filter((i) => !outcomes.has(i.requestKey));
    if (missing.length === 0) return;
    const refusals = recordErrors('errors' in answer ? (answer.errors ?? []) : [], 'batch create tickets');
    // A refused duplicate key (or a record HubSpot left out without a reason): an attempt that raced
    // this one may have made the ticket, so look it up. Other refusals need no second call.
    const doubtful = missing.filter((i) => {
      const refusal = refusals.get(i.requestKey);
      return refusal === undefined || refusal.kind === 'conflict' || mentionsRequestKey(refusal);
    });
    const winners =
      doubtful.length > 0 ? await this.ticketsByRequestKey(doubtful) : new Map<string, HsTicket>();
    for (const input of missing) {
      const winner = winners.get(input.requestKey);
      outcomes.set(
        input.requestKey,
        winner
          ? { requestKey: input.requestKey, ok: true, ticket: winner, created: false }
          : {
              requestKey: input.requestKey,
              ok: false,
              error:
                refusals.get(input.requestKey) ??
                new HubSpotError({
                  kind: 'unavailable',
                  operation: 'batch create tickets',
                  message: 'HubSpot answered the batch without this ticket and without naming an error',
                }),
            },
      );
    }
  }

  async updateTicketStage(ticketId: string, stageId: string): Promise<HsTicket> {
    await this.call('update ticket stage', 'general', () =>
      this.client.crm.tickets.basicApi.update(ticketId, { properties: { hs_pipeline_stage: stageId } }),
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

  // ---- pipelines, owners, properties ----------------------------------------------------------

  async getPipelines(): Promise<HsPipeline[]> {
    const answer = await this.call('read ticket pipelines', 'general', () =>
      this.client.crm.pipelines.pipelinesApi.getAll('tickets'),
    );
    return (answer.results ?? []).map(toPipeline).sort((a, b) => a.displayOrder - b.displayOrder);
  }

  async getOwners(): Promise<HsOwner[]> {
    const byId = new Map<string, HsOwner>();
    // Archived owners come from their own listing; an active entry wins over an archived one.
    for (const archived of [true, false]) {
      let after: string | undefined;
      do {
        const page = await this.call('list owners', 'general', () =>
          this.client.crm.owners.ownersApi.getPage(undefined, after, HubSpotLimits.ownersPage, archived),
        );
        for (const owner of page.results ?? []) byId.set(String(owner.id), toOwner(owner, archived));
        after = page.paging?.next?.after || undefined;
      } while (after !== undefined);
    }
    return [...byId.values()];
  }

  async getTicketProperties(): Promise<HsTicketPropertyOptions> {
    const [priority, category] = await Promise.all(
      ['hs_ticket_priority', 'hs_ticket_category'].map(async (name) => {
        try {
          return toPropertyOptions(
            await this.call(`read ticket property ${name}`, 'general', () =>
              this.client.crm.properties.coreApi.getByName('tickets', name),
            ),
          );
        } catch (error) {
          if (isKind(error, 'not_found')) return [];
          throw error;
        }
      }),
    );
    return { priority: priority ?? [], category: category ?? [] };
  }

  async ensureCustomProperties(): Promise<HsEnsurePropertiesResult> {
    const created: string[] = [];
    for (const def of CUSTOM_PROPERTIES) {
      const what = `${def.objectType} property ${def.name}`;
      try {
        await this.call(`read ${what}`, 'general', () =>
          this.client.crm.properties.coreApi.getByName(def.objectType, def.name),
        );
        continue;
      } catch (error) {
        if (!isKind(error, 'not_found')) throw error;
      }
      try {
        await this.call(`create ${what}`, 'general', () =>
          this.client.crm.properties.coreApi.create(def.objectType, {
            name: def.name,
            label: def.label,
            description: def.description,
            groupName: def.groupName,
            type: PropertyCreateTypeEnum.String,
            fieldType: PropertyCreateFieldTypeEnum.Text,
            hasUniqueValue: true,
            formField: false,
          }),
        );
        created.push(`${def.objectType}.${def.name}`);
      } catch (error) {
        // Another process created it between our read and our create.
        if (!isKind(error, 'conflict')) throw error;
      }
    }
    // The operator's company-scope property is theirs to create (a checkbox): only checked, so that a
    // misspelt name is said at start instead of silently giving nobody company scope.
    const missing: string[] = [];
    const own = this.companyScopeProperty;
    if (own) {
      try {
        await this.call('read contacts property (company scope)', 'general', () =>
          this.client.crm.properties.coreApi.getByName('contacts', own),
        );
      } catch (error) {
        if (!isKind(error, 'not_found')) throw error;
        missing.push(`contacts.${own}`);
      }
    }
    return { created, missing };
  }

  // ---- contacts and companies -----------------------------------------------------------------

  async getContactsByIds(ids: readonly string[]): Promise<HsContact[]> {
    const contacts: HsContact[] = [];
    for (const part of chunk(cleanIds(ids), HubSpotLimits.batchInputs)) {
      const answer = await this.call('batch read contacts', 'general', () =>
        this.client.crm.contacts.batchApi.read(
          { inputs: part.map((id) => ({ id })), properties: this.contactProps, propertiesWithHistory: [] },
          false,
        ),
      );
      const objects: WireObject[] = answer.results ?? [];
      const companies = await this.links(
        'contacts',
        'companies',
        objects.map((o) => o.id),
        [AssociationTypeId.contactToPrimaryCompany],
      );
      for (const o of objects) {
        const link = companies.get(String(o.id));
        contacts.push(toContact(o, link?.ids ?? [], link?.primaryId ?? null, this.companyScopeProperty));
      }
    }
    return contacts;
  }

  async getContactCompanies(ids: readonly string[]): Promise<Map<string, string | null>> {
    const asked = cleanIds(ids);
    const links = await this.links('contacts', 'companies', asked, [
      AssociationTypeId.contactToPrimaryCompany,
    ]);
    return new Map(
      asked.map((id) => {
        const link = links.get(id);
        return [id, link?.primaryId ?? link?.ids[0] ?? null];
      }),
    );
  }

  async findContactByEmail(email: string): Promise<HsContact | null> {
    const normalized = email.trim().toLowerCase();
    if (normalized === '') return null;
    let raw: WireObject;
    try {
      raw = await this.call('read contact by email', 'general', () =>
        this.client.crm.contacts.basicApi.getById(
          normalized,
          this.contactProps,
          undefined,
          undefined,
          false,
          'email',
        ),
      );
    } catch (error) {
      if (isKind(error, 'not_found')) return null;
      throw error;
    }
    const companies = await this.links(
      'contacts',
      'companies',
      [raw.id],
      [AssociationTypeId.contactToPrimaryCompany],
    );
    const link = companies.get(String(raw.id));
    return toContact(raw, link?.ids ?? [], link?.primaryId ?? null, this.companyScopeProperty);
  }

  async createContact(input: HsCreateContactInput): Promise<HsContact> {
    const properties: Record<string, string> = { email: input.email.trim().toLowerCase() };
    if (input.firstName) properties.firstname = input.firstName;
    if (input.lastName) properties.lastname = input.lastName;
    try {
      const raw = await this.call('create contact', 'general', () =>
        this.client.crm.contacts.basicApi.create({ properties, associations: [] }),
      );
      return toContact(raw, [], null, this.companyScopeProperty);
    } catch (error) {
      // 409 "Contact already exists": the email is HubSpot's dedupe key, so return that contact.
      if (isKind(error, 'conflict')) {
        const existing = await this.findContactByEmail(input.email);
        if (existing) return existing;
      }
      throw error;
    }
  }

  async findContactsByEmails(emails: readonly string[]): Promise<Map<string, HsContact>> {
    const found = new Map<string, HsContact>();
    const asked = uniqueIds(emails.map((e) => e.trim().toLowerCase()).filter((e) => e !== ''));
    for (const part of chunk(asked, HubSpotLimits.batchInputs)) {
      let objects: WireObject[];
      try {
        const answer = await this.call('batch read contacts by email', 'general', () =>
          this.client.crm.contacts.batchApi.read(
            {
              idProperty: 'email',
              inputs: part.map((id) => ({ id })),
              properties: this.contactProps,
              propertiesWithHistory: [],
            },
            false,
          ),
        );
        // A 207 lists the emails HubSpot has no contact for: absent here.
        objects = answer.results ?? [];
      } catch (error) {
        // Some portals answer a whole-request 404 when none of the emails is a contact's.
        if (isKind(error, 'not_found')) continue;
        throw error;
      }
      const companies = await this.links(
        'contacts',
        'companies',
        objects.map((o) => o.id),
        [AssociationTypeId.contactToPrimaryCompany],
      );
      for (const o of objects) {
        const link = companies.get(String(o.id));
        const contact = toContact(o, link?.ids ?? [], link?.primaryId ?? null, this.companyScopeProperty);
        if (contact.email) found.set(contact.email.toLowerCase(), contact);
      }
    }
    return found;
  }

  async createContacts(
    inputs: readonly HsCreateContactInput[],
  ): Promise<Map<string, HsContact | HubSpotError>> {
    const answers = new Map<string, HsContact | HubSpotError>();
    const byEmail = new Map(inputs.map((i) => [i.email.trim().toLowerCase(), i]));
    for (const part of chunk([...byEmail.keys()], HubSpotLimits.batchInputs)) {
      const answer = await this.call('batch create contacts', 'general', () =>
        this.client.crm.contacts.batchApi.create({
          inputs: part.map((email) => {
            const input = byEmail.get(email)!;
            const properties: Record<string, string> = { email };
            if (input.firstName) properties.firstname = input.firstName;
            if (input.lastName) properties.lastname = input.lastName;
            return { properties, associations: [], objectWriteTraceId: email };
          }),
        }),
      );
      for (const raw of answer.results ?? []) {
        const contact = toContact(raw, [], null, this.companyScopeProperty);
        if (contact.email) answers.set(contact.email.toLowerCase(), contact);
      }
      const missing = part.filter((email) => !answers.has(email));
      if (missing.length === 0) continue;
      // A duplicate email (a contact made meanwhile, or by an earlier attempt) is that contact.
      const existing = await this.findContactsByEmails(missing);
      const refusals = recordErrors('errors' in answer ? (answer.errors ?? []) : [], 'batch create contacts');
      for (const email of missing) {
        answers.set(
          email,
          existing.get(email) ??
            refusals.get(email) ??
            new HubSpotError({
              kind: 'unavailable',
              operation: 'batch create contacts',
              message: 'HubSpot answered the batch without this contact and without naming an error',
            }),
        );
      }
    }
    return answers;
  }

  async getCompaniesByIds(ids: readonly string[]): Promise<HsCompany[]> {
    const companies: HsCompany[] = [];
    for (const part of chunk(cleanIds(ids), HubSpotLimits.batchInputs)) {
      const answer = await this.call('batch read companies', 'general', () =>
        this.client.crm.companies.batchApi.read(
          { inputs: part.map((id) => ({ id })), properties: COMPANY_PROPS, propertiesWithHistory: [] },
          false,
        ),
      );
      companies.push(...(answer.results ?? []).map(toCompany));
    }
    return companies;
  }

  // ---- conversation ---------------------------------------------------------------------------

  async getTicketConversation(ticketId: string): Promise<HsMessage[]> {
    const { ids: emailIds } = await this.associatedIds('list ticket emails', 'tickets', ticketId, 'emails');

    const emails: WireObject[] = [];
    for (const part of chunk(uniqueIds(emailIds), HubSpotLimits.batchInputs)) {
      const answer = await this.call('batch read emails', 'general', () =>
        this.client.crm.objects.emails.batchApi.read(
          { inputs: part.map((id) => ({ id })), properties: EMAIL_PROPS, propertiesWithHistory: [] },
          false,
        ),
      );
      emails.push(...(answer.results ?? []));
    }
    const files = await this.attachmentFiles(emails.flatMap(messageAttachmentIds));
    const messages: HsMessage[] = [];
    for (const raw of emails) {
      const message = toMessage(raw, ticketId, files);
      if (message) messages.push(message);
    }
    return sortConversation(messages);
  }

  async getTicketConversations(ticketIds: readonly string[]): Promise<Map<string, HsMessage[]>> {
    const ids = cleanIds(ticketIds);
    const emailsByTicket = new Map<string, string[]>(ids.map((id) => [id, []]));
    for (const part of chunk(ids, HubSpotLimits.associationBatchInputs)) {
      let answer;
      try {
        answer = await this.call('batch read ticket→email associations', 'general', () =>
          this.client.crm.associations.v4.batchApi.getPage('tickets', 'emails', {
            inputs: part.map((id) => ({ id })),
          }),
        );
      } catch (error) {
        if (isKind(error, 'not_found')) continue;
        throw error;
      }
      for (const result of answer.results ?? []) {
        const ticketId = String(result._from.id);
        emailsByTicket.get(ticketId)?.push(...(result.to ?? []).map((to) => String(to.toObjectId)));
        // More than one page of emails on this ticket: read the rest from the single-ticket list.
        const startAfter = result.paging?.next?.after || undefined;
        if (startAfter !== undefined) {
          const rest = await this.associatedIds('list ticket emails', 'tickets', ticketId, 'emails', {
            startAfter,
          });
          emailsByTicket.get(ticketId)?.push(...rest.ids);
        }
      }
    }

    const emails = new Map<string, WireObject>();
    const allEmailIds = uniqueIds([...emailsByTicket.values()].flat());
    for (const part of chunk(allEmailIds, HubSpotLimits.batchInputs)) {
      const answer = await this.call('batch read emails', 'general', () =>
        this.client.crm.objects.emails.batchApi.read(
          { inputs: part.map((id) => ({ id })), properties: EMAIL_PROPS, propertiesWithHistory: [] },
          false,
        ),
      );
      for (const raw of answer.results ?? []) emails.set(String(raw.id), raw);
    }

    const files = await this.attachmentFiles([...emails.values()].flatMap(messageAttachmentIds));
    const conversations = new Map<string, HsMessage[]>();
    for (const [ticketId, emailIds] of emailsByTicket) {
      const messages: HsMessage[] = [];
      for (const emailId of uniqueIds(emailIds)) {
        const raw = emails.get(emailId);
        const message = raw ? toMessage(raw, ticketId, files) : null;
        if (message) messages.push(message);
      }
      conversations.set(ticketId, sortConversation(messages));
    }
    return conversations;
  }

  async addCustomerReply(
    ticketId: string,
    contactId: string,
    reply: HsCustomerReplyInput,
  ): Promise<HsCustomerReplyResult> {
    // Reading the ticket's emails is consistent (unlike search): a retry after a crash between
    // HubSpot's answer and our commit finds the email it already logged.
    const fromEmail = reply.from.email.trim().toLowerCase();
    const existing = (await this.getTicketConversation(ticketId)).find(
      (m) =>
        m.requestKey === reply.replyKey ||
        (m.direction === 'customer' &&
          m.createdAt.getTime() === reply.sentAt.getTime() &&
          m.authorEmail === fromEmail),
    );
    if (existing) return { message: existing, created: false };

    const properties: Record<string, string> = {
      hs_timestamp: reply.sentAt.toISOString(),
      hs_email_direction: 'INCOMING_EMAIL',
      hs_email_status: 'SENT',
      hs_email_text: reply.text,
      hs_email_headers: replyHeaders({ ...reply.from, email: fromEmail }, reply.replyKey),
    };
    if (reply.subject) properties.hs_email_subject = reply.subject;
    if (reply.html) properties.hs_email_html = reply.html;
    const attachmentIds = cleanIds(reply.attachmentIds ?? []);
    if (attachmentIds.length > 0) properties.hs_attachment_ids = attachmentIds.join(';');
    const raw = await this.call('log customer reply', 'general', () =>
      this.client.crm.objects.emails.basicApi.create({
        properties,
        associations: [
          emailAssociation(ticketId, AssociationTypeId.emailToTicket),
          emailAssociation(contactId, AssociationTypeId.emailToContact),
        ],
      }),
    );
    const files = await this.attachmentFiles(attachmentIds);
    const message = toMessage({ ...raw, properties: { ...properties, ...raw.properties } }, ticketId, files);
    if (message === null) {
      throw new HubSpotError({
        kind: 'invalid',
        operation: 'log customer reply',
        message: `HubSpot logged email ${raw.id} without the incoming direction it was sent with`,
      });
    }
    return { message, created: true };
  }

  // ---- tasks ----------------------------------------------------------------------------------

  async createTask(input: HsCreateTaskInput): Promise<HsCreateTaskResult> {
    const existing = await this.findTaskByEventKey(input.eventKey, input.ticketId);
    if (existing) return { task: existing, created: false };

    const properties: Record<string, string> = {
      hs_timestamp: input.dueAt.toISOString(),
      hs_task_subject: input.subject,
      hs_task_body: input.body,
      hs_task_status: 'NOT_STARTED',
      hs_task_type: 'TODO',
      [TASK_EVENT_KEY_PROPERTY]: input.eventKey,
    };
    if (input.ownerId) properties.hubspot_owner_id = input.ownerId;
    if (input.priority) properties.hs_task_priority = input.priority;
    try {
      const raw = await this.call('create task', 'general', () =>
        this.client.crm.objects.tasks.basicApi.create({
          properties,
          associations: [
            {
              to: { id: input.ticketId },
              types: [
                {
                  associationCategory: TaskAssociationCategory.HubspotDefined,
                  associationTypeId: AssociationTypeId.taskToTicket,
                },
              ],
            },
          ],
        }),
      );
      return { task: toTask({ ...raw, properties: { ...properties, ...raw.properties } }), created: true };
    } catch (error) {
      // The unique event key refused a duplicate: a concurrent or earlier attempt won.
      if (isKind(error, 'conflict')) {
        const winner = await this.findTaskByEventKey(input.eventKey, input.ticketId);
        if (winner) return { task: winner, created: false };
      }
      throw error;
    }
  }

  async findTaskByEventKey(eventKey: string, ticketId?: string): Promise<HsTask | null> {
    // As for request keys: a read by the unique property is consistent and answers in one call.
    try {
      const raw = await this.call('read task by event key', 'general', () =>
        this.client.crm.objects.tasks.basicApi.getById(
          eventKey,
          TASK_PROPS,
          undefined,
          undefined,
          false,
          TASK_EVENT_KEY_PROPERTY,
        ),
      );
      const task = toTask(raw);
      if (task.eventKey === eventKey) return task;
    } catch (error) {
      // 400: the property is missing or not unique (made by hand); the slower lookups must do.
      if (isKind(error, 'not_found')) return null;
      if (!isKind(error, 'invalid')) throw error;
    }
    if (ticketId !== undefined) {
      const { ids, complete } = await this.associatedIds('list ticket tasks', 'tickets', ticketId, 'tasks', {
        max: MAX_TICKET_TASKS_SCANNED,
      });
      if (complete) {
        for (const part of chunk(uniqueIds(ids), HubSpotLimits.batchInputs)) {
          const answer = await this.call('batch read tasks', 'general', () =>
            this.client.crm.objects.tasks.batchApi.read(
              { inputs: part.map((id) => ({ id })), properties: TASK_PROPS, propertiesWithHistory: [] },
              false,
            ),
          );
          const match = (answer.results ?? []).find(
            (o) => o.properties?.[TASK_EVENT_KEY_PROPERTY] === eventKey,
          );
          if (match) return toTask(match);
        }
        return null;
      }
    }
    const found = await this.call('search task by event key', 'search', () =>
      this.client.crm.objects.tasks.searchApi.doSearch({
        filterGroups: [
          {
            filters: [
              { propertyName: TASK_EVENT_KEY_PROPERTY, operator: FilterOperatorEnum.Eq, value: eventKey },
            ],
          },
        ],
        properties: TASK_PROPS,
        limit: 10,
        after: '0',
        sorts: [],
      }),
    );
    const match = (found.results ?? []).find((o) => o.properties?.[TASK_EVENT_KEY_PROPERTY] === eventKey);
    return match ? toTask(match) : null;
  }

  // ---- files ----------------------------------------------------------------------------------

  async uploadFile(input: HsUploadFileInput): Promise<HsFile> {
    const name = input.name.trim();
    const folder = `/${input.folder
      .split('/')
      .filter((p) => p.trim() !== '')
      .join('/')}`;
    if (name === '' || folder === '/') {
      throw new HubSpotError({
        kind: 'invalid',
        operation: 'upload file',
        message: 'A file upload needs a file name and a folder path (e.g. /ticket-portal/attachments)',
      });
    }
    const data = Buffer.isBuffer(input.data) ? input.data : await readAll(input.data);
    // The SDK types the answer as any: it is HubSpot's File.
    const raw = (await this.call('upload file', 'general', () =>
      this.client.files.filesApi.upload(
        // form-data's append() takes a file name or an options object as its third argument, and
        // the SDK passes `name` straight through: an object sends the media type along.
        { data, name: { filename: name, contentType: input.contentType } as unknown as string },
        undefined,
        folder,
        name,
        undefined,
        JSON.stringify({
          access: FILE_ACCESS_PRIVATE,
          overwrite: false,
          duplicateValidationStrategy: 'NONE',
          duplicateValidationScope: 'EXACT_FOLDER',
        }),
      ),
    )) as WireFile;
    return toHsFile(raw);
  }

  async associateContacts(ticketId: string, contactIds: readonly string[]): Promise<void> {
    for (const contactId of cleanIds(contactIds)) {
      await this.call('associate contact with ticket', 'general', () =>
        this.client.crm.associations.v4.basicApi.createDefault('tickets', ticketId, 'contacts', contactId),
      );
    }
  }

  async dissociateContact(ticketId: string, contactId: string): Promise<void> {
    await this.call('dissociate contact from ticket', 'general', () =>
      this.client.crm.associations.v4.basicApi.archive('tickets', ticketId, 'contacts', contactId),
    );
  }

  async fileDownload(fileId: string): Promise<HsFileDownload | null> {
    const id = String(fileId).trim();
    if (!/^\d+$/.test(id)) return null;
    let signed;
    try {
      signed = await this.call('sign file url', 'general', () =>
        this.client.files.filesApi.getSignedUrl(id, undefined, SIGNED_URL_SECONDS),
      );
    } catch (error) {
      if (isKind(error, 'not_found')) return null;
      throw error;
    }
    const name = toAttachment({ id, name: signed.name, extension: signed.extension }).name;
    // The signed URL is HubSpot's file host, not the API: no token, no rate limit. Only the wait for
    // its headers is bounded; the body streams at the reader's pace.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(signed.url, { signal: controller.signal });
    } catch (error) {
      throw new HubSpotError({
        kind: 'unavailable',
        operation: 'download file',
        message: `HubSpot's file host did not answer for file ${id}: ${(error as Error).message}`,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new HubSpotError({
        kind:
          response.status >= 500 || response.status === 403 || response.status === 429
            ? 'unavailable'
            : 'invalid',
        operation: 'download file',
        status: response.status,
        message: `HubSpot's file host answered ${response.status} for file ${id}`,
      });
    }
    const length = Number(response.headers.get('content-length'));
    return {
      stream: response.body ? Readable.fromWeb(response.body) : Readable.from([]),
      contentType: response.headers.get('content-type') || contentTypeFor(name),
      size:
        Number.isFinite(length) && response.headers.has('content-length') ? length : (signed.size ?? null),
      name,
    };
  }

  // ---- helpers --------------------------------------------------------------------------------

  /**
   * What the messages' attached files are, by id: one files search per 100 ids, then a read for any
   * the search did not return (its index may lag an upload). Deleted files are simply absent.
   */
  private async attachmentFiles(ids: readonly string[]): Promise<Map<string, HsAttachment>> {
    const wanted = uniqueIds(ids);
    const found = new Map<string, HsAttachment>();
    for (const part of chunk(wanted, HubSpotLimits.filesSearchPage)) {
      const page = await this.call('search files by id', 'general', () =>
        // Positional: properties, after, before, limit, sort, ids.
        this.client.files.filesApi.doSearch(
          undefined,
          undefined,
          undefined,
          part.length,
          undefined,
          part.map(Number),
        ),
      );
      for (const file of (page.results ?? []) as WireFile[]) {
        if (!file.archived) found.set(String(file.id), toAttachment(file));
      }
    }
    for (const id of wanted.filter((x) => !found.has(x))) {
      try {
        const file = (await this.call('read file', 'general', () =>
          this.client.files.filesApi.getById(id),
        )) as WireFile;
        if (!file.archived) found.set(id, toAttachment(file));
      } catch (error) {
        if (!isKind(error, 'not_found')) throw error;
      }
    }
    return found;
  }

  /**
   * Batch read by the unique request key property (consistent, like the single read by idProperty):
   * keys no ticket carries are simply absent. Null when HubSpot refuses idProperty (the property is
   * not unique in this portal).
   */
  private async batchReadTicketsByKey(keys: string[]): Promise<WireObject[] | null> {
    try {
      const answer = await this.call('batch read tickets by request key', 'general', () =>
        this.client.crm.tickets.batchApi.read(
          {
            idProperty: REQUEST_KEY_PROPERTY,
            inputs: keys.map((id) => ({ id })),
            properties: TICKET_PROPS,
            propertiesWithHistory: [],
          },
          false,
        ),
      );
      // A 207 lists the keys no ticket carries under `errors`: absent here.
      return answer.results ?? [];
    } catch (error) {
      // Some portals answer a whole-request 404 when none (or, unnamed, some) of the keys exist.
      if (isKind(error, 'not_found')) {
        const missing = new Set((error as HubSpotError).contextIds);
        const rest = keys.filter((k) => !missing.has(k));
        if (missing.size > 0 && rest.length < keys.length) {
          return rest.length > 0 ? this.batchReadTicketsByKey(rest) : [];
        }
        return null;
      }
      if (isKind(error, 'invalid')) return null;
      throw error;
    }
  }

  private async batchReadTickets(ids: string[]): Promise<WireObject[]> {
    try {
      const answer = await this.call('batch read tickets', 'general', () =>
        this.client.crm.tickets.batchApi.read(
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
            await this.call('read ticket', 'general', () =>
              this.client.crm.tickets.basicApi.getById(id, TICKET_PROPS, undefined, undefined, false),
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
    const { ids: ticketIds, complete } = await this.associatedIds(
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
        const links = await this.ticketLinks([match.id]);
        return toTicket(match, links.get(String(match.id)));
      }
    }
    return null;
  }

  private async ticketLinks(
    ids: readonly string[],
  ): Promise<Map<string, { contactIds: string[]; companyIds: string[] }>> {
    const result = new Map<string, { contactIds: string[]; companyIds: string[] }>();
    if (ids.length === 0) return result;
    const [contacts, companies] = await Promise.all([
      this.links('tickets', 'contacts', ids, []),
      this.links('tickets', 'companies', ids, [AssociationTypeId.ticketToPrimaryCompany]),
    ]);
    for (const id of ids.map(String)) {
      result.set(id, { contactIds: contacts.get(id)?.ids ?? [], companyIds: companies.get(id)?.ids ?? [] });
    }
    return result;
  }

  /** v4 association batch read (batch read of objects cannot return associations). */
  private async links(
    from: string,
    to: string,
    ids: readonly string[],
    primaryTypeIds: number[],
  ): Promise<Map<string, AssociationLinks>> {
    const merged = new Map<string, AssociationLinks>();
    for (const part of chunk(uniqueIds(ids), HubSpotLimits.associationBatchInputs)) {
      let answer;
      try {
        answer = await this.call(`batch read ${from}→${to} associations`, 'general', () =>
          this.client.crm.associations.v4.batchApi.getPage(from, to, { inputs: part.map((id) => ({ id })) }),
        );
      } catch (error) {
        // No record of the batch has any association: some portals answer 404 instead of 207.
        if (isKind(error, 'not_found')) continue;
        throw error;
      }
      for (const [id, link] of associationMap(answer.results ?? [], primaryTypeIds)) merged.set(id, link);
    }
    return merged;
  }

  /** Paces, times out and classifies one SDK call. */
  // Walks one record's v4 association list page by page. `startAfter` continues a list that a batch read
  // began; past `max` ids it stops early and reports the list as incomplete.
  private async associatedIds(
    operation: string,
    fromType: string,
    fromId: string,
    toType: string,
    options: { startAfter?: string; max?: number } = {},
  ): Promise<{ ids: string[]; complete: boolean }> {
    const ids: string[] = [];
    let after = options.startAfter;
    do {
      const page = await this.call(operation, 'general', () =>
        this.client.crm.associations.v4.basicApi.getPage(
          fromType,
          fromId,
          toType,
          after,
          HubSpotLimits.associationPage,
        ),
      );
      ids.push(...(page.results ?? []).map((r) => String(r.toObjectId)));
      after = page.paging?.next?.after || undefined;
      if (options.max !== undefined && ids.length > options.max) return { ids, complete: false };
    } while (after !== undefined);
    return { ids, complete: true };
  }

  private async call<T>(operation: string, kind: HubSpotCallKind, fn: () => Promise<T>): Promise<T> {
    await this.limiter?.acquire(kind);
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(Object.assign(new Error(`no answer within ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' })),
          this.timeoutMs,
        );
      });
      const result = await Promise.race([fn(), timeout]);
      this.report({ operation, kind, durationMs: Date.now() - started, outcome: 'ok', status: null });
      outageLog.recovered('HubSpot');
      return result;
    } catch (error) {
      const classified = classifyHubSpotError(error, operation);
      if (classified.kind === 'unavailable') outageLog.failed('HubSpot', classified, 'HubSpot calls failed');
      this.report({
        operation,
        kind,
        durationMs: Date.now() - started,
        outcome: classified.kind,
        status: classified.status,
      });
      if (classified.kind === 'rate_limited' && classified.retryAfterMs !== null && this.limiter) {
        const scope =
          classified.policy === 'DAILY' ? 'all' : classified.policy === 'SECONDLY' ? 'search' : kind;
        // Best effort: the HubSpot error matters more than a failed pause write.
        await this.limiter.pause(classified.retryAfterMs, scope).catch(() => undefined);
      }
      throw classified;
    } finally {
      clearTimeout(timer);
    }
  }

  private report(event: HubSpotCallEvent): void {
    try {
      this.onCall?.(event);
    } catch {
      // A metrics hook must never turn a good HubSpot answer into a failure.
    }
  }
}

function newTicketProperties(input: HsCreateTicketInput): Record<string, string> {
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

function newTicketAssociations(input: HsCreateTicketInput) {
  return [
    ticketAssociation(input.contactId, AssociationTypeId.ticketToContact),
    ...(input.companyId
      ? [ticketAssociation(input.companyId, AssociationTypeId.ticketToPrimaryCompany)]
      : []),
  ];
}

function newTicketLinks(input: HsCreateTicketInput): { contactIds: string[]; companyIds: string[] } {
  return { contactIds: [input.contactId], companyIds: input.companyId ? [input.companyId] : [] };
}

/**
 * A batch answer's per-record errors (a 207), keyed by the objectWriteTraceId each names: HubSpot's
 * message for that record, classified like a whole call (a 5xx status is worth retrying, else the
 * record is refused for good).
 */
function recordErrors(
  errors: ReadonlyArray<{
    status?: string;
    category?: string;
    message?: string;
    context?: Record<string, string[]>;
  }>,
  operation: string,
): Map<string, HubSpotError> {
  const byTrace = new Map<string, HubSpotError>();
  for (const e of errors) {
    const status = Number(e.status);
    const retryable = Number.isFinite(status) && (status >= 500 || status === 429);
    const conflict = e.category === 'CONFLICT' || e.category === 'OBJECT_ALREADY_EXISTS' || status === 409;
    const error = new HubSpotError({
      kind: retryable ? 'unavailable' : conflict ? 'conflict' : 'invalid',
      operation,
      message: e.message ?? 'HubSpot refused this record',
      status: Number.isFinite(status) ? status : 400,
      category: e.category ?? null,
    });
    for (const trace of e.context?.objectWriteTraceId ?? []) byTrace.set(trace, error);
  }
  return byTrace;
}

function ticketAssociation(id: string, typeId: number) {
  return {
    to: { id },
    types: [{ associationCategory: TicketAssociationCategory.HubspotDefined, associationTypeId: typeId }],
  };
}

function emailAssociation(id: string, typeId: number) {
  return {
    to: { id },
    types: [{ associationCategory: EmailAssociationCategory.HubspotDefined, associationTypeId: typeId }],
  };
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const part of stream) chunks.push(Buffer.isBuffer(part) ? part : Buffer.from(part));
  return Buffer.concat(chunks);
}

function cleanIds(ids: readonly string[]): string[] {
  return uniqueIds(ids.map((id) => String(id).trim()).filter((id) => id !== ''));
}

function isKind(error: unknown, kind: HubSpotError['kind']): boolean {
  return error instanceof HubSpotError && error.kind === kind;
}

function mentionsRequestKey(error: unknown): boolean {
  return isKind(error, 'invalid') && (error as HubSpotError).message.includes(REQUEST_KEY_PROPERTY);
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
