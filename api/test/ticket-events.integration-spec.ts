import { Redis } from 'ioredis';
import { createHttpApp, type HttpAppHandle } from '../src/app-factory';
import { createAccount } from '../src/cli/create-account';
import { compareEntryIds, eventsStreamKey, noticeTicket, ticketNotices } from '../src/events/change-notice';
import { TicketEventsHub } from '../src/events/ticket-events.hub';
import { TicketScopeVersionService } from '../src/tickets/ticket-scope-version.service';
import { OwnRedis } from './helpers/own-redis';
import { statusOf } from '../src/tickets/ticket-status';
import { type ReceivedEvent, SseClient } from './helpers/sse-client';
import { testConfig } from './helpers/test-config';
import { GOOD_PASSWORD, login, PORTAL_ORIGIN, uniqueEmail, useTestStack } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 12 (server): GET /api/v1/tickets/events on the real API and worker, MariaDB, Redis and the
// HubSpot stack.emulator. Staff actions travel webhook → worker → mirror → change stream → every API
// process → the streams whose customer may see the ticket.

const SEEDED = 40;

interface Customer {
  id: string;
  token: string;
  contactId: string;
  companyId: string;
}

interface MirrorTicket {
  id: number;
  hubspot_id: string;
  contact_id: string;
  company_id: string;
  pipeline_id: string;
  stage_id: string;
  is_closed: number;
}

interface ListItem {
  id: string | null;
  localId: string;
  subject: string;
  status: { label: string; state: 'open' | 'closed' };
  syncState: string;
}

const json = <T>(e: ReceivedEvent): T => JSON.parse(e.data) as T;
const isTicket =
  (localId: number | string, check: (item: ListItem) => boolean = () => true) =>
  (e: ReceivedEvent): boolean =>
    e.event === 'ticket' && json<ListItem>(e).localId === String(localId) && check(json<ListItem>(e));

