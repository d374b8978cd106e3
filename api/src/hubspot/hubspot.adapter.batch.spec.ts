import { randomUUID } from 'node:crypto';
import { type CrmRecord, type Emulator } from '@ticket-portal/hubspot-emulator';
import { royaltyRequest, startEmulatorWithAdapter, ticketsWithKey } from './__fixtures__/emulator-adapter';
import { HubSpotAdapter, type HubSpotCallEvent } from './hubspot.adapter';
import { type HsCreateTicketInput, type HsCustomerReplyBatchInput } from './hubspot.types';

// The batch writes (issue 16) against the real emulator: tickets idempotent by request key and reply
// emails by reply key, stage changes, a refused record failing alone, a few calls per 100 records.

describe(`${HubSpotAdapter.name} batch creates`, () => {
  let emulator: Emulator;
  let sut: HubSpotAdapter;
  const calls: HubSpotCallEvent[] = [];

  beforeAll(async () => {
    ({ emulator, sut } = await startEmulatorWithAdapter(
      { seed: { tickets: 5, seed: 16 }, faults: { searchLagMs: 60_000 } },
      { onCall: (event) => calls.push(event) },
    ));
    await sut.ensureCustomProperties();
  });

  afterAll(async () => {
    await emulator?.close();
  });

  async function inputs(n: number): Promise<HsCreateTicketInput[]> {
    const contact = (await sut.findContactByEmail('demo@example.com'))!;
    return Array.from({ length: n }, (_, i) => ({
      ...royaltyRequest(contact),
      subject: `Batch ticket ${i}`,
      content: `Ticket ${i} of a batch.`,
    }));
  }

  it('should create 100 tickets with their associations in two calls, and none again on a retry', async () => {
    const batch = await inputs(100);
    calls.length = 0;

    const first = await sut.createTickets(batch);

    expect(calls.map((c) => c.operation)).toEqual([
      'batch read tickets by request key',
      'batch create tickets',
    ]);
    expect(first.every((o) => o.ok && o.created)).toBe(true);
    expect(first.map((o) => o.requestKey)).toEqual(batch.map((i) => i.requestKey));
    const made = first[0]!.ok ? first[0]!.ticket : null;
    expect(made).toMatchObject({ requestKey: batch[0]!.requestKey, contactIds: [batch[0]!.contactId] });
    const rec = emulator.store.get('tickets', made!.id)!;
    expect(emulator.store.associatedIds(rec, 'contacts')).toEqual([batch[0]!.contactId]);
    expect(emulator.store.associatedIds(rec, 'companies')).toEqual([batch[0]!.companyId]);

    // A retry after a crash before the commit: every ticket is found by its key, none made twice.
    const again = await sut.createTickets(batch);
    expect(again.every((o) => o.ok && !o.created)).toBe(true);
    expect(again.map((o) => (o.ok ? o.ticket.id : null))).toEqual(
      first.map((o) => (o.ok ? o.ticket.id : null)),
    );
    for (const input of batch) expect(ticketsWithKey(emulator, input.requestKey)).toHaveLength(1);
  });

  it('should refuse one record with its reason and create the others', async () => {
    const batch = await inputs(5);
    batch[2] = { ...batch[2]!, priority: 'NOT_AN_OPTION' };

    const outcomes = await sut.createTickets(batch);

    expect(outcomes.filter((o) => o.ok)).toHaveLength(4);
    const refused = outcomes[2]!;
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.retryable).toBe(false);
      expect(refused.error.message).toMatch(/NOT_AN_OPTION/);
    }
    expect(ticketsWithKey(emulator, batch[2].requestKey)).toHaveLength(0);
    for (const i of [0, 1, 3, 4]) expect(ticketsWithKey(emulator, batch[i]!.requestKey)).toHaveLength(1);
  });

  it('should answer a key made by a concurrent attempt with that ticket', async () => {
    const batch = await inputs(3);
    const [a, b] = await Promise.all([sut.createTickets(batch), sut.createTickets(batch)]);
    for (let i = 0; i < 3; i += 1) {
      const one = a[i]!;
      const two = b[i]!;
      expect(one.ok && two.ok).toBe(true);
      if (one.ok && two.ok) expect(one.ticket.id).toBe(two.ticket.id);
      expect(ticketsWithKey(emulator, batch[i]!.requestKey)).toHaveLength(1);
    }
  });

  it('should skip the batch read for keys no earlier attempt sent: one call per 100 new tickets', async () => {
    const batch = await inputs(100);
    calls.length = 0;

    const made = await sut.createTickets(batch, { unsent: new Set(batch.map((i) => i.requestKey)) });

    expect(calls.map((c) => c.operation)).toEqual(['batch create tickets']);
    expect(made.every((o) => o.ok && o.created)).toBe(true);
  });

  async function replies(n: number, ticketIds: string[]): Promise<HsCustomerReplyBatchInput[]> {
    const contact = (await sut.findContactByEmail('demo@example.com'))!;
    return Array.from({ length: n }, (_, i) => ({
      ticketId: ticketIds[i % ticketIds.length]!,
      contactId: contact.id,
      reply: {
        text: `Reply ${i} of a batch`,
        html: `<p>Reply ${i} of a batch</p>`,
        from: { email: 'Demo@example.com', firstName: 'Demo', lastName: 'Customer' },
        subject: 'Re: a batch',
        sentAt: new Date(Date.UTC(2026, 11, 6, 12, 0, i)),
        replyKey: `tpr-${randomUUID()}`,
      },
    }));
  }

  function emailsWithKey(replyKey: string): CrmRecord[] {
    return [...emulator.store.records.emails.values()].filter(
      (e) => !e.archived && e.props.tp_reply_key === replyKey,
    );
  }

  it('should log 100 replies with their associations in one call, find them by reply key on a retry, and fail a refused one alone', async () => {
    const tickets = (await sut.createTickets(await inputs(4))).map((o) => (o.ok ? o.ticket.id : ''));
    const batch = await replies(100, tickets);
    // The ticket of this reply is gone from HubSpot: its email is refused, the others are logged.
    batch[37] = { ...batch[37]!, ticketId: '987654321' };
    calls.length = 0;

    const first = await sut.addCustomerReplies(batch, {
      unsent: new Set(batch.map((i) => i.reply.replyKey)),
    });

    expect(calls.map((c) => c.operation)).toEqual(['batch create reply emails']);
    const refused = first[37]!;
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.retryable).toBe(false);
      expect(refused.error.message).toMatch(/987654321/);
    }
    expect(first.filter((o) => o.ok && o.created)).toHaveLength(99);
    const logged = first[0]!.ok ? first[0]!.message : null;
    expect(logged).toMatchObject({
      direction: 'customer',
      requestKey: batch[0]!.reply.replyKey,
      text: 'Reply 0 of a batch',
    });
    const rec = emulator.store.get('emails', logged!.id)!;
    expect(emulator.store.associatedIds(rec, 'tickets')).toEqual([tickets[0]]);
    expect(emulator.store.associatedIds(rec, 'contacts')).toEqual([batch[0]!.contactId]);

    // A retry after a crash before the commit: read by key (one call), nothing logged twice.
    calls.length = 0;
    const again = await sut.addCustomerReplies(batch.filter((_, i) => i !== 37));
    expect(calls.map((c) => c.operation)).toEqual(['batch read emails by reply key']);
    expect(again.every((o) => o.ok && !o.created)).toBe(true);
    for (const input of batch) {
      expect(emailsWithKey(input.reply.replyKey)).toHaveLength(input === batch[37] ? 0 : 1);
    }
  });

  it('should answer a reply logged by a concurrent attempt with that email', async () => {
    const [ticket] = (await sut.createTickets(await inputs(1))).map((o) => (o.ok ? o.ticket.id : ''));
    const batch = await replies(3, [ticket!]);
    const [a, b] = await Promise.all([sut.addCustomerReplies(batch), sut.addCustomerReplies(batch)]);
    for (let i = 0; i < 3; i += 1) {
      const one = a[i]!;
      const two = b[i]!;
      expect(one.ok && two.ok).toBe(true);
      if (one.ok && two.ok) expect(one.message.id).toBe(two.message.id);
      expect(emailsWithKey(batch[i]!.reply.replyKey)).toHaveLength(1);
    }
  });

  it('should move many tickets in one batch update and one read, failing a refused stage and a lost ticket alone', async () => {
    const tickets = (await sut.createTickets(await inputs(5))).map((o) => (o.ok ? o.ticket.id : ''));
    calls.length = 0;

    const outcomes = await sut.updateTicketStages([
      { ticketId: tickets[0]!, stageId: '4' },
      { ticketId: tickets[1]!, stageId: 'no-such-stage' },
      { ticketId: tickets[2]!, stageId: '4' },
      { ticketId: '987654321', stageId: '4' },
      { ticketId: tickets[4]!, stageId: '2' },
    ]);

    expect(calls.filter((c) => c.operation === 'batch update ticket stages')).toHaveLength(1);
    expect(calls.filter((c) => c.operation === 'batch read tickets')).toHaveLength(1);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true, false, true]);
    expect(outcomes[0]).toMatchObject({ ok: true, ticket: { id: tickets[0], stageId: '4' } });
    expect(outcomes[4]).toMatchObject({ ok: true, ticket: { id: tickets[4], stageId: '2' } });
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: { kind: 'invalid', message: expect.stringMatching(/no-such-stage/) },
    });
    expect(outcomes[3]).toMatchObject({ ok: false, error: { kind: 'not_found' } });
    expect(emulator.store.get('tickets', tickets[1]!)!.props.hs_pipeline_stage).toBe('1');
    expect(emulator.store.get('tickets', tickets[2]!)!.props.hs_pipeline_stage).toBe('4');
  });

  it('should find contacts by email and create the missing ones in one call each, an existing email answered with its contact', async () => {
    const demo = (await sut.findContactByEmail('demo@example.com'))!;
    const fresh = [`a-${randomUUID()}@batch.example`, `b-${randomUUID()}@batch.example`];
    calls.length = 0;

    const found = await sut.findContactsByEmails(['DEMO@example.com', ...fresh]);
    expect([...found.keys()]).toEqual(['demo@example.com']);
    expect(found.get('demo@example.com')).toMatchObject({
      id: demo.id,
      primaryCompanyId: demo.primaryCompanyId,
    });

    const created = await sut.createContacts([
      { email: fresh[0]!, firstName: 'Ada', lastName: 'Batch' },
      { email: fresh[1]! },
      { email: 'demo@example.com' },
    ]);
    expect(created.get(fresh[0]!)).toMatchObject({ email: fresh[0], firstName: 'Ada', lastName: 'Batch' });
    expect(created.get(fresh[1]!)).toMatchObject({ email: fresh[1] });
    expect(created.get('demo@example.com')).toMatchObject({ id: demo.id });
    expect(calls.filter((c) => c.operation === 'batch create contacts')).toHaveLength(1);
    expect(
      calls.filter((c) => c.operation === 'read contact by email' || c.operation === 'create contact'),
    ).toEqual([]);
    const contacts = [...emulator.store.records.contacts.values()].filter((c) => c.props.email === fresh[0]);
    expect(contacts).toHaveLength(1);
  });

  it('should create 100 tasks on their tickets in two calls, find them by key on a retry, and fail a refused one alone', async () => {
    const tickets = (await sut.createTickets(await inputs(3))).map((o) => (o.ok ? o.ticket.id : ''));
    const owner = emulator.store.owners.find((o) => !o.archived)!;
    const batch = Array.from({ length: 100 }, (_, i) => ({
      ticketId: tickets[i % 3]!,
      ownerId: i === 41 ? '99999999' : owner.id,
      subject: `Customer replied ${i}`,
      body: `<p>Reply ${i}</p>`,
      dueAt: new Date('2026-05-01T10:00:00Z'),
      eventKey: `tpr-${randomUUID()}`,
      priority: i % 2 === 0 ? ('HIGH' as const) : null,
    }));
    calls.length = 0;

    const first = await sut.createTasks(batch);

    expect(calls.map((c) => c.operation)).toEqual(['batch read tasks by event key', 'batch create tasks']);
    expect(first.map((o) => o.eventKey)).toEqual(batch.map((i) => i.eventKey));
    expect(first.filter((o) => !o.ok).map((o) => o.eventKey)).toEqual([batch[41]!.eventKey]);
    expect(first[41]).toMatchObject({
      ok: false,
      error: { kind: 'invalid', message: expect.stringMatching(/99999999/) },
    });
    expect(first[0]).toMatchObject({
      ok: true,
      created: true,
      task: { subject: 'Customer replied 0', ownerId: owner.id, eventKey: batch[0]!.eventKey },
    });
    const made = first[7]!.ok ? first[7]!.task : null;
    const rec = emulator.store.get('tasks', made!.id)!;
    expect(emulator.store.associatedIds(rec, 'tickets')).toEqual([tickets[1]]);
    expect(rec.props.hs_task_priority).toBeUndefined();
    expect(
      emulator.store.get('tasks', (first[0]!.ok ? first[0]!.task : made)!.id)!.props.hs_task_priority,
    ).toBe('HIGH');

    // A retry after a crash before the commit: each task is found by its key, none made twice.
    calls.length = 0;
    const again = await sut.createTasks(batch.filter((_, i) => i !== 41));
    expect(calls.map((c) => c.operation)).toEqual(['batch read tasks by event key']);
    expect(again.every((o) => o.ok && !o.created)).toBe(true);
    const tasksWithKey = (key: string) =>
      [...emulator.store.records.tasks.values()].filter((t) => !t.archived && t.props.tp_event_key === key);
    for (const input of batch) expect(tasksWithKey(input.eventKey)).toHaveLength(input === batch[41] ? 0 : 1);
  });
});
