import { randomUUID } from 'node:crypto';
import { type Emulator } from '@ticket-portal/hubspot-emulator';
import { royaltyRequest, startEmulatorWithAdapter, ticketsWithKey } from './__fixtures__/emulator-adapter';
import { HubSpotAdapter, type HubSpotCallEvent } from './hubspot.adapter';
import { type HsCreateTicketInput } from './hubspot.types';

// createTickets (issue 16) against the real emulator: batches of tickets, idempotent by request key,
// a refused record failing alone, in two calls per 100 tickets.

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
});
