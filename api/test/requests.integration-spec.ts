import { type CrmRecord } from '@ticket-portal/hubspot-emulator';
import { type Queue } from 'bullmq';
import { createAccount } from '../src/cli/create-account';
import { QueueName } from '../src/queues/queue.constants';
import { RequestDeliveryService } from '../src/requests/request-delivery.service';
import { RequestRelayService } from '../src/requests/request-relay.service';
import { deliverJobId, requestFieldsCacheKey } from '../src/requests/requests.queue';
import { createWorker, type WorkerHandle } from '../src/worker-factory';
import {
  GOOD_PASSWORD,
  login,
  uniqueEmail,
  useTestStack,
  waitForIdleQueues,
  waitForStages,
} from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 6 end to end: the real API and worker (createHttpApp + createWorker) on MariaDB and Redis,
// against the HubSpot stack.emulator. Submissions go row + outbox → BullMQ → HubSpot → row.

interface Detail {
  id: string | null;
  localId: string;
  status: { label: string; state: 'open' | 'closed' };
  subject: string;
  syncState: 'synced' | 'pending' | 'failed';
  syncError: string | null;
  description: string | null;
  priority: { value: string; label: string } | null;
  category: { value: string; label: string } | null;
  closedAt: string | null;
  requestedBy: { name: string | null; email: string };
  messages: Message[];
  code?: string;
  message?: string;
  fields?: Record<string, string>;
}

interface Message {
  id: string;
  from: 'customer' | 'support';
  author: { name: string | null; email: string | null };
  sentAt: string;
  html: string;
  text: string;
  syncState: string;
  syncError: string | null;
  code?: string;
  message?: string;
}

interface Customer {
  id: string;
  email: string;
  token: string;
}

const DEMO_EMAIL = 'demo@example.com';
const CLOSED_STAGE = '4';
const NEW_STAGE = '1';

