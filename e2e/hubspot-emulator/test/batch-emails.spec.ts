import { type Client } from '@hubspot/api-client';
import { AssociationTypeId, DEMO_CONTACT_EMAIL, type Emulator } from '../src';
import { createUniqueProperty, startRecordedEmulator } from './helpers/recorded-emulator';
import { expectMatchesSpec } from './helpers/openapi';
import { type Recorder } from './helpers/recorder';

const SPEC = 'emails.json';
const CREATE = '/crm/v3/objects/emails/batch/create';
const READ = '/crm/v3/objects/emails/batch/read';
const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as never;
// A unique reply key on emails, should the portal keep one (today its key is tpRequestKey inside hs_email_headers).
const REPLY_KEY = 'tp_reply_key';

describe('Emails batch API (customer replies in bursts)', () => {
  let em: Emulator;
  let rec: Recorder;
  let hs: Client;
  let stop: () => Promise<void>;
  let contactId: string;
  let ticketIds: string[];
  let n = 0;

  /** A customer reply as the API logs it: an incoming email on the ticket and its contact. */
  const reply = (ticketId: string, extra: Record<string, string> = {}, at = Date.now()) => ({
    properties: {
      hs_timestamp: new Date(at).toISOString(),
      hs_email_direction: 'INCOMING_EMAIL',
      hs_email_status: 'SENT',
      hs_email_text: `Reply ${(n += 1)}`,
      hs_email_headers: JSON.stringify({
        from: { email: DEMO_CONTACT_EMAIL, firstName: 'Alex', lastName: 'Morgan' },
        to: [],
        cc: [],
        bcc: [],
        tpRequestKey: `reply-${n}`,
      }),
      ...extra,
    },
    associations: [
      {
        to: { id: ticketId },
        types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypeId.emailToTicket }],
      },
      {
        to: { id: contactId },
        types: [
          { associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypeId.emailToContact },
        ],
      },
    ],
  });
  const emailCount = () => em.store.ordered.emails.filter((e) => !e.archived).length;

  beforeAll(async () => {
    ({ em, rec, hs, stop } = await startRecordedEmulator({ tickets: 20, seed: 5 }));
    const contact = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    contactId = contact.id;
    const created = await hs.crm.tickets.batchApi.create({
      inputs: [1, 2].map((i) => ({
        properties: { subject: `Ticket ${i}` },
        associations: [
          {
            to: { id: contactId },
            types: [
              { associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypeId.ticketToContact },
            ],
          },
        ],
      })),
    });
    ticketIds = created.results.map((r) => r.id).sort();
  });

  afterAll(() => stop());

  it('should log replies to several tickets in one 201 call, with their associations and ticket activity', async () => {
    const at = Date.now() - 60_000;
    const [t1, t2] = ticketIds as [string, string];
    const answer = await hs.crm.objects.emails.batchApi.create({
      inputs: [reply(t1, {}, at), reply(t2, {}, at + 1000), reply(t1, {}, at + 2000)],
    });
    expect(rec.last().status).toBe(201);
    expectMatchesSpec(SPEC, 'POST', CREATE, 201, rec.last().body);
    expect(answer.results).toHaveLength(3);
    for (const r of answer.results) {
      expect(r.properties).toMatchObject({
        hs_email_direction: 'INCOMING_EMAIL',
        hs_email_from_email: DEMO_CONTACT_EMAIL,
      });
      const email = em.store.get('emails', r.id)!;
      expect(em.store.associatedIds(email, 'contacts')).toEqual([contactId]);
    }
    const ticket1 = em.store.get('tickets', t1)!;
    expect(em.store.associatedIds(ticket1, 'emails')).toHaveLength(2);
    expect(ticket1.props).toMatchObject({
      hs_last_message_from_visitor: 'true',
      hs_last_message_received_at: new Date(at + 2000).toISOString(),
      hs_lastactivitydate: new Date(at + 2000).toISOString(),
    });
    expect(em.store.associatedIds(em.store.get('tickets', t2)!, 'emails')).toHaveLength(1);
    // The batch read the API already uses sees them.
    const read = await hs.crm.objects.emails.batchApi.read({
      inputs: answer.results.map((r) => ({ id: r.id })),
      properties: ['hs_email_text', 'hs_email_headers'],
      propertiesWithHistory: [],
    });
    expectMatchesSpec(SPEC, 'POST', READ, 200, rec.last().body);
    expect(read.results).toHaveLength(3);
  });

  it('should refuse the whole batch when one reply lacks hs_timestamp or names a missing ticket', async () => {
    const before = emailCount();
    const noTimestamp = reply(ticketIds[0]!);
    delete (noTimestamp.properties as Partial<typeof noTimestamp.properties>).hs_timestamp;
    await expect(
      hs.crm.objects.emails.batchApi.create({ inputs: [reply(ticketIds[0]!), noTimestamp] }),
    ).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
    expectMatchesSpec(SPEC, 'POST', CREATE, 'default', rec.last().body);
    await expect(
      hs.crm.objects.emails.batchApi.create({ inputs: [reply(ticketIds[0]!), reply('987654321')] }),
    ).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
    expect(emailCount()).toBe(before);
  });

  it('should read and refuse duplicates by a custom unique email property, as for tickets', async () => {
    await createUniqueProperty(hs, 'emails', {
      name: REPLY_KEY,
      label: 'Ticket Portal reply key',
      groupName: 'emailinformation',
    });
    const [t1] = ticketIds as [string];
    await hs.crm.objects.emails.batchApi.create({
      inputs: [reply(t1, { [REPLY_KEY]: 'r-1' }), reply(t1, { [REPLY_KEY]: 'r-2' })],
    });
    await hs.crm.objects.emails.batchApi.read({
      idProperty: REPLY_KEY,
      inputs: [{ id: 'r-1' }, { id: 'r-2' }, { id: 'r-3' }],
      properties: [REPLY_KEY],
      propertiesWithHistory: [],
    });
    expect(rec.last().status).toBe(207);
    expectMatchesSpec(SPEC, 'POST', READ, 207, rec.last().body);
    expect(rec.last().body).toMatchObject({
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['r-3'] } }],
    });
    expect((rec.last().body as { results: unknown[] }).results).toHaveLength(2);

    const before = emailCount();
    await expect(
      hs.crm.objects.emails.batchApi.create({
        inputs: [reply(t1, { [REPLY_KEY]: 'r-3' }), reply(t1, { [REPLY_KEY]: 'r-2' })],
      }),
    ).rejects.toMatchObject({ code: 409, body: { category: 'CONFLICT' } });
    expect(emailCount()).toBe(before);
  });
});
