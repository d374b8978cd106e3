import { createAccount } from '../src/cli/create-account';
import { TicketsListService } from '../src/tickets/tickets-list.service';
import { GOOD_PASSWORD, login, type TestStack, uniqueEmail, useTestStack } from './helpers/test-stack';

interface Item {
  id: string | null;
  localId: string;
  status: { label: string; state: 'open' | 'closed'; kind: string };
  subject: string;
  createdAt: string;
  owner: { name: string } | null;
  lastActivityAt: string;
  requestedBy: { name: string | null; email: string };
  syncState: string;
}
interface Page {
  items: Item[];
  total: number;
  counts: { open: number; closed: number; awaiting: number };
  syncedAt: string | null;
  message?: string;
}

interface Row {
  hubspotId?: string | null;
  subject: string;
  content?: string | null;
  stageLabel?: string | null;
  stageOrder?: number | null;
  /** new | in_progress | awaiting_customer | closed, as sync copies it from the stage. */
  statusKind?: string | null;
  closed?: boolean;
  ownerName?: string | null;
  contactId?: string | null;
  requesterName?: string | null;
  requesterEmail?: string | null;
  companyId?: string | null;
  priority?: string | null;
  category?: string | null;
  createdAt: string;
  lastActivityAt: string;
  syncState?: string;
  createdBy?: string | null;
}

// A small factory for mirror rows, written straight into the table as sync would.
async function insertTicket(stack: TestStack, row: Row): Promise<void> {
  const [inserted] = await stack.db.query(
    `INSERT INTO tickets (hubspot_id, subject, content, stage_label, stage_order, is_closed, status_kind, owner_name, contact_id,
       requester_name, requester_email, company_id, priority, category, created_at, last_activity_at, sync_state,
       created_by_customer_id, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NOW(3))`,
    [
      row.hubspotId ?? null,
      row.subject,
      row.content ?? null,
      row.stageLabel ?? null,
      row.stageOrder ?? null,
      row.closed ? 1 : 0,
      row.statusKind ?? (row.closed ? 'closed' : null),
      row.ownerName ?? null,
      row.contactId ?? null,
      row.requesterName ?? null,
      row.requesterEmail ?? null,
      row.companyId ?? null,
      row.priority ?? null,
      row.category ?? null,
      new Date(row.createdAt),
      new Date(row.lastActivityAt),
      row.syncState ?? 'synced',
      row.createdBy ?? null,
    ],
  );
  // Sync mirrors the requester into ticket_contacts too (issue 15: the contact scope reads it).
  if (row.contactId) {
    await stack.db.query('INSERT INTO ticket_contacts (ticket_id, contact_id, is_primary) VALUES (?, ?, 1)', [
      (inserted as { insertId: number }).insertId,
      row.contactId,
    ]);
  }
}

async function customer(
  stack: TestStack,
  link: { contactId: string; companyId: string | null } | null,
): Promise<{ id: string; token: string }> {
  const email = uniqueEmail('lister');
  const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
  const created = await createAccount(
    { database, argon2MemoryKib, argon2TimeCost },
    { email, password: GOOD_PASSWORD },
  );
  if (link) {
    await stack.db.query('UPDATE customers SET hubspot_contact_id = ?, hubspot_company_id = ? WHERE id = ?', [
      link.contactId,
      link.companyId,
      created.id,
    ]);
  }
  const signedIn = await login(stack, email, GOOD_PASSWORD);
  if (signedIn.status !== 200) throw new Error(`login answered ${signedIn.status}: ${signedIn.text}`);
  return { id: created.id, token: signedIn.body.accessToken };
}

interface Ids {
  a: string;
  unlinked: string;
}

