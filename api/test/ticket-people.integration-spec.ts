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
  people: Array<{ name: string | null; email: string | null; role: 'requester' | 'cc' }>;
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
