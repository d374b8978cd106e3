import { Client } from '@hubspot/api-client';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AssociationTypeId, DEMO_CONTACT_EMAIL, startEmulator, type Emulator } from '../src';
import { expectMatchesSpec, SPEC_DIR } from './helpers/openapi';
import { Recorder } from './helpers/recorder';
import { WebhookReceiver } from './helpers/webhook-receiver';

/** The event types HubSpot lets an app subscribe to (SubscriptionCreateRequest.eventType in its spec). */
function subscribableEventTypes(): Set<string> {
  const spec = JSON.parse(readFileSync(path.join(SPEC_DIR, 'webhooks.json'), 'utf8')) as {
    components: { schemas: { SubscriptionCreateRequest: { properties: { eventType: { enum: string[] } } } } };
  };
  return new Set(spec.components.schemas.SubscriptionCreateRequest.properties.eventType.enum);
}

describe('Contacts moving between companies (staff action, console, webhooks)', () => {
  let em: Emulator;
  let receiver: WebhookReceiver;
  let rec: Recorder;
  let hs: Client;
  let key: string;

  beforeAll(async () => {
    receiver = await new WebhookReceiver().start();
    em = await startEmulator({
      seed: { tickets: 20, seed: 4 },
      rateLimit: { disabled: true },
      webhookUrl: receiver.url,
      webhooks: { batchWindowMs: 20 },
    });
    rec = await new Recorder(em.url).start();
    hs = new Client({ accessToken: em.accessToken, basePath: rec.url });
    const html = await (await fetch(`${em.url}/`)).text();
    key = /const KEY = "([^"]+)"/.exec(html)?.[1] ?? '';
  });

  beforeEach(async () => {
    await em.flushWebhooks();
    receiver.reset();
  });

  afterAll(async () => {
    await em.close();
    await rec.stop();
    await receiver.stop();
  });

  const otherCompany = (than: string | undefined): string =>
    em.store.ordered.companies.find((c) => !c.archived && c.id !== than)!.id;

  async function companiesOf(contactId: string): Promise<{ primary: string | null; all: string[] }> {
    const answer = await hs.crm.associations.v4.batchApi.getPage('contacts', 'companies', {
      inputs: [{ id: contactId }],
    });
    expectMatchesSpec(
      'associations.json',
      'POST',
      '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read',
      rec.last().status,
      rec.last().body,
    );
    const to = answer.results[0]?.to ?? [];
    const primary = to.find((t) =>
      t.associationTypes.some((a) => a.typeId === AssociationTypeId.primaryContactToCompany),
    );
    return { primary: primary ? String(primary.toObjectId) : null, all: to.map((t) => String(t.toObjectId)) };
  }

  it('should make the new company the primary one and drop the old, as the v4 associations API shows', async () => {
    const alex = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    const before = em.staff.contactCompanyId(alex.id);
    expect(before).toBeDefined();
    const target = otherCompany(before);

    em.staff.moveContactToCompany(alex.id, target);
    expect(await companiesOf(alex.id)).toEqual({ primary: target, all: [target] });
    expect(em.staff.contactCompanyId(alex.id)).toBe(target);

    em.staff.moveContactToCompany(alex.id, before!);
    expect(await companiesOf(alex.id)).toEqual({ primary: before, all: [before] });
  });

  it('should send contact.associationChange events from both sides, in subscription types HubSpot offers', async () => {
    const contact = em.store.ordered.contacts.find((c) => !c.archived && em.staff.contactCompanyId(c.id))!;
    const from = em.staff.contactCompanyId(contact.id)!;
    const to = otherCompany(from);
    em.staff.moveContactToCompany(contact.id, to);
    em.staff.replyToCustomer(em.store.ordered.tickets[0]!.id, 'We are on it.');
    await em.flushWebhooks();
    const events = receiver.events();
    const offered = subscribableEventTypes();
    for (const e of events) expect(offered.has(String(e.subscriptionType))).toBe(true);
    const mine = events.filter((e) => e.subscriptionType === 'contact.associationChange');
    expect(mine).toContainEqual(
      expect.objectContaining({
        associationType: 'CONTACT_TO_COMPANY',
        fromObjectId: Number(contact.id),
        toObjectId: Number(to),
        associationRemoved: false,
        isPrimaryAssociation: true,
        changeSource: 'CRM_UI',
      }),
    );
    expect(mine).toContainEqual(
      expect.objectContaining({
        associationType: 'CONTACT_TO_COMPANY',
        fromObjectId: Number(contact.id),
        toObjectId: Number(from),
        associationRemoved: true,
      }),
    );
    for (const e of mine) {
      expect(e).toMatchObject({
        eventId: expect.any(Number),
        subscriptionId: expect.any(Number),
        portalId: expect.any(Number),
        appId: expect.any(Number),
        occurredAt: expect.any(Number),
        attemptNumber: 0,
      });
    }
    // Engagements are no CRM association change: replies on the contact's tickets send none.
    expect(
      events.some((e) => typeof e.associationType === 'string' && /EMAIL|NOTE/.test(e.associationType)),
    ).toBe(false);
  });

  it('should remove every company with null, and send contact.deletion for a deleted contact', async () => {
    const contact = em.store.ordered.contacts.find((c) => !c.archived && em.staff.contactCompanyId(c.id))!;
    em.staff.moveContactToCompany(contact.id, null);
    expect(await companiesOf(contact.id)).toEqual({ primary: null, all: [] });

    await hs.crm.contacts.basicApi.archive(contact.id);
    await em.flushWebhooks();
    expect(receiver.events()).toContainEqual(
      expect.objectContaining({
        subscriptionType: 'contact.deletion',
        objectId: Number(contact.id),
        changeFlag: 'DELETED',
      }),
    );
  });

  it('should send only the subscribed contact properties, and nothing for contacts when not subscribed', async () => {
    const contact = em.store.ordered.contacts.find((c) => !c.archived)!;
    await hs.crm.contacts.basicApi.update(contact.id, { properties: { firstname: 'Renamed', phone: '123' } });
    await em.flushWebhooks();
    const changes = receiver.events().filter((e) => e.subscriptionType === 'contact.propertyChange');
    expect(changes.map((e) => e.propertyName)).toEqual(['firstname']);

    const quiet = await startEmulator({
      seed: { tickets: 5, seed: 4 },
      webhookUrl: receiver.url,
      webhooks: { subscriptions: ['ticket.creation'] },
    });
    try {
      receiver.reset();
      const c = quiet.store.ordered.contacts.find((x) => !x.archived && quiet.staff.contactCompanyId(x.id))!;
      quiet.staff.moveContactToCompany(c.id, null);
      await quiet.flushWebhooks();
      expect(receiver.events()).toEqual([]);
    } finally {
      await quiet.close();
    }
  });

  it('should let the console move a contact, with clear 4xx answers for bad input', async () => {
    const staff = (p: string, body: unknown) =>
      fetch(`${em.url}/_emulator/staff${p}`, {
        method: 'POST',
        headers: { 'X-Emulator-Console-Key': key, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const boot = (await (
      await fetch(`${em.url}/_emulator/staff/bootstrap`, { headers: { 'X-Emulator-Console-Key': key } })
    ).json()) as {
      companies: { id: string; name: string }[];
      contacts: { id: string; companyId: string | null }[];
    };
    expect(boot.companies.length).toBeGreaterThan(1);
    const contact = boot.contacts.find((c) => c.companyId !== null)!;
    const target = boot.companies.find((c) => c.id !== contact.companyId)!;

    const moved = await staff(`/contacts/${contact.id}/company`, { companyId: target.id });
    expect(moved.status).toBe(200);
    expect(await moved.json()).toMatchObject({ id: contact.id, companyId: target.id, company: target.name });
    expect(await companiesOf(contact.id)).toEqual({ primary: target.id, all: [target.id] });

    const left = await staff(`/contacts/${contact.id}/company`, { companyId: null });
    expect(await left.json()).toMatchObject({ companyId: null, company: '' });

    const missing = await staff(`/contacts/${contact.id}/company`, {});
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { message: string }).message).toContain('companyId');
    const unknownCompany = await staff(`/contacts/${contact.id}/company`, { companyId: '1' });
    expect(unknownCompany.status).toBe(400);
    expect(((await unknownCompany.json()) as { message: string }).message).toContain('Company 1');
    expect((await staff('/contacts/1/company', { companyId: target.id })).status).toBe(404);
  });
});
