import { type Client } from '@hubspot/api-client';
import { AssociationTypeId, DEMO_CONTACT_EMAIL, type Emulator } from '../src';
import { createUniqueProperty, startRecordedEmulator, waitFor } from './helpers/recorded-emulator';
import { expectMatchesSpec } from './helpers/openapi';
import { type Recorder } from './helpers/recorder';
import { type WebhookReceiver } from './helpers/webhook-receiver';

const HUBSPOT_DEFINED = 'HUBSPOT_DEFINED' as never;
const EVENT_KEY = 'tp_event_key';

describe('Tasks batch create and associations v4 batch associate/archive', () => {
  let em: Emulator;
  let rec: Recorder;
  let hs: Client;
  let receiver: WebhookReceiver;
  let stop: () => Promise<void>;
  let ownerId: string;
  let ticketIds: string[];
  let contactId: string;

  /** An owner task as the API assigns it: due date, owner, event key, linked to the ticket. */
  const ownerTask = (ticketId: string, eventKey: string) => ({
    properties: {
      hs_timestamp: '2026-06-01T09:00:00.000Z',
      hs_task_subject: `Customer replied on #${ticketId}`,
      hs_task_body: 'Read the reply in the help desk.',
      hubspot_owner_id: ownerId,
      [EVENT_KEY]: eventKey,
    },
    associations: [
      {
        to: { id: ticketId },
        types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypeId.taskToTicket }],
      },
    ],
  });
  const taskCount = () => em.store.ordered.tasks.filter((t) => !t.archived).length;

  beforeAll(async () => {
    ({ em, rec, hs, receiver, stop } = await startRecordedEmulator(
      { tickets: 20, seed: 4 },
      { webhooks: true },
    ));
    ownerId = em.store.owners.find((o) => !o.archived)!.id;
    ticketIds = em.store.ordered.tickets.slice(0, 3).map((t) => t.id);
    contactId = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!.id;
    await createUniqueProperty(hs, 'tasks', {
      name: EVENT_KEY,
      label: 'Ticket Portal event key',
      groupName: 'taskinformation',
    });
  });

  afterAll(() => stop());

  it('should create owner tasks on several tickets in one 201 call, leaving the tickets untouched', async () => {
    const modified = ticketIds.map((id) => em.store.get('tickets', id)!.props.hs_lastmodifieddate);
    const answer = await hs.crm.objects.tasks.batchApi.create({
      inputs: ticketIds.map((id) => ownerTask(id, `reply-${id}`)),
    });
    expect(rec.last().status).toBe(201);
    expectMatchesSpec('tasks.json', 'POST', '/crm/v3/objects/tasks/batch/create', 201, rec.last().body);
    expect(answer.results.map((r) => r.properties[EVENT_KEY]).sort()).toEqual(
      ticketIds.map((id) => `reply-${id}`).sort(),
    );
    for (const r of answer.results) {
      expect(r.properties).toMatchObject({
        hs_task_status: 'NOT_STARTED',
        hs_task_type: 'TODO',
        hubspot_owner_id: ownerId,
      });
    }
    ticketIds.forEach((id, i) => {
      expect(em.staff.ticketTasks(id).map((t) => t.props[EVENT_KEY])).toContain(`reply-${id}`);
      expect(em.store.get('tickets', id)!.props.hs_lastmodifieddate).toBe(modified[i]);
    });

    const read = await hs.crm.objects.tasks.batchApi.read({
      idProperty: EVENT_KEY,
      inputs: [{ id: `reply-${ticketIds[0]}` }, { id: 'reply-none' }],
      properties: [EVENT_KEY],
      propertiesWithHistory: [],
    });
    expect(rec.last().status).toBe(207);
    expectMatchesSpec('tasks.json', 'POST', '/crm/v3/objects/tasks/batch/read', 207, rec.last().body);
    expect(read.results.map((r) => r.properties[EVENT_KEY])).toEqual([`reply-${ticketIds[0]}`]);
  });

  it('should refuse a batch of tasks whose event key exists or repeats (409), creating none', async () => {
    const before = taskCount();
    await expect(
      hs.crm.objects.tasks.batchApi.create({
        inputs: [ownerTask(ticketIds[1]!, 'fresh-1'), ownerTask(ticketIds[0]!, `reply-${ticketIds[0]}`)],
      }),
    ).rejects.toMatchObject({ code: 409, body: { category: 'CONFLICT' } });
    expectMatchesSpec('tasks.json', 'POST', '/crm/v3/objects/tasks/batch/create', 'default', rec.last().body);
    await expect(
      hs.crm.objects.tasks.batchApi.create({
        inputs: [ownerTask(ticketIds[1]!, 'fresh-2'), ownerTask(ticketIds[2]!, 'fresh-2')],
      }),
    ).rejects.toMatchObject({
      code: 409,
      body: { category: 'CONFLICT', context: { propertyName: [EVENT_KEY] } },
    });
    expect(taskCount()).toBe(before);
  });

  it('should associate and dissociate pairs in batches (v4 associate/default and archive), with webhooks per pair', async () => {
    // The SDK names the `from` field `_from` (it serialises it as `from`).
    const pairs = ticketIds.map((id) => ({ _from: { id }, to: { id: contactId } }));
    for (const id of ticketIds) {
      const t = em.store.get('tickets', id)!;
      const c = em.store.get('contacts', contactId)!;
      em.store.dissociateTypes(t, c, undefined, { silent: true });
    }
    await em.flushWebhooks();
    receiver.reset();

    const answer = await hs.crm.associations.v4.batchApi.createDefault('tickets', 'contacts', {
      inputs: pairs,
    });
    expect(rec.last().status).toBe(200);
    expectMatchesSpec(
      'associations.json',
      'POST',
      '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/associate/default',
      200,
      rec.last().body,
    );
    expect(answer.results).toHaveLength(3);
    for (const id of ticketIds) {
      expect(em.store.get('tickets', id)!.assoc.contacts?.get(contactId)).toContain(
        AssociationTypeId.ticketToContact,
      );
    }
    await em.flushWebhooks();
    await waitFor(() =>
      ticketIds.every((id) =>
        receiver
          .events()
          .some(
            (e) =>
              e.subscriptionType === 'ticket.associationChange' &&
              e.fromObjectId === Number(id) &&
              e.associationRemoved === false,
          ),
      ),
    );

    // One missing ticket refuses the whole batch: the valid pair is not associated either.
    const [first] = ticketIds as [string];
    await hs.crm.associations.v4.batchApi.archive('tickets', 'contacts', {
      inputs: [{ _from: { id: first }, to: [{ id: contactId }] }],
    });
    expect(rec.last().status).toBe(204);
    expect(em.store.get('tickets', first)!.assoc.contacts?.get(contactId) ?? []).toEqual([]);
    await expect(
      hs.crm.associations.v4.batchApi.createDefault('tickets', 'contacts', {
        inputs: [
          { _from: { id: first }, to: { id: contactId } },
          { _from: { id: '987654321' }, to: { id: contactId } },
        ],
      }),
    ).rejects.toMatchObject({ code: 400, body: { message: 'inputs[1]: tickets does not exist.' } });
    expect(em.store.get('tickets', first)!.assoc.contacts?.get(contactId) ?? []).toEqual([]);

    receiver.reset();
    await hs.crm.associations.v4.batchApi.archive('tickets', 'contacts', {
      inputs: ticketIds.slice(1).map((id) => ({ _from: { id }, to: [{ id: contactId }] })),
    });
    expect(rec.last().status).toBe(204);
    for (const id of ticketIds) {
      expect(em.store.get('tickets', id)!.assoc.contacts?.get(contactId) ?? []).toEqual([]);
    }
    await em.flushWebhooks();
    await waitFor(() =>
      ticketIds
        .slice(1)
        .every((id) =>
          receiver
            .events()
            .some(
              (e) =>
                e.subscriptionType === 'ticket.associationChange' &&
                e.fromObjectId === Number(id) &&
                e.associationRemoved === true,
            ),
        ),
    );
  });

  it('should refuse a v4 batch write past 2,000 inputs as an Error HubSpot documents, writing nothing', async () => {
    const [first] = ticketIds as [string];
    const path = '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch';
    const tooMany = Array.from({ length: 2001 }, () => ({ _from: { id: first }, to: { id: contactId } }));
    await expect(
      hs.crm.associations.v4.batchApi.createDefault('tickets', 'contacts', { inputs: tooMany }),
    ).rejects.toMatchObject({
      code: 400,
      body: { message: expect.stringContaining('maximum number of inputs') as string },
    });
    expectMatchesSpec('associations.json', 'POST', `${path}/associate/default`, 'default', rec.last().body);
    expect(em.store.get('tickets', first)!.assoc.contacts?.get(contactId) ?? []).toEqual([]);
    await expect(
      hs.crm.associations.v4.batchApi.archive('tickets', 'contacts', {
        inputs: tooMany.map((p) => ({ _from: p._from, to: [p.to] })),
      }),
    ).rejects.toMatchObject({ code: 400 });
    expectMatchesSpec('associations.json', 'POST', `${path}/archive`, 'default', rec.last().body);
    // The same pair twice, and a pair already associated: one association, answered per input.
    const answer = await hs.crm.associations.v4.batchApi.createDefault('tickets', 'contacts', {
      inputs: [
        { _from: { id: first }, to: { id: contactId } },
        { _from: { id: first }, to: { id: contactId } },
      ],
    });
    expect(answer.results).toHaveLength(2);
    expect(em.store.get('tickets', first)!.assoc.contacts?.get(contactId)).toEqual([
      AssociationTypeId.ticketToContact,
    ]);
  });
});