describe('GET /api/v1/tickets/events (live changes)', () => {
  const hubspot = { SYNC_POLL_SECONDS: '3600', EVENTS_HEARTBEAT_SECONDS: '1' };
  const stack = useTestStack({
    emulator: {
      seed: { tickets: SEEDED, seed: 12 },
      rateLimit: { max: 100_000, searchPerSecond: 1000 },
      webhooks: { batchWindowMs: 20, retryBaseMs: 100, retryMaxMs: 1000 },
    },
    env: hubspot,
  });
  /** A second API process on the same Redis and database, with PORTAL_TICKET_SCOPE=contact. */
  let contactApi: HttpAppHandle;
  let companyX: string;
  let companyY: string;
  /** x1 and x2: two contacts of company X; y1: a contact of company Y. */
  let a: Customer;
  let a2: Customer;
  let b: Customer;
  const open: SseClient[] = [];

  async function customer(contactId: string, companyId: string): Promise<Customer> {
    const email = uniqueEmail('live');
    const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
    const { id } = await createAccount(
      { database, argon2MemoryKib, argon2TimeCost },
      { email, password: GOOD_PASSWORD },
    );
    await stack.db.query(
      'UPDATE customers SET hubspot_contact_id = ?, hubspot_company_id = ?, contact_linked_at = NOW() WHERE id = ?',
      [contactId, companyId, id],
    );
    const signedIn = await login(stack, email, GOOD_PASSWORD);
    if (signedIn.status !== 200) throw new Error(`login answered ${signedIn.status}: ${signedIn.text}`);
    return { id, token: signedIn.body.accessToken, contactId, companyId };
  }

  async function stream(
    who: Customer | string | null,
    options: { api?: { url: string }; headers?: Record<string, string> } = {},
  ): Promise<SseClient> {
    const token = who === null ? null : typeof who === 'string' ? who : who.token;
    const client = await SseClient.open(
      `${(options.api ?? stack.api).url}/api/v1/tickets/events`,
      token,
      options.headers,
    );
    open.push(client);
    return client;
  }

  async function ready(client: SseClient): Promise<ReceivedEvent> {
    expect(client.response.status).toBe(200);
    return client.next((e) => e.event === 'ready', { what: 'ready' });
  }

  async function ticketOf(contactId: string, where = '1 = 1'): Promise<MirrorTicket> {
    const [row] = await stack.query<MirrorTicket>(
      `SELECT id, hubspot_id, contact_id, company_id, pipeline_id, stage_id, is_closed FROM tickets
       WHERE contact_id = ? AND hubspot_id IS NOT NULL AND ${where} ORDER BY id LIMIT 1`,
      [contactId],
    );
    if (!row) throw new Error(`no mirrored ticket of contact ${contactId}`);
    return row;
  }

  /** Moves the ticket to another open stage (or to a closed one): a list item change. */
  function moveStage(ticket: MirrorTicket, closed?: boolean): string {
    const pipeline = stack.emulator.store.pipelines.find((p) => p.id === ticket.pipeline_id)!;
    const target = pipeline.stages.find(
      (s) =>
        s.id !== ticket.stage_id &&
        !s.archived &&
        (closed === undefined
          ? s.metadata.ticketState !== 'CLOSED'
          : (s.metadata.ticketState === 'CLOSED') === closed),
    )!;
    stack.emulator.staff.moveStage(ticket.hubspot_id, target.id);
    ticket.stage_id = target.id;
    // What customers read for it (the default labels: no PORTAL_STATUS_LABELS here).
    return statusOf(
      {
        pipelineId: pipeline.id,
        stageId: target.id,
        label: target.label,
        closed: target.metadata.ticketState === 'CLOSED',
      },
      new Map(),
    ).label;
  }

  async function listCounts(c: Customer): Promise<{ open: number; closed: number; awaiting: number }> {
    const res = await stack.request<{ counts: { open: number; closed: number; awaiting: number } }>(
      'GET',
      '/api/v1/tickets?limit=1',
      {
        token: c.token,
      },
    );
    return res.body.counts;
  }

  beforeAll(async () => {
    contactApi = await createHttpApp(
      testConfig({
        ...hubspot,
        HUBSPOT_BASE_URL: stack.emulator.url,
        HUBSPOT_ACCESS_TOKEN: stack.emulator.accessToken,
        HUBSPOT_CLIENT_SECRET: stack.emulator.clientSecret,
        PORTAL_TICKET_SCOPE: 'contact',
      }),
      { logger: false },
    );
    await waitFor(
      'backfill',
      async () => (await stack.query<{ n: number }>('SELECT COUNT(*) AS n FROM tickets'))[0]!.n,
      (n) => Number(n) >= SEEDED,
      30_000,
    );
    // Company X has tickets of two contacts; company Y is another company with tickets.
    const pairs = await stack.query<{ contact_id: string; company_id: string }>(
      'SELECT DISTINCT contact_id, company_id FROM tickets WHERE contact_id IS NOT NULL AND company_id IS NOT NULL ORDER BY company_id, contact_id',
    );
    const byCompany = new Map<string, string[]>();
    for (const p of pairs) {
      byCompany.set(p.company_id, [...(byCompany.get(p.company_id) ?? []), p.contact_id]);
    }
    companyX = [...byCompany].find(([, contacts]) => contacts.length >= 2)![0];
    companyY = [...byCompany.keys()].find((id) => id !== companyX)!;
    const [x1, x2] = byCompany.get(companyX)!;
    a = await customer(x1!, companyX);
    a2 = await customer(x2!, companyX);
    b = await customer(byCompany.get(companyY)![0]!, companyY);
  }, 90_000);

  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });

  afterAll(async () => {
    for (const client of open.splice(0)) client.close();
    await contactApi?.close();
  });

  it('should refuse a stream without a token (401) or with a malformed Last-Event-ID (400)', async () => {
    const anonymous = await stream(null);
    expect(anonymous.response.status).toBe(401);
    const malformed = await stream(a, { headers: { 'last-event-id': 'not an id' } });
    expect(malformed.response.status).toBe(400);
    const body = (await malformed.response.json()) as { message: string; code: string };
    expect(body.code).toBe('VALIDATION_FAILED');
    expect(body.message).toMatch(/Last-Event-ID/);
  });

  it('should open with CORS and security headers, a retry hint, the counts, then heartbeats', async () => {
    const client = await stream(a, { headers: { origin: PORTAL_ORIGIN } });
    const first = await ready(client);
    const headers = client.response.headers;
    expect(headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(headers.get('cache-control')).toBe('no-cache, no-transform');
    expect(headers.get('x-accel-buffering')).toBe('no');
    expect(headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
    expect(headers.get('x-content-type-options')).toBe('nosniff');
    expect(client.retries[0]).toBe(3000);
    const body = json<{ counts: { open: number; closed: number }; sync: { state: string } }>(first);
    expect(body.counts).toEqual(await listCounts(a));
    expect(['current', 'behind']).toContain(body.sync.state);
    expect(first.id).toMatch(/^[a-z0-9]+:\d+-\d+$/);
    await client.until(() => client.comments >= 1, 5_000, 'a heartbeat');
  });

  it('should send the list item when support moves a stage in HubSpot, and the new counts', async () => {
    const ticket = await ticketOf(a.contactId, 'is_closed = 0');
    const client = await stream(a);
    await ready(client);
    const before = await listCounts(a);
    const label = moveStage(ticket, true);
    const event = await client.next(
      isTicket(ticket.id, (i) => i.status.state === 'closed'),
      { what: 'ticket event' },
    );
    expect(json<ListItem>(event)).toMatchObject({
      id: ticket.hubspot_id,
      status: { label, state: 'closed' },
    });
    const counts = await client.next((e) => e.event === 'counts', { what: 'counts' });
    expect(json(counts)).toMatchObject({ open: before.open - 1, closed: before.closed + 1 });
    expect(json(counts)).toEqual(await listCounts(a));
    expect(counts.id).toMatch(/^[a-z0-9]+:\d+-\d+$/);
  });

  it('should send a ticket support created for the customer, then its removal when deleted', async () => {
    const client = await stream(a);
    await ready(client);
    const created = stack.emulator.staff.createTicket({
      subject: 'Live: created by support',
      contactId: a.contactId,
    });
    const appeared = await client.next((e) => e.event === 'ticket' && json<ListItem>(e).id === created.id, {
      what: 'new ticket',
    });
    expect(json<ListItem>(appeared).subject).toBe('Live: created by support');
    stack.emulator.staff.deleteTicket(created.id);
    const removed = await client.next((e) => e.event === 'ticket-removed', { what: 'removal' });
    expect(json(removed)).toEqual({ localId: json<ListItem>(appeared).localId });
  });

  it('should send a message when support replies in HubSpot', async () => {
    const ticket = await ticketOf(a.contactId);
    const client = await stream(a);
    await ready(client);
    stack.emulator.staff.replyToCustomer(ticket.hubspot_id, 'Live: we are on it');
    const event = await client.next(
      (e) =>
        e.event === 'message' &&
        json<{ message: { text: string } }>(e).message.text.includes('Live: we are on it'),
      { what: 'support reply' },
    );
    expect(json<{ localId: string; message: { from: string } }>(event)).toMatchObject({
      localId: String(ticket.id),
      message: { from: 'support' },
    });
  });

  it("should show a customer's own request and reply in their other stream, then the request's HubSpot ID", async () => {
    const other = await stream(a);
    await ready(other);
    const submitted = await stack.request<{ localId: string }>('POST', '/api/v1/tickets', {
      token: a.token,
      body: { subject: 'Live: my own request', description: 'Seen in my other tab' },
    });
    expect(submitted.status).toBe(201);
    const localId = submitted.body.localId;
    const pending = await other.next(isTicket(localId), { what: 'own request' });
    expect(json<ListItem>(pending).subject).toBe('Live: my own request');
    const synced = await other.next(
      isTicket(localId, (i) => i.id !== null && i.syncState === 'synced'),
      {
        what: 'HubSpot ID',
      },
    );
    expect(json<ListItem>(synced).id).toMatch(/^\d+$/);

    const replied = await stack.request<{ id: string }>('POST', `/api/v1/tickets/${localId}/replies`, {
      token: a.token,
      body: { body: 'Live: one more thing' },
    });
    expect(replied.status).toBe(201);
    const message = await other.next(
      (e) => e.event === 'message' && json<{ message: { id: string } }>(e).message.id === replied.body.id,
      { what: 'own reply' },
    );
    expect(json<{ localId: string; message: { from: string } }>(message)).toMatchObject({
      localId,
      message: { from: 'customer' },
    });
  });

  it('should keep events within the scope: a company shares its tickets, contact scope does not, another company never', async () => {
    const mine = await ticketOf(a.contactId); // x1's ticket, company X
    const theirs = await ticketOf(b.contactId); // y1's, company Y
    const colleague = await ticketOf(a2.contactId); // x2's, company X
    const a2Company = await stream(a2); // company scope (the stack's API)
    const a2Contact = await stream(a2, { api: contactApi }); // contact scope (the other API process)
    const bCompany = await stream(b);
    await Promise.all([ready(a2Company), ready(a2Contact), ready(bCompany)]);

    moveStage(mine);
    await a2Company.next(isTicket(mine.id), { what: "a colleague's ticket (company scope)" });
    // Markers: a change each of them may see; once it arrived, an event about `mine` would have too.
    moveStage(theirs);
    moveStage(colleague);
    await bCompany.next(isTicket(theirs.id), { what: "B's own company ticket" });
    await a2Contact.next(isTicket(colleague.id), { what: "A2's own ticket (contact scope)" });
    await a2Company.next(isTicket(colleague.id), { what: "A2's own ticket (company scope)" });
    const about = (client: SseClient, id: number): ReceivedEvent[] =>
      client.events.filter((e) => e.data.includes(`"localId":"${id}"`));
    expect(about(bCompany, mine.id)).toEqual([]);
    expect(about(bCompany, colleague.id)).toEqual([]);
    expect(about(a2Contact, mine.id)).toEqual([]);
    expect(about(a2Company, theirs.id)).toEqual([]);
    expect(about(a2Contact, theirs.id)).toEqual([]);
  });

  it("should re-read a customer's scope at once when support moves their contact to another company", async () => {
    // A customer of their own on a contact of a third company, so the others' scopes stay as they are.
    const [other] = await stack.query<{ contact_id: string; company_id: string }>(
      'SELECT contact_id, company_id FROM tickets WHERE contact_id IS NOT NULL AND company_id NOT IN (?, ?) ORDER BY id LIMIT 1',
      [companyX, companyY],
    );
    const mover = await customer(other!.contact_id, other!.company_id);
    const client = await stream(mover);
    await ready(client);
    const started = Date.now();
    stack.emulator.staff.moveContactToCompany(mover.contactId, companyX);
    await client.next((e) => e.event === 'resync' && e.data.includes('"scope"'), {
      what: 'resync for the new scope',
    });
    // Far sooner than the stream's periodic (minute-long) check of its session and scope.
    expect(Date.now() - started).toBeLessThan(10_000);
    const colleague = await ticketOf(a2.contactId);
    moveStage(colleague);
    await client.next(isTicket(colleague.id), { what: 'a ticket of the new company' });
  });

  it('should deliver a change the worker wrote to a stream held by the other API process', async () => {
    const ticket = await ticketOf(a.contactId);
    const client = await stream(a, { api: contactApi });
    await ready(client);
    const label = moveStage(ticket);
    const event = await client.next(
      isTicket(ticket.id, (i) => i.status.label === label),
      { what: 'ticket event' },
    );
    expect(json<ListItem>(event).localId).toBe(String(ticket.id));
  });

  it('should replay what a client missed when it reconnects with Last-Event-ID', async () => {
    const ticket = await ticketOf(a.contactId);
    const first = await stream(a);
    const lastId = (await ready(first)).id!;
    first.close();
    const witness = await stream(a2); // same company: tells us when the change went by
    await ready(witness);
    const label = moveStage(ticket);
    await witness.next(
      isTicket(ticket.id, (i) => i.status.label === label),
      { what: 'the change' },
    );

    const resumed = await stream(a, { headers: { 'last-event-id': lastId } });
    await ready(resumed);
    const replayed = await resumed.next(
      isTicket(ticket.id, (i) => i.status.label === label),
      { what: 'replay' },
    );
    expect(replayed.id).not.toBe(lastId);
    expect(resumed.of('resync')).toEqual([]);
  });

  it('should send one resync when the position is past the retention or from another epoch', async () => {
    const foreign = await stream(a, { headers: { 'last-event-id': 'zz9:1-0' } });
    await ready(foreign);
    const unknown = await foreign.next((e) => e.event === 'resync', { what: 'resync' });
    expect(json(unknown)).toEqual({ reason: 'unknown-position' });

    const first = await stream(a);
    const lastId = (await ready(first)).id!;
    first.close();
    // Fill the stream past its retention (MAXLEN ~ 10,000) with entries the hub ignores.
    const pipeline = stack.redis.pipeline();
    for (let i = 0; i < 10_300; i += 1) {
      pipeline.xadd(eventsStreamKey(stack.keys), 'MAXLEN', '~', '10000', '*', 'x', '1');
    }
    await pipeline.exec();
    // A position is only behind when the hub has read past it (before that, nothing was missed yet).
    const [newest] = await stack.redis.xrevrange(eventsStreamKey(stack.keys), '+', '-', 'COUNT', 1);
    const newestId = newest![0];
    const hub = stack.api.app.get(TicketEventsHub);
    await waitFor(
      'the hub read the filler entries',
      () => Promise.resolve(hub.stats().position),
      (position) => position !== null && compareEntryIds(position, newestId) >= 0,
    );
    const late = await stream(a, { headers: { 'last-event-id': lastId } });
    await ready(late);
    const resync = await late.next((e) => e.event === 'resync', { what: 'resync' });
    expect(json(resync)).toEqual({ reason: 'retention' });
    expect(late.of('resync')).toHaveLength(1);
    expect(resync.id).toMatch(/^[a-z0-9]+:\d+-\d+$/);
  });

  it('should close the stream at once when its session is signed out', async () => {
    const session = await login(
      stack,
      await stack.db
        .query('SELECT email FROM customers WHERE id = ?', [a.id])
        .then(([rows]) => (rows as Array<{ email: string }>)[0]!.email),
      GOOD_PASSWORD,
    );
    const token = session.body.accessToken;
    const here = await stream(token);
    const there = await stream(token, { api: contactApi });
    await Promise.all([ready(here), ready(there)]);
    const out = await stack.request('POST', '/api/v1/auth/logout', { token });
    expect(out.status).toBeLessThan(300);
    await here.closedByServer(5_000);
    await there.closedByServer(5_000);
    expect(here.of('session-ended')).toHaveLength(1);
    expect(there.of('session-ended')).toHaveLength(1);
    const again = await stream(token);
    expect(again.response.status).toBe(401);
  });

  it('should forget closed streams (no leak)', async () => {
    const hub = stack.api.app.get(TicketEventsHub);
    await waitFor(
      'streams of earlier tests closed',
      () => Promise.resolve(hub.stats().streams),
      (n) => n === 0,
      10_000,
    );
    const clients = await Promise.all(Array.from({ length: 20 }, () => stream(a)));
    await Promise.all(clients.map(ready));
    expect(hub.stats()).toMatchObject({ streams: 20, customers: 1 });
    for (const client of clients) client.close();
    await waitFor(
      'streams removed',
      () => Promise.resolve(hub.stats()),
      (s) => s.streams === 0 && s.customers === 0 && s.scopes === 0,
    );
  });

  it('should end every stream with a retry hint when the API shuts down', async () => {
    const api = await createHttpApp(stack.config, { logger: false });
    const client = await stream(a, { api });
    await ready(client);
    await api.close();
    await client.closedByServer(5_000);
    const hint = client.retries[client.retries.length - 1]!;
    expect(client.retries.length).toBe(2);
    expect(hint).toBeGreaterThanOrEqual(1000);
    expect(hint).toBeLessThanOrEqual(3000);
  });

  it('should end streams as draining starts (SIGTERM) and send new ones to another process', async () => {
    const api = await createHttpApp({ ...stack.config, shutdownDelayMs: 5_000 }, { logger: false });
    const client = await stream(a, { api });
    await ready(client);
    const stopping = api.shutdown();
    try {
      // Ended well before the 5 s delay is over: the browser reconnects through the balancer.
      const started = Date.now();
      await client.closedByServer(4_000);
      expect(Date.now() - started).toBeLessThan(4_000);
      expect(client.retries[client.retries.length - 1]).toBeGreaterThanOrEqual(1000);
      const again = await stream(a, { api });
      expect(again.response.status).toBe(503);
      expect(again.response.headers.get('retry-after')).toBe('1');
    } finally {
      await stopping;
    }
  });

  describe('when Redis restarts', () => {
    let redis: OwnRedis | undefined;

    afterAll(async () => {
      await redis?.kill();
    });

    it('should reconnect, tell every stream to resync, then deliver again', async () => {
      redis = await OwnRedis.start();
      const redisUrl = redis.url;
      const api = await createHttpApp({ ...stack.config, redisUrl }, { logger: false });
      const publisher = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
      try {
        const client = await stream(a, { api });
        await ready(client);
        await redis.kill();
        await redis.restart();
        const resync = await client.next((e) => e.event === 'resync', { what: 'resync after the restart' });
        expect(json(resync)).toEqual({ reason: 'interrupted' });

        const ticket = await ticketOf(a.contactId);
        await waitFor(
          'publisher reconnected',
          () => Promise.resolve(publisher.status),
          (s) => s === 'ready',
        );
        const scope = { contactId: ticket.contact_id, companyId: ticket.company_id };
        await new TicketScopeVersionService(publisher, stack.keys).bump(
          [scope],
          ticketNotices([noticeTicket(ticket.id, [scope], null)]),
        );
        await client.next(isTicket(ticket.id), { what: 'a change after the restart' });
      } finally {
        publisher.disconnect();
        await api.close();
      }
    }, 60_000);
  });
});
