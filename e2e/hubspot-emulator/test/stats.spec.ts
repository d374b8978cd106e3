import { Client } from '@hubspot/api-client';
import { startEmulator, type CallStats, type Emulator } from '../src';

describe('Call statistics (/_emulator/stats)', () => {
  let em: Emulator;
  let hs: Client;
  let auth: Record<string, string>;

  const stats = async (method = 'GET'): Promise<CallStats> => {
    const res = await fetch(`${em.url}/_emulator/stats`, { method, headers: auth });
    expect(res.status).toBe(200);
    return (await res.json()) as CallStats;
  };

  beforeAll(async () => {
    em = await startEmulator({ seed: { tickets: 5, seed: 2 }, rateLimit: { max: 5, intervalMs: 60_000 } });
    hs = new Client({ accessToken: em.accessToken, basePath: em.url });
    auth = { Authorization: `Bearer ${em.accessToken}` };
  });

  afterAll(async () => {
    await em.close();
  });

  it('should count HubSpot calls per method and route with their statuses, and reset', async () => {
    const before = await stats('DELETE');
    expect(before).toMatchObject({ total: 0, byStatus: {}, calls: {}, statuses: {} });

    const inputs = [{ properties: { subject: 'One' }, associations: [] }];
    const created = await hs.crm.tickets.batchApi.create({ inputs });
    await hs.crm.tickets.batchApi.create({ inputs });
    await hs.crm.tickets.basicApi.getById(created.results[0]!.id);
    // Any alias of the object type counts under its plural name.
    const aliased = await fetch(`${em.url}/crm/v3/objects/0-5/batch/read`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ inputs: [{ id: '424242' }], properties: [], propertiesWithHistory: [] }),
    });
    expect(aliased.status).toBe(207);
    await hs.crm.tickets.searchApi.doSearch({ filterGroups: [], limit: 1 });
    em.setFaults({ errorRate: 1, errorStatuses: [502] });
    await expect(hs.crm.tickets.basicApi.getById(created.results[0]!.id)).rejects.toMatchObject({
      code: 502,
    });
    em.clearFaults();
    await hs.crm.contacts.batchApi.read({ inputs: [], properties: [], propertiesWithHistory: [] });
    // The sixth general call in the window is refused (an injected fault never reaches the limiter): counted with its 429.
    await expect(
      hs.crm.contacts.batchApi.read({ inputs: [], properties: [], propertiesWithHistory: [] }),
    ).rejects.toMatchObject({
      code: 429,
    });
    await em.flushWebhooks(); // admin and programmatic calls are not counted

    const after = await stats();
    expect(after).toEqual({
      since: before.since,
      total: 8,
      byStatus: { '200': 3, '201': 2, '207': 1, '429': 1, '502': 1 },
      calls: {
        'GET /crm/v3/objects/tickets/{objectId}': 2,
        'POST /crm/v3/objects/contacts/batch/read': 2,
        'POST /crm/v3/objects/tickets/batch/create': 2,
        'POST /crm/v3/objects/tickets/batch/read': 1,
        'POST /crm/v3/objects/tickets/search': 1,
      },
      statuses: {
        'GET /crm/v3/objects/tickets/{objectId}': { '200': 1, '502': 1 },
        'POST /crm/v3/objects/contacts/batch/read': { '200': 1, '429': 1 },
        'POST /crm/v3/objects/tickets/batch/create': { '201': 2 },
        'POST /crm/v3/objects/tickets/batch/read': { '207': 1 },
        'POST /crm/v3/objects/tickets/search': { '200': 1 },
      },
    });
    expect(em.stats()).toEqual(after);

    const reset = await stats('DELETE');
    expect(reset.total).toBe(0);
    expect(Date.parse(reset.since)).toBeGreaterThanOrEqual(Date.parse(before.since));
    expect((await stats()).calls).toEqual({});
    em.resetStats();
    expect(em.stats().total).toBe(0);
  });

  it('should need the token', async () => {
    const res = await fetch(`${em.url}/_emulator/stats`);
    expect(res.status).toBe(401);
  });
});
