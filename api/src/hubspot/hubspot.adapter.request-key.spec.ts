import { randomUUID } from 'node:crypto';
import type { Client } from '@hubspot/api-client';
import { type Emulator } from '@ticket-portal/hubspot-emulator';
import { royaltyRequest, startEmulatorWithAdapter, ticketsWithKey } from './__fixtures__/emulator-adapter';
import { HubSpotAdapter } from './hubspot.adapter';

// createTicket idempotency against the real emulator, in a portal where ensureCustomProperties()
// created tp_request_key (POST /crm/v3/properties/tickets), as the worker does at start.

describe(`${HubSpotAdapter.name} request keys`, () => {
  let emulator: Emulator;
  let sut: HubSpotAdapter;

  beforeAll(async () => {
    // Search sees writes a minute late: only consistent reads can find a ticket made just now.
    ({ emulator, sut } = await startEmulatorWithAdapter({
      seed: { tickets: 20, seed: 11 },
      faults: { searchLagMs: 60_000 },
    }));
    await sut.ensureCustomProperties();
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('should create one ticket with contact (16) and primary company (26) associations however often it is retried', async () => {
    const contact = (await sut.findContactByEmail('demo@example.com'))!;
    const input = royaltyRequest(contact);
    const { requestKey } = input;

    const first = await sut.createTicket(input);
    const retries = await Promise.all([sut.createTicket(input), sut.createTicket(input)]);

    expect(first.created).toBe(true);
    expect(first.ticket).toMatchObject({
      requestKey,
      contactIds: [contact.id],
      priority: 'HIGH',
      stageId: '1',
    });
    for (const retry of retries) {
      expect(retry).toMatchObject({ created: false, ticket: { id: first.ticket.id } });
    }
    expect(ticketsWithKey(emulator, requestKey)).toHaveLength(1);
    const rec = emulator.store.get('tickets', first.ticket.id)!;
    expect(emulator.store.associatedIds(rec, 'contacts')).toEqual([contact.id]);
    expect(emulator.store.associatedIds(rec, 'companies')).toEqual([contact.primaryCompanyId]);
  });

  it('should find a ticket by its key through the contact even before search has indexed it', async () => {
    const contact = (await sut.findContactByEmail('demo@example.com'))!;
    const requestKey = `req-${randomUUID()}`;
    const { ticket } = await sut.createTicket({
      subject: 'Found at once',
      content: 'x',
      pipelineId: '0',
      stageId: '1',
      contactId: contact.id,
      requestKey,
    });

    expect((await sut.findTicketByRequestKey(requestKey, contact.id))?.id).toBe(ticket.id);
    expect(await sut.findTicketByRequestKey(`req-${randomUUID()}`, contact.id)).toBeNull();
  });

  it('should answer "no such key" from one consistent read, without scanning or searching', async () => {
    const contact = (await sut.findContactByEmail('demo@example.com'))!;
    const client = (sut as unknown as { calls: { client: Client } }).calls.client;
    const search = jest.spyOn(client.crm.tickets.searchApi, 'doSearch');
    const associations = jest.spyOn(client.crm.associations.v4.basicApi, 'getPage');
    try {
      expect(await sut.findTicketByRequestKey(`req-${randomUUID()}`, contact.id)).toBeNull();
      const { created } = await sut.createTicket({
        subject: 'Two calls',
        content: 'x',
        pipelineId: '0',
        stageId: '1',
        contactId: contact.id,
        requestKey: `req-${randomUUID()}`,
      });
      expect(created).toBe(true);
      expect(search).not.toHaveBeenCalled();
      expect(associations).not.toHaveBeenCalled();
    } finally {
      search.mockRestore();
      associations.mockRestore();
    }
  });
});
