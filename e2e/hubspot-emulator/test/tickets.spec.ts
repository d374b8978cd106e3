import { Client } from '@hubspot/api-client';
import { ApiException } from '@hubspot/api-client/lib/codegen/crm/tickets/apis/exception';
import {
  AssociationTypeId,
  DEFAULT_PIPELINE_ID,
  DEMO_CONTACT_EMAIL,
  STAGE_CLOSED,
  STAGE_NEW,
  STAGE_WAITING_ON_US,
  startEmulator,
  type Emulator,
} from '../src';
import { expectMatchesSpec } from './helpers/openapi';
import { type Recorder } from './helpers/recorder';
import { startRecordedEmulator } from './helpers/recorded-emulator';

const SPEC = 'tickets.json';

describe('Tickets API', () => {
  let em: Emulator;
  let rec: Recorder;
  let hs: Client;
  let stop: () => Promise<void>;
  let contactId: string;
  let companyId: string;

  beforeAll(async () => {
    ({ em, rec, hs, stop } = await startRecordedEmulator({ tickets: 60, seed: 7 }));
    const contact = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    contactId = contact.id;
    companyId = em.store.associatedIds(contact, 'companies')[0]!;
  });

  afterAll(() => stop());

  it('should create a ticket with 201, system properties and associations by type id', async () => {
    const created = await hs.crm.tickets.basicApi.create({
      properties: {
        subject: 'Cannot export cue sheet',
        content: 'It fails at 80%',
        hs_ticket_priority: 'HIGH',
      },
      associations: [
        {
          to: { id: contactId },
          types: [
            {
              associationCategory: 'HUBSPOT_DEFINED' as never,
              associationTypeId: AssociationTypeId.ticketToContact,
            },
          ],
        },
        {
          to: { id: companyId },
          types: [
            {
              associationCategory: 'HUBSPOT_DEFINED' as never,
              associationTypeId: AssociationTypeId.primaryTicketToCompany,
            },
          ],
        },
      ],
    });
    expect(rec.last().status).toBe(201);
    expectMatchesSpec(SPEC, 'POST', '/crm/v3/objects/tickets', 201, rec.last().body);
    const p = created.properties;
    expect(p.hs_object_id).toBe(created.id);
    expect(p.hs_ticket_id).toBe(created.id);
    expect(p.hs_pipeline).toBe(DEFAULT_PIPELINE_ID);
    expect(p.hs_pipeline_stage).toBe(STAGE_NEW);
    expect(p.hs_object_source).toBe('API');
    expect(p.hs_last_message_from_visitor).toBe('false');
    expect(p.createdate).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(created.createdAt).toBeInstanceOf(Date);

    const read = await hs.crm.tickets.basicApi.getById(created.id, ['subject', 'closed_date'], undefined, [
      'contacts',
      'companies',
    ]);
    expectMatchesSpec(SPEC, 'GET', '/crm/v3/objects/tickets/{ticketId}', 200, rec.last().body);
    expect(read.properties.subject).toBe('Cannot export cue sheet');
    expect(read.properties.closed_date).toBeNull();
    expect(read.associations?.contacts?.results.map((r) => r.id)).toEqual([contactId]);
    expect(new Set(read.associations?.companies?.results.map((r) => r.id))).toEqual(new Set([companyId]));
  });

  it('should accept comma-separated and repeated query lists', async () => {
    const id = em.store.ordered.tickets[0]!.id;
    const res = await fetch(
      `${em.url}/crm/v3/objects/tickets/${id}?properties=subject,content&properties=hs_ticket_priority`,
      {
        headers: { Authorization: `Bearer ${em.accessToken}` },
      },
    );
    const body = (await res.json()) as { properties: Record<string, unknown> };
    expect(Object.keys(body.properties)).toEqual(
      expect.arrayContaining([
        'subject',
        'content',
        'hs_ticket_priority',
        'createdate',
        'hs_lastmodifieddate',
        'hs_object_id',
      ]),
    );
  });

  it('should set closed_date, hs_lastactivitydate and move hs_lastmodifieddate when the stage closes', async () => {
    const t = await hs.crm.tickets.basicApi.create({
      properties: { subject: 'Close me', hs_pipeline_stage: STAGE_NEW },
      associations: [],
    });
    await new Promise((r) => setTimeout(r, 5));
    const moved = await hs.crm.tickets.basicApi.update(t.id, {
      properties: { hs_pipeline_stage: STAGE_WAITING_ON_US },
    });
    expectMatchesSpec(SPEC, 'PATCH', '/crm/v3/objects/tickets/{ticketId}', 200, rec.last().body);
    expect(Date.parse(moved.properties.hs_lastmodifieddate!)).toBeGreaterThan(
      Date.parse(t.properties.hs_lastmodifieddate!),
    );
    expect(moved.properties.hs_lastactivitydate).toBe(moved.properties.hs_lastmodifieddate);
    expect(moved.properties.closed_date ?? null).toBeNull();
    const closed = await hs.crm.tickets.basicApi.update(t.id, {
      properties: { hs_pipeline_stage: STAGE_CLOSED },
    });
    expect(closed.properties.closed_date).toBe(closed.properties.hs_lastmodifieddate);
    expect(closed.properties.hs_is_closed).toBe('true');
    const reopened = await hs.crm.tickets.basicApi.update(t.id, {
      properties: { hs_pipeline_stage: STAGE_NEW },
    });
    expect(reopened.properties.closed_date ?? null).toBeNull();
    expect(reopened.properties.hs_is_closed).toBe('false');
  });

  it('should reject unknown, read-only and invalid property values with a 400 that names them', async () => {
    const t = em.store.ordered.tickets[1]!;
    const err = await hs.crm.tickets.basicApi
      .update(t.id, {
        properties: {
          nonsense: 'x',
          hs_object_id: '1',
          hs_ticket_priority: 'SOMETIMES',
          hs_pipeline_stage: '99',
        },
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiException);
    const e = err as ApiException<{ category: string; message: string }>;
    expect(e.code).toBe(400);
    expect(e.body.category).toBe('VALIDATION_ERROR');
    for (const name of ['nonsense', 'hs_object_id', 'hs_ticket_priority', 'hs_pipeline_stage']) {
      expect(e.body.message).toContain(name);
    }
    expectMatchesSpec(SPEC, 'PATCH', '/crm/v3/objects/tickets/{ticketId}', 'default', rec.last().body);
  });

  it('should 404 with HubSpot error body for a missing ticket and 204 on archive, then hide it', async () => {
    const missing = await hs.crm.tickets.basicApi
      .getById('999')
      .catch((e: unknown) => e as ApiException<{ category: string }>);
    expect((missing as ApiException<unknown>).code).toBe(404);
    expect((missing as ApiException<{ category: string }>).body.category).toBe('OBJECT_NOT_FOUND');
    const t = await hs.crm.tickets.basicApi.create({
      properties: { subject: 'Delete me' },
      associations: [],
    });
    await hs.crm.tickets.basicApi.archive(t.id);
    expect(rec.last().status).toBe(204);
    expect(rec.last().body).toBeUndefined();
    await expect(hs.crm.tickets.basicApi.getById(t.id)).rejects.toMatchObject({ code: 404 });
    const archived = await hs.crm.tickets.basicApi.getById(t.id, undefined, undefined, undefined, true);
    expect(archived.archived).toBe(true);
    expect(archived.archivedAt).toBeInstanceOf(Date);
  });

  it('should page the list to the end by id cursor with limit capped at 100', async () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await hs.crm.tickets.basicApi.getPage(25, after, ['subject']);
      expectMatchesSpec(SPEC, 'GET', '/crm/v3/objects/tickets', 200, rec.last().body);
      if (after) expect(page.results[0]!.id).toBe(after);
      seen.push(...page.results.map((r) => r.id));
      after = page.paging?.next?.after;
      pages += 1;
    } while (after);
    const live = em.store.ordered.tickets.filter((t) => !t.archived).map((t) => t.id);
    expect(seen).toEqual(live);
    expect(pages).toBe(Math.ceil(live.length / 25));
    const all = await hs.crm.tickets.getAll(500);
    expect(all.length).toBe(live.length);
    const big = await hs.crm.tickets.basicApi.getPage(500);
    expect(big.results.length).toBe(Math.min(100, live.length));
  });

  it('should batch read with 207 OBJECT_NOT_FOUND for missing ids', async () => {
    const ids = em.store.ordered.tickets.slice(0, 3).map((t) => t.id);
    const ok = await hs.crm.tickets.batchApi.read({
      inputs: ids.map((id) => ({ id })),
      properties: ['subject'],
      propertiesWithHistory: [],
    });
    expect(rec.last().status).toBe(200);
    expectMatchesSpec(SPEC, 'POST', '/crm/v3/objects/tickets/batch/read', 200, rec.last().body);
    expect(ok.results.map((r) => r.id).sort()).toEqual([...ids].sort());
    await hs.crm.tickets.batchApi.read({
      inputs: [{ id: ids[0]! }, { id: '424242' }],
      properties: ['subject'],
      propertiesWithHistory: [],
    });
    const last = rec.last();
    expect(last.status).toBe(207);
    expectMatchesSpec(SPEC, 'POST', '/crm/v3/objects/tickets/batch/read', 207, last.body);
    expect(last.body).toMatchObject({
      numErrors: 1,
      errors: [{ category: 'OBJECT_NOT_FOUND', context: { ids: ['424242'] } }],
    });
  });

  it('should batch create and batch update', async () => {
    const created = await hs.crm.tickets.batchApi.create({
      inputs: [
        { properties: { subject: 'Batch one' }, associations: [] },
        { properties: { subject: 'Batch two', hs_ticket_priority: 'LOW' }, associations: [] },
      ],
    });
    expect(rec.last().status).toBe(201);
    expectMatchesSpec(SPEC, 'POST', '/crm/v3/objects/tickets/batch/create', 201, rec.last().body);
    expect(created.results.map((r) => r.properties.subject).sort()).toEqual(['Batch one', 'Batch two']);
    const updated = await hs.crm.tickets.batchApi.update({
      inputs: created.results.map((r) => ({ id: r.id, properties: { hs_ticket_priority: 'URGENT' } })),
    });
    expectMatchesSpec(SPEC, 'POST', '/crm/v3/objects/tickets/batch/update', 200, rec.last().body);
    expect(updated.results.every((r) => r.properties.hs_ticket_priority === 'URGENT')).toBe(true);
    await expect(
      hs.crm.tickets.batchApi.create({
        inputs: [
          { properties: { subject: 'ok' }, associations: [] },
          { properties: { bogus: '1' }, associations: [] },
        ],
      }),
    ).rejects.toMatchObject({ code: 400 });
  });

  describe('search', () => {
    const search = (body: Record<string, unknown>) => hs.crm.tickets.searchApi.doSearch(body);

    it('should apply filter operators, AND within a group and OR across groups', async () => {
      const tickets = em.store.ordered.tickets.filter((t) => !t.archived);
      const count = (pred: (p: Record<string, string>) => boolean) =>
        tickets.filter((t) => pred(t.props)).length;
      const cases: [Record<string, unknown>, (p: Record<string, string>) => boolean][] = [
        [
          { propertyName: 'hs_pipeline_stage', operator: 'EQ', value: STAGE_CLOSED },
          (p) => p.hs_pipeline_stage === STAGE_CLOSED,
        ],
        [
          { propertyName: 'hs_pipeline_stage', operator: 'NEQ', value: STAGE_CLOSED },
          (p) => p.hs_pipeline_stage !== STAGE_CLOSED,
        ],
        [
          { propertyName: 'hs_ticket_priority', operator: 'IN', values: ['HIGH', 'URGENT'] },
          (p) => ['HIGH', 'URGENT'].includes(p.hs_ticket_priority ?? ''),
        ],
        [
          { propertyName: 'hs_ticket_priority', operator: 'NOT_IN', values: ['LOW'] },
          (p) => p.hs_ticket_priority !== 'LOW',
        ],
        [{ propertyName: 'hubspot_owner_id', operator: 'HAS_PROPERTY' }, (p) => !!p.hubspot_owner_id],
        [{ propertyName: 'hubspot_owner_id', operator: 'NOT_HAS_PROPERTY' }, (p) => !p.hubspot_owner_id],
        [
          { propertyName: 'subject', operator: 'CONTAINS_TOKEN', value: 'invoice' },
          (p) => /\binvoice\b/i.test(p.subject ?? ''),
        ],
        [
          { propertyName: 'subject', operator: 'CONTAINS_TOKEN', value: 'dupl*' },
          (p) => /\bdupl/i.test(p.subject ?? ''),
        ],
      ];
      for (const [filter, pred] of cases) {
        const res = await search({ filterGroups: [{ filters: [filter] }], limit: 200 });
        expectMatchesSpec(SPEC, 'POST', '/crm/v3/objects/tickets/search', 200, rec.last().body);
        expect({ filter, total: res.total }).toEqual({ filter, total: count(pred) });
      }
      const mid = tickets[Math.floor(tickets.length / 2)]!.props.createdate!;
      const ms = String(Date.parse(mid));
      const gt = await search({
        filterGroups: [{ filters: [{ propertyName: 'createdate', operator: 'GT', value: ms }] }],
      });
      const gte = await search({
        filterGroups: [{ filters: [{ propertyName: 'createdate', operator: 'GTE', value: mid }] }],
      });
      const lt = await search({
        filterGroups: [{ filters: [{ propertyName: 'createdate', operator: 'LT', value: ms }] }],
      });
      const lte = await search({
        filterGroups: [{ filters: [{ propertyName: 'createdate', operator: 'LTE', value: ms }] }],
      });
      expect(gte.total).toBe(gt.total + 1);
      expect(lte.total).toBe(lt.total + 1);
      expect(gt.total + lte.total).toBe(tickets.length);
      const between = await search({
        filterGroups: [
          { filters: [{ propertyName: 'createdate', operator: 'BETWEEN', value: ms, highValue: ms }] },
        ],
      });
      expect(between.total).toBe(1);
      const and = await search({
        filterGroups: [
          {
            filters: [
              { propertyName: 'hs_pipeline_stage', operator: 'EQ', value: STAGE_CLOSED },
              { propertyName: 'hs_ticket_priority', operator: 'EQ', value: 'LOW' },
            ],
          },
        ],
      });
      expect(and.total).toBe(
        count((p) => p.hs_pipeline_stage === STAGE_CLOSED && p.hs_ticket_priority === 'LOW'),
      );
      const or = await search({
        filterGroups: [
          { filters: [{ propertyName: 'hs_pipeline_stage', operator: 'EQ', value: STAGE_NEW }] },
          { filters: [{ propertyName: 'hs_ticket_priority', operator: 'EQ', value: 'URGENT' }] },
        ],
      });
      expect(or.total).toBe(
        count((p) => p.hs_pipeline_stage === STAGE_NEW || p.hs_ticket_priority === 'URGENT'),
      );
    });

    it('should search by association, sort, page with after and return default properties', async () => {
      const mine = em.store.associatedIds(em.store.contactByEmail(DEMO_CONTACT_EMAIL)!, 'tickets');
      const ids: string[] = [];
      let after: string | undefined = '0';
      let lastModified = '';
      while (after !== undefined) {
        const res = await search({
          filterGroups: [
            { filters: [{ propertyName: 'associations.contact', operator: 'EQ', value: contactId }] },
          ],
          sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
          limit: 3,
          after,
        });
        expect(res.total).toBe(mine.length);
        for (const r of res.results) {
          expect(Object.keys(r.properties).sort()).toEqual(
            [
              'content',
              'createdate',
              'hs_lastmodifieddate',
              'hs_object_id',
              'hs_pipeline',
              'hs_pipeline_stage',
              'hs_ticket_category',
              'hs_ticket_priority',
              'subject',
            ].sort(),
          );
          expect(r.properties.hs_lastmodifieddate! >= lastModified).toBe(true);
          lastModified = r.properties.hs_lastmodifieddate!;
          ids.push(r.id);
        }
        after = res.paging?.next?.after;
      }
      expect(ids.sort()).toEqual([...mine].sort());
      const desc = await search({ sorts: ['-createdate'], properties: ['subject'], limit: 5 });
      const dates = desc.results.map((r) => r.properties.createdate!);
      expect(dates).toEqual([...dates].sort().reverse());
      expect(Object.keys(desc.results[0]!.properties).sort()).toEqual([
        'createdate',
        'hs_lastmodifieddate',
        'hs_object_id',
        'subject',
      ]);
    });

    it('should find by query text and ticket id', async () => {
      const t = em.store.ordered.tickets[5]!;
      const byId = await search({ query: t.id });
      expect(byId.results.map((r) => r.id)).toContain(t.id);
      const word = (t.props.subject ?? '').split(' ')[0]!;
      const byText = await search({ query: word.toLowerCase(), limit: 200 });
      expect(byText.results.map((r) => r.id)).toContain(t.id);
    });

    it('should reject bad requests with 400: limit over 200, two sorts, too many filters, unknown property', async () => {
      const bad = [
        { limit: 201 },
        { sorts: ['createdate', 'subject'] },
        {
          filterGroups: Array.from({ length: 6 }, () => ({
            filters: [{ propertyName: 'subject', operator: 'HAS_PROPERTY' }],
          })),
        },
        { filterGroups: [{ filters: [{ propertyName: 'no_such_prop', operator: 'EQ', value: '1' }] }] },
        { filterGroups: [{ filters: [{ propertyName: 'subject', operator: 'SOUNDS_LIKE', value: '1' }] }] },
        { after: 'abc' },
      ];
      for (const body of bad) {
        await expect(search(body)).rejects.toMatchObject({
          code: 400,
          body: { status: 'error', category: 'VALIDATION_ERROR' },
        });
      }
    });
  });
});

