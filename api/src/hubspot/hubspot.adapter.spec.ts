import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { type Emulator } from '@ticket-portal/hubspot-emulator';
import { adapterOn, liveTickets, royaltyRequest, startTestEmulator } from './__fixtures__/emulator-adapter';
import { HubSpotAdapter, type HubSpotCallEvent } from './hubspot.adapter';
import { HubSpotError } from './hubspot-error';
import { HubSpotRateLimiter } from './hubspot-rate-limiter';

// The real SDK against the real emulator (e2e/hubspot-emulator), which speaks HubSpot's wire format.

describe(HubSpotAdapter.name, () => {
  let emulator: Emulator;
  let sut: HubSpotAdapter;

  beforeAll(async () => {
    emulator = await startTestEmulator({ seed: { tickets: 60, seed: 42 } });
    // With a trailing slash, as an operator may write HUBSPOT_BASE_URL.
    sut = adapterOn(emulator, { basePath: `${emulator.url}/` });
  });

  afterAll(async () => {
    await emulator?.close();
  });

  afterEach(() => {
    emulator.clearFaults();
  });

  describe('reading', () => {
    it('should walk every ticket page with its contacts and companies when backfilling', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await sut.listTickets(cursor);
        for (const ticket of page.tickets) {
          seen.push(ticket.id);
          const rec = emulator.store.get('tickets', ticket.id)!;
          expect(ticket.contactIds).toEqual(emulator.store.associatedIds(rec, 'contacts'));
          expect(new Set(ticket.companyIds)).toEqual(new Set(emulator.store.associatedIds(rec, 'companies')));
        }
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== undefined);

      expect(pages).toBe(1);
      expect(seen.sort()).toEqual(
        liveTickets(emulator)
          .map((t) => t.id)
          .sort(),
      );
    });

    it('should batch read tickets with associations and leave out ids HubSpot does not have', async () => {
      const [a, b] = liveTickets(emulator);
      const result = await sut.getTicketsByIds([a!.id, b!.id, '999999999', a!.id]);

      expect(result.map((t) => t.id).sort()).toEqual([a!.id, b!.id].sort());
      const first = result.find((t) => t.id === a!.id)!;
      expect(first.subject).toBe(a!.props.subject);
      expect(first.stageId).toBe(a!.props.hs_pipeline_stage);
      expect(first.lastModifiedAt.toISOString()).toBe(a!.props.hs_lastmodifieddate);
      expect(first.contactIds).toEqual(emulator.store.associatedIds(a!, 'contacts'));
    });

    it('should answer null for a ticket that does not exist', async () => {
      expect(await sut.getTicket('999999999')).toBeNull();
    });

    it('should return every modified ticket through search, oldest change first', async () => {
      const found: Array<{ id: string; at: number }> = [];
      let cursor: string | undefined;
      do {
        const page = await sut.searchTicketsModifiedSince(0, cursor);
        found.push(...page.tickets.map((t) => ({ id: t.id, at: t.lastModifiedAt.getTime() })));
        cursor = page.nextCursor;
      } while (cursor !== undefined);

      expect(new Set(found.map((f) => f.id))).toEqual(new Set(liveTickets(emulator).map((t) => t.id)));
      expect(found.map((f) => f.at)).toEqual([...found.map((f) => f.at)].sort((x, y) => x - y));
    });

    it('should read pipelines with open and closed stages', async () => {
      const pipelines = await sut.getPipelines();
      const support = pipelines.find((p) => p.id === '0')!;

      expect(support.stages.length).toBeGreaterThan(1);
      expect(support.stages.some((s) => s.ticketState === 'CLOSED')).toBe(true);
      expect(support.stages.map((s) => s.displayOrder)).toEqual(
        [...support.stages.map((s) => s.displayOrder)].sort((x, y) => x - y),
      );
    });

    it('should list active and archived owners', async () => {
      const owners = await sut.getOwners();

      expect(owners.map((o) => o.id).sort()).toEqual(emulator.store.owners.map((o) => o.id).sort());
      const archived = emulator.store.owners.find((o) => o.archived)!;
      expect(owners.find((o) => o.id === archived.id)).toMatchObject({
        archived: true,
        firstName: archived.firstName,
      });
    });

    it('should read priority and category options from the properties API', async () => {
      const options = await sut.getTicketProperties();

      expect(options.priority.map((o) => o.value)).toEqual(expect.arrayContaining(['LOW', 'MEDIUM', 'HIGH']));
      expect(Array.isArray(options.category)).toBe(true);
    });
  });

  describe('contacts and companies', () => {
    it('should find the demo contact by email, in any case, with its primary company', async () => {
      const contact = await sut.findContactByEmail('  Demo@Example.com ');
      const rec = emulator.store.contactByEmail('demo@example.com')!;

      expect(contact).toMatchObject({ id: rec.id, email: 'demo@example.com' });
      expect(contact!.companyIds).toEqual(
        expect.arrayContaining(emulator.store.associatedIds(rec, 'companies')),
      );
      expect(contact!.primaryCompanyId).toBe(contact!.companyIds[0]);
      const [company] = await sut.getCompaniesByIds([contact!.primaryCompanyId!]);
      expect(company!.name).toBe('Harbour Lights Music');
    });

    it('should answer null for an email HubSpot does not know', async () => {
      expect(await sut.findContactByEmail(`nobody-${randomUUID()}@example.com`)).toBeNull();
    });

    it('should create a contact once and return the same one when it already exists', async () => {
      const email = `new-${randomUUID()}@example.com`;
      const created = await sut.createContact({ email, firstName: 'New', lastName: 'Person' });
      const again = await sut.createContact({ email: email.toUpperCase() });

      expect(again.id).toBe(created.id);
      const [read] = await sut.getContactsByIds([created.id]);
      expect(read).toMatchObject({ email, firstName: 'New', lastName: 'Person', companyIds: [] });
    });
  });

  describe('conversation', () => {
    it('should show agent replies and leave notes out', async () => {
      const ticket = liveTickets(emulator)[3]!;
      emulator.staff.replyToCustomer(ticket.id, 'We are looking into it.');

      const conversation = await sut.getTicketConversation(ticket.id);

      const last = conversation.at(-1)!;
      expect(last).toMatchObject({
        direction: 'agent',
        text: 'We are looking into it.',
        ticketId: ticket.id,
      });
      const noteIds = new Set(emulator.store.associatedIds(ticket, 'notes'));
      expect(conversation.some((m) => noteIds.has(m.id))).toBe(false);
      const times = conversation.map((m) => m.createdAt.getTime());
      expect(times).toEqual([...times].sort((x, y) => x - y));
    });
    it('should read many conversations at once, equal to reading them one by one', async () => {
      const some = liveTickets(emulator)
        .slice(0, 12)
        .map((t) => t.id);

      const batch = await sut.getTicketConversations([...some, '999999999']);

      expect([...batch.keys()].sort()).toEqual([...some, '999999999'].sort());
      expect(batch.get('999999999')).toEqual([]);
      for (const id of some) expect(batch.get(id)).toEqual(await sut.getTicketConversation(id));
      expect([...batch.values()].some((messages) => messages.length > 0)).toBe(true);
    });
  });

  describe('writing', () => {
    it('should refuse permanently, naming tp_request_key, when the portal lacks the property', async () => {
      // A fresh emulator has never had ensureCustomProperties() run against it.
      const fresh = await startTestEmulator({ seed: { tickets: 3, seed: 5 } });
      try {
        const adapter = adapterOn(fresh);
        const contact = (await adapter.findContactByEmail('demo@example.com'))!;
        const input = { subject: 's', content: 'c', pipelineId: '0', stageId: '1', contactId: contact.id };

        const error = await adapter
          .createTicket({ ...input, requestKey: `req-${randomUUID()}` })
          .catch((e: unknown) => e);

        const { kind, retryable, message } = error as HubSpotError;
        // Compared as one object so a failure shows HubSpot's message too.
        expect({ kind, retryable, message }).toEqual({
          kind: 'invalid',
          retryable: false,
          message: expect.stringContaining('tp_request_key'),
        });
        expect(liveTickets(fresh)).toHaveLength(3);
      } finally {
        await fresh.close();
      }
    });

    it('should create a ticket once per request key, associated with the contact and company', async () => {
      await sut.ensureCustomProperties();
      const contact = (await sut.findContactByEmail('demo@example.com'))!;
      const input = royaltyRequest(contact);
      const { requestKey } = input;

      const first = await sut.createTicket(input);
      const second = await sut.createTicket(input);

      expect(first.created).toBe(true);
      expect(second).toMatchObject({ created: false, ticket: { id: first.ticket.id, requestKey } });
      const rec = emulator.store.get('tickets', first.ticket.id)!;
      expect(rec.props.subject).toBe('Royalty statement missing');
      expect(emulator.store.associatedIds(rec, 'contacts')).toEqual([contact.id]);
      expect(emulator.store.associatedIds(rec, 'companies')).toEqual([contact.primaryCompanyId]);
      expect(liveTickets(emulator).filter((t) => t.props.tp_request_key === requestKey)).toHaveLength(1);
      expect((await sut.findTicketByRequestKey(requestKey))?.id).toBe(first.ticket.id);
    });

    it('should log a customer reply once per reply key and show it as the customer', async () => {
      const contact = (await sut.findContactByEmail('demo@example.com'))!;
      const ticket = liveTickets(emulator).find((t) =>
        emulator.store.associatedIds(t, 'contacts').includes(contact.id),
      )!;
      const reply = {
        text: 'Here is the screenshot you asked for.',
        from: { email: 'demo@example.com', firstName: 'Alex', lastName: 'Morgan' },
        sentAt: new Date(Date.now() - 1000),
        replyKey: `reply-${randomUUID()}`,
      };

      const first = await sut.addCustomerReply(ticket.id, contact.id, reply);
      const second = await sut.addCustomerReply(ticket.id, contact.id, reply);

      expect(first.created).toBe(true);
      expect(second).toMatchObject({ created: false, message: { id: first.message.id } });
      const conversation = await sut.getTicketConversation(ticket.id);
      const mine = conversation.filter((m) => m.requestKey === reply.replyKey);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        direction: 'customer',
        authorEmail: 'demo@example.com',
        text: reply.text,
      });
      const email = emulator.store.get('emails', first.message.id)!;
      expect(emulator.store.associatedIds(email, 'contacts')).toEqual([contact.id]);
    });

    it('should close and reopen a ticket by moving its stage', async () => {
      const ticket = liveTickets(emulator).find(
        (t) => t.props.hs_pipeline === '0' && t.props.hs_pipeline_stage !== '4',
      )!;

      const closed = await sut.updateTicketStage(ticket.id, '4');
      expect(closed).toMatchObject({ id: ticket.id, stageId: '4' });
      expect(closed.closedAt).toBeInstanceOf(Date);

      const reopened = await sut.updateTicketStage(ticket.id, '1');
      expect(reopened.stageId).toBe('1');
      expect(reopened.lastModifiedAt.getTime()).toBeGreaterThanOrEqual(closed.lastModifiedAt.getTime());
    });
  });

  describe('failures', () => {
    it('should classify a bad token as a permanent refusal', async () => {
      const wrong = new HubSpotAdapter({ accessToken: 'wrong-token', basePath: emulator.url });

      const error = await wrong.getPipelines().catch((e: unknown) => e);

      expect(error).toBeInstanceOf(HubSpotError);
      expect(error).toMatchObject({ kind: 'invalid', status: 401, retryable: false });
    });

    it('should classify an outage as unavailable and retryable', async () => {
      emulator.setFaults({ outageSeconds: 5 });

      const error = await sut.getPipelines().catch((e: unknown) => e);

      expect(error).toMatchObject({ kind: 'unavailable', status: 503, retryable: true });
    });

    it('should classify a refused connection as unavailable', async () => {
      const nowhere = new HubSpotAdapter({ accessToken: 't', basePath: 'http://127.0.0.1:9' });

      expect(await nowhere.getPipelines().catch((e: unknown) => e)).toMatchObject({ kind: 'unavailable' });
    });

    it('should time out a call that does not answer', async () => {
      emulator.setFaults({ latencyMs: 1_000 });
      const impatient = adapterOn(emulator, { requestTimeoutMs: 200 });

      const error = await impatient.getPipelines().catch((e: unknown) => e);

      expect(error).toMatchObject({ kind: 'unavailable' });
      expect((error as Error).message).toContain('200 ms');
    });
  });

  describe('search past the 10,000-result cap', () => {
    let big: Emulator;

    beforeAll(async () => {
      big = await startTestEmulator({ seed: { tickets: 10_450, seed: 3 } });
    }, 120_000);

    afterAll(async () => {
      await big?.close();
    });

    it('should reach every ticket by restarting from the last modified date it saw', async () => {
      const adapter = adapterOn(big);
      const seen = new Set<string>();
      let cursor: string | undefined;
      let pages = 0;
      let previous = 0;
      do {
        const page = await adapter.searchTicketsModifiedSince(0, cursor);
        for (const t of page.tickets) {
          seen.add(t.id);
          // Never goes back in time by more than the overlap of one restart.
          expect(t.lastModifiedAt.getTime()).toBeGreaterThanOrEqual(previous);
          previous = t.lastModifiedAt.getTime();
        }
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== undefined && pages < 200);

      expect(seen.size).toBe(liveTickets(big).length);
      expect(liveTickets(big).length).toBeGreaterThan(10_000);
    }, 120_000);
  });

  describe('with the shared rate limiter', () => {
    let limited: Emulator;
    let redis: Redis;
    let keyPrefix: string;

    beforeAll(async () => {
      limited = await startTestEmulator({
        seed: { tickets: 5, seed: 7 },
        rateLimit: { max: 8, intervalMs: 1_000 },
      });
      redis = new Redis('redis://127.0.0.1:6379/1');
      keyPrefix = `tp-test-${randomUUID()}:`;
    });

    afterAll(async () => {
      const keys = await redis.keys(`${keyPrefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
      await limited.close();
    });

    it('should stay under HubSpot limit without a single 429 when the limiter is tighter', async () => {
      // Half of HubSpot's budget: room for request latency jitter on a loaded test machine.
      const limiter = new HubSpotRateLimiter({
        redis,
        keyPrefix: `${keyPrefix}a:`,
        generalLimit: 4,
        generalWindowMs: 1_000,
      });
      const paced = adapterOn(limited, { limiter });
      const start = Date.now();

      const results = await Promise.allSettled(Array.from({ length: 12 }, () => paced.getPipelines()));

      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      expect(Date.now() - start).toBeGreaterThanOrEqual(1_900);
    });

    it('should pause every caller after HubSpot answers 429', async () => {
      limited.resetRateLimits();
      const limiter = new HubSpotRateLimiter({
        redis,
        keyPrefix: `${keyPrefix}b:`,
        generalLimit: 50,
        generalWindowMs: 1_000,
      });
      const events: HubSpotCallEvent[] = [];
      const greedy = adapterOn(limited, { limiter, onCall: (event) => events.push(event) });

      const results = await Promise.allSettled(Array.from({ length: 12 }, () => greedy.getPipelines()));
      const rejected = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');

      expect(rejected.length).toBeGreaterThan(0);
      expect(rejected[0]!.reason).toMatchObject({ kind: 'rate_limited', status: 429, retryable: true });
      expect(await limiter.pausedFor('general')).toBeGreaterThan(0);
      expect(events.filter((e) => e.outcome === 'rate_limited')).toHaveLength(rejected.length);
      expect(events.filter((e) => e.outcome === 'ok')).toHaveLength(12 - rejected.length);
      expect(events[0]).toMatchObject({ operation: 'read ticket pipelines', kind: 'general' });
    });
  });
});