// Company C1: contacts K1 (customer A) and K3 (a colleague). Company C2: contact K2 (customer B).
// K4 has no company. One portal-submitted row of A's has no contact or company yet (the "orphan").
// Each suite's stack starts on empty tables (useTestStack), so these are the only rows.
async function seed(stack: TestStack, ids: Ids): Promise<void> {
  const rows: Row[] = [
    {
      hubspotId: '101',
      subject: 'Invoice missing for March',
      content: 'The PDF download fails',
      stageLabel: 'New',
      stageOrder: 0,
      statusKind: 'new',
      ownerName: 'Sam Rivera',
      contactId: 'K1',
      requesterName: 'Alex Morgan',
      requesterEmail: 'alex@a.test',
      companyId: 'C1',
      priority: 'HIGH',
      category: 'BILLING',
      createdAt: '2026-01-10T09:00:00Z',
      lastActivityAt: '2026-03-01T10:00:00Z',
    },
    {
      hubspotId: '102',
      subject: 'Login problem',
      content: "Cannot sign in with Élodie's account",
      stageLabel: 'In progress',
      stageOrder: 1,
      statusKind: 'in_progress',
      contactId: 'K3',
      requesterName: 'Élodie Durand',
      requesterEmail: 'elodie@a.test',
      companyId: 'C1',
      createdAt: '2026-02-10T09:00:00Z',
      lastActivityAt: '2026-02-15T09:00:00Z',
    },
    {
      hubspotId: '103',
      subject: 'Export broken',
      content: 'The CSV export times out',
      stageLabel: 'Closed',
      stageOrder: 3,
      closed: true,
      ownerName: 'Ana Belo',
      contactId: 'K3',
      requesterEmail: 'zed@a.test',
      companyId: 'C1',
      createdAt: '2026-03-05T09:00:00Z',
      lastActivityAt: '2026-03-20T09:00:00Z',
    },
    {
      hubspotId: '104',
      subject: 'Feature request: dark mode',
      content: 'Please add it',
      stageLabel: 'Awaiting your reply',
      stageOrder: 2,
      statusKind: 'awaiting_customer',
      ownerName: 'Sam Rivera',
      contactId: 'K1',
      requesterName: 'Alex Morgan',
      requesterEmail: 'alex@a.test',
      companyId: 'C1',
      priority: 'LOW',
      category: 'FEATURE',
      createdAt: '2026-03-15T09:00:00Z',
      lastActivityAt: '2026-04-01T09:00:00Z',
    },
    {
      hubspotId: '105',
      subject: 'Refund 100% please',
      stageLabel: 'Closed',
      stageOrder: 3,
      closed: true,
      ownerName: 'Chris Zhang',
      contactId: 'K1',
      requesterName: 'Bob Archer',
      requesterEmail: 'bob@a.test',
      companyId: 'C1',
      createdAt: '2026-04-01T09:00:00Z',
      lastActivityAt: '2026-04-02T09:00:00Z',
    },
    {
      subject: 'Printer on fire',
      contactId: 'K1',
      requesterName: 'Alex Morgan',
      requesterEmail: 'alex@a.test',
      companyId: 'C1',
      createdAt: '2026-04-05T09:00:00Z',
      lastActivityAt: '2026-04-05T09:00:00Z',
      syncState: 'pending',
      createdBy: ids.a,
    },
    {
      subject: 'Orphan request',
      requesterName: 'Yan Orphan',
      requesterEmail: 'yan@a.test',
      createdAt: '2026-01-01T09:00:00Z',
      lastActivityAt: '2026-01-02T09:00:00Z',
      syncState: 'pending',
      createdBy: ids.a,
    },
    {
      hubspotId: '201',
      subject: 'Invoice missing for April',
      content: 'Élodie says the export times out',
      stageLabel: 'Awaiting your reply',
      stageOrder: 2,
      statusKind: 'awaiting_customer',
      ownerName: 'Sam Rivera',
      contactId: 'K2',
      requesterName: 'Zoe Other',
      requesterEmail: 'zoe@b.test',
      companyId: 'C2',
      priority: 'HIGH',
      createdAt: '2026-02-01T09:00:00Z',
      lastActivityAt: '2026-02-02T09:00:00Z',
    },
    {
      hubspotId: '301',
      subject: 'No company here',
      contactId: 'K4',
      requesterEmail: 'solo@d.test',
      stageLabel: 'New',
      stageOrder: 0,
      statusKind: 'new',
      createdAt: '2026-02-01T09:00:00Z',
      lastActivityAt: '2026-02-02T09:00:00Z',
    },
    {
      subject: 'Sent before my account was linked',
      requesterEmail: 'unlinked@u.test',
      createdAt: '2026-02-01T09:00:00Z',
      lastActivityAt: '2026-02-02T09:00:00Z',
      syncState: 'pending',
      createdBy: ids.unlinked,
    },
  ];
  for (const row of rows) await insertTicket(stack, row);
}

