import { associationDefinition, AssociationTypeId, type CrmRecord } from '@ticket-portal/hubspot-emulator';
import { createAccount } from '../src/cli/create-account';
import { SyncScheduler } from '../src/sync/sync-scheduler.service';
import { type ReceivedEvent, SseClient } from './helpers/sse-client';
import { GOOD_PASSWORD, login, type TestStack, uniqueEmail, useTestStack } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 15, ADR 0014: the visibility rules an operator chooses — own tickets (contact), the primary
// company's (company), or the company's for contacts whose HubSpot property says so (company for a
// property) — each for every role a person can have towards one ticket, on every path that shows a
// ticket: list, search, counts, the ticket page, replies, close/reopen, attachment downloads and live
// events. Whatever a rule does not show is a 404 everywhere. The involvement filter narrows inside it.

type Rule = 'contact' | 'company' | 'property';
type Role = 'requester' | 'inCopy' | 'colleague' | 'plainColleague' | 'otherCompany';

/** The HubSpot contact property of the third rule (a checkbox, as HubSpot's portal offers it). */
const PROPERTY = 'portal_admin';

/**
 * Who sees the ticket under each rule. The requester and the person in copy are on it; both
 * colleagues work at the ticket's company (only `colleague` has the property); the last person works
 * elsewhere (and has the property, which must not matter).
 */
const SEES: Record<Rule, Record<Role, boolean>> = {
  contact: { requester: true, inCopy: true, colleague: false, plainColleague: false, otherCompany: false },
  company: { requester: true, inCopy: true, colleague: true, plainColleague: true, otherCompany: false },
  property: { requester: true, inCopy: true, colleague: true, plainColleague: false, otherCompany: false },
};
const ROLES = Object.keys(SEES.contact) as Role[];

interface Person {
  role: Role;
  contact: CrmRecord;
  email: string;
  customerId: string;
  token: string;
}

interface Page {
  items: Array<{ localId: string }>;
  total: number;
  counts: { open: number; closed: number };
}

interface Me {
  involvements: string[];
}

const WEBHOOK_BOUND_MS = 10_000;
const json = <T>(e: ReceivedEvent): T => JSON.parse(e.data) as T;

