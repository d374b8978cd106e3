import { type Client } from '@hubspot/api-client';
import {
  AssociationTypeId,
  DEMO_CONTACT_EMAIL,
  STAGE_CLOSED,
  STAGE_WAITING_ON_US,
  type Emulator,
} from '../src';
import { createUniqueProperty, startRecordedEmulator, waitFor } from './helpers/recorded-emulator';
import { expectMatchesSpec } from './helpers/openapi';
import { type Recorder } from './helpers/recorder';
import { type WebhookReceiver } from './helpers/webhook-receiver';

const SPEC = 'tickets.json';
const READ = '/crm/v3/objects/tickets/batch/read';
const CREATE = '/crm/v3/objects/tickets/batch/create';
const UPDATE = '/crm/v3/objects/tickets/batch/update';
const KEY = 'tp_request_key';

const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as never;

describe('Tickets batch API (read by request key, create, update)', () => {
  let em: Emulator;
  let rec: Recorder;
  let hs: Client;
  let receiver: WebhookReceiver;
  let stop: () => Promise<void>;
  let contactId: string;
  let companyId: string;
  let run = 0;

  /** A fresh request key per call, so tests do not see each other's tickets. */
  const key = (label: string) => `req-${label}-${(run += 1)}`;
  const liveTickets = () => em.store.ordered.tickets.filter((t) => !t.archived).length;

  /** What the delivery worker sends: properties with the request key, the contact and primary company. */
  const submission = (requestKey: string, extra: Record<string, unknown> = {}) => ({
    properties: { subject: `Request ${requestKey}`, content: 'Details', [KEY]: requestKey },
    associations: [
      {
        to: { id: contactId },
        types: [
          { associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypeId.ticketToContact },
        ],
      },
      {
        to: { id: companyId },
        types: [
          {
            associationCategory: HUBSPOT_DEFINED,
            associationTypeId: AssociationTypeId.primaryTicketToCompany,
          },
        ],
      },
    ],
    ...extra,
  });

  beforeAll(async () => {
    ({ em, rec, hs, receiver, stop } = await startRecordedEmulator(
      { tickets: 30, seed: 3 },
      { webhooks: true },
    ));
    const contact = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    contactId = contact.id;
    companyId = em.store.associatedIds(contact, 'companies')[0]!;
    await createUniqueProperty(hs, 'tickets', {
      name: KEY,
      label: 'Ticket Portal request key',
      groupName: 'ticketinformation',
    });
  });

  beforeEach(async () => {
    em.clearFaults();
    em.setRateLimits({ disabled: true });
    await em.flushWebhooks();
    receiver.reset();
  });

  afterAll(() => stop());

  it('should create 100 tickets with their associations in one 201 call, in no promised order', async () => {
    const keys = Array.from({ length: 100 }, () => key('bulk'));
    const answer = await hs.crm.tickets.batchApi.create({ inputs: keys.map((k) => submission(k)) });
    expect(rec.last().status).toBe(201);
    expectMatchesSpec(SPEC, 'POST', CREATE, 201, rec.last().body);
    expect(answer.results).toHaveLength(100);
    expect(answer.results.map((r) => r.properties[KEY]).sort()).toEqual([...keys].sort());
    // HubSpot returns batch results in no particular order; callers match them by the request key.
    expect(answer.results.map((r) => r.properties[KEY])).not.toEqual(keys);
    for (const r of answer.results) {
      const t = em.store.get('tickets', r.id)!;
      expect(r.properties).toMatchObject({
        hs_object_source: 'API',
        hs_pipeline: '0',
        hs_pipeline_stage: '1',
      });
      expect(em.store.associatedIds(t, 'contacts')).toEqual([contactId]);
      expect(t.assoc.companies?.get(companyId)).toContain(AssociationTypeId.primaryTicketToCompany);
    }
  });

  it('should read tickets by tp_request_key with idProperty: 200, and 207 naming the keys it lacks', async () => {
    const keys = [key('read'), key('read')];
    await hs.crm.tickets.batchApi.create({ inputs: keys.map((k) => submission(k)) });
    const ok = await hs.crm.tickets.batchApi.read(
      {
        idProperty: KEY,
        inputs: keys.map((id) => ({ id })),
        properties: ['subject', KEY],
        propertiesWithHistory: [],
      },
      false,
    );
    expect(rec.last().status).toBe(200);
    expectMatchesSpec(SPEC, 'POST', READ, 200, rec.last().body);
    expect(ok.results.map((r) => r.properties[KEY]).sort()).toEqual([...keys].sort());

    const unknown = key('never-sent');
    const partial = await hs.crm.tickets.batchApi.read(
      {
        idProperty: KEY,
        inputs: [{ id: keys[0]! }, { id: unknown }],
        properties: [KEY],
        propertiesWithHistory: [],
      },
      false,
    );
    expect(rec.last().status).toBe(207);
    expectMatchesSpec(SPEC, 'POST', READ, 207, rec.last().body);
    expect(partial.results.map((r) => r.properties[KEY])).toEqual([keys[0]]);
    expect(rec.last().body).toMatchObject({
      status: 'COMPLETE',
      numErrors: 1,
      errors: [{ status: 'error', category: 'OBJECT_NOT_FOUND', context: { ids: [unknown] } }],
    });

    // A property without unique values cannot be an idProperty.
    await expect(
      hs.crm.tickets.batchApi.read({
        idProperty: 'subject',
        inputs: [{ id: 'x' }],
        properties: [],
        propertiesWithHistory: [],
      }),
    ).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
  });

  it('should answer more than 100 inputs with a 400 in HubSpot’s error shape and create nothing', async () => {
    const before = liveTickets();
    const inputs = Array.from({ length: 101 }, () => submission(key('big')));
    await expect(hs.crm.tickets.batchApi.create({ inputs })).rejects.toMatchObject({
      code: 400,
      body: {
        status: 'error',
        category: 'VALIDATION_ERROR',
        message: expect.stringContaining(
          'The maximum number of inputs supported in a batch request is 100',
        ) as string,
      },
    });
    expectMatchesSpec(SPEC, 'POST', CREATE, 'default', rec.last().body);
    expect(liveTickets()).toBe(before);
    await expect(
      hs.crm.tickets.batchApi.read({
        inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i) })),
        properties: [],
        propertiesWithHistory: [],
      }),
    ).rejects.toMatchObject({ code: 400 });
    await expect(
      hs.crm.tickets.batchApi.update({
        inputs: Array.from({ length: 101 }, (_, i) => ({ id: String(i), properties: {} })),
      }),
    ).rejects.toMatchObject({ code: 400 });
  });

  it('should refuse the whole batch with 409 CONFLICT when a request key exists or repeats, creating nothing', async () => {
    const existing = key('dup');
    const [first] = (await hs.crm.tickets.batchApi.create({ inputs: [submission(existing)] })).results;
    const before = liveTickets();

    const fresh = key('fresh');
    const err = await hs.crm.tickets.batchApi
      .create({ inputs: [submission(fresh), submission(existing)] })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 409,
      body: {
        status: 'error',
        category: 'CONFLICT',
        message: expect.stringContaining(`Existing ID: ${first!.id}`) as string,
      },
    });
    expectMatchesSpec(SPEC, 'POST', CREATE, 'default', rec.last().body);
    expect(liveTickets()).toBe(before);

    const twice = key('twice');
    await expect(
      hs.crm.tickets.batchApi.create({ inputs: [submission(twice), submission(fresh), submission(twice)] }),
    ).rejects.toMatchObject({ code: 409, body: { category: 'CONFLICT', context: { propertyName: [KEY] } } });
    expect(liveTickets()).toBe(before);
    const found = await hs.crm.tickets.batchApi.read({
      idProperty: KEY,
      inputs: [{ id: fresh }, { id: twice }],
      properties: [KEY],
      propertiesWithHistory: [],
    });
    expect(found.results).toEqual([]);
  });

  it('should fail a batch with one invalid input as a whole (400), or per input when every input has an objectWriteTraceId (207)', async () => {
    const before = liveTickets();
    await expect(
      hs.crm.tickets.batchApi.create({
        inputs: [
          submission(key('ok')),
          { properties: { subject: 'x', hs_ticket_priority: 'WHENEVER' }, associations: [] },
        ],
      }),
    ).rejects.toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
    expect(liveTickets()).toBe(before);

    const existing = key('traced-existing');
    await hs.crm.tickets.batchApi.create({ inputs: [submission(existing)] });
    const good = key('traced-good');
    const answer = await hs.crm.tickets.batchApi.create({
      inputs: [
        submission(good, { objectWriteTraceId: 'a' }),
        {
          properties: { subject: 'bad', hs_ticket_priority: 'WHENEVER' },
          associations: [],
          objectWriteTraceId: 'b',
        },
        submission(existing, { objectWriteTraceId: 'c' }),
      ],
    });
    expect(rec.last().status).toBe(207);
    expectMatchesSpec(SPEC, 'POST', CREATE, 207, rec.last().body);
    expect(answer.results.map((r) => [r.objectWriteTraceId, r.properties[KEY]])).toEqual([['a', good]]);
    expect(rec.last().body).toMatchObject({
      numErrors: 2,
      errors: [
        { category: 'VALIDATION_ERROR', context: { objectWriteTraceId: ['b'] } },
        { category: 'CONFLICT', context: { objectWriteTraceId: ['c'] } },
      ],
    });
    // The SDK hands the 207's errors over as they came (BatchResponseSimplePublicObjectWithErrors).
    const sdkErrors = 'errors' in answer ? (answer.errors ?? []) : [];
    expect(sdkErrors.map((e) => [e.category, e.context.objectWriteTraceId])).toEqual([
      ['VALIDATION_ERROR', ['b']],
      ['CONFLICT', ['c']],
    ]);
  });

  it('should move stages of many tickets in one batch update (200), by id or by request key', async () => {
    const keys = [key('upd'), key('upd'), key('upd')];
    const created = (await hs.crm.tickets.batchApi.create({ inputs: keys.map((k) => submission(k)) }))
      .results;
    const answer = await hs.crm.tickets.batchApi.update({
      inputs: [
        { id: created[0]!.id, properties: { hs_pipeline_stage: STAGE_CLOSED } },
        { id: created[1]!.id, properties: { hs_pipeline_stage: STAGE_WAITING_ON_US } },
        {
          id: created[2]!.properties[KEY]!,
          idProperty: KEY,
          properties: { hs_pipeline_stage: STAGE_CLOSED },
        },
      ],
    });
    expect(rec.last().status).toBe(200);
    expectMatchesSpec(SPEC, 'POST', UPDATE, 200, rec.last().body);
    const byId = new Map(answer.results.map((r) => [r.id, r.properties]));
    expect(byId.get(created[0]!.id)).toMatchObject({ hs_pipeline_stage: STAGE_CLOSED, hs_is_closed: 'true' });
    expect(byId.get(created[0]!.id)?.closed_date).toBeTruthy();
    expect(byId.get(created[1]!.id)).toMatchObject({ hs_pipeline_stage: STAGE_WAITING_ON_US });
    expect(byId.get(created[2]!.id)).toMatchObject({ hs_pipeline_stage: STAGE_CLOSED });
  });

  it('should answer a batch update 207 for missing ids, and refuse bad inputs before changing anything', async () => {
    const keys = [key('u2'), key('u2')];
    const created = (await hs.crm.tickets.batchApi.create({ inputs: keys.map((k) => submission(k)) }))
      .results;
    const [a, b] = created.sort((x, y) => Number(x.id) - Number(y.id));
    await hs.crm.tickets.batchApi.update({
      inputs: [
        { id: a!.id, properties: { hs_ticket_priority: 'HIGH' } },
        { id: '999999999', properties: { hs_ticket_priority: 'HIGH' } },
      ],
    });
    expect(rec.last().status).toBe(207);
    expectMatchesSpec(SPEC, 'POST', UPDATE, 207, rec.last().body);
    expect(rec.last().body).toMatchObject({
      numErrors: 1,
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['999999999'] } }],
    });
    expect(em.store.get('tickets', a!.id)!.props.hs_ticket_priority).toBe('HIGH');

    const stageOfB = em.store.get('tickets', b!.id)!.props.hs_pipeline_stage;
    // One input takes a request key another ticket holds: 409, and b keeps its stage.
    await expect(
      hs.crm.tickets.batchApi.update({
        inputs: [
          { id: b!.id, properties: { hs_pipeline_stage: STAGE_CLOSED } },
          { id: a!.id, properties: { [KEY]: keys[1]! } },
        ],
      }),
    ).rejects.toMatchObject({ code: 409, body: { category: 'CONFLICT' } });
    expect(em.store.get('tickets', b!.id)!.props.hs_pipeline_stage).toBe(stageOfB);
    // The same ticket twice (by id and by key): 400.
    await expect(
      hs.crm.tickets.batchApi.update({
        inputs: [
          { id: b!.id, properties: { hs_pipeline_stage: STAGE_CLOSED } },
          { id: keys[1]!, idProperty: KEY, properties: { hs_ticket_priority: 'LOW' } },
        ],
      }),
    ).rejects.toMatchObject({
      code: 400,
      body: { message: expect.stringContaining('Duplicate IDs') as string },
    });
    expect(em.store.get('tickets', b!.id)!.props.hs_pipeline_stage).toBe(stageOfB);
    // Batch update resolves idProperty only through a custom unique property.
    await expect(
      hs.crm.tickets.batchApi.update({ inputs: [{ id: b!.id, idProperty: 'hs_object_id', properties: {} }] }),
    ).rejects.toMatchObject({
      code: 400,
      body: { message: expect.stringContaining('non-unique 0-5 property hs_object_id') as string },
    });
  });

  it('should send webhooks per created and per changed ticket, as single calls do', async () => {
    const keys = [key('wh'), key('wh'), key('wh')];
    const created = (await hs.crm.tickets.batchApi.create({ inputs: keys.map((k) => submission(k)) }))
      .results;
    const ids = created.map((r) => Number(r.id));
    await hs.crm.tickets.batchApi.update({
      inputs: created.map((r) => ({ id: r.id, properties: { hs_pipeline_stage: STAGE_WAITING_ON_US } })),
    });
    await em.flushWebhooks();
    await waitFor(() =>
      ids.every((id) =>
        receiver
          .events()
          .some(
            (e) =>
              e.objectId === id &&
              e.propertyName === 'hs_pipeline_stage' &&
              e.propertyValue === STAGE_WAITING_ON_US,
          ),
      ),
    );
    for (const id of ids) {
      const mine = receiver.events().filter((e) => e.objectId === id);
      expect(mine.filter((e) => e.subscriptionType === 'ticket.creation')).toHaveLength(1);
      expect(mine).toContainEqual(
        expect.objectContaining({
          subscriptionType: 'ticket.propertyChange',
          propertyName: KEY,
          changeSource: 'API',
        }),
      );
      expect(receiver.events()).toContainEqual(
        expect.objectContaining({
          subscriptionType: 'ticket.associationChange',
          associationType: 'TICKET_TO_CONTACT',
          fromObjectId: id,
          toObjectId: Number(contactId),
        }),
      );
      expect(
        mine.filter((e) => e.propertyName === 'hs_pipeline_stage' && e.propertyValue === STAGE_WAITING_ON_US),
      ).toHaveLength(1);
    }
  });

  it('should count a batch call once against the rate limit', async () => {
    em.setRateLimits({ disabled: false, max: 5, intervalMs: 60_000 });
    await hs.crm.tickets.batchApi.create({
      inputs: Array.from({ length: 100 }, () => submission(key('rl'))),
    });
    expect(rec.last().headers['x-hubspot-ratelimit-remaining']).toBe('4');
    await hs.crm.tickets.batchApi.read({ inputs: [{ id: '1' }], properties: [], propertiesWithHistory: [] });
    expect(rec.last().headers['x-hubspot-ratelimit-remaining']).toBe('3');
    for (let i = 0; i < 3; i++) {
      await hs.crm.tickets.batchApi.read({
        inputs: [{ id: '1' }],
        properties: [],
        propertiesWithHistory: [],
      });
    }
    const before = liveTickets();
    await expect(hs.crm.tickets.batchApi.create({ inputs: [submission(key('rl'))] })).rejects.toMatchObject({
      code: 429,
      body: { policyName: 'TEN_SECONDLY_ROLLING' },
    });
    expect(liveTickets()).toBe(before);
  });

  it('should apply error-rate faults and outages to batch calls, writing nothing', async () => {
    const before = liveTickets();
    em.setFaults({ errorRate: 1, errorStatuses: [502] });
    await expect(
      hs.crm.tickets.batchApi.create({ inputs: [submission(key('fault'))] }),
    ).rejects.toMatchObject({ code: 502 });
    await expect(
      hs.crm.tickets.batchApi.update({ inputs: [{ id: '1', properties: {} }] }),
    ).rejects.toMatchObject({ code: 502 });
    em.setFaults({ errorRate: 0, outageSeconds: 60 });
    await expect(
      hs.crm.tickets.batchApi.create({ inputs: [submission(key('fault'))] }),
    ).rejects.toMatchObject({ code: 503 });
    await expect(
      hs.crm.tickets.batchApi.read({ inputs: [{ id: '1' }], properties: [], propertiesWithHistory: [] }),
    ).rejects.toMatchObject({ code: 503 });
    expect(liveTickets()).toBe(before);
  });
});
