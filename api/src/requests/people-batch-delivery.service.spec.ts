import type { DataSource } from 'typeorm';
import { HubSpotError } from '../hubspot/hubspot-error';
import type { HubSpotPort } from '../hubspot/hubspot.port';
import type {
  HsContact,
  HsTicket,
  HsTicketContactPair,
  HsTicketContactRefusal,
} from '../hubspot/hubspot.types';
import type { OutboxRow, RequestOutboxRepository } from '../repositories/request-outbox.repository';
import type {
  PeopleAction,
  PeopleRequestRow,
  TicketPeopleRequestsRepository,
} from '../repositories/ticket-people-requests.repository';
import type { TicketRow } from '../repositories/tickets.repository';
import type { MirrorWriter } from '../sync/mirror-writer.service';
import type { TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import { BatchSettlement } from './batch-settlement.service';
import type { DeliveryGatherer, GatheredBatch } from './delivery-gatherer';
import type { DeliveryRecordSteps } from './delivery-record-steps.service';
import { PeopleBatchDeliveryService } from './people-batch-delivery.service';

// A batch of people-in-copy changes on fakes of our own ports: the order per ticket, refusals and
// retries of single changes, and another batch's claim (the emulator runs in
// test/batched-delivery.integration-spec.ts).

function contact(id: string, email: string): HsContact {
  return {
    id,
    email,
    firstName: null,
    lastName: null,
    companyIds: [],
    primaryCompanyId: null,
    companyScope: false,
  };
}

function hsTicket(id: string, contactIds: string[]): HsTicket {
  const at = new Date('2026-05-01T10:00:00Z');
  return {
    id,
    subject: 'Stems missing',
    content: null,
    pipelineId: '0',
    stageId: '1',
    priority: null,
    category: null,
    ownerId: null,
    createdAt: at,
    lastActivityAt: at,
    lastModifiedAt: at,
    closedAt: null,
    requestKey: null,
    contactIds,
    companyIds: [],
  };
}

function setUp() {
  const tickets = new Map<number, TicketRow>();
  const requests: PeopleRequestRow[] = [];
  const rows: OutboxRow[] = [];
  /** HubSpot: contacts by email, and each ticket's contacts. */
  const contacts = new Map<string, HsContact>();
  const links = new Map<string, Set<string>>();
  const log = {
    calls: [] as string[],
    released: [] as Array<{ ids: readonly number[] | undefined; error: string | undefined }>,
    failedRows: [] as Array<{ id: number; reason: string }>,
    doneRows: [] as number[],
    down: 0,
  };
  const faults: {
    create?: Map<string, HubSpotError>;
    associate?: (pair: HsTicketContactPair) => HubSpotError | undefined;
    outage?: HubSpotError;
  } = {};
  /** Live claims of other batches: ticket id → the oldest people row id they hold. */
  const elsewhere = new Map<number, number>();
  let nextContact = 900;

  const port = {
    findContactsByEmails: (emails: readonly string[]) => {
      log.calls.push('find contacts');
      if (faults.outage) return Promise.reject(faults.outage);
      return Promise.resolve(
        new Map(emails.filter((e) => contacts.has(e)).map((e) => [e, contacts.get(e)!] as const)),
      );
    },
    createContacts: (inputs: ReadonlyArray<{ email: string }>) => {
      log.calls.push('create contacts');
      const answers = new Map<string, HsContact | HubSpotError>();
      for (const { email } of inputs) {
        const refused = faults.create?.get(email);
        if (refused) {
          answers.set(email, refused);
          continue;
        }
        const made = contact(String((nextContact += 1)), email);
        contacts.set(email, made);
        answers.set(email, made);
      }
      return Promise.resolve(answers);
    },
    associateContactsMany: (pairs: readonly HsTicketContactPair[]) => {
      log.calls.push(`associate ${pairs.map((p) => `${p.ticketId}:${p.contactId}`).join(',')}`);
      const refused: HsTicketContactRefusal[] = [];
      for (const pair of pairs) {
        const error = faults.associate?.(pair);
        if (error) refused.push({ ...pair, error });
        else links.set(pair.ticketId, (links.get(pair.ticketId) ?? new Set()).add(pair.contactId));
      }
      return Promise.resolve(refused);
    },
    dissociateContactsMany: (pairs: readonly HsTicketContactPair[]) => {
      log.calls.push(`dissociate ${pairs.map((p) => `${p.ticketId}:${p.contactId}`).join(',')}`);
      for (const pair of pairs) links.get(pair.ticketId)?.delete(pair.contactId);
      return Promise.resolve([]);
    },
    getTicketsByIds: (ids: readonly string[]) => {
      log.calls.push(`read tickets ${ids.join(',')}`);
      return Promise.resolve(ids.map((id) => hsTicket(id, [...(links.get(id) ?? [])])));
    },
  } as unknown as HubSpotPort;

  const outboxRows = {
    peopleClaimedElsewhere: (ids: readonly number[]) =>
      Promise.resolve(new Map([...elsewhere].filter(([ticketId]) => ids.includes(ticketId)))),
    releaseClaim: (_claimId: string, ids?: readonly number[], error?: string) => {
      log.released.push({ ids, error });
      return Promise.resolve();
    },
    markDone: (id: number) => {
      log.doneRows.push(id);
      return Promise.resolve();
    },
    markFailed: (_m: unknown, id: number, reason: string) => {
      log.failedRows.push({ id, reason });
      return Promise.resolve();
    },
  } as unknown as RequestOutboxRepository;

  const peopleRequests = {
    pendingOf: (ids: readonly number[]) =>
      Promise.resolve(requests.filter((r) => r.state === 'pending' && ids.includes(r.ticket_id))),
    markDone: (_m: unknown, ids: readonly number[]) => {
      for (const r of requests) if (ids.includes(r.id)) r.state = 'done';
      return Promise.resolve();
    },
    markFailed: (ids: readonly number[]) => {
      for (const r of requests) if (ids.includes(r.id) && r.state === 'pending') r.state = 'failed';
      return Promise.resolve();
    },
  } as unknown as TicketPeopleRequestsRepository;

  const shared = {
    afterHubSpotWrite: null,
    ticket: (id: number) => Promise.resolve(tickets.get(id)),
    finish: (row: OutboxRow, outcome: string) => {
      log.doneRows.push(row.id);
      return Promise.resolve(outcome);
    },
    mirrorMany: () => Promise.resolve(),
  } as unknown as DeliveryRecordSteps;

  const gatherer = {
    hubspotUp: () => Promise.resolve(),
    hubspotDown: () => {
      log.down += 1;
      return Promise.resolve();
    },
  } as unknown as DeliveryGatherer;

  const dataSource = {
    transaction: (a: unknown, b?: unknown) =>
      (typeof a === 'function'
        ? (a as (m: object) => Promise<unknown>)
        : (b as (m: object) => Promise<unknown>))({}),
  } as unknown as DataSource;

  const sut = new PeopleBatchDeliveryService(
    dataSource,
    outboxRows,
    peopleRequests,
    port,
    { upsertContacts: () => Promise.resolve() } as unknown as MirrorWriter,
    { bump: () => Promise.resolve() } as unknown as TicketScopeVersionService,
    gatherer,
    shared,
    new BatchSettlement(dataSource, outboxRows, gatherer, shared),
  );

  const world = {
    sut,
    log,
    faults,
    elsewhere,
    contacts,
    links,
    requests,
    ticket(id: number, hubspotId: string | null): void {
      tickets.set(id, {
        id,
        hubspot_id: hubspotId,
        contact_id: 'requester',
        company_id: null,
        created_by_customer_id: 'customer-1',
      } as unknown as TicketRow);
    },
    /** A customer's change: its request and its outbox row. */
    change(ticketId: number, email: string, action: PeopleAction): OutboxRow {
      requests.push({ id: requests.length + 1, ticket_id: ticketId, email, action, state: 'pending' });
      const row = {
        id: 100 + rows.length + 1,
        kind: 'people',
        ticket_id: ticketId,
        message_id: null,
        target_stage_id: null,
        state: 'pending',
        follow_up: null,
        claimed: 1,
        handoffs: 1,
      } as OutboxRow;
      rows.push(row);
      return row;
    },
    batch(of: readonly OutboxRow[] = rows): GatheredBatch {
      return { claimId: 'claim-1', rows: [...of], close: () => undefined };
    },
    stateOf: (email: string) => requests.filter((r) => r.email === email).map((r) => r.state),
  };
  return world;
}

describe(PeopleBatchDeliveryService.name, () => {
  it('should send the last wish per ticket and email, in one call of each kind, and make no contact for a removed email', async () => {
    const w = setUp();
    w.contacts.set('kept@example.com', contact('11', 'kept@example.com'));
    w.ticket(1, '501');
    w.ticket(2, '502');
    w.links.set('502', new Set(['11']));
    const rows = [
      w.change(1, 'new@example.com', 'add'),
      w.change(1, 'fleeting@example.com', 'add'),
      w.change(1, 'fleeting@example.com', 'remove'),
      w.change(2, 'kept@example.com', 'remove'),
      w.change(2, 'kept@example.com', 'add'),
    ];

    const outcomes = await w.sut.deliverBatch(w.batch());

    expect(rows.map((r) => outcomes.get(r.id))).toEqual(Array(5).fill('delivered'));
    const made = w.contacts.get('new@example.com')!.id;
    expect(w.log.calls).toEqual([
      'find contacts',
      'create contacts',
      `associate 501:${made},502:11`,
      'read tickets 501,502',
    ]);
    expect(w.contacts.has('fleeting@example.com')).toBe(false);
    expect([...w.links.get('502')!]).toEqual(['11']);
    expect(w.requests.every((r) => r.state === 'done')).toBe(true);
    expect(w.log.doneRows.sort()).toEqual(rows.map((r) => r.id).sort());
  });

  it('should fail a refused change with its request and one row of its ticket, delivering the rest', async () => {
    const w = setUp();
    w.ticket(1, '501');
    w.ticket(2, '502');
    const refusal = new HubSpotError({
      kind: 'invalid',
      operation: 'batch create contacts',
      message: 'Email address bad@nodot is invalid',
      status: 400,
    });
    w.faults.create = new Map([['bad@nodot', refusal]]);
    const good = w.change(1, 'good@example.com', 'add');
    const bad = w.change(1, 'bad@nodot', 'add');
    const other = w.change(2, 'other@example.com', 'add');

    const outcomes = await w.sut.deliverBatch(w.batch());

    expect(outcomes.get(bad.id)).toBe('failed');
    expect(outcomes.get(good.id)).toBe('delivered');
    expect(outcomes.get(other.id)).toBe('delivered');
    expect(w.log.failedRows).toEqual([
      { id: bad.id, reason: expect.stringMatching(/^HubSpot refused it.*bad@nodot/) },
    ]);
    expect(w.stateOf('bad@nodot')).toEqual(['failed']);
    expect(w.stateOf('good@example.com')).toEqual(['done']);
  });

  it("should give a ticket's row back when HubSpot could not take one of its changes now, the change still pending", async () => {
    const w = setUp();
    w.ticket(1, '501');
    w.ticket(2, '502');
    w.faults.associate = (pair) =>
      pair.ticketId === '502'
        ? new HubSpotError({
            kind: 'unavailable',
            operation: 'batch associate',
            message: 'busy',
            status: 503,
          })
        : undefined;
    const first = w.change(1, 'a@example.com', 'add');
    const second = w.change(2, 'b@example.com', 'add');

    const outcomes = await w.sut.deliverBatch(w.batch());

    expect(outcomes.get(first.id)).toBe('delivered');
    expect(outcomes.get(second.id)).toBeInstanceOf(Error);
    expect(w.log.released).toContainEqual({ ids: [second.id], error: expect.stringContaining('busy') });
    expect(w.stateOf('b@example.com')).toEqual(['pending']);
    expect(w.log.calls).toContain('read tickets 501');
  });

  it("should leave a ticket's later rows to their jobs while another batch delivers its earlier ones", async () => {
    const w = setUp();
    w.ticket(1, '501');
    w.ticket(2, '502');
    const later = w.change(1, 'late@example.com', 'remove');
    const mine = w.change(2, 'mine@example.com', 'add');
    // Another live claim holds an older people row of ticket 1, and a newer one of ticket 2.
    w.elsewhere.set(1, later.id - 50);
    w.elsewhere.set(2, mine.id + 50);

    const outcomes = await w.sut.deliverBatch(w.batch());

    expect(outcomes.has(later.id)).toBe(false);
    expect(w.log.released[0]).toEqual({
      ids: [later.id],
      error: expect.stringContaining('still on their way'),
    });
    expect(outcomes.get(mine.id)).toBe('delivered');
    expect(w.stateOf('late@example.com')).toEqual(['pending']);
    expect(w.log.calls.join(' ')).not.toContain('501');
  });

  it('should give every row back with the try counted and hold batches back when HubSpot is down', async () => {
    const w = setUp();
    w.ticket(1, '501');
    w.faults.outage = new HubSpotError({
      kind: 'unavailable',
      operation: 'batch read contacts by email',
      message: 'HubSpot is down',
      status: 503,
      retryAfterMs: 5000,
    });
    const row = w.change(1, 'a@example.com', 'add');

    await expect(w.sut.deliverBatch(w.batch())).rejects.toBe(w.faults.outage);

    expect(w.log.released).toEqual([{ ids: undefined, error: expect.stringContaining('HubSpot is down') }]);
    expect(w.log.down).toBe(1);
    expect(w.log.doneRows).not.toContain(row.id);
    expect(w.stateOf('a@example.com')).toEqual(['pending']);
  });
});