describe('requests (submit, read, reply, close/reopen) against the emulator', () => {
  const stack = useTestStack({
    emulator: {
      seed: { tickets: 30, seed: 11 },
      rateLimit: { max: 100_000, searchPerSecond: 1000 },
      webhooks: { batchWindowMs: 20, retryBaseMs: 100, retryMaxMs: 1000 },
    },
    env: {
      SYNC_POLL_SECONDS: '3600',
      SUPPORT_NAME: 'Synchtank Support',
      SUPPORT_EMAIL: 'support@synchtank.example',
    },
  });
  let worker: WorkerHandle;
  let queue: Queue;
  let fieldsCacheKey: string;

  async function customer(email = uniqueEmail('requester'), name?: string): Promise<Customer> {
    const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
    const created = await createAccount(
      { database, argon2MemoryKib, argon2TimeCost },
      {
        email,
        password: GOOD_PASSWORD,
        ...(name ? { name } : {}),
      },
    );
    const signedIn = await login(stack, email, GOOD_PASSWORD);
    if (signedIn.status !== 200) throw new Error(`login answered ${signedIn.status}: ${signedIn.text}`);
    return { id: created.id, email, token: signedIn.body.accessToken };
  }

  function submit(c: Customer, body: Record<string, unknown>, key?: string) {
    return stack.request<Detail>('POST', '/api/v1/tickets', {
      token: c.token,
      body,
      ...(key ? { headers: { 'idempotency-key': key } } : {}),
    });
  }

  function detail(c: Customer, localId: string) {
    return stack.request<Detail>('GET', `/api/v1/tickets/${localId}`, { token: c.token });
  }

  async function synced(c: Customer, localId: string, ms = 20_000): Promise<Detail> {
    const answer = await waitFor(
      `ticket ${localId} synced`,
      async () => (await detail(c, localId)).body,
      (d) => d.syncState === 'synced' && d.id !== null,
      ms,
    );
    return answer;
  }

  function hubspotTicketsWithKey(requestKey: string): CrmRecord[] {
    return [...stack.emulator.store.records.tickets.values()].filter(
      (t) => !t.archived && t.props.tp_request_key === requestKey,
    );
  }

  async function requestKeyOf(localId: string): Promise<string> {
    const [row] = await stack.query<{ request_key: string }>('SELECT request_key FROM tickets WHERE id = ?', [
      localId,
    ]);
    return row!.request_key;
  }

  function incomingEmails(ticketId: string, text: string): CrmRecord[] {
    const ticket = stack.emulator.store.get('tickets', ticketId)!;
    return stack.emulator.store
      .associatedIds(ticket, 'emails')
      .map((id) => stack.emulator.store.get('emails', id)!)
      .filter((e) => e && e.props.hs_email_direction === 'INCOMING_EMAIL' && e.props.hs_email_text === text);
  }

  beforeAll(async () => {
    worker = stack.worker;
    queue = stack.queue(QueueName.Requests);
    fieldsCacheKey = requestFieldsCacheKey(stack.keys);
    // The backfill at worker start mirrors the pipelines the API labels new requests with.
    await waitForStages(stack);
  }, 90_000);

  afterAll(async () => {
    if (worker !== stack.worker) await worker?.close();
  });

  describe('public and form routes', () => {
    it('should answer GET portal without a token', async () => {
      const res = await stack.request('GET', '/api/v1/portal');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        support: { url: null, email: 'support@synchtank.example', name: 'Synchtank Support' },
        signIn: { password: true, siteToken: false },
        // No Origin header (a server, curl): nothing to refuse.
        originAllowed: true,
        // The ATTACHMENTS_* defaults, so the widget can name a limit before uploading.
        attachments: {
          maxFiles: 10,
          maxBytes: 25 * 1024 * 1024,
          maxTotalBytes: 50 * 1024 * 1024,
          types: expect.arrayContaining(['image/png', 'application/pdf']),
          extensions: expect.arrayContaining(['png', 'jpg', 'pdf', 'docx']),
          typesText: expect.stringContaining('PNG image, JPEG image'),
        },
      });
    });

    it("should list priority and category with HubSpot's options", async () => {
      const c = await customer();
      const res = await stack.request<{ fields: Array<{ name: string; options: Array<{ value: string }> }> }>(
        'GET',
        '/api/v1/tickets/fields',
        { token: c.token },
      );
      expect(res.status).toBe(200);
      expect(res.body.fields.map((f) => f.name)).toEqual(['priority', 'category']);
      expect(res.body.fields[0]!.options.map((o) => o.value)).toEqual(['LOW', 'MEDIUM', 'HIGH', 'URGENT']);
      expect(res.body.fields[1]!.options.map((o) => o.value)).toContain('BILLING_ISSUE');
    });
  });

  describe('submitting', () => {
    it('should show a new request at once, then create it in HubSpot with the new contact', async () => {
      const c = await customer(uniqueEmail('newcontact'), 'Robin Vale');
      const res = await submit(c, {
        subject: '  Cue sheet missing for episode 4  ',
        description: 'The cue sheet for S2E4 was not delivered.',
        priority: 'HIGH',
        category: 'BILLING_ISSUE',
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({
        id: null,
        syncState: 'pending',
        subject: 'Cue sheet missing for episode 4',
        status: { label: 'New', state: 'open', kind: 'new' },
        priority: { value: 'HIGH', label: 'High' },
        messages: [],
      });
      const list = await stack.request<{ items: Array<{ localId: string; syncState: string }> }>(
        'GET',
        '/api/v1/tickets',
        { token: c.token },
      );
      expect(list.body.items.map((i) => i.localId)).toContain(res.body.localId);

      const done = await synced(c, res.body.localId);
      const [hs] = hubspotTicketsWithKey(await requestKeyOf(res.body.localId));
      expect(hs).toBeDefined();
      expect(done.id).toBe(hs!.id);
      expect(hs!.props).toMatchObject({
        subject: 'Cue sheet missing for episode 4',
        hs_pipeline: '0',
        hs_pipeline_stage: NEW_STAGE,
        hs_ticket_priority: 'HIGH',
        hs_ticket_category: 'BILLING_ISSUE',
      });
      const contactIds = stack.emulator.store.associatedIds(hs!, 'contacts');
      const contact = stack.emulator.store.get('contacts', contactIds[0]!)!;
      expect(contact.props.email).toBe(c.email);
      expect(contact.props.firstname).toBe('Robin');
      const [linked] = await stack.query<{ hubspot_contact_id: string }>(
        'SELECT hubspot_contact_id FROM customers WHERE id = ?',
        [c.id],
      );
      expect(linked!.hubspot_contact_id).toBe(contact.id);
    });

    it("should associate the ticket with an existing contact and the contact's primary company", async () => {
      const c = await customer(DEMO_EMAIL);
      const res = await submit(c, { subject: 'Royalty statement', description: 'Q3 statement is missing.' });
      expect(res.status).toBe(201);
      const done = await synced(c, res.body.localId);
      const hs = stack.emulator.store.get('tickets', done.id!)!;
      const contact = [...stack.emulator.store.records.contacts.values()].find(
        (x) => x.props.email === DEMO_EMAIL,
      )!;
      expect(stack.emulator.store.associatedIds(hs, 'contacts')).toEqual([contact.id]);
      const companyId = stack.emulator.store.associatedIds(contact, 'companies')[0];
      expect(companyId).toBeDefined();
      expect(stack.emulator.store.associatedIds(hs, 'companies')).toContain(companyId);
      expect(stack.emulator.staff.primaryCompanyId(hs.id)).toBe(companyId);
      // The mirror row is the one the portal created: no second row for the same HubSpot ticket.
      const rows = await stack.query<{ id: number }>('SELECT id FROM tickets WHERE hubspot_id = ?', [hs.id]);
      expect(rows.map((r) => String(r.id))).toEqual([res.body.localId]);
    });

    it('should answer a client retry with the same Idempotency-Key with the same ticket, once in HubSpot', async () => {
      const c = await customer();
      const body = { subject: 'Sync quote', description: 'Quote for a 30 s edit.' };
      const [a, b] = await Promise.all([submit(c, body, 'key-123'), submit(c, body, 'key-123')]);
      expect([a.status, b.status].sort()).toEqual([200, 201]);
      expect(a.body.localId).toBe(b.body.localId);
      const again = await submit(c, body, 'key-123');
      expect(again.status).toBe(200);
      expect(again.body.localId).toBe(a.body.localId);
      const other = await submit(c, { ...body, description: 'Something else' }, 'key-123');
      expect(other.status).toBe(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      await synced(c, a.body.localId);
      expect(hubspotTicketsWithKey(await requestKeyOf(a.body.localId))).toHaveLength(1);
      const mine = await stack.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM tickets WHERE created_by_customer_id = ?',
        [c.id],
      );
      expect(Number(mine[0]!.n)).toBe(1);
    });

    it("should end in one ticket when the worker dies between HubSpot's 201 and our commit", async () => {
      const delivery = worker.app.get(RequestDeliveryService);
      let crashes = 0;
      delivery.afterHubSpotWrite = (_id, kind) => {
        if (kind === 'create' && crashes === 0) {
          crashes += 1;
          return Promise.reject(new Error('simulated crash after HubSpot answered'));
        }
        return Promise.resolve();
      };
      try {
        const c = await customer();
        const res = await submit(c, { subject: 'Crash test', description: 'Created exactly once.' });
        const done = await synced(c, res.body.localId);
        expect(crashes).toBe(1);
        const key = await requestKeyOf(res.body.localId);
        expect(hubspotTicketsWithKey(key)).toHaveLength(1);
        expect(done.id).toBe(hubspotTicketsWithKey(key)[0]!.id);
      } finally {
        delivery.afterHubSpotWrite = null;
      }
    });

    it('should deliver a row whose job was lost between commit and enqueue (the relay)', async () => {
      await worker.close();
      const c = await customer();
      const res = await submit(c, { subject: 'Relay test', description: 'The job went missing.' });
      const [box] = await stack.query<{ id: number }>('SELECT id FROM request_outbox WHERE ticket_id = ?', [
        res.body.localId,
      ]);
      await (await queue.getJob(deliverJobId(box!.id)))?.remove();
      expect(await queue.getJob(deliverJobId(box!.id))).toBeUndefined();
      worker = await createWorker(stack.config, { logger: false });
      await synced(c, res.body.localId);
      expect(hubspotTicketsWithKey(await requestKeyOf(res.body.localId))).toHaveLength(1);
    });

    it('should create the tp_request_key property again when HubSpot lost it, then create the ticket once', async () => {
      const custom = (
        stack.emulator.store as unknown as { customProperties: Map<string, Map<string, unknown>> }
      ).customProperties;
      expect(custom.get('tickets')?.delete('tp_request_key')).toBe(true);
      const c = await customer();
      const res = await submit(c, { subject: 'Property test', description: 'The key property was deleted.' });
      await synced(c, res.body.localId);
      expect(custom.get('tickets')?.has('tp_request_key')).toBe(true);
      expect(hubspotTicketsWithKey(await requestKeyOf(res.body.localId))).toHaveLength(1);
    });

    it('should forget delivered outbox rows and Idempotency-Keys after a week', async () => {
      const c = await customer();
      const res = await submit(c, { subject: 'Old', description: 'Retention.' }, 'old-key');
      await synced(c, res.body.localId);
      const weekAgo = new Date(Date.now() - 8 * 24 * 3600_000);
      await stack.db.query('UPDATE request_outbox SET done_at = ? WHERE ticket_id = ?', [
        weekAgo,
        res.body.localId,
      ]);
      await stack.db.query('UPDATE idempotency_keys SET created_at = ? WHERE ticket_id = ?', [
        weekAgo,
        res.body.localId,
      ]);
      await worker.app.get(RequestRelayService).relay();
      expect(
        await stack.query('SELECT id FROM request_outbox WHERE ticket_id = ?', [res.body.localId]),
      ).toEqual([]);
      expect(
        await stack.query('SELECT id FROM idempotency_keys WHERE ticket_id = ?', [res.body.localId]),
      ).toEqual([]);
    });

    it('should wait through a HubSpot outage and go through when it is back', async () => {
      const c = await customer();
      stack.emulator.setFaults({ outageSeconds: 6 });
      const started = Date.now();
      const res = await submit(c, { subject: 'Outage test', description: 'Sent while HubSpot is down.' });
      expect(res.status).toBe(201);
      // The worker has tried during the outage (and will try again).
      const [box] = await stack.query<{ id: number }>('SELECT id FROM request_outbox WHERE ticket_id = ?', [
        res.body.localId,
      ]);
      await waitFor(
        'a delivery attempt during the outage',
        async () => (await queue.getJob(deliverJobId(box!.id)))?.attemptsMade ?? 0,
        (attempts) => attempts >= 1,
      );
      expect((await detail(c, res.body.localId)).body.syncState).toBe('pending');
      await synced(c, res.body.localId, 40_000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(5000);
      expect(hubspotTicketsWithKey(await requestKeyOf(res.body.localId))).toHaveLength(1);
    }, 60_000);

    it('should mark a request HubSpot refuses as failed with the reason, keep it, and send it on retry', async () => {
      const c = await customer();
      // The portal believes VIP is an option (a stale copy); HubSpot does not have it yet.
      const raw = await stack.redis.get(fieldsCacheKey);
      const cached = JSON.parse(raw!) as {
        at: number;
        options: { priority: Array<Record<string, unknown>> };
      };
      cached.options.priority.push({ value: 'VIP', label: 'VIP', displayOrder: 9, hidden: false });
      cached.at = Date.now();
      await stack.redis.set(fieldsCacheKey, JSON.stringify(cached));
      const res = await submit(c, { subject: 'Refused', description: 'Keep every word.', priority: 'VIP' });
      expect(res.status).toBe(201);
      const failed = await waitFor(
        'failed',
        async () => (await detail(c, res.body.localId)).body,
        (d) => d.syncState === 'failed',
      );
      expect(failed.syncError).toMatch(/VIP was not one of the allowed options/);
      expect(failed.description).toBe('Keep every word.');
      const list = await stack.request<{ items: Array<{ localId: string; syncState: string }> }>(
        'GET',
        '/api/v1/tickets',
        { token: c.token },
      );
      expect(list.body.items.find((i) => i.localId === res.body.localId)?.syncState).toBe('failed');
      const failedGauge = async (): Promise<number> => {
        const text = await (await fetch(`${stack.api.url}/api/v1/metrics`)).text();
        return Number(/^tp_requests_outbox\{state="failed"\} (\d+)$/m.exec(text)?.[1] ?? NaN);
      };
      const failedBefore = await failedGauge();
      expect(failedBefore).toBeGreaterThanOrEqual(1);

      // Support adds the option in HubSpot; the customer retries.
      const def = (
        stack.emulator.store as unknown as {
          propertyDef(t: string, n: string): { options: Array<Record<string, unknown>> };
        }
      ).propertyDef('tickets', 'hs_ticket_priority');
      def.options.push({ value: 'VIP', label: 'VIP', displayOrder: 9, hidden: false });
      try {
        const retried = await stack.request<Detail>('POST', `/api/v1/tickets/${res.body.localId}/retry`, {
          token: c.token,
        });
        expect(retried.status).toBe(200);
        expect(retried.body.syncState).toBe('pending');
        expect(retried.body.syncError).toBeNull();
        const done = await synced(c, res.body.localId);
        expect(stack.emulator.store.get('tickets', done.id!)!.props.hs_ticket_priority).toBe('VIP');
        expect(await failedGauge()).toBe(failedBefore - 1);
      } finally {
        def.options.splice(
          def.options.findIndex((o) => o.value === 'VIP'),
          1,
        );
        await stack.redis.del(fieldsCacheKey);
      }
    });
  });

  describe('bad input', () => {
    let c: Customer;
    beforeAll(async () => {
      c = await customer();
    });

    it.each([
      ['no subject', { description: 'x' }, 'subject'],
      ['a blank subject', { subject: '   ', description: 'x' }, 'subject'],
      ['a 201-character subject', { subject: 'x'.repeat(201), description: 'x' }, 'subject'],
      ['no description', { subject: 'x' }, 'description'],
      ['a 10,001-character description', { subject: 'x', description: 'x'.repeat(10_001) }, 'description'],
      ['an unknown priority', { subject: 'x', description: 'y', priority: 'SUPER' }, 'priority'],
      ['a numeric category', { subject: 'x', description: 'y', category: 42 }, 'category'],
      ['an unknown field', { subject: 'x', description: 'y', extra: true }, 'extra'],
    ])('should refuse %s with 400 naming the field', async (_what, body, field) => {
      const res = await submit(c, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(Object.keys(res.body.fields ?? {})).toContain(field);
      expect(res.body.message).toContain(field);
    });

    it('should list the accepted values when priority is not an option', async () => {
      const res = await submit(c, { subject: 'x', description: 'y', priority: 'SUPER' });
      expect(res.body.fields!.priority).toContain('LOW, MEDIUM, HIGH, URGENT');
    });

    it('should refuse a malformed Idempotency-Key and an empty reply', async () => {
      const res = await submit(c, { subject: 'x', description: 'y' }, 'bad key with spaces');
      expect(res.status).toBe(400);
      expect(res.body.fields).toHaveProperty(['Idempotency-Key']);
      const ticket = await submit(c, { subject: 'x', description: 'y' });
      const reply = await stack.request<Detail>('POST', `/api/v1/tickets/${ticket.body.localId}/replies`, {
        token: c.token,
        body: { body: '  ' },
      });
      expect(reply.status).toBe(400);
      expect(reply.body.fields).toHaveProperty('body');
    });
  });

  describe('reading, replying, closing and reopening', () => {
    let owner: Customer;
    let ticket: Detail;

    beforeAll(async () => {
      owner = await customer(uniqueEmail('conversation'), 'Casey Lane');
      const res = await submit(owner, { subject: 'Conversation', description: 'First message.' });
      ticket = await synced(owner, res.body.localId);
    });

    it('should show a reply at once, send it to HubSpot once, and show it as synced', async () => {
      const text = `Here are the files ${Date.now()}`;
      const res = await stack.request<Message>('POST', `/api/v1/tickets/${ticket.localId}/replies`, {
        token: owner.token,
        body: { body: `  ${text}  ` },
        headers: { 'idempotency-key': `reply-${text.length}-${Date.now()}` },
      });
      expect(res.status).toBe(201);
      expect(res.body).toMatchObject({ from: 'customer', syncState: 'pending', text });
      const page = await detail(owner, ticket.localId);
      expect(page.body.messages.map((m) => m.id)).toContain(res.body.id);

      await waitFor(
        'reply synced',
        async () =>
          (await detail(owner, ticket.localId)).body.messages.find((m) => m.id === res.body.id)?.syncState,
        (s) => s === 'synced',
      );
      expect(incomingEmails(ticket.id!, text)).toHaveLength(1);
      // The agent sees it on the ticket in HubSpot: an incoming email associated with ticket and contact.
      const email = incomingEmails(ticket.id!, text)[0]!;
      expect(stack.emulator.store.associatedIds(email, 'contacts').length).toBe(1);
      // Refreshing the conversation (its webhook, then the sync jobs) must not duplicate it.
      await stack.emulator.flushWebhooks();
      await waitForIdleQueues(stack, [QueueName.SyncRefresh, QueueName.SyncConversations]);
      const after = (await detail(owner, ticket.localId)).body.messages.filter((m) => m.text === text);
      expect(after).toHaveLength(1);
    });

    it('should replay a reply with the same Idempotency-Key and send it once', async () => {
      const key = `reply-key-${Date.now()}`;
      const text = `Once only ${Date.now()}`;
      const send = () =>
        stack.request<Message>('POST', `/api/v1/tickets/${ticket.localId}/replies`, {
          token: owner.token,
          body: { body: text },
          headers: { 'idempotency-key': key },
        });
      const first = await send();
      const second = await send();
      expect(first.status).toBe(201);
      expect(second.status).toBe(200);
      expect(second.body.id).toBe(first.body.id);
      await waitFor(
        'one email',
        () => incomingEmails(ticket.id!, text).length,
        (n) => n === 1,
      );
      // Nothing of this ticket is left to deliver: a second email could not follow.
      await waitFor(
        'outbox delivered',
        async () =>
          Number(
            (
              await stack.query<{ n: number }>(
                "SELECT COUNT(*) AS n FROM request_outbox WHERE ticket_id = ? AND state = 'pending'",
                [ticket.localId],
              )
            )[0]!.n,
          ),
        (n) => n === 0,
      );
      expect(incomingEmails(ticket.id!, text)).toHaveLength(1);
    });

    it("should show an agent's reply with its HTML sanitized, never internal notes", async () => {
      const hostile =
        '<p>Hello <b>there</b><script>alert(1)</script><img src=x onerror="alert(2)">' +
        '<a href="javascript:alert(3)">bad link</a> <a href="https://example.com/x" onclick="alert(4)">good</a>' +
        '<iframe src="https://evil.example"></iframe><svg><script>alert(5)</script></svg>' +
        '<style>body{display:none}</style><span style="background:url(javascript:alert(6))">styled</span>' +
        '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCg3KTwvc2NyaXB0Pg==">data</a>' +
        '<form action="https://evil.example"><input name=x></form></p>';
      const staff = stack.emulator.staff as unknown as {
        replyToCustomer(id: string, text: string, options?: { html?: string }): CrmRecord;
      };
      staff.replyToCustomer(ticket.id!, 'Hello there', { html: hostile });
      stack.emulator.staff.addNote(ticket.id!, 'INTERNAL: do not show');
      await stack.emulator.flushWebhooks();
      const page = await waitFor(
        'agent reply mirrored',
        async () => (await detail(owner, ticket.localId)).body,
        (d) => d.messages.some((m) => m.from === 'support'),
      );
      const agent = page.messages.find((m) => m.from === 'support')!;
      expect(agent.html).toContain('<b>there</b>');
      expect(agent.html).toContain(
        '<a href="https://example.com/x" rel="noopener noreferrer nofollow" target="_blank">good</a>',
      );
      for (const bad of [
        '<script',
        'onerror',
        'onclick',
        'javascript:',
        '<iframe',
        '<svg',
        '<style',
        'style=',
        'data:',
        '<form',
        '<input',
        '<img',
        'alert(',
      ]) {
        expect(agent.html.toLowerCase()).not.toContain(bad);
      }
      expect(page.messages.some((m) => m.text.includes('INTERNAL'))).toBe(false);
      const times = page.messages.map((m) => Date.parse(m.sentAt));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    });

    it('should show an HTML-only email of 300 KB of spaces quickly, shortened with a note', async () => {
      const staff = stack.emulator.staff as unknown as {
        replyToCustomer(id: string, text: string, options?: { html?: string }): CrmRecord;
      };
      const html = `<p>Start of a huge email</p><p>${' '.repeat(300_000)}</p><p>Never shown</p>`;
      const email = staff.replyToCustomer(ticket.id!, 'Start of a huge email', { html });
      delete email.props.hs_email_text; // HubSpot has only the HTML of some emails
      await stack.emulator.flushWebhooks();
      const page = await waitFor(
        'huge email mirrored',
        async () => (await detail(owner, ticket.localId)).body,
        (d) => d.messages.some((m) => m.text.startsWith('Start of a huge email')),
      );
      const huge = page.messages.find((m) => m.text.startsWith('Start of a huge email'))!;
      expect(huge.html).toContain('This message was shortened; the full text is in the email.');
      expect(huge.text).toBe(
        'Start of a huge email\n\nThis message was shortened; the full text is in the email.',
      );
      expect(huge.html).not.toContain('Never shown');
      const started = performance.now();
      const [again, health] = await Promise.all([
        detail(owner, ticket.localId),
        stack.request('GET', '/api/v1/health'),
      ]);
      expect(again.status).toBe(200);
      expect(health.status).toBe(200);
      expect(performance.now() - started).toBeLessThan(1000);
    });

    it('should close and reopen at once and move the HubSpot ticket both times', async () => {
      const closed = await stack.request<Detail>('POST', `/api/v1/tickets/${ticket.localId}/close`, {
        token: owner.token,
      });
      expect(closed.status).toBe(200);
      expect(closed.body.status).toEqual({ label: 'Closed', state: 'closed', kind: 'closed' });
      expect(closed.body.closedAt).not.toBeNull();
      await waitFor(
        'HubSpot closed',
        () => stack.emulator.store.get('tickets', ticket.id!)!.props.hs_pipeline_stage,
        (s) => s === CLOSED_STAGE,
      );
      const again = await stack.request<Detail>('POST', `/api/v1/tickets/${ticket.localId}/close`, {
        token: owner.token,
      });
      expect(again.status).toBe(200);
      const [{ n }] = (await stack.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM request_outbox WHERE ticket_id = ? AND kind = 'stage'",
        [ticket.localId],
      )) as [{ n: number }];
      expect(Number(n)).toBe(1);

      const reopened = await stack.request<Detail>('POST', `/api/v1/tickets/${ticket.localId}/reopen`, {
        token: owner.token,
      });
      expect(reopened.status).toBe(200);
      expect(reopened.body.status).toEqual({ label: 'New', state: 'open', kind: 'new' });
      await waitFor(
        'HubSpot reopened',
        () => stack.emulator.store.get('tickets', ticket.id!)!.props.hs_pipeline_stage,
        (s) => s === NEW_STAGE,
      );
      // The mirror settles on HubSpot's state without flipping back: once the stage change's webhooks
      // and the sync jobs they start have run.
      await stack.emulator.flushWebhooks();
      await waitForIdleQueues(stack, [QueueName.SyncRefresh, QueueName.SyncConversations]);
      expect((await detail(owner, ticket.localId)).body.status.state).toBe('open');
    });

    it('should show a close made by support in HubSpot', async () => {
      stack.emulator.staff.moveStage(ticket.id!, CLOSED_STAGE);
      await stack.emulator.flushWebhooks();
      await waitFor(
        'closed by support',
        async () => (await detail(owner, ticket.localId)).body.status.state,
        (s) => s === 'closed',
      );
      stack.emulator.staff.moveStage(ticket.id!, NEW_STAGE);
      await stack.emulator.flushWebhooks();
      await waitFor(
        'reopened by support',
        async () => (await detail(owner, ticket.localId)).body.status.state,
        (s) => s === 'open',
      );
    });

    it('should let a reply to a ticket not yet in HubSpot wait and then go through', async () => {
      await worker.close();
      const res = await submit(owner, { subject: 'Early reply', description: 'Reply before sync.' });
      const reply = await stack.request<Message>('POST', `/api/v1/tickets/${res.body.localId}/replies`, {
        token: owner.token,
        body: { body: 'Typed before the ticket reached HubSpot' },
      });
      expect(reply.status).toBe(201);
      worker = await createWorker(stack.config, { logger: false });
      const done = await synced(owner, res.body.localId);
      await waitFor(
        'early reply in HubSpot',
        () => incomingEmails(done.id!, 'Typed before the ticket reached HubSpot').length,
        (n) => n === 1,
      );
    });

    it("should answer 404 on every route for another customer's ticket", async () => {
      const stranger = await customer();
      const id = ticket.localId;
      const routes: Array<[string, string, unknown?]> = [
        ['GET', `/api/v1/tickets/${id}`],
        ['POST', `/api/v1/tickets/${id}/replies`, { body: 'hi' }],
        ['POST', `/api/v1/tickets/${id}/close`],
        ['POST', `/api/v1/tickets/${id}/reopen`],
        ['POST', `/api/v1/tickets/${id}/retry`],
        ['GET', '/api/v1/tickets/99999999'],
        ['GET', '/api/v1/tickets/abc'],
        ['POST', '/api/v1/tickets/-1/close'],
      ];
      for (const [method, path, body] of routes) {
        const res = await stack.request<Detail>(method, path, {
          token: stranger.token,
          ...(body ? { body } : {}),
        });
        expect([path, res.status, res.body.code]).toEqual([path, 404, 'TICKET_NOT_FOUND']);
      }
      const messages = await stack.query<{ n: number }>(
        'SELECT COUNT(*) AS n FROM ticket_messages WHERE text = ?',
        ['hi'],
      );
      expect(Number(messages[0]!.n)).toBe(0);
    });
  });
});
