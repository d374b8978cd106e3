import { associationDefinition, AssociationTypeId, type CrmRecord } from '@ticket-portal/hubspot-emulator';
import { createAccount } from '../src/cli/create-account';
import { TicketsListService } from '../src/tickets/tickets-list.service';
import { type ListTicketsQueryDto } from '../src/tickets/dto/list-tickets.query.dto';
import { normaliseQuery } from '../src/tickets/ticket-list-query';
import { type ReceivedEvent, SseClient } from './helpers/sse-client';
import { GOOD_PASSWORD, login, uniqueEmail, useTestStack } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 15: every contact HubSpot associates with a ticket sees it (contact scope), through every
// path — list, search, counts, the ticket page, replies, close, live events — and the ticket page
// names the people on it. Staff add and remove people in HubSpot; the portal follows by webhook.

interface Page {
  items: Array<{
    localId: string;
    id: string | null;
    requestedBy: { name: string | null; email: string | null };
  }>;
  total: number;
  counts: { open: number; closed: number };
}

interface Detail {
  localId: string;
  people: Array<{ name: string | null; email: string | null; role: 'requester' | 'cc'; syncState: string }>;
}

interface Customer {
  id: string;
  token: string;
  contactId: string;
  email: string;
}

/** The bound for a change carried by a webhook, with room for a busy test machine. */
const WEBHOOK_BOUND_MS = 10_000;

const json = <T>(e: ReceivedEvent): T => JSON.parse(e.data) as T;