const A_SUBJECTS = {
  t101: 'Invoice missing for March',
  t102: 'Login problem',
  t103: 'Export broken',
  t104: 'Feature request: dark mode',
  t105: 'Refund 100% please',
  pending: 'Printer on fire',
  orphan: 'Orphan request',
};
type Key = keyof typeof A_SUBJECTS;

describe('GET /api/v1/tickets', () => {
  describe('with PORTAL_TICKET_SCOPE=company', () => {
    const stack = useTestStack({ env: { PORTAL_TICKET_SCOPE: 'company' } });
    let a: { id: string; token: string };
    let b: { id: string; token: string };
    let d: { id: string; token: string };
    let unlinked: { id: string; token: string };

    async function list(token: string, query = ''): Promise<{ status: number; body: Page }> {
      const response = await stack.request<Page>('GET', `/api/v1/tickets${query ? `?${query}` : ''}`, {
        token,
      });
      return { status: response.status, body: response.body };
    }
    async function subjects(query = ''): Promise<string[]> {
      const { status, body } = await list(a.token, query);
      expect(status).toBe(200);
      return body.items.map((i) => i.subject);
    }
    const names = (...keys: Key[]): string[] => keys.map((k) => A_SUBJECTS[k]);

    beforeAll(async () => {
      a = await customer(stack, { contactId: 'K1', companyId: 'C1' });
      b = await customer(stack, { contactId: 'K2', companyId: 'C2' });
      d = await customer(stack, { contactId: 'K4', companyId: null });
      unlinked = await customer(stack, null);
      await seed(stack, { a: a.id, unlinked: unlinked.id });
    });

    it('should answer 401 without a token', async () => {
      const response = await stack.request('GET', '/api/v1/tickets');
      expect(response.status).toBe(401);
    });

    it("should list the company's tickets and the customer's own submissions in the widget's shape", async () => {
      await stack.db.query(
        "INSERT INTO sync_state (stream, last_success_at, updated_at) VALUES ('reconcile', '2026-04-06 12:00:00.000', NOW(3))",
      );
      try {
        const { status, body } = await list(a.token);
        expect(status).toBe(200);
        expect(body.total).toBe(7);
        expect(body.counts).toEqual({ open: 5, closed: 2, awaiting: 1 });
        expect(body.syncedAt).toBe('2026-04-06T12:00:00.000Z');
        // Default: last activity, newest first.
        expect(body.items.map((i) => i.subject)).toEqual(
          names('pending', 't105', 't104', 't103', 't101', 't102', 'orphan'),
        );
        const t101 = body.items.find((i) => i.id === '101')!;
        expect(t101).toEqual({
          id: '101',
          localId: expect.stringMatching(/^\d+$/),
          status: { label: 'New', state: 'open', kind: 'new' },
          subject: 'Invoice missing for March',
          createdAt: '2026-01-10T09:00:00.000Z',
          owner: { name: 'Sam Rivera' },
          lastActivityAt: '2026-03-01T10:00:00.000Z',
          requestedBy: { name: 'Alex Morgan', email: 'alex@a.test' },
          syncState: 'synced',
        });
        const pending = body.items.find((i) => i.subject === A_SUBJECTS.pending)!;
        expect(pending).toMatchObject({ id: null, owner: null, syncState: 'pending' });
        expect(body.items.find((i) => i.id === '103')!.status).toEqual({
          label: 'Closed',
          state: 'closed',
          kind: 'closed',
        });
        expect(body.items.find((i) => i.id === '104')!.status).toEqual({
          label: 'Awaiting your reply',
          state: 'open',
          kind: 'awaiting_customer',
        });
        // The portal's own submission before HubSpot has it: no stage yet, read as in progress.
        expect(pending.status).toEqual({ label: 'Open', state: 'open', kind: 'in_progress' });
      } finally {
        await stack.db.query('DELETE FROM sync_state');
      }
      expect((await list(a.token)).body.syncedAt).toBeNull();
    });

    it('should filter by status and keep the counts for both states', async () => {
      const open = await list(a.token, 'status=open');
      expect(open.body.total).toBe(5);
      expect(open.body.items.every((i) => i.status.state === 'open')).toBe(true);
      expect(open.body.counts).toEqual({ open: 5, closed: 2, awaiting: 1 });
      const closed = await list(a.token, 'status=closed');
      expect(closed.body.total).toBe(2);
      expect(closed.body.items.map((i) => i.id).sort()).toEqual(['103', '105']);
      expect(closed.body.counts).toEqual({ open: 5, closed: 2, awaiting: 1 });
      expect((await list(a.token, 'status=all')).body.total).toBe(7);
    });

    it('should filter by created and last activity instants, counts following the filters', async () => {
      const from = await list(a.token, 'createdFrom=2026-03-01T00:00:00Z');
      expect(from.body.items.map((i) => i.subject).sort()).toEqual(
        names('t103', 't104', 't105', 'pending').sort(),
      );
      expect(from.body.counts).toEqual({ open: 2, closed: 2, awaiting: 1 });
      expect((await subjects('createdTo=2026-02-28T23:59:59Z')).sort()).toEqual(
        names('orphan', 't101', 't102').sort(),
      );
      expect(
        (await subjects('createdFrom=2026-02-01T00:00:00Z&createdTo=2026-03-10T00:00:00%2B01:00')).sort(),
      ).toEqual(names('t102', 't103').sort());
      expect((await subjects('activityFrom=2026-04-01T00:00:00Z')).sort()).toEqual(
        names('t104', 't105', 'pending').sort(),
      );
      expect((await subjects('activityTo=2026-03-01T23:59:59.999Z')).sort()).toEqual(
        names('orphan', 't101', 't102').sort(),
      );
      const both = await list(a.token, 'status=closed&activityFrom=2026-04-01T00:00:00Z');
      expect(both.body.total).toBe(1);
      expect(both.body.counts).toEqual({ open: 2, closed: 1, awaiting: 1 });
    });

    const ascending: Record<string, Key[]> = {
      id: ['t101', 't102', 't103', 't104', 't105', 'pending', 'orphan'],
      status: ['t101', 't102', 't104', 't103', 't105', 'pending', 'orphan'],
      subject: ['t103', 't104', 't101', 't102', 'orphan', 'pending', 't105'],
      created: ['orphan', 't101', 't102', 't103', 't104', 't105', 'pending'],
      owner: ['t103', 't105', 't101', 't104', 't102', 'pending', 'orphan'],
      lastActivity: ['orphan', 't102', 't101', 't103', 't104', 't105', 'pending'],
      requestedBy: ['t101', 't104', 'pending', 't105', 't102', 'orphan', 't103'],
    };
    for (const [sort, order] of Object.entries(ascending)) {
      it(`should sort by ${sort} both ways with a stable tie-break`, async () => {
        expect(await subjects(`sort=${sort}&order=asc`)).toEqual(names(...order));
        expect(await subjects(`sort=${sort}&order=desc`)).toEqual(names(...[...order].reverse()));
        // Pages of 3 put together give the same order (the page cut never reorders or repeats).
        for (const dir of ['asc', 'desc'] as const) {
          const paged: string[] = [];
          for (let page = 1; page <= 3; page++) {
            paged.push(...(await subjects(`sort=${sort}&order=${dir}&limit=3&page=${page}`)));
          }
          expect(paged).toEqual(names(...(dir === 'asc' ? order : [...order].reverse())));
        }
      });
    }

    it('should page through every ticket exactly once', async () => {
      const seen: string[] = [];
      for (let page = 1; page <= 4; page++) {
        const { body } = await list(a.token, `limit=2&page=${page}`);
        expect(body.total).toBe(7);
        expect(body.items.length).toBe(page === 4 ? 1 : 2);
        seen.push(...body.items.map((i) => i.localId));
      }
      expect(new Set(seen).size).toBe(7);
      expect((await list(a.token, 'limit=2&page=5')).body.items).toEqual([]);
    });

    it.each([
      ['#101', ['t101']],
      ['101', ['t101']],
      ['invoice', ['t101']],
      ['times', ['t103']],
      ['rivera', ['t101', 't104']],
      ['zed@a.test', ['t103']],
      // Status words are the ones customers read, not HubSpot's.
      ['awaiting', ['t104']],
      ['your reply', ['t104']],
      ['progress', ['t102']],
      ['contact', []],
      ['elodie', ['t102']],
      ['ÉLODIE', ['t102']],
      ['expo', ['t103']],
      ['dark mo', ['t104']],
      ['mode dark', ['t104']],
      ['invoice dark', []],
      ['high', ['t101']],
      ['billing', ['t101']],
      ['100%', ['t105']],
      ['_', []],
      ['#201', []],
      ['april', []],
    ] as Array<[string, Key[]]>)('should search %j within the scope', async (q, expected) => {
      const { status, body } = await list(a.token, `q=${encodeURIComponent(q)}`);
      expect(status).toBe(200);
      expect(body.items.map((i) => i.subject).sort()).toEqual(names(...expected).sort());
      expect(body.total).toBe(expected.length);
      expect(body.counts.open + body.counts.closed).toBe(expected.length);
    });

    it("should never list, count or find another company's tickets", async () => {
      const other = await list(b.token);
      expect(other.body.items.map((i) => i.id)).toEqual(['201']);
      expect(other.body.counts).toEqual({ open: 1, closed: 0, awaiting: 1 });
      expect((await list(b.token, 'q=march')).body.total).toBe(0);
      expect((await list(b.token, 'q=%23101')).body.total).toBe(0);
      expect((await list(b.token, 'q=elodie')).body.items.map((i) => i.id)).toEqual(['201']);
    });

    it('should fall back to the contact when the contact has no company', async () => {
      const { body } = await list(d.token);
      expect(body.items.map((i) => i.id)).toEqual(['301']);
      expect(body.total).toBe(1);
    });

    it('should show a customer not linked yet only the tickets they submitted', async () => {
      const { status, body } = await list(unlinked.token);
      expect(status).toBe(200);
      expect(body.items.map((i) => i.subject)).toEqual(['Sent before my account was linked']);
      expect(body.counts).toEqual({ open: 1, closed: 0, awaiting: 0 });
      expect((await list(unlinked.token, 'q=invoice')).body.total).toBe(0);
    });

    it('should list "Awaiting your reply" (status=awaiting) with its count, searched and sorted on the shown names', async () => {
      const awaiting = await list(a.token, 'status=awaiting');
      expect(awaiting.status).toBe(200);
      expect(awaiting.body.items.map((i) => i.id)).toEqual(['104']);
      expect(awaiting.body.total).toBe(1);
      expect(awaiting.body.counts).toEqual({ open: 5, closed: 2, awaiting: 1 });
      // Every sort, and a search, inside the filter.
      for (const sort of ['id', 'status', 'subject', 'created', 'owner', 'lastActivity', 'requestedBy']) {
        expect(
          (await list(a.token, `status=awaiting&sort=${sort}&order=asc`)).body.items.map((i) => i.id),
        ).toEqual(['104']);
      }
      expect((await list(a.token, 'status=awaiting&q=dark')).body.total).toBe(1);
      expect((await list(a.token, 'status=awaiting&q=invoice')).body.total).toBe(0);
      const searched = await list(a.token, 'q=reply');
      expect(searched.body.counts).toEqual({ open: 1, closed: 0, awaiting: 1 });
      // Another company's awaiting ticket is theirs.
      expect((await list(b.token, 'status=awaiting')).body.items.map((i) => i.id)).toEqual(['201']);
      // The status sort orders the labels customers read, as the stages are ordered in HubSpot.
      const byStatus = await list(a.token, 'sort=status&order=asc&status=open');
      expect(byStatus.body.items.map((i) => i.status.label)).toEqual([
        'New',
        'In progress',
        'Awaiting your reply',
        'Open',
        'Open',
      ]);
    });

    it('should read "Awaiting your reply" from the (scope, status_kind, last_activity_at, id) index, counts from (scope, is_closed, status_kind)', async () => {
      const service = stack.api.app.get(TicketsListService);
      for (const sort of ['lastActivity', 'created', 'owner'] as const) {
        const plan = await service.explainPage(b.id, {
          status: 'awaiting',
          sort,
          order: 'desc',
          limit: 25,
          page: 1,
        });
        for (const step of plan.filter((s) => s['table'] === 'tickets')) {
          expect(step['key']).toBe('idx_tickets_company_kind_activity');
          expect(step['type']).toMatch(/^(ref|range)$/);
        }
      }
      const lastActivity = await service.explainPage(b.id, {
        status: 'awaiting',
        sort: 'lastActivity',
        order: 'desc',
        limit: 25,
        page: 1,
      });
      const extra = lastActivity[0]!['Extra'];
      expect(typeof extra === 'string' ? extra : '').not.toMatch(/filesort/i);
      const counts = await service.explainCounts(b.id);
      expect(counts[0]!['key']).toBe('idx_tickets_company_closed');
      expect(String(counts[0]!['Extra'])).toMatch(/Using index/);
    });

    it('should walk the (company_id, last_activity_at, id) index for the default list', async () => {
      const service = stack.api.app.get(TicketsListService);
      const plan = await service.explainDefault(b.id);
      expect(plan).toHaveLength(1);
      expect(plan[0]!['key']).toBe('idx_tickets_company_activity');
      const extra = plan[0]!['Extra'];
      expect(typeof extra === 'string' ? extra : '').not.toMatch(/filesort/i);
    });

    it.each([
      ['status=pending', 'status', 'all, open, closed, awaiting'],
      ['sort=priority', 'sort', 'id, status, subject, created, owner, lastActivity, requestedBy'],
      ['order=up', 'order', 'asc, desc'],
      ['limit=0', 'limit', '1 to 200'],
      ['limit=201', 'limit', '1 to 200'],
      ['limit=ten', 'limit', '1 to 200'],
      ['page=0', 'page', 'whole number'],
      ['createdFrom=yesterday', 'createdFrom', 'ISO 8601'],
      ['activityTo=2026-13-01', 'activityTo', 'ISO 8601'],
      ['colour=blue', 'colour', 'remove it'],
      [`q=${'x'.repeat(201)}`, 'q', '200 characters'],
      ['createdFrom=2026-02-01T00:00:00Z&createdTo=2026-01-01T00:00:00Z', 'createdFrom', 'createdTo'],
    ])('should answer 400 naming the parameter for %s', async (query, parameter, accepted) => {
      const { status, body } = await list(a.token, query);
      expect(status).toBe(400);
      expect(body.message).toContain(parameter);
      expect(body.message).toContain(accepted);
    });
  });

  describe('with PORTAL_TICKET_SCOPE=contact', () => {
    const stack = useTestStack({ env: { PORTAL_TICKET_SCOPE: 'contact' } });

    it("should list only the contact's own tickets and own submissions", async () => {
      const a = await customer(stack, { contactId: 'K1', companyId: 'C1' });
      const colleague = await customer(stack, { contactId: 'K3', companyId: 'C1' });
      const unlinked = await customer(stack, null);
      await seed(stack, { a: a.id, unlinked: unlinked.id });
      const get = async (token: string, query = ''): Promise<Page> =>
        (await stack.request<Page>('GET', `/api/v1/tickets?${query}`, { token })).body;

      const mine = await get(a.token, 'sort=created&order=asc');
      expect(mine.items.map((i) => i.subject)).toEqual([
        'Orphan request',
        'Invoice missing for March',
        'Feature request: dark mode',
        'Refund 100% please',
        'Printer on fire',
      ]);
      expect(mine.counts).toEqual({ open: 4, closed: 1, awaiting: 1 });
      expect((await get(a.token, 'status=awaiting')).items.map((i) => i.id)).toEqual(['104']);
      expect((await get(a.token, 'q=elodie')).total).toBe(0);

      const theirs = await get(colleague.token);
      expect(theirs.items.map((i) => i.id).sort()).toEqual(['102', '103']);
      expect((await get(colleague.token, 'q=%23101')).total).toBe(0);
    });
  });
});
