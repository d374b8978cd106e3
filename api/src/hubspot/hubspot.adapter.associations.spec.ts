import { type Emulator } from '@ticket-portal/hubspot-emulator';
import { liveTickets, startEmulatorWithAdapter } from './__fixtures__/emulator-adapter';
import { HubSpotAdapter, type HubSpotCallEvent } from './hubspot.adapter';
import { AssociationTypeId } from './hubspot.constants';
import { HubSpotError } from './hubspot-error';
import { type HsTicketContactPair } from './hubspot.types';

// People in copy in batches (issue 16): v4 batch associate-default and batch archive of
// ticket–contact pairs against the real emulator — one call per batch, idempotent, a pair HubSpot
// refuses failing alone.

describe(`${HubSpotAdapter.name} ticket–contact associations in batches`, () => {
  let emulator: Emulator;
  let sut: HubSpotAdapter;
  const calls: HubSpotCallEvent[] = [];
  let pairs: HsTicketContactPair[];

  beforeAll(async () => {
    ({ emulator, sut } = await startEmulatorWithAdapter(
      { seed: { tickets: 60, seed: 26 } },
      { onCall: (event) => calls.push(event) },
    ));
    const tickets = liveTickets(emulator).slice(0, 50);
    const contacts = [...emulator.store.records.contacts.values()].filter((c) => !c.archived).slice(0, 3);
    // 150 pairs: each of 50 tickets with three contacts.
    pairs = tickets.flatMap((t) => contacts.map((c) => ({ ticketId: t.id, contactId: c.id })));
    for (const { ticketId, contactId } of pairs) {
      emulator.store.dissociateTypes(
        emulator.store.get('tickets', ticketId)!,
        emulator.store.get('contacts', contactId)!,
        undefined,
        { silent: true },
      );
    }
  });

  afterAll(async () => {
    await emulator?.close();
  });

  beforeEach(() => {
    calls.length = 0;
  });

  const typesOf = ({ ticketId, contactId }: HsTicketContactPair): number[] =>
    emulator.store.get('tickets', ticketId)!.assoc.contacts?.get(contactId) ?? [];

  it('should associate 150 pairs in one call, and again harmlessly', async () => {
    const refused = await sut.associateContactsMany([...pairs, pairs[0]!]);

    expect(refused).toEqual([]);
    expect(calls.map((c) => [c.operation, c.outcome])).toEqual([
      ['batch associate contacts with tickets', 'ok'],
    ]);
    for (const pair of pairs) expect(typesOf(pair)).toEqual([AssociationTypeId.ticketToContact]);

    // A retry after a crash before the commit: the same associations, nothing doubled.
    expect(await sut.associateContactsMany(pairs)).toEqual([]);
    for (const pair of pairs) expect(typesOf(pair)).toEqual([AssociationTypeId.ticketToContact]);
  });

  it('should dissociate 150 pairs in one call, and again harmlessly', async () => {
    await sut.associateContactsMany(pairs);
    calls.length = 0;

    const refused = await sut.dissociateContactsMany(pairs);

    expect(refused).toEqual([]);
    expect(calls.map((c) => c.operation)).toEqual(['batch dissociate contacts from tickets']);
    for (const pair of pairs) expect(typesOf(pair)).toEqual([]);
    // Nothing left to remove, a record HubSpot no longer has: still nothing refused.
    expect(
      await sut.dissociateContactsMany([...pairs, { ticketId: '987654321', contactId: pairs[0]!.contactId }]),
    ).toEqual([]);
  });

  it('should fail a pair whose ticket HubSpot no longer has alone, associating the others', async () => {
    const lost = { ticketId: '987654321', contactId: pairs[0]!.contactId };
    const asked = [...pairs.slice(0, 20), lost, ...pairs.slice(20, 40)];

    const refused = await sut.associateContactsMany(asked);

    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject(lost);
    expect(refused[0]!.error).toBeInstanceOf(HubSpotError);
    expect(refused[0]!.error).toMatchObject({ kind: 'invalid', status: 400, retryable: false });
    expect(refused[0]!.error.message).toContain('tickets does not exist');
    for (const pair of pairs.slice(0, 40)) expect(typesOf(pair)).toEqual([AssociationTypeId.ticketToContact]);
    // The refused batch is split in halves until the lost pair stands alone: a few calls, not 41.
    expect(calls.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(asked.length)) + 1);
  });

  it('should throw, refusing nothing, when HubSpot is down', async () => {
    emulator.setFaults({ outageSeconds: 60 });
    try {
      await expect(sut.associateContactsMany(pairs.slice(0, 3))).rejects.toMatchObject({
        kind: 'unavailable',
        retryable: true,
      });
      await expect(sut.dissociateContactsMany(pairs.slice(0, 3))).rejects.toMatchObject({
        kind: 'unavailable',
      });
    } finally {
      emulator.setFaults({ outageSeconds: 0 });
    }
  });
});
