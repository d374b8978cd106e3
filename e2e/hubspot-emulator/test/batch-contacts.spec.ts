import { type Client } from '@hubspot/api-client';
import { DEMO_CONTACT_EMAIL, type Emulator } from '../src';
import { startRecordedEmulator } from './helpers/recorded-emulator';
import { expectMatchesSpec } from './helpers/openapi';
import { type Recorder } from './helpers/recorder';

const SPEC = 'contacts.json';
const READ = '/crm/v3/objects/contacts/batch/read';
const CREATE = '/crm/v3/objects/contacts/batch/create';

describe('Contacts batch API (find or create customers by email)', () => {
  let em: Emulator;
  let rec: Recorder;
  let hs: Client;
  let stop: () => Promise<void>;

  const person = (email: string) => ({
    properties: { email, firstname: 'Sam', lastname: email.split('@')[0]! },
    associations: [],
  });
  const contactCount = () => em.store.ordered.contacts.filter((c) => !c.archived).length;
  const readByEmail = (emails: string[]) =>
    hs.crm.contacts.batchApi.read(
      {
        idProperty: 'email',
        inputs: emails.map((id) => ({ id })),
        properties: ['email', 'firstname', 'lastname'],
        propertiesWithHistory: [],
      },
      false,
    );

  beforeAll(async () => {
    ({ em, rec, hs, stop } = await startRecordedEmulator({ tickets: 10, seed: 9 }));
  });

  afterAll(() => stop());

  it('should read contacts by email (any case): 200, and 207 naming the emails it lacks', async () => {
    const demo = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    const ok = await readByEmail([DEMO_CONTACT_EMAIL.toUpperCase()]);
    expect(rec.last().status).toBe(200);
    expectMatchesSpec(SPEC, 'POST', READ, 200, rec.last().body);
    expect(ok.results.map((r) => r.id)).toEqual([demo.id]);

    const partial = await readByEmail([DEMO_CONTACT_EMAIL, 'nobody@example.org']);
    expect(rec.last().status).toBe(207);
    expectMatchesSpec(SPEC, 'POST', READ, 207, rec.last().body);
    expect(partial.results.map((r) => r.properties.email)).toEqual([DEMO_CONTACT_EMAIL]);
    expect(rec.last().body).toMatchObject({
      numErrors: 1,
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['nobody@example.org'] } }],
    });
  });

  it('should create new contacts in one 201 call, then find them by email', async () => {
    const emails = ['new.one@example.org', 'new.two@example.org'];
    const created = await hs.crm.contacts.batchApi.create({ inputs: emails.map(person) });
    expect(rec.last().status).toBe(201);
    expectMatchesSpec(SPEC, 'POST', CREATE, 201, rec.last().body);
    expect(created.results.map((r) => r.properties.email).sort()).toEqual(emails);
    const found = await readByEmail(emails);
    expect(found.results.map((r) => r.id).sort()).toEqual(created.results.map((r) => r.id).sort());
  });

  it('should refuse the whole batch with 409 when an email exists (in any case) or repeats, creating nothing', async () => {
    const demo = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    const before = contactCount();
    await expect(
      hs.crm.contacts.batchApi.create({
        inputs: [person('fresh.one@example.org'), person(DEMO_CONTACT_EMAIL.toUpperCase())],
      }),
    ).rejects.toMatchObject({
      code: 409,
      body: {
        status: 'error',
        category: 'CONFLICT',
        message: `Contact already exists. Existing ID: ${demo.id}`,
      },
    });
    expectMatchesSpec(SPEC, 'POST', CREATE, 'default', rec.last().body);
    await expect(
      hs.crm.contacts.batchApi.create({
        inputs: [person('twice@example.org'), person('Twice@Example.org')],
      }),
    ).rejects.toMatchObject({
      code: 409,
      body: { category: 'CONFLICT', context: { propertyName: ['email'] } },
    });
    expect(contactCount()).toBe(before);
    expect(em.store.contactByEmail('fresh.one@example.org')).toBeUndefined();
  });

  it('should refuse an email that is no address (INVALID_EMAIL) alone in a traced batch: 207, the others created', async () => {
    const before = contactCount();
    const traced = (email: string) => ({ ...person(email), objectWriteTraceId: email });
    const answer = await hs.crm.contacts.batchApi.create({
      inputs: [traced('good.one@example.org'), traced('colleague@nodot'), traced('good.two@example.org')],
    });
    expect(rec.last().status).toBe(207);
    expectMatchesSpec(SPEC, 'POST', CREATE, 207, rec.last().body);
    expect(answer.results.map((r) => r.properties.email).sort()).toEqual([
      'good.one@example.org',
      'good.two@example.org',
    ]);
    const body = rec.last().body as {
      errors: Array<{ category: string; message: string; context: Record<string, string[]> }>;
    };
    expect(body.errors).toHaveLength(1);
    expect(body.errors[0]).toMatchObject({
      category: 'VALIDATION_ERROR',
      message: expect.stringContaining('INVALID_EMAIL') as string,
      context: { objectWriteTraceId: ['colleague@nodot'] },
    });
    expect(contactCount()).toBe(before + 2);
    expect(em.store.contactByEmail('colleague@nodot')).toBeUndefined();
  });

  it('should refuse email as idProperty of a batch update, as HubSpot does', async () => {
    await expect(
      hs.crm.contacts.batchApi.update({
        inputs: [{ id: DEMO_CONTACT_EMAIL, idProperty: 'email', properties: { firstname: 'Alexandra' } }],
      }),
    ).rejects.toMatchObject({
      code: 400,
      body: { message: expect.stringContaining('non-unique 0-1 property email') as string },
    });
  });
});
