import { Client, Signature } from '@hubspot/api-client';
import { AssociationTypeId, DEMO_CONTACT_EMAIL, STAGE_CLOSED, startEmulator, type Emulator } from '../src';
import { WebhookReceiver } from './helpers/webhook-receiver';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitFor(cond: () => boolean, ms = 3000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}

describe('Webhooks v3', () => {
  let em: Emulator;
  let hs: Client;
  let receiver: WebhookReceiver;
  const queue: number[] = [];

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    em = await startEmulator({
      seed: { tickets: 10 },
      rateLimit: { disabled: true },
      webhookUrl: receiver.url,
      clientSecret: 'test-secret',
      webhooks: { batchWindowMs: 20, retryBaseMs: 40, retryMaxMs: 80, timeoutMs: 300 },
      random: () => queue.shift() ?? 0.99,
    });
    hs = new Client({ accessToken: em.accessToken, basePath: em.url });
  });

  beforeEach(async () => {
    await em.flushWebhooks();
    receiver.reset();
    queue.length = 0;
    em.setWebhookSwitches({ dropRate: 0, duplicateRate: 0, delayMs: 0, reorder: false });
  });

  afterAll(async () => {
    await em.close();
    await receiver.stop();
  });

  it('should POST signed batches that the SDK’s Signature.isValid accepts', async () => {
    const t = await hs.crm.tickets.basicApi.create({
      properties: { subject: 'Signed', hs_ticket_priority: 'HIGH' },
      associations: [],
    });
    await em.flushWebhooks();
    expect(receiver.requests.length).toBeGreaterThan(0);
    for (const r of receiver.requests) {
      expect(r.method).toBe('POST');
      expect(r.headers['content-type']).toBe('application/json');
      const timestamp = Number(r.headers['x-hubspot-request-timestamp']);
      expect(Math.abs(Date.now() - timestamp)).toBeLessThan(10_000);
      const valid = Signature.isValid({
        signature: String(r.headers['x-hubspot-signature-v3']),
        clientSecret: 'test-secret',
        requestBody: r.rawBody,
        url: receiver.url,
        method: 'POST',
        signatureVersion: 'v3',
        timestamp,
      });
      expect(valid).toBe(true);
      expect(
        Signature.isValid({
          signature: String(r.headers['x-hubspot-signature-v3']),
          clientSecret: 'wrong',
          requestBody: r.rawBody,
          url: receiver.url,
          method: 'POST',
          signatureVersion: 'v3',
          timestamp,
        }),
      ).toBe(false);
    }
    const events = receiver.events();
    const creation = events.find((e) => e.subscriptionType === 'ticket.creation');
    expect(creation).toMatchObject({
      objectId: Number(t.id),
      attemptNumber: 0,
      changeFlag: 'NEW',
      changeSource: 'API',
      portalId: expect.any(Number),
    });
    expect(typeof creation?.occurredAt).toBe('number');
    expect(events).toContainEqual(
      expect.objectContaining({
        subscriptionType: 'ticket.propertyChange',
        objectId: Number(t.id),
        propertyName: 'hs_ticket_priority',
        propertyValue: 'HIGH',
      }),
    );
    expect(events.some((e) => e.propertyName === 'hs_lastmodifieddate')).toBe(false);
  });

  it('should report property changes, association changes and deletions', async () => {
    const t = await hs.crm.tickets.basicApi.create({
      properties: { subject: 'Lifecycle' },
      associations: [],
    });
    const contact = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    await hs.crm.associations.v4.basicApi.create('tickets', t.id, 'contacts', contact.id, [
      {
        associationCategory: 'HUBSPOT_DEFINED' as never,
        associationTypeId: AssociationTypeId.ticketToContact,
      },
    ]);
    await hs.crm.tickets.basicApi.update(t.id, { properties: { hs_pipeline_stage: STAGE_CLOSED } });
    await hs.crm.tickets.basicApi.archive(t.id);
    await em.flushWebhooks();
    const mine = receiver
      .events()
      .filter((e) => e.objectId === Number(t.id) || e.fromObjectId === Number(t.id));
    expect(mine).toContainEqual(
      expect.objectContaining({
        subscriptionType: 'ticket.associationChange',
        associationType: 'TICKET_TO_CONTACT',
        fromObjectId: Number(t.id),
        toObjectId: Number(contact.id),
        associationRemoved: false,
        isPrimaryAssociation: false,
      }),
    );
    expect(mine).toContainEqual(
      expect.objectContaining({
        subscriptionType: 'ticket.propertyChange',
        propertyName: 'hs_pipeline_stage',
        propertyValue: STAGE_CLOSED,
      }),
    );
    expect(mine).toContainEqual(
      expect.objectContaining({ subscriptionType: 'ticket.propertyChange', propertyName: 'closed_date' }),
    );
    expect(mine).toContainEqual(
      expect.objectContaining({ subscriptionType: 'ticket.deletion', objectId: Number(t.id) }),
    );
  });

  it('should send staff actions with changeSource CRM_UI', async () => {
    const t = em.store.ordered.tickets[0]!;
    const owner = em.store.owners.find((o) => !o.archived && o.id !== t.props.hubspot_owner_id)!;
    em.staff.assignOwner(t.id, owner.id);
    em.staff.replyToCustomer(t.id, 'Hello from support');
    await em.flushWebhooks();
    const mine = receiver.events().filter((e) => e.objectId === Number(t.id));
    expect(mine).toContainEqual(
      expect.objectContaining({
        propertyName: 'hubspot_owner_id',
        propertyValue: owner.id,
        changeSource: 'CRM_UI',
      }),
    );
    expect(mine).toContainEqual(
      expect.objectContaining({ propertyName: 'hs_lastactivitydate', changeSource: 'CRM_UI' }),
    );
  });

  it('should keep every request at 100 events or fewer', async () => {
    const inputs = Array.from({ length: 90 }, (_, i) => ({
      properties: { subject: `Bulk ${i}` },
      associations: [],
    }));
    await hs.crm.tickets.batchApi.create({ inputs });
    await hs.crm.tickets.batchApi.create({ inputs });
    await em.flushWebhooks();
    expect(receiver.requests.length).toBeGreaterThan(1);
    for (const r of receiver.requests) expect(r.events.length).toBeLessThanOrEqual(100);
    // a slow receiver under load can make the emulator retry, so count distinct tickets
    const created = new Set(
      receiver
        .events()
        .filter((e) => e.subscriptionType === 'ticket.creation')
        .map((e) => e.objectId),
    );
    expect(created.size).toBe(180);
  });

  it('should retry a failed delivery with a higher attemptNumber and a fresh signature', async () => {
    receiver.statuses = [500];
    const t = await hs.crm.tickets.basicApi.create({ properties: { subject: 'Retry me' }, associations: [] });
    await waitFor(() => receiver.requests.length >= 2);
    const [first, second] = receiver.requests;
    expect(first!.events.map((e) => e.eventId)).toEqual(second!.events.map((e) => e.eventId));
    expect(second!.events.every((e) => e.attemptNumber === 1)).toBe(true);
    expect(second!.events.map((e) => e.objectId)).toContain(Number(t.id));
    expect(
      Signature.isValid({
        signature: String(second!.headers['x-hubspot-signature-v3']),
        clientSecret: 'test-secret',
        requestBody: second!.rawBody,
        url: receiver.url,
        signatureVersion: 'v3',
        timestamp: Number(second!.headers['x-hubspot-request-timestamp']),
      }),
    ).toBe(true);
  });

  it('should treat a response slower than the timeout as failed and retry it', async () => {
    receiver.delayMs = 500;
    await hs.crm.tickets.basicApi.create({ properties: { subject: 'Slow receiver' }, associations: [] });
    await waitFor(() => receiver.requests.length >= 2);
    receiver.delayMs = 0;
    expect(receiver.requests[1]!.events[0]!.attemptNumber).toBe(1);
    expect(em.webhookLog.some((d) => !d.ok && /no response within 300 ms/.test(d.error ?? ''))).toBe(true);
  });

  it('should drop events when told to', async () => {
    em.setWebhookSwitches({ dropRate: 1 });
    await hs.crm.tickets.basicApi.create({ properties: { subject: 'Dropped' }, associations: [] });
    await em.flushWebhooks();
    expect(receiver.requests).toHaveLength(0);
  });

  it('should duplicate events when told to', async () => {
    em.setWebhookSwitches({ duplicateRate: 1 });
    await hs.crm.tickets.basicApi.create({ properties: { subject: 'Twice' }, associations: [] });
    await em.flushWebhooks();
    const ids = receiver.events().map((e) => e.eventId);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of new Set(ids)) expect(ids.filter((x) => x === id)).toHaveLength(2);
  });

  it('should delay delivery when told to, and flush should still deliver at once', async () => {
    em.setWebhookSwitches({ delayMs: 400 });
    await hs.crm.tickets.basicApi.create({ properties: { subject: 'Later' }, associations: [] });
    await sleep(150);
    expect(receiver.requests).toHaveLength(0);
    await waitFor(() => receiver.requests.length > 0, 2000);
    receiver.reset();
    await hs.crm.tickets.basicApi.create({ properties: { subject: 'Flushed' }, associations: [] });
    await em.flushWebhooks();
    expect(receiver.requests.length).toBeGreaterThan(0);
  });

  it('should reorder events when told to', async () => {
    em.setWebhookSwitches({ reorder: true });
    queue.push(...Array.from({ length: 200 }, (_, i) => (i * 0.37) % 1));
    await hs.crm.tickets.basicApi.create({
      properties: { subject: 'Shuffled', content: 'x', hs_ticket_priority: 'LOW' },
      associations: [],
    });
    await em.flushWebhooks();
    const ids = receiver.events().map((e) => e.eventId as number);
    expect(ids.length).toBeGreaterThan(3);
    expect(ids).not.toEqual([...ids].sort((a, b) => a - b));
  });

  it('should take switches and the target URL through the admin endpoint', async () => {
    const res = await fetch(`${em.url}/_emulator/webhooks`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${em.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: receiver.url, duplicateRate: 0.5, delayMs: 0 }),
    });
    expect(await res.json()).toMatchObject({ url: receiver.url, switches: { duplicateRate: 0.5 } });
    const bad = await fetch(`${em.url}/_emulator/webhooks`, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${em.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ url: 'ftp://nowhere' }),
    });
    expect(bad.status).toBe(400);
    const subscribed = await fetch(`${em.url}/_emulator/webhooks`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${em.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ duplicateRate: 0, properties: ['hs_pipeline_stage'] }),
    });
    expect(await subscribed.json()).toMatchObject({ properties: ['hs_pipeline_stage'] });
    await em.flushWebhooks();
    receiver.reset();
    await hs.crm.tickets.basicApi.create({ properties: { subject: 'Only stage events' }, associations: [] });
    await em.flushWebhooks();
    const names = receiver
      .events()
      .filter((e) => e.subscriptionType === 'ticket.propertyChange')
      .map((e) => e.propertyName);
    expect(new Set(names)).toEqual(new Set(['hs_pipeline_stage']));
    await fetch(`${em.url}/_emulator/webhooks`, {
      method: 'PATCH',
      headers: { Authorization: `Bearer ${em.accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ properties: '*' }),
    });
    const flush = await fetch(`${em.url}/_emulator/webhooks/flush`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${em.accessToken}` },
    });
    expect(flush.status).toBe(200);
  });
});