/** The emulator's HubSpot, the mirror and one account per role, set up for one rule. */
function ruleSuite(rule: Rule): void {
  const stack = useTestStack({
    emulator: {
      seed: { tickets: 10, seed: 14 },
      rateLimit: { max: 100_000, searchPerSecond: 1000 },
      webhooks: { batchWindowMs: 20, retryBaseMs: 100, retryMaxMs: 1000, contactProperties: '*' },
    },
    env: {
      SYNC_POLL_SECONDS: '3600',
      PORTAL_TICKET_SCOPE: rule === 'contact' ? 'contact' : 'company',
      ...(rule === 'property' ? { PORTAL_COMPANY_SCOPE_PROPERTY: PROPERTY } : {}),
      // Far longer than the default: a change of rule must show at once however long scopes are kept.
      TICKETS_SCOPE_CACHE_MS: '60000',
      EVENTS_HEARTBEAT_SECONDS: '1',
    },
    backfilled: true,
  });
  const people = new Map<Role, Person>();
  const open: SseClient[] = [];
  let ticket: { localId: string; hubspotId: string; subject: string; attachmentPath: string };

  const person = (role: Role): Person => people.get(role)!;

  beforeAll(async () => {
    ticket = await setUp(stack, people);
  }, 120_000);

  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });

  const call = async (p: Person, method: string, path: string, body?: unknown): Promise<number> =>
    (await stack.request(method, path, { token: p.token, ...(body === undefined ? {} : { body }) })).status;

  async function listed(p: Person, query = ''): Promise<Page> {
    const res = await stack.request<Page>('GET', `/api/v1/tickets?limit=200${query}`, { token: p.token });
    if (res.status !== 200) throw new Error(`GET /tickets${query} answered ${res.status}: ${res.text}`);
    return res.body;
  }
  const lists = async (p: Person, query = ''): Promise<boolean> =>
    (await listed(p, query)).items.some((i) => i.localId === ticket.localId);

  it(`should show the ticket under the ${rule} rule exactly to ${ROLES.filter((r) => SEES[rule][r]).join(', ')}, on every path`, async () => {
    for (const role of ROLES) {
      const p = person(role);
      const sees = SEES[rule][role];
      const ok = (status: number): number => (sees ? status : 404);
      const id = ticket.localId;
      const seen = {
        list: await lists(p),
        searchWords: await lists(p, `&q=${encodeURIComponent(ticket.subject)}`),
        searchId: await lists(p, `&q=${encodeURIComponent(`#${ticket.hubspotId}`)}`),
        page: await call(p, 'GET', `/api/v1/tickets/${id}`),
        attachment: await call(p, 'GET', ticket.attachmentPath),
        reply: await call(p, 'POST', `/api/v1/tickets/${id}/replies`, { body: `A word from ${role}` }),
        close: await call(p, 'POST', `/api/v1/tickets/${id}/close`),
        reopen: await call(p, 'POST', `/api/v1/tickets/${id}/reopen`),
      };
      expect({ role, ...seen }).toEqual({
        role,
        list: sees,
        searchWords: sees,
        searchId: sees,
        page: ok(200),
        attachment: ok(200),
        reply: ok(201),
        close: ok(200),
        reopen: ok(200),
      });
      // Counts count what the list shows: the ticket for exactly those who see it.
      const all = await listed(p);
      expect({
        role,
        counted: all.counts.open + all.counts.closed,
        has: all.items.some((i) => i.localId === id),
      }).toEqual({ role, counted: all.items.length, has: sees });
    }
  });

  it('should send a change of the ticket live exactly to those who see it', async () => {
    const streams = new Map<Role, SseClient>();
    for (const role of ROLES) {
      const client = await SseClient.open(`${stack.api.url}/api/v1/tickets/events`, person(role).token);
      open.push(client);
      expect(client.response.status).toBe(200);
      await client.next((e) => e.event === 'ready', { what: `${role}'s ready` });
      streams.set(role, client);
    }
    const aboutTicket = (e: ReceivedEvent): boolean =>
      (e.event === 'ticket' || e.event === 'message') &&
      json<{ localId: string }>(e).localId === ticket.localId;
    stack.emulator.staff.updateTicket(ticket.hubspotId, { subject: `${ticket.subject} (edited)` });
    for (const role of ROLES.filter((r) => SEES[rule][r])) {
      await streams
        .get(role)!
        .next(aboutTicket, { ms: WEBHOOK_BOUND_MS, what: `the change on ${role}'s stream` });
    }
    // Those who do not see it: a request of their own comes after the change on the same change
    // stream, so when it has arrived, anything about the ticket would have arrived before it.
    for (const role of ROLES.filter((r) => !SEES[rule][r])) {
      const submitted = await stack.request<{ localId: string }>('POST', '/api/v1/tickets', {
        token: person(role).token,
        body: { subject: `Marker of ${role}`, description: 'Ordering marker.' },
      });
      expect(submitted.status).toBe(201);
      const client = streams.get(role)!;
      await client.next(
        (e) => e.event === 'ticket' && json<{ localId: string }>(e).localId === submitted.body.localId,
        { what: `${role}'s own request` },
      );
      expect(client.events.filter(aboutTicket)).toEqual([]);
    }
  });

  it('should offer the involvement filter the rule allows, and narrow list, search and counts inside the rule', async () => {
    const expected = (role: Role): string[] => {
      const company =
        rule === 'company' || (rule === 'property' && (role === 'colleague' || role === 'otherCompany'));
      return company ? ['mine', 'cc', 'company'] : ['mine', 'cc'];
    };
    for (const role of ROLES) {
      const me = await stack.request<Me>('GET', '/api/v1/me', { token: person(role).token });
      expect({ role, involvements: me.body.involvements }).toEqual({ role, involvements: expected(role) });
    }
    const requester = person('requester');
    const inCopy = person('inCopy');
    expect(await lists(requester, '&involvement=mine')).toBe(true);
    expect(await lists(requester, '&involvement=cc')).toBe(false);
    expect(await lists(inCopy, '&involvement=cc')).toBe(true);
    expect(await lists(inCopy, '&involvement=mine')).toBe(false);
    // Search and counts agree with the filtered list.
    const q = `&q=${encodeURIComponent(`#${ticket.hubspotId}`)}`;
    expect(await lists(inCopy, `&involvement=cc${q}`)).toBe(true);
    expect(await lists(inCopy, `&involvement=mine${q}`)).toBe(false);
    for (const p of [requester, inCopy, person('colleague')]) {
      for (const involvement of ['mine', 'cc', 'company']) {
        const page = await listed(p, `&involvement=${involvement}`);
        expect(page.total).toBe(page.counts.open + page.counts.closed);
        expect(page.items).toHaveLength(page.total);
        // Never more than the rule shows.
        const all = new Set((await listed(p)).items.map((i) => i.localId));
        expect(page.items.filter((i) => !all.has(i.localId))).toEqual([]);
      }
    }
    const colleagueCompany = await lists(person('colleague'), '&involvement=company');
    expect(colleagueCompany).toBe(rule !== 'contact');
    expect(await lists(person('otherCompany'), '&involvement=company')).toBe(false);

    const bad = await stack.request<{ message: string }>('GET', '/api/v1/tickets?involvement=everyone', {
      token: requester.token,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^involvement: Involvement must be one of mine, cc, company/);
  });

  if (rule === 'property') {
    it('should give or take company scope at once when staff change the property in HubSpot (webhook), and at the next reconcile when the webhook is lost', async () => {
      const plain = person('plainColleague');
      expect(await lists(plain)).toBe(false);
      const live = await SseClient.open(`${stack.api.url}/api/v1/tickets/events`, plain.token);
      open.push(live);
      await live.next((e) => e.event === 'ready', { what: 'ready' });

      const started = Date.now();
      stack.emulator.store.update(plain.contact, { [PROPERTY]: 'true' }, { source: 'CRM_UI' });
      await waitFor(
        'the company’s tickets for the new portal admin',
        () => lists(plain),
        Boolean,
        WEBHOOK_BOUND_MS,
      );
      expect(Date.now() - started).toBeLessThan(WEBHOOK_BOUND_MS);
      expect(await call(plain, 'GET', `/api/v1/tickets/${ticket.localId}`)).toBe(200);
      await live.next((e) => e.event === 'resync', { what: 'the resync on the open stream' });
      expect(
        (await stack.request<Me>('GET', '/api/v1/me', { token: plain.token })).body.involvements,
      ).toEqual(['mine', 'cc', 'company']);

      // The webhook is lost: nothing changes until the reconcile re-reads the contact.
      stack.emulator.setWebhookSwitches({ dropRate: 1 });
      try {
        stack.emulator.store.update(plain.contact, { [PROPERTY]: 'false' }, { source: 'CRM_UI' });
        await stack.emulator.flushWebhooks();
      } finally {
        stack.emulator.setWebhookSwitches({ dropRate: 0 });
      }
      expect(await lists(plain)).toBe(true);
      await stack.worker.app.get(SyncScheduler).runNow();
      await waitFor(
        'the list after the reconcile',
        () => lists(plain),
        (v) => !v,
      );
      expect(await call(plain, 'GET', `/api/v1/tickets/${ticket.localId}`)).toBe(404);
      expect(await call(plain, 'GET', ticket.attachmentPath)).toBe(404);
    });
  }
}

/**
 * Two companies and five contacts in HubSpot, an account for each, and one ticket of company A that
 * the requester opened, with the person in copy added by staff and a file on it.
 */
async function setUp(
  stack: TestStack,
  people: Map<Role, Person>,
): Promise<{ localId: string; hubspotId: string; subject: string; attachmentPath: string }> {
  const store = stack.emulator.store;
  const created = await fetch(`${stack.emulator.url}/crm/v3/properties/contacts`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.emulator.accessToken}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      name: PROPERTY,
      label: 'Portal admin',
      type: 'bool',
      fieldType: 'booleancheckbox',
      groupName: 'contactinformation',
      options: [
        { label: 'Yes', value: 'true' },
        { label: 'No', value: 'false' },
      ],
    }),
  });
  expect(created.status).toBe(201);
  const companyA = store.create('companies', { name: 'Lantern Works', domain: 'lantern.example' });
  const companyB = store.create('companies', { name: 'Quay Supplies', domain: 'quay.example' });
  const companyOf: Record<Role, CrmRecord> = {
    requester: companyA,
    inCopy: companyA,
    colleague: companyA,
    plainColleague: companyA,
    otherCompany: companyB,
  };
  const admin: Record<Role, boolean> = {
    requester: false,
    inCopy: false,
    colleague: true,
    plainColleague: false,
    otherCompany: true,
  };
  for (const role of ROLES) {
    const email = uniqueEmail(`rule-${role.toLowerCase()}`);
    const contact = store.create('contacts', {
      email,
      firstname: role,
      lastname: 'Tester',
      [PROPERTY]: admin[role] ? 'true' : 'false',
    });
    stack.emulator.staff.moveContactToCompany(contact.id, companyOf[role].id);
    const { id: customerId } = await createAccount(stack.config, { email, password: GOOD_PASSWORD });
    const signedIn = await login(stack, email, GOOD_PASSWORD);
    expect(signedIn.status).toBe(200);
    people.set(role, { role, contact, email, customerId, token: signedIn.body.accessToken });
  }
  // Every account linked to its contact, with its company and property as HubSpot has them.
  for (const p of people.values()) {
    await waitFor(
      `${p.role}'s link`,
      async () =>
        (
          await stack.query<{ hubspot_company_id: string | null; company_scope: number }>(
            'SELECT hubspot_company_id, company_scope FROM customers WHERE id = ?',
            [p.customerId],
          )
        )[0],
      (row) =>
        row?.hubspot_company_id === companyOf[p.role].id &&
        Number(row.company_scope) === (stack.config.portalCompanyScopeProperty && admin[p.role] ? 1 : 0),
      20_000,
    );
  }

  const subject = `Lantern flicker ${Date.now()}`;
  const onHubSpot = stack.emulator.staff.createTicket({
    subject,
    content: 'The lantern flickers at dusk.',
    contactId: people.get('requester')!.contact.id,
  });
  store.associate(
    onHubSpot,
    people.get('inCopy')!.contact,
    associationDefinition(AssociationTypeId.ticketToContact)!,
    { source: 'CRM_UI' },
  );
  const [row] = await waitFor(
    'the ticket and both its people in the mirror',
    () =>
      stack.query<{ id: number; n: number; company_id: string | null }>(
        'SELECT t.id, t.company_id, (SELECT COUNT(*) FROM ticket_contacts tc WHERE tc.ticket_id = t.id) AS n FROM tickets t WHERE t.hubspot_id = ?',
        [onHubSpot.id],
      ),
    (rows) => rows.length === 1 && Number(rows[0]!.n) === 2,
    WEBHOOK_BOUND_MS,
  );
  expect(row!.company_id).toBe(companyA.id);
  const localId = String(row!.id);

  // A file on the ticket: the requester's reply carries it.
  const requester = people.get('requester')!;
  const form = new FormData();
  form.append('file', new Blob(['%PDF-1.4\n% visibility\n'], { type: 'application/pdf' }), 'lantern.pdf');
  const uploaded = await fetch(`${stack.api.url}/api/v1/attachments`, {
    method: 'POST',
    headers: { authorization: `Bearer ${requester.token}` },
    body: form,
  });
  expect(uploaded.status).toBe(201);
  const attachmentId = ((await uploaded.json()) as { attachments: Array<{ id: string }> }).attachments[0]!.id;
  const replied = await stack.request('POST', `/api/v1/tickets/${localId}/replies`, {
    token: requester.token,
    body: { body: 'A photo of the lantern.', attachmentIds: [attachmentId] },
  });
  expect(replied.status).toBe(201);
  return {
    localId,
    hubspotId: onHubSpot.id,
    subject,
    attachmentPath: `/api/v1/tickets/${localId}/attachments/${attachmentId}`,
  };
}

describe('who sees what: the contact rule (PORTAL_TICKET_SCOPE=contact)', () => {
  ruleSuite('contact');
});

describe('who sees what: the company rule (PORTAL_TICKET_SCOPE=company)', () => {
  ruleSuite('company');
});

describe('who sees what: company scope for some contacts (PORTAL_COMPANY_SCOPE_PROPERTY)', () => {
  ruleSuite('property');
});
