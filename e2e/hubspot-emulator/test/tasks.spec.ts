import { type Client } from '@hubspot/api-client';
import { ApiException } from '@hubspot/api-client/lib/codegen/crm/objects/tasks/apis/exception';
import { AssociationTypeId, type Emulator } from '../src';
import { expectMatchesSpec } from './helpers/openapi';
import { type Recorder } from './helpers/recorder';
import { startRecordedEmulator } from './helpers/recorded-emulator';

const SPEC = 'tasks.json';

function toTicket(ticketId: string) {
  return {
    to: { id: ticketId },
    types: [
      { associationCategory: 'HUBSPOT_DEFINED' as never, associationTypeId: AssociationTypeId.taskToTicket },
    ],
  };
}

describe('Tasks API', () => {
  let em: Emulator;
  let rec: Recorder;
  let hs: Client;
  let stop: () => Promise<void>;
  let ticketId: string;
  let ownerId: string;

  beforeAll(async () => {
    ({ em, rec, hs, stop } = await startRecordedEmulator({ tickets: 20, seed: 5 }));
    ticketId = [...em.store.records.tickets.values()][0]!.id;
    ownerId = em.store.owners.find((o) => !o.archived)!.id;
  });

  afterAll(() => stop());

  it('should create a task assigned to an owner and linked to the ticket (230 / 229)', async () => {
    const due = '2026-06-01T09:00:00.000Z';
    const created = await hs.crm.objects.tasks.basicApi.create({
      properties: {
        hs_timestamp: due,
        hs_task_subject: 'Customer replied on #1',
        hs_task_body: 'Read the reply in the help desk.',
        hs_task_priority: 'HIGH',
        hubspot_owner_id: ownerId,
      },
      associations: [toTicket(ticketId)],
    });
    expect(rec.last().status).toBe(201);
    expectMatchesSpec(SPEC, 'POST', '/crm/v3/objects/tasks', 201, rec.last().body);
    expect(created.properties).toMatchObject({
      hs_timestamp: due,
      hs_task_status: 'NOT_STARTED',
      hs_task_type: 'TODO',
      hubspot_owner_id: ownerId,
    });

    await hs.crm.objects.tasks.basicApi.getById(
      created.id,
      ['hs_task_subject', 'hs_task_status'],
      undefined,
      ['tickets'],
    );
    expectMatchesSpec(SPEC, 'GET', '/crm/v3/objects/tasks/{taskId}', 200, rec.last().body);
    expect(rec.last().body).toMatchObject({
      associations: { tickets: { results: [{ id: ticketId, type: 'task_to_ticket' }] } },
    });

    const fromTicket = await hs.crm.associations.v4.basicApi.getPage('tickets', ticketId, 'tasks');
    expectMatchesSpec(
      'associations.json',
      'GET',
      '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}',
      200,
      rec.last().body,
    );
    expect(fromTicket.results.map((r) => String(r.toObjectId))).toContain(created.id);
    expect(fromTicket.results[0]!.associationTypes[0]!.typeId).toBe(AssociationTypeId.ticketToTask);
  });

  it('should stamp the completion time when a task is completed, and clear it when reopened', async () => {
    const task = await hs.crm.objects.tasks.basicApi.create({
      properties: { hs_timestamp: String(Date.now()), hs_task_subject: 'Call back' },
      associations: [toTicket(ticketId)],
    });
    const done = await hs.crm.objects.tasks.basicApi.update(task.id, {
      properties: { hs_task_status: 'COMPLETED' },
    });
    expectMatchesSpec(SPEC, 'PATCH', '/crm/v3/objects/tasks/{taskId}', 200, rec.last().body);
    expect(done.properties.hs_task_completion_date).toMatch(/^\d{4}-.*Z$/);

    const reopened = await hs.crm.objects.tasks.basicApi.update(task.id, {
      properties: { hs_task_status: 'NOT_STARTED' },
    });
    expect(reopened.properties.hs_task_completion_date ?? null).toBeNull();
  });

  it('should refuse a task without hs_timestamp, an unknown status and a read-only completion date', async () => {
    const cases: Record<string, string>[] = [
      { hs_task_subject: 'No due date' },
      { hs_timestamp: '2026-06-01T09:00:00Z', hs_task_status: 'DONE' },
      { hs_timestamp: '2026-06-01T09:00:00Z', hs_task_completion_date: '2026-06-01T09:00:00Z' },
    ];
    for (const properties of cases) {
      const error = await hs.crm.objects.tasks.basicApi
        .create({ properties, associations: [] })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ApiException);
      expect((error as ApiException<unknown>).code).toBe(400);
      expectMatchesSpec(SPEC, 'POST', '/crm/v3/objects/tasks', 'default', rec.last().body);
    }
  });

  it('should keep one task per custom unique key: 409 on a second create, readable by idProperty', async () => {
    await hs.crm.properties.coreApi.create('tasks', {
      name: 'tp_event_key',
      label: 'Ticket Portal event key',
      groupName: 'taskinformation',
      type: 'string' as never,
      fieldType: 'text' as never,
      hasUniqueValue: true,
    });
    const properties = { hs_timestamp: String(Date.now()), hs_task_subject: 'Reply', tp_event_key: 'ev-1' };
    const first = await hs.crm.objects.tasks.basicApi.create({
      properties,
      associations: [toTicket(ticketId)],
    });

    const again = await hs.crm.objects.tasks.basicApi
      .create({ properties, associations: [toTicket(ticketId)] })
      .catch((e: unknown) => e);
    expect((again as ApiException<unknown>).code).toBe(409);
    expect(rec.last().body).toMatchObject({
      category: 'CONFLICT',
      message: expect.stringContaining(`Existing ID: ${first.id}`),
    });

    const byKey = await hs.crm.objects.tasks.basicApi.getById(
      'ev-1',
      ['tp_event_key'],
      undefined,
      undefined,
      false,
      'tp_event_key',
    );
    expect(byKey.id).toBe(first.id);
  });

  it('should batch read and search tasks by status and ticket', async () => {
    const open = await hs.crm.objects.tasks.basicApi.create({
      properties: {
        hs_timestamp: String(Date.now()),
        hs_task_subject: 'Open one',
        hubspot_owner_id: ownerId,
      },
      associations: [toTicket(ticketId)],
    });
    await hs.crm.objects.tasks.batchApi.read({
      inputs: [{ id: open.id }, { id: '1' }],
      properties: ['hs_task_subject'],
      propertiesWithHistory: [],
    });
    expect(rec.last().status).toBe(207);
    expectMatchesSpec(SPEC, 'POST', '/crm/v3/objects/tasks/batch/read', 207, rec.last().body);

    const found = await hs.crm.objects.tasks.searchApi.doSearch({
      filterGroups: [
        {
          filters: [
            { propertyName: 'associations.ticket', operator: 'EQ' as never, value: ticketId },
            { propertyName: 'hs_task_status', operator: 'NEQ' as never, value: 'COMPLETED' },
          ],
        },
      ],
      properties: ['hs_task_subject', 'hs_task_status'],
      limit: 100,
      after: '0',
      sorts: [],
    });
    expectMatchesSpec(SPEC, 'POST', '/crm/v3/objects/tasks/search', 200, rec.last().body);
    expect(found.results.map((t) => t.id)).toContain(open.id);
    expect(found.results.every((t) => t.properties.hs_task_status !== 'COMPLETED')).toBe(true);

    await hs.crm.objects.tasks.basicApi.archive(open.id);
    const gone = await hs.crm.objects.tasks.basicApi.getById(open.id).catch((e: unknown) => e);
    expect((gone as ApiException<unknown>).code).toBe(404);
  });

  it('should leave the ticket dates alone when a task is logged on it', async () => {
    const ticket = em.store.get('tickets', ticketId)!;
    const before = { ...ticket.props };
    await hs.crm.objects.tasks.basicApi.create({
      properties: { hs_timestamp: String(Date.now()), hs_task_subject: 'Quiet' },
      associations: [toTicket(ticketId)],
    });
    expect(ticket.props.hs_lastmodifieddate).toBe(before.hs_lastmodifieddate);
    expect(ticket.props.hs_lastactivitydate).toBe(before.hs_lastactivitydate);
  });
});