describe('Ticket search past 10,000 results', () => {
  let em: Emulator;
  beforeAll(async () => {
    em = await startEmulator({ seed: { tickets: 10_050, seed: 3 }, rateLimit: { disabled: true } });
  });
  afterAll(() => em.close());

  it('should report the full total, page to 10,000 and answer 400 beyond it', async () => {
    const hs = new Client({ accessToken: em.accessToken, basePath: em.url });
    const req = {
      filterGroups: [],
      sorts: [{ propertyName: 'createdate', direction: 'ASCENDING' }],
      properties: ['subject'],
      limit: 200,
    };
    const first = await hs.crm.tickets.searchApi.doSearch({ ...req, after: '0' } as never);
    expect(first.total).toBe(10_050);
    const last = await hs.crm.tickets.searchApi.doSearch({ ...req, after: '9800' } as never);
    expect(last.results).toHaveLength(200);
    expect(last.paging?.next?.after).toBe('10000');
    const edge = await hs.crm.tickets.searchApi.doSearch({ ...req, after: '9900' } as never);
    expect(edge.results).toHaveLength(100);
    const page = await hs.crm.tickets.basicApi.getPage(500);
    expect(page.results).toHaveLength(100);
    expect(page.paging?.next?.after).toBe(String(Number(page.results[99]!.id) + 1));
    const beyond = await hs.crm.tickets.searchApi
      .doSearch({ ...req, after: '10000' } as never)
      .catch((e: unknown) => e);
    expect(beyond).toMatchObject({ code: 400, body: { category: 'VALIDATION_ERROR' } });
  });
});