describe('every contact on a ticket sees it (contact scope)', () => {
  const stack = useTestStack({
    emulator: {
      seed: { tickets: 40, seed: 15 },
      rateLimit: { max: 100_000, searchPerSecond: 1000 },
      webhooks: { batchWindowMs: 20, retryBaseMs: 100, retryMaxMs: 1000 },
    },
    env: { SYNC_POLL_SECONDS: '3600', PORTAL_TICKET_SCOPE: 'contact', EVENTS_HEARTBEAT_SECONDS: '1' },
    backfilled: true,
  });
  const open: SseClient[] = [];
  /** The requester of `ticket`, a colleague staff put in copy, and someone else entirely. */
  let requester: Customer;
  let colleague: Customer;
  let stranger: Customer;
  let ticket: { id: number; hubspot_id: string; subject: string };

  const contactOf = (id: string): CrmRecord => stack.emulator.store.get('contacts', id)!;
  const ticketOnHubSpot = (): CrmRecord => stack.emulator.store.get('tickets', ticket.hubspot_id)!;
  const toContact = () => associationDefinition(AssociationTypeId.ticketToContact)!;

  async function customer(contactId: string, ownEmail?: string): Promise<Customer> {
    const email = ownEmail ?? contactOf(contactId).props.email ?? uniqueEmail('people');
    const { id } = await createAccount(stack.config, { email, password: GOOD_PASSWORD });
    await stack.db.query(
      'UPDATE customers SET hubspot_contact_id = ?, hubspot_company_id = NULL, contact_linked_at = NOW() WHERE id = ?',
      [contactId, id],
    );
    const signedIn = await login(stack, email, GOOD_PASSWORD);
    if (signedIn.status !== 200) throw new Error(`login answered ${signedIn.status}: ${signedIn.text}`);
    return { id, token: signedIn.body.accessToken, contactId, email };
  }

  async function listed(c: Customer, q?: string): Promise<Page> {
    const path = `/api/v1/tickets?limit=200${q ? `&q=${encodeURIComponent(q)}` : ''}`;
    const res = await stack.request<Page>('GET', path, { token: c.token });
    if (res.status !== 200) throw new Error(`GET /tickets answered ${res.status}: ${res.text}`);
    return res.body;
  }

  const lists = async (c: Customer): Promise<boolean> =>
    (await listed(c)).items.some((i) => i.localId === String(ticket.id));

  /** The status of each path a customer reaches a ticket by (but the list): all 200, or all 404. */
  async function paths(c: Customer): Promise<number[]> {
    const id = ticket.id;
    const call = async (method: string, path: string, body?: unknown): Promise<number> =>
      (await stack.request(method, path, { token: c.token, ...(body === undefined ? {} : { body }) })).status;
    return [
      await call('GET', `/api/v1/tickets/${id}`),
      // A reply answers 201; the 404 comes before anything is stored.
      (await call('POST', `/api/v1/tickets/${id}/replies`, { body: 'Anything new?' })) === 201 ? 200 : 404,
      await call('POST', `/api/v1/tickets/${id}/reopen`),
    ];
  }

  async function stream(c: Customer): Promise<SseClient> {
    const client = await SseClient.open(`${stack.api.url}/api/v1/tickets/events`, c.token);
    open.push(client);
    expect(client.response.status).toBe(200);
    await client.next((e) => e.event === 'ready', { what: 'ready' });
    return client;
  }

  beforeAll(async () => {
    const rows = await stack.query<{ id: number; hubspot_id: string; subject: string; contact_id: string }>(
      'SELECT id, hubspot_id, subject, contact_id FROM tickets WHERE contact_id IS NOT NULL AND is_closed = 0 ORDER BY id',
    );
    const withEmail = rows.filter((r) => contactOf(r.contact_id).props.email);
    const first = withEmail[0]!;
    ticket = { id: first.id, hubspot_id: first.hubspot_id, subject: first.subject };
    // Two other contacts with an email, neither on the ticket.
    const others = [...stack.emulator.store.records.contacts.values()].filter(
      (c) =>
        !c.archived && c.props.email && c.id !== first.contact_id && c.props.email !== 'demo@example.com',
    );
    requester = await customer(first.contact_id);
    colleague = await customer(others[0]!.id);
    stranger = await customer(others[1]!.id);
  }, 90_000);

  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });

  it('should mirror every contact HubSpot associates with a ticket, the requester as the primary one', async () => {
    const rows = await stack.query<{ contact_id: string; is_primary: number }>(
      'SELECT contact_id, is_primary FROM ticket_contacts WHERE ticket_id = ?',
      [ticket.id],
    );
    expect(rows).toEqual([{ contact_id: requester.contactId, is_primary: 1 }]);
    const [{ n }] = (await stack.query<{ n: number }>(
      'SELECT COUNT(*) AS n FROM tickets t WHERE t.contact_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM ticket_contacts tc WHERE tc.ticket_id = t.id AND tc.contact_id = t.contact_id AND tc.is_primary = 1)',
    )) as [{ n: number }];
    expect(Number(n)).toBe(0);
  });

  it('should show the ticket to a contact staff add to it, on every path and live, and take it away when removed', async () => {
    expect(await lists(colleague)).toBe(false);
    expect(await paths(colleague)).toEqual([404, 404, 404]);
    const live = await stream(colleague);
    const before = (await listed(colleague)).counts;

    const started = Date.now();
    stack.emulator.store.associate(ticketOnHubSpot(), contactOf(colleague.contactId), toContact(), {
      source: 'CRM_UI',
    });
    await waitFor('the colleague’s list', () => lists(colleague), Boolean, WEBHOOK_BOUND_MS);
    expect(Date.now() - started).toBeLessThan(WEBHOOK_BOUND_MS);
    const added = await live.next(
      (e) => e.event === 'ticket' && json<{ localId: string }>(e).localId === String(ticket.id),
      {
        what: 'the ticket on the colleague’s stream',
      },
    );
    expect(json<{ subject: string }>(added).subject).toBe(ticket.subject);

    // List, search, counts, the ticket page (naming who is on it), replies and reopen.
    const page = await listed(colleague);
    expect(page.counts.open).toBe(before.open + 1);
    const item = page.items.find((i) => i.localId === String(ticket.id))!;
    // "Requested By" stays the primary requester.
    expect(item.requestedBy.email).toBe(requester.email);
    expect((await listed(colleague, ticket.subject)).items.map((i) => i.localId)).toContain(
      String(ticket.id),
    );
    expect((await listed(colleague, `#${ticket.hubspot_id}`)).total).toBe(1);
    expect(await paths(colleague)).toEqual([200, 200, 200]);
    const detail = await stack.request<Detail>('GET', `/api/v1/tickets/${ticket.id}`, {
      token: colleague.token,
    });
    expect(detail.body.people).toEqual([
      expect.objectContaining({ email: requester.email, role: 'requester' }),
      expect.objectContaining({ email: colleague.email, role: 'cc' }),
    ]);
    // The requester sees the same people; someone else still nothing.
    const forRequester = await stack.request<Detail>('GET', `/api/v1/tickets/${ticket.id}`, {
      token: requester.token,
    });
    expect(forRequester.body.people.map((p) => p.role)).toEqual(['requester', 'cc']);
    expect(await lists(stranger)).toBe(false);
    expect(await paths(stranger)).toEqual([404, 404, 404]);

    // Staff take the colleague off the ticket: gone everywhere, and the stream hears it.
    stack.emulator.store.dissociateTypes(ticketOnHubSpot(), contactOf(colleague.contactId), undefined, {
      source: 'CRM_UI',
    });
    await waitFor(
      'the colleague’s list without it',
      () => lists(colleague),
      (v) => !v,
      WEBHOOK_BOUND_MS,
    );
    await live.next(
      (e) => e.event === 'ticket-removed' && json<{ localId: string }>(e).localId === String(ticket.id),
      { what: 'the removal on the colleague’s stream' },
    );
    expect(await paths(colleague)).toEqual([404, 404, 404]);
    expect((await listed(colleague, ticket.subject)).items.map((i) => i.localId)).not.toContain(
      String(ticket.id),
    );
    expect(await lists(requester)).toBe(true);
  });

  it('should refuse a cc list that is too long, holds a non-email or the customer’s own email', async () => {
    const submit = (cc: unknown) =>
      stack.request<{ message: string; code: string }>('POST', '/api/v1/tickets', {
        token: requester.token,
        body: { subject: 'Copy check', description: 'Who is in copy?', cc },
      });
    const tooMany = await submit(Array.from({ length: 6 }, (_, i) => `c${i}@example.com`));
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.message).toMatch(/at most 5 colleagues/);
    const notEmail = await submit(['not an email']);
    expect(notEmail.status).toBe(400);
    expect(notEmail.body.message).toMatch(/email addresses/);
    const own = await submit([requester.email.toUpperCase()]);
    expect(own.status).toBe(400);
    expect(own.body.message).toMatch(/your own email/);
    const [{ n }] = (await stack.query<{ n: number }>(
      "SELECT COUNT(*) AS n FROM tickets WHERE subject = 'Copy check'",
    )) as [{ n: number }];
    expect(Number(n)).toBe(0);
  });

  it('should put colleagues in copy on a new request, found or created in HubSpot, and show it to them once signed in', async () => {
    const newcomer = uniqueEmail('newcomer');
    const submitted = await stack.request<Detail & { id: string | null }>('POST', '/api/v1/tickets', {
      token: requester.token,
      body: {
        subject: 'Copy my colleagues',
        description: 'Please keep them posted.',
        cc: [colleague.email, newcomer],
      },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body.people).toEqual([
      expect.objectContaining({ role: 'requester', syncState: 'synced' }),
      { name: null, email: colleague.email, role: 'cc', syncState: 'pending' },
      { name: null, email: newcomer, role: 'cc', syncState: 'pending' },
    ]);
    const localId = Number(submitted.body.localId);
    await waitFor(
      'the request and its people in HubSpot and the mirror',
      async () =>
        (
          await stack.query<{ n: number }>('SELECT COUNT(*) AS n FROM ticket_contacts WHERE ticket_id = ?', [
            localId,
          ])
        )[0]!.n,
      (n) => Number(n) === 3,
      20_000,
    );
    const [row] = await stack.query<{ hubspot_id: string }>('SELECT hubspot_id FROM tickets WHERE id = ?', [
      localId,
    ]);
    const onHubSpot = stack.emulator.store.associatedIds(
      stack.emulator.store.get('tickets', row!.hubspot_id)!,
      'contacts',
    );
    const emails = onHubSpot.map((id) => contactOf(id).props.email);
    expect(emails).toEqual(expect.arrayContaining([requester.email, colleague.email, newcomer]));

    // The colleague sees it; the newcomer once they have an account (linked to the new contact by email).
    await waitFor(
      'the colleague’s list',
      async () => (await listed(colleague)).items.some((i) => i.localId === String(localId)),
      Boolean,
    );
    const { id: newcomerId } = await createAccount(stack.config, {
      email: newcomer,
      password: GOOD_PASSWORD,
    });
    const token = (await login(stack, newcomer, GOOD_PASSWORD)).body.accessToken;
    const them: Customer = { id: newcomerId, token, contactId: '', email: newcomer };
    await waitFor(
      'the newcomer’s list',
      async () => (await listed(them)).items.some((i) => i.localId === String(localId)),
      Boolean,
      20_000,
    );
    const page = await stack.request<Detail>('GET', `/api/v1/tickets/${localId}`, { token });
    expect(page.status).toBe(200);
    // The requester first, then colleagues by name (one HubSpot has no name for last).
    expect(page.body.people[0]).toMatchObject({ email: requester.email, role: 'requester' });
    expect(page.body.people.slice(1).map((p) => [p.email, p.role])).toEqual(
      [colleague.email, newcomer].map((e) => [e, 'cc']),
    );
    expect(await stack.request('GET', `/api/v1/tickets/${localId}`, { token: stranger.token })).toMatchObject(
      {
        status: 404,
      },
    );
  });

  it('should let someone on a ticket add and remove a colleague later, through HubSpot', async () => {
    const id = ticket.id;
    // Not on the ticket: 404, whatever the email.
    expect(
      (
        await stack.request('POST', `/api/v1/tickets/${id}/people`, {
          token: stranger.token,
          body: { email: 'x@example.com' },
        })
      ).status,
    ).toBe(404);
    const bad = await stack.request<{ message: string }>('POST', `/api/v1/tickets/${id}/people`, {
      token: requester.token,
      body: { email: 'nope' },
    });
    expect(bad.status).toBe(400);
    const added = await stack.request<Detail>('POST', `/api/v1/tickets/${id}/people`, {
      token: requester.token,
      body: { email: stranger.email },
    });
    expect(added.status).toBe(200);
    expect(added.body.people).toContainEqual({
      name: null,
      email: stranger.email,
      role: 'cc',
      syncState: 'pending',
    });
    await waitFor('the stranger’s list', () => lists(stranger), Boolean, 20_000);
    expect(stack.emulator.store.associatedIds(ticketOnHubSpot(), 'contacts')).toContain(stranger.contactId);

    const requesterOff = await stack.request<{ message: string }>(
      'DELETE',
      `/api/v1/tickets/${id}/people/${encodeURIComponent(requester.email)}`,
      { token: stranger.token },
    );
    expect(requesterOff.status).toBe(400);
    expect(requesterOff.body.message).toMatch(/requester stays/);
    const removed = await stack.request<Detail>(
      'DELETE',
      `/api/v1/tickets/${id}/people/${encodeURIComponent(stranger.email)}`,
      {
        token: requester.token,
      },
    );
    expect(removed.status).toBe(200);
    expect(removed.body.people.map((p) => p.email)).not.toContain(stranger.email);
    await waitFor(
      'the stranger’s list without it',
      () => lists(stranger),
      (v) => !v,
      20_000,
    );
    expect(stack.emulator.store.associatedIds(ticketOnHubSpot(), 'contacts')).not.toContain(
      stranger.contactId,
    );
    expect(await paths(stranger)).toEqual([404, 404, 404]);
  });

  it('should walk ticket_contacts by contact and join tickets by primary key for a contact scope page (EXPLAIN on a seeded table)', async () => {
    // 20,000 tickets over 2,000 contacts, each also in copy on a few others; contact 7777 requested
    // 500 of them (the benchmark's contact scope has ≈ 400).
    await stack.db.query(
      `INSERT INTO tickets (subject, is_closed, contact_id, company_id, created_at, last_activity_at, sync_state, updated_at)
       SELECT CONCAT('Seeded ', seq), seq % 3 = 0, IF(seq % 40 = 0, '7777', CONCAT('9', seq % 2000)), CONCAT('8', seq % 200),
         NOW() - INTERVAL seq MINUTE, NOW() - INTERVAL seq MINUTE, 'synced', NOW() FROM seq_1_to_20000`,
    );
    await stack.db.query(
      "INSERT INTO ticket_contacts (ticket_id, contact_id, is_primary) SELECT id, contact_id, 1 FROM tickets WHERE subject LIKE 'Seeded %'",
    );
    await stack.db.query(
      "INSERT IGNORE INTO ticket_contacts (ticket_id, contact_id, is_primary) SELECT id, CONCAT('9', (id * 7) % 2000), 0 FROM tickets WHERE subject LIKE 'Seeded %' AND id % 4 = 0",
    );
    await stack.db.query('ANALYZE TABLE tickets, ticket_contacts');
    const seeded = await customer('7777', uniqueEmail('seeded'));
    const list = stack.api.app.get(TicketsListService);
    const queries: ListTicketsQueryDto[] = [
      {},
      { sort: 'created', order: 'asc' },
      { status: 'open', sort: 'owner' },
    ];
    for (const query of queries) {
      const plan = await list.explainPage(seeded.id, normaliseQuery(query));
      const byTable = new Map(plan.map((r) => [String(r.table), r]));
      expect(byTable.get('ticket_contacts')).toMatchObject({
        key: 'idx_ticket_contacts_contact',
        type: 'ref',
      });
      expect(byTable.get('tickets')).toMatchObject({ key: 'PRIMARY', type: 'eq_ref' });
    }
    const page = await listed(seeded);
    expect(page.total).toBe(
      Number(
        (
          await stack.query<{ n: number }>('SELECT COUNT(*) AS n FROM ticket_contacts WHERE contact_id = ?', [
            seeded.contactId,
          ])
        )[0]!.n,
      ),
    );
  });
});
