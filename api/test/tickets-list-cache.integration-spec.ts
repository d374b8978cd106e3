import { createAccount } from '../src/cli/create-account';
import type { HsTicket } from '../src/hubspot/hubspot.types';
import { MirrorWriter } from '../src/sync/mirror-writer.service';
import { TicketScopeVersionService } from '../src/tickets/ticket-scope-version.service';
import { TicketSearchService } from '../src/tickets/ticket-search.service';
import { TicketsListService } from '../src/tickets/tickets-list.service';
import { GOOD_PASSWORD, login, uniqueEmail, useTestStack } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

interface Page {
  items: Array<{ id: string | null; subject: string; status: { label: string; state: string } }>;
  total: number;
  counts: { open: number; closed: number; awaiting: number };
}

// Company XC1: contacts XK1 (customer A) and XK2. Company XC2: contact XK9 (customer B). Every row
// is written by the MirrorWriter, as sync writes it, so each write bumps the scopes it touched.
const CONTACTS = [
  {
    id: 'XK1',
    email: 'alex@x.test',
    firstName: 'Alex',
    lastName: 'Morgan',
    companyIds: ['XC1'],
    primaryCompanyId: 'XC1',
    companyScope: false,
  },
  {
    id: 'XK2',
    email: 'elodie@x.test',
    firstName: 'Élodie',
    lastName: 'Durand',
    companyIds: ['XC1'],
    primaryCompanyId: 'XC1',
    companyScope: false,
  },
  {
    id: 'XK9',
    email: 'zed@y.test',
    firstName: 'Zed',
    lastName: 'Quinn',
    companyIds: ['XC2'],
    primaryCompanyId: 'XC2',
    companyScope: false,
  },
];

let modified = Date.parse('2026-03-01T00:00:00Z');
function ticket(id: string, overrides: Partial<HsTicket> = {}): HsTicket {
  modified += 1000;
  return {
    id,
    subject: `Ticket ${id}`,
    content: null,
    pipelineId: 'xp',
    stageId: 'new',
    priority: null,
    category: null,
    ownerId: null,
    createdAt: new Date('2026-01-01T00:00:00Z'),
    lastActivityAt: new Date('2026-02-01T00:00:00Z'),
    lastModifiedAt: new Date(modified),
    closedAt: null,
    requestKey: null,
    contactIds: ['XK1'],
    companyIds: ['XC1'],
    ...overrides,
  };
}

const SEED: HsTicket[] = [
  ticket('9101', {
    subject: 'Invoice missing for March',
    content: 'The PDF download fails',
    ownerId: 'xo1',
    priority: 'HIGH',
    category: 'BILLING',
    createdAt: new Date('2026-01-10T09:00:00Z'),
    lastActivityAt: new Date('2026-03-01T10:00:00Z'),
  }),
  ticket('9102', {
    subject: 'Login problem',
    content: "Cannot sign in with Élodie's account",
    stageId: 'waiting',
    contactIds: ['XK2'],
    createdAt: new Date('2026-02-10T09:00:00Z'),
    lastActivityAt: new Date('2026-02-15T09:00:00Z'),
  }),
  ticket('9103', {
    subject: 'Export broken',
    content: 'The CSV export times out',
    stageId: 'closed',
    createdAt: new Date('2026-01-20T09:00:00Z'),
    lastActivityAt: new Date('2026-01-25T09:00:00Z'),
  }),
  ticket('9104', {
    subject: 'Feature request: dark mode',
    ownerId: 'xo1',
    createdAt: new Date('2026-02-01T09:00:00Z'),
    lastActivityAt: new Date('2026-02-20T09:00:00Z'),
  }),
  ticket('9105', {
    subject: 'Refund 100% please',
    createdAt: new Date('2026-02-05T09:00:00Z'),
    lastActivityAt: new Date('2026-02-06T09:00:00Z'),
  }),
  ticket('9201', {
    subject: 'Invoice for Élodie at the other company',
    contactIds: ['XK9'],
    companyIds: ['XC2'],
    createdAt: new Date('2026-01-05T09:00:00Z'),
    lastActivityAt: new Date('2026-01-06T09:00:00Z'),
  }),
];

