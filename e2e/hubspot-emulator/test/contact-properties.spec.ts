import { Client } from '@hubspot/api-client';
import { startEmulator, type Emulator } from '../src';
import { WebhookReceiver } from './helpers/webhook-receiver';

// Issue 15: the portal mirrors an operator-chosen contact property (PORTAL_COMPANY_SCOPE_PROPERTY, a
// "portal admin" checkbox): HubSpot lets an account create such a property, returns it on every
// contact read that asks for it, and sends contact.propertyChange for it when the app subscribed.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('contacts’ custom properties', () => {
  let em: Emulator;
  let hs: Client;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    em = await startEmulator({
      seed: { tickets: 2 },
      rateLimit: { disabled: true },
      webhookUrl: receiver.url,
      clientSecret: 'test-secret',
      webhooks: { batchWindowMs: 20, contactProperties: ['portal_admin'] },
    });
    hs = new Client({ accessToken: em.accessToken, basePath: em.url });
  });

  afterAll(async () => {
    await em.close();
    await receiver.stop();
  });

  it('should create a checkbox property, store it on contacts, return it when asked and announce its changes', async () => {
    await hs.crm.properties.coreApi.create('contacts', {
      name: 'portal_admin',
      label: 'Portal admin',
      type: 'bool' as never,
      fieldType: 'booleancheckbox' as never,
      groupName: 'contactinformation',
      options: [
        { label: 'Yes', value: 'true', displayOrder: 0, hidden: false },
        { label: 'No', value: 'false', displayOrder: 1, hidden: false },
      ],
    });
    const created = await hs.crm.contacts.basicApi.create({
      properties: { email: 'admin@lantern.example', portal_admin: 'true' },
      associations: [],
    });
    const read = await hs.crm.contacts.batchApi.read({
      inputs: [{ id: created.id }],
      properties: ['email', 'portal_admin'],
      propertiesWithHistory: [],
    });
    expect(read.results[0]!.properties).toMatchObject({
      email: 'admin@lantern.example',
      portal_admin: 'true',
    });
    // Not asked for: not returned (HubSpot returns only the properties a read names, or its defaults).
    const plain = await hs.crm.contacts.basicApi.getById(created.id, ['email']);
    expect(plain.properties).not.toHaveProperty('portal_admin');

    // A value that is not a boolean is refused as HubSpot refuses it.
    await expect(
      hs.crm.contacts.basicApi.update(created.id, { properties: { portal_admin: 'maybe' } }),
    ).rejects.toMatchObject({ code: 400 });

    await em.flushWebhooks();
    receiver.reset();
    await hs.crm.contacts.basicApi.update(created.id, { properties: { portal_admin: 'false' } });
    await em.flushWebhooks();
    const changes = () =>
      receiver
        .events()
        .filter((e) => e.subscriptionType === 'contact.propertyChange' && e.propertyName === 'portal_admin');
    for (let i = 0; i < 100 && changes().length === 0; i += 1) await sleep(10);
    expect(changes()).toEqual([
      expect.objectContaining({ objectId: Number(created.id), propertyValue: 'false' }),
    ]);
  });
});