describe('GET /api/v1/tickets caches (counts, search index, scope versions)', () => {
  const stack = useTestStack({ env: { PORTAL_TICKET_SCOPE: 'company' } });
  let writer: MirrorWriter;
  let a: string;
  let b: string;

  const list = async (token: string, query = ''): Promise<Page> => {
    const res = await stack.request<Page>('GET', `/api/v1/tickets?${query}`, { token });
    if (res.status !== 200) throw new Error(`GET /tickets?${query} answered ${res.status}: ${res.text}`);
    return res.body;
  };
  const ids = (page: Page): Array<string | null> => page.items.map((i) => i.id);

  async function customer(contactId: string, companyId: string): Promise<string> {
    const email = uniqueEmail('cached');
    const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
    const created = await createAccount(
      { database, argon2MemoryKib, argon2TimeCost },
      { email, password: GOOD_PASSWORD },
    );
    await stack.db.query('UPDATE customers SET hubspot_contact_id = ?, hubspot_company_id = ? WHERE id = ?', [
      contactId,
      companyId,
      created.id,
    ]);
    const signedIn = await login(stack, email, GOOD_PASSWORD);
    return signedIn.body.accessToken;
  }

  beforeAll(async () => {
    writer = stack.api.app.get(MirrorWriter);
    await writer.upsertOwners([
      { id: 'xo1', firstName: 'Sam', lastName: 'Rivera', email: 'sam@x.test', archived: false },
    ]);
    await writer.upsertPipelines([
      {
        id: 'xp',
        label: 'Support',
        displayOrder: 0,
        archived: false,
        stages: [
          { id: 'new', label: 'New', displayOrder: 0, ticketState: 'OPEN' },
          { id: 'waiting', label: 'Waiting on us', displayOrder: 1, ticketState: 'OPEN' },
          { id: 'closed', label: 'Closed', displayOrder: 3, ticketState: 'CLOSED' },
        ],
      },
    ]);
    await writer.upsertContacts(CONTACTS);
    await writer.upsertTickets(SEED, new Date());
    a = await customer('XK1', 'XC1');
    b = await customer('XK9', 'XC2');
  });

  it.each([
    ['#9101', ['9101']],
    ['9101', ['9101']],
    ['invoice', ['9101']],
    ['times', ['9103']],
    ['rivera', ['9101', '9104']],
    ['elodie@x.test', ['9102']],
    // The status customers read: HubSpot's "Waiting on us" is "In progress".
    ['progress', ['9102']],
    ['waiting', []],
    ['elodie', ['9102']],
    ['ÉLODIE', ['9102']],
    ['expo', ['9103']],
    ['dark mo', ['9104']],
    ['mode dark', ['9104']],
    ['invoice dark', []],
    ['high', ['9101']],
    ['billing', ['9101']],
    ['100%', ['9105']],
    ['_', []],
    ['#9201', []],
    ['april', []],
  ])('should search %j from the scope index as the SQL search does', async (q, expected) => {
    const page = await list(a, `q=${encodeURIComponent(q)}`);
    expect(ids(page).sort()).toEqual([...expected].sort());
    expect(page.total).toBe(expected.length);
    expect(page.counts.open + page.counts.closed).toBe(expected.length);
  });

  it('should build one index per scope and keep it while the scope does not change', async () => {
    await list(a, 'q=invoice');
    const before = stack.api.app.get(TicketSearchService).stats();
    await list(a, 'q=export');
    await list(a, 'q=login&status=open');
    expect(stack.api.app.get(TicketSearchService).stats()).toEqual(before);
    expect(before.rows).toBeGreaterThanOrEqual(5);
  });

  it('should filter, count and page search results like the list', async () => {
    const open = await list(a, 'q=the&status=open');
    expect(ids(open)).toEqual(['9101']);
    expect(open.counts).toEqual({ open: 1, closed: 1, awaiting: 0 });
    // "x": every requester's email at x.test.
    const byCreated = await list(a, 'q=x&sort=created&order=asc&limit=2&page=2');
    expect(byCreated.total).toBe(5);
    expect(ids(byCreated)).toEqual(['9104', '9105']);
    const ranged = await list(a, `q=x&createdFrom=${encodeURIComponent('2026-02-01T09:00:00Z')}`);
    expect(ids(ranged).sort()).toEqual(['9102', '9104', '9105']);
  });

  it.each([
    ['id', ['CAST(hubspot_id AS UNSIGNED)']],
    ['status', ['(stage_order IS NULL)', 'stage_order', 'stage_label']],
    ['subject', ['subject']],
    [
      'requestedBy',
      ['(COALESCE(requester_name, requester_email) IS NULL)', 'COALESCE(requester_name, requester_email)'],
    ],
  ])('should sort by %s from the index in the order SQL gives', async (sort, keys) => {
    for (const order of ['asc', 'desc'] as const) {
      const dir = order.toUpperCase();
      const sql = await stack.db.query(
        `SELECT hubspot_id FROM tickets WHERE company_id = 'XC1' ORDER BY ${keys.map((k) => `${k} ${dir}`).join(', ')}, id ${dir}`,
      );
      const expected = (sql[0] as Array<{ hubspot_id: string }>).map((r) => r.hubspot_id);
      expect(ids(await list(a, `sort=${sort}&order=${order}`))).toEqual(expected);
    }
  });

  it('should change counts and search results at once when the mirror writer adds, changes or removes a ticket', async () => {
    const before = await list(a);
    expect((await list(a, 'q=kangaroo')).total).toBe(0);

    await writer.upsertTickets([ticket('9106', { subject: 'Kangaroo in the server room' })], new Date());
    const added = await list(a);
    expect(added.counts).toEqual({ ...before.counts, open: before.counts.open + 1 });
    expect(added.total).toBe(before.total + 1);
    expect(ids(await list(a, 'q=kangaroo'))).toEqual(['9106']);
    expect((await list(b, 'q=kangaroo')).total).toBe(0);

    await writer.upsertTickets(
      [ticket('9106', { subject: 'Kangaroo in the server room', stageId: 'closed' })],
      new Date(),
    );
    const closed = await list(a);
    expect(closed.counts).toEqual({ ...before.counts, closed: before.counts.closed + 1 });
    expect(ids(await list(a, 'q=kangaroo&status=closed'))).toEqual(['9106']);
    expect((await list(a, 'q=kangaroo&status=open')).total).toBe(0);

    await writer.deleteTickets(['9106'], new Date());
    expect((await list(a)).counts).toEqual(before.counts);
    expect((await list(a, 'q=kangaroo')).total).toBe(0);
  });

  it('should move a ticket between companies in both counts at once', async () => {
    const [beforeA, beforeB] = [await list(a), await list(b)];
    await writer.upsertTickets(
      [ticket('9105', { subject: 'Refund 100% please', contactIds: ['XK9'], companyIds: ['XC2'] })],
      new Date(),
    );
    expect((await list(a)).total).toBe(beforeA.total - 1);
    expect((await list(b)).total).toBe(beforeB.total + 1);
    expect(ids(await list(b, 'q=refund'))).toEqual(['9105']);
    expect((await list(a, 'q=refund')).total).toBe(0);
    await writer.upsertTickets([ticket('9105', { subject: 'Refund 100% please' })], new Date());
    expect((await list(a)).total).toBe(beforeA.total);
  });

  it('should find tickets by an owner or requester name as soon as it changes', async () => {
    expect((await list(a, 'q=riviera')).total).toBe(0);
    await writer.upsertOwners([
      { id: 'xo1', firstName: 'Sam', lastName: 'Riviera', email: 'sam@x.test', archived: false },
    ]);
    expect(ids(await list(a, 'q=riviera')).sort()).toEqual(['9101', '9104']);

    expect((await list(a, 'q=morgan-smith')).total).toBe(0);
    await writer.upsertContacts([{ ...CONTACTS[0]!, lastName: 'Morgan-Smith' }]);
    expect((await list(a, 'q=morgan-smith')).total).toBeGreaterThan(0);
  });

  it('should keep counts for each set of date filters apart', async () => {
    const all = await list(a);
    const recent = await list(a, `activityFrom=${encodeURIComponent('2026-02-14T00:00:00Z')}`);
    expect(recent.total).toBeLessThan(all.total);
    expect((await list(a)).counts).toEqual(all.counts);
  });

  describe('with the scope cached in process (TICKETS_SCOPE_CACHE_MS)', () => {
    // On the outer suite's rows: a second stack beside the first, not a fresh start.
    const cachedStack = useTestStack({
      env: { PORTAL_TICKET_SCOPE: 'company', TICKETS_SCOPE_CACHE_MS: '1000' },
      fresh: false,
    });

    it('should reuse a customer scope for its TTL while ticket changes still show at once', async () => {
      const email = uniqueEmail('scope-cache');
      const { database, argon2MemoryKib, argon2TimeCost } = cachedStack.config;
      const created = await createAccount(
        { database, argon2MemoryKib, argon2TimeCost },
        { email, password: GOOD_PASSWORD },
      );
      await cachedStack.db.query(
        "UPDATE customers SET hubspot_contact_id = 'XK1', hubspot_company_id = 'XC1' WHERE id = ?",
        [created.id],
      );
      const token = (await login(cachedStack, email, GOOD_PASSWORD)).body.accessToken;
      const get = async (query = ''): Promise<Page> =>
        (await cachedStack.request<Page>('GET', `/api/v1/tickets?${query}`, { token })).body;

      const before = await get();
      expect(before.items.every((i) => i.id?.startsWith('91'))).toBe(true);
      // A ticket written by the mirror shows at once: the scope version moves, the cached scope stays.
      await writer.upsertTickets([ticket('9107', { subject: 'Wombat in the rack' })], new Date());
      try {
        expect(ids(await get('q=wombat'))).toEqual(['9107']);
        expect((await get()).total).toBe(before.total + 1);

        // The account moved to the other company: this process keeps the scope it read until the TTL ends.
        await cachedStack.db.query(
          "UPDATE customers SET hubspot_contact_id = 'XK9', hubspot_company_id = 'XC2' WHERE id = ?",
          [created.id],
        );
        expect(ids(await get('q=wombat'))).toEqual(['9107']);
        // Until the TTL (1 s) has passed, then the scope is read again.
        await waitFor(
          'the cached scope expired',
          async () => (await get('q=wombat')).total,
          (n) => n === 0,
          5_000,
        );
        expect((await get('q=wombat')).total).toBe(0);
        expect(ids(await get()).every((id) => id?.startsWith('92'))).toBe(true);
      } finally {
        await writer.deleteTickets(['9107'], new Date());
      }
    });
  });

  describe('with PORTAL_TICKET_SCOPE=contact', () => {
    const contactStack = useTestStack({ env: { PORTAL_TICKET_SCOPE: 'contact' }, fresh: false });

    beforeAll(async () => {
      // Enough rows for the optimizer to weigh the contact's indexes like a real mirror's.
      const values: unknown[] = [];
      for (let i = 0; i < 300; i++) {
        values.push(
          `XE${i}`,
          `Contact ticket ${i}`,
          i % 3 === 0 ? null : `Owner ${i % 7}`,
          i % 10 === 0 ? 'XE-OTHER' : 'XE1',
          i % 2,
          new Date(Date.UTC(2026, 0, 1 + (i % 300))),
          new Date(Date.UTC(2026, 1, 1 + (i % 300))),
        );
      }
      await contactStack.db.query(
        `INSERT INTO tickets (hubspot_id, subject, owner_name, contact_id, is_closed, created_at, last_activity_at, updated_at)
         VALUES ${Array.from({ length: 300 }, () => '(?, ?, ?, ?, ?, ?, ?, NOW(3))').join(', ')}`,
        values,
      );
      await contactStack.db.query(
        "INSERT INTO ticket_contacts (ticket_id, contact_id, is_primary) SELECT id, contact_id, 1 FROM tickets WHERE hubspot_id LIKE 'XE%'",
      );
      await contactStack.db.query('ANALYZE TABLE tickets, ticket_contacts');
    });

    // The outer suite's tests after this block must not see these rows.
    afterAll(async () => {
      await stack.db.query("DELETE FROM tickets WHERE hubspot_id LIKE 'XE%'");
    });

    it.each([
      ['lastActivity', 'desc', 'all'],
      ['created', 'asc', 'open'],
      ['owner', 'asc', 'all'],
      ['owner', 'desc', 'closed'],
      // "Awaiting your reply" too: no tickets index to force in a contact scope (walkIndex).
      ['owner', 'asc', 'awaiting'],
    ] as const)(
      'should walk the contact’s ticket_contacts rows and join tickets by primary key for sort=%s order=%s status=%s',
      async (sort, order, status) => {
        const token = await (async () => {
          const email = uniqueEmail('contact-explain');
          const { database, argon2MemoryKib, argon2TimeCost } = contactStack.config;
          const created = await createAccount(
            { database, argon2MemoryKib, argon2TimeCost },
            { email, password: GOOD_PASSWORD },
          );
          await contactStack.db.query('UPDATE customers SET hubspot_contact_id = ? WHERE id = ?', [
            'XE1',
            created.id,
          ]);
          return created.id;
        })();
        const service = contactStack.api.app.get(TicketsListService);
        const plan = await service.explainPage(token, {
          status,
          sort,
          order,
          limit: 25,
          page: 1,
        });
        // Issue 15: the contact scope is every ticket the contact is on (ADR 0007, amended): a ref on
        // ticket_contacts(contact_id, …), then each ticket by its primary key, then a sort of those rows.
        const links = plan.filter((row) => row['table'] === 'ticket_contacts');
        const tickets = plan.filter((row) => row['table'] === 'tickets');
        expect(links.length).toBeGreaterThan(0);
        expect(tickets.length).toBe(links.length);
        for (const row of links) {
          expect(row).toMatchObject({ key: 'idx_ticket_contacts_contact', type: 'ref' });
        }
        for (const row of tickets) expect(row).toMatchObject({ key: 'PRIMARY', type: 'eq_ref' });
      },
    );
  });

  it('should hand out new versions after Redis lost its data', async () => {
    const versions = stack.api.app.get(TicketScopeVersionService);
    const before = await versions.current({ companyId: 'XC1' });
    await stack.clearRedis();
    expect(await versions.current({ companyId: 'XC1' })).not.toBe(before);
  });
});
