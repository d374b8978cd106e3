import { Client } from '@hubspot/api-client';
import { AssociationSpecAssociationCategoryEnum } from '@hubspot/api-client/lib/codegen/crm/associations/v4/models/AssociationSpec';
import {
  AssociationTypeId,
  DEFAULT_PIPELINE_ID,
  DEMO_COMPANY_NAME,
  DEMO_CONTACT_EMAIL,
  STAGE_CLOSED,
  type Emulator,
} from '../src';
import { expectMatchesSpec } from './helpers/openapi';
import { type Recorder } from './helpers/recorder';
import { startRecordedEmulator } from './helpers/recorded-emulator';

const HUBSPOT_DEFINED = AssociationSpecAssociationCategoryEnum.HubspotDefined;

describe('CRM APIs besides tickets', () => {
  let em: Emulator;
  let rec: Recorder;
  let hs: Client;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    ({ em, rec, hs, stop } = await startRecordedEmulator({ tickets: 40, seed: 11 }));
  });

  afterAll(() => stop());

  it('should list ticket pipelines without paging, with stages carrying metadata.ticketState', async () => {
    const all = await hs.crm.pipelines.pipelinesApi.getAll('tickets');
    expectMatchesSpec('pipelines.json', 'GET', '/crm/v3/pipelines/{objectType}', 200, rec.last().body);
    expect(rec.last().body).not.toHaveProperty('paging');
    const p = all.results[0]!;
    expect(p.id).toBe(DEFAULT_PIPELINE_ID);
    expect(p.stages.map((s) => [s.id, s.label, s.metadata?.ticketState])).toEqual([
      ['1', 'New', 'OPEN'],
      ['2', 'Waiting on contact', 'OPEN'],
      ['3', 'Waiting on us', 'OPEN'],
      ['4', 'Closed', 'CLOSED'],
    ]);
    await hs.crm.pipelines.pipelinesApi.getById('tickets', '0');
    expectMatchesSpec(
      'pipelines.json',
      'GET',
      '/crm/v3/pipelines/{objectType}/{pipelineId}',
      200,
      rec.last().body,
    );
    const stages = await hs.crm.pipelines.pipelineStagesApi.getAll('tickets', '0');
    expectMatchesSpec(
      'pipelines.json',
      'GET',
      '/crm/v3/pipelines/{objectType}/{pipelineId}/stages',
      200,
      rec.last().body,
    );
    expect(stages.results).toHaveLength(4);
    const closed = await hs.crm.pipelines.pipelineStagesApi.getById('tickets', '0', STAGE_CLOSED);
    expect(closed.metadata).toMatchObject({ ticketState: 'CLOSED' });
    await expect(hs.crm.pipelines.pipelinesApi.getById('tickets', '77')).rejects.toMatchObject({ code: 404 });
  });

  it('should page owners with and without the trailing slash and keep archived owners apart', async () => {
    const first = await hs.crm.owners.ownersApi.getPage(undefined, undefined, 5, false);
    expect(rec.last().path.startsWith('/crm/v3/owners/?')).toBe(true);
    expectMatchesSpec('crmOwners.json', 'GET', '/crm/v3/owners', 200, rec.last().body);
    const ids = first.results.map((o) => o.id);
    let after = first.paging?.next?.after;
    while (after) {
      const page = await hs.crm.owners.ownersApi.getPage(undefined, after, 5, false);
      ids.push(...page.results.map((o) => o.id));
      after = page.paging?.next?.after;
    }
    expect(ids).toHaveLength(11);
    const noSlash = await fetch(`${em.url}/crm/v3/owners`, {
      headers: { Authorization: `Bearer ${em.accessToken}` },
    });
    expect(((await noSlash.json()) as { results: unknown[] }).results).toHaveLength(11);
    const archived = await hs.crm.owners.ownersApi.getPage(undefined, undefined, 100, true);
    expectMatchesSpec('crmOwners.json', 'GET', '/crm/v3/owners', 200, rec.last().body);
    expect(archived.results).toHaveLength(1);
    expect(archived.results[0]!.archived).toBe(true);
    expect(archived.results[0]!.userId).toBeNull();
    expect(typeof archived.results[0]!.userIdIncludingInactive).toBe('number');
    const byEmail = await hs.crm.owners.ownersApi.getPage(first.results[0]!.email);
    expect(byEmail.results.map((o) => o.id)).toEqual([first.results[0]!.id]);
    const one = await hs.crm.owners.ownersApi.getById(Number(first.results[0]!.id));
    expectMatchesSpec('crmOwners.json', 'GET', '/crm/v3/owners/{ownerId}', 200, rec.last().body);
    expect(one.email).toBe(first.results[0]!.email);
  });

  it('should find the demo contact by email three ways and read its company', async () => {
    const byId = await hs.crm.contacts.basicApi.getById(
      DEMO_CONTACT_EMAIL,
      ['firstname', 'lastname', 'email'],
      undefined,
      ['companies'],
      false,
      'email',
    );
    expectMatchesSpec('contacts.json', 'GET', '/crm/v3/objects/contacts/{contactId}', 200, rec.last().body);
    expect(byId.properties).toMatchObject({
      firstname: 'Alex',
      lastname: 'Morgan',
      email: DEMO_CONTACT_EMAIL,
    });
    const search = await hs.crm.contacts.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'email', operator: 'EQ' as never, value: 'DEMO@example.com' }] },
      ],
    });
    expectMatchesSpec('contacts.json', 'POST', '/crm/v3/objects/contacts/search', 200, rec.last().body);
    expect(search.results.map((c) => c.id)).toEqual([byId.id]);
    const batch = await hs.crm.contacts.batchApi.read({
      idProperty: 'email',
      inputs: [{ id: DEMO_CONTACT_EMAIL }],
      properties: ['email'],
      propertiesWithHistory: [],
    });
    expectMatchesSpec('contacts.json', 'POST', '/crm/v3/objects/contacts/batch/read', 200, rec.last().body);
    expect(batch.results[0]!.id).toBe(byId.id);
    const companyId = byId.associations?.companies?.results[0]?.id;
    const company = await hs.crm.companies.basicApi.getById(companyId!, ['name', 'domain']);
    expectMatchesSpec('companies.json', 'GET', '/crm/v3/objects/companies/{companyId}', 200, rec.last().body);
    expect(company.properties.name).toBe(DEMO_COMPANY_NAME);
    const colleagues = await hs.crm.associations.v4.basicApi.getPage('companies', companyId!, 'contacts');
    expect(colleagues.results.length).toBeGreaterThanOrEqual(4);
    const batchCompanies = await hs.crm.companies.batchApi.read({
      inputs: [{ id: companyId! }],
      properties: ['name'],
      propertiesWithHistory: [],
    });
    expect(batchCompanies.results[0]!.properties.name).toBe(DEMO_COMPANY_NAME);
    const companySearch = await hs.crm.companies.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'name', operator: 'EQ' as never, value: DEMO_COMPANY_NAME }] },
      ],
    });
    expect(companySearch.total).toBe(1);
  });

  it('should create contacts and companies, and refuse a duplicate email with 409', async () => {
    const company = await hs.crm.companies.basicApi.create({
      properties: { name: 'Test Records', domain: 'testrecords.example' },
      associations: [],
    });
    expectMatchesSpec('companies.json', 'POST', '/crm/v3/objects/companies', 201, rec.last().body);
    const contact = await hs.crm.contacts.basicApi.create({
      properties: { email: 'new.person@testrecords.example', firstname: 'New', lastname: 'Person' },
      associations: [
        {
          to: { id: company.id },
          types: [
            {
              associationCategory: HUBSPOT_DEFINED,
              associationTypeId: AssociationTypeId.primaryContactToCompany,
            },
          ],
        },
      ],
    });
    expectMatchesSpec('contacts.json', 'POST', '/crm/v3/objects/contacts', 201, rec.last().body);
    await expect(
      hs.crm.contacts.basicApi.create({
        properties: { email: 'NEW.person@testrecords.example' },
        associations: [],
      }),
    ).rejects.toMatchObject({
      code: 409,
      body: { category: 'CONFLICT', message: `Contact already exists. Existing ID: ${contact.id}` },
    });
    const assoc = await hs.crm.associations.v4.basicApi.getPage('contacts', contact.id, 'companies');
    expectMatchesSpec(
      'associations.json',
      'GET',
      '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}',
      200,
      rec.last().body,
    );
    const raw = rec.last().body as {
      results: { toObjectId: unknown; associationTypes: { typeId: number; label: string | null }[] }[];
    };
    expect(raw.results[0]!.toObjectId).toBe(Number(company.id));
    expect(raw.results[0]!.associationTypes).toEqual(
      expect.arrayContaining([
        { category: 'HUBSPOT_DEFINED', typeId: 1, label: 'Primary' },
        { category: 'HUBSPOT_DEFINED', typeId: 279, label: null },
      ]),
    );
    expect(String(assoc.results[0]!.toObjectId)).toBe(company.id);
  });

  it('should create, list, batch read and delete associations v4', async () => {
    const ticket = await hs.crm.tickets.basicApi.create({
      properties: { subject: 'Assoc test' },
      associations: [],
    });
    const contact = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    await hs.crm.associations.v4.basicApi.createDefault('tickets', ticket.id, 'contacts', contact.id);
    expectMatchesSpec(
      'associations.json',
      'PUT',
      '/crm/v4/objects/{fromObjectType}/{fromObjectId}/associations/default/{toObjectType}/{toObjectId}',
      200,
      rec.last().body,
    );
    const companyId = em.store.associatedIds(contact, 'companies')[0]!;
    const labelled = await hs.crm.associations.v4.basicApi.create(
      'tickets',
      ticket.id,
      'companies',
      companyId,
      [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypeId.primaryTicketToCompany }],
    );
    expect(rec.last().status).toBe(201);
    expectMatchesSpec(
      'associations.json',
      'PUT',
      '/crm/v4/objects/{objectType}/{objectId}/associations/{toObjectType}/{toObjectId}',
      201,
      rec.last().body,
    );
    expect(labelled.labels).toEqual(['Primary']);
    const fromContact = await hs.crm.associations.v4.basicApi.getPage('contact', contact.id, 'ticket');
    expect(fromContact.results.map((r) => String(r.toObjectId))).toContain(ticket.id);
    const batch = await hs.crm.associations.v4.batchApi.getPage('tickets', 'companies', {
      inputs: [{ id: ticket.id }, { id: '1' }],
    });
    expect(rec.last().status).toBe(207);
    expectMatchesSpec(
      'associations.json',
      'POST',
      '/crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read',
      207,
      rec.last().body,
    );
    expect(
      batch.results[0]!.to.map((t) => t.associationTypes.map((a) => a.typeId))
        .flat()
        .sort(),
    ).toEqual([26, 339]);
    const found = await hs.crm.tickets.searchApi.doSearch({
      filterGroups: [
        { filters: [{ propertyName: 'associations.company', operator: 'EQ' as never, value: companyId }] },
      ],
      limit: 200,
    });
    expect(found.results.map((r) => r.id)).toContain(ticket.id);
    await hs.crm.associations.v4.basicApi.archive('tickets', ticket.id, 'companies', companyId);
    expect(rec.last().status).toBe(204);
    const after = await hs.crm.associations.v4.basicApi.getPage('tickets', ticket.id, 'companies');
    expect(after.results).toEqual([]);
    await expect(
      hs.crm.associations.v4.basicApi.create('tickets', ticket.id, 'companies', companyId, [
        { associationCategory: HUBSPOT_DEFINED, associationTypeId: 9999 },
      ]),
    ).rejects.toMatchObject({ code: 400 });
  });

  it('should serve ticket properties with priority and category options', async () => {
    const all = await hs.crm.properties.coreApi.getAll('tickets');
    expectMatchesSpec('properties.json', 'GET', '/crm/v3/properties/{objectType}', 200, rec.last().body);
    expect(all.results.map((p) => p.name)).toEqual(
      expect.arrayContaining(['subject', 'hs_pipeline_stage', 'hs_lastactivitydate', 'closed_date']),
    );
    const priority = await hs.crm.properties.coreApi.getByName('tickets', 'hs_ticket_priority');
    expectMatchesSpec(
      'properties.json',
      'GET',
      '/crm/v3/properties/{objectType}/{propertyName}',
      200,
      rec.last().body,
    );
    expect(priority.options.map((o) => o.value)).toEqual(['LOW', 'MEDIUM', 'HIGH', 'URGENT']);
    const category = await hs.crm.properties.coreApi.getByName('tickets', 'hs_ticket_category');
    expect(category.options.length).toBeGreaterThan(0);
    const stage = await hs.crm.properties.coreApi.getByName('tickets', 'hs_pipeline_stage');
    expect(stage.options.map((o) => o.value)).toEqual(['1', '2', '3', '4']);
    await expect(hs.crm.properties.coreApi.getByName('tickets', 'nope')).rejects.toMatchObject({ code: 404 });
  });

  it('should create a custom unique property, look tickets up by it and refuse duplicates', async () => {
    const created = await hs.crm.properties.coreApi.create('tickets', {
      name: 'tp_request_key',
      label: 'Ticket Portal request key',
      groupName: 'ticketinformation',
      type: 'string' as never,
      fieldType: 'text' as never,
      hasUniqueValue: true,
      formField: false,
    });
    expect(rec.last().status).toBe(201);
    expectMatchesSpec('properties.json', 'POST', '/crm/v3/properties/{objectType}', 201, rec.last().body);
    expect(created.hasUniqueValue).toBe(true);
    await expect(
      hs.crm.properties.coreApi.create('tickets', {
        name: 'tp_request_key',
        label: 'x',
        groupName: 'ticketinformation',
        type: 'string' as never,
        fieldType: 'text' as never,
      }),
    ).rejects.toMatchObject({ code: 409 });
    await expect(
      hs.crm.properties.coreApi.create('tickets', {
        name: 'Bad Name',
        label: 'x',
        groupName: 'g',
        type: 'string' as never,
        fieldType: 'text' as never,
      }),
    ).rejects.toMatchObject({ code: 400 });
    expect((await hs.crm.properties.coreApi.getByName('tickets', 'tp_request_key')).name).toBe(
      'tp_request_key',
    );

    const t = await hs.crm.tickets.basicApi.create({
      properties: { subject: 'Keyed', tp_request_key: 'req-123' },
      associations: [],
    });
    const found = await hs.crm.tickets.basicApi.getById(
      'req-123',
      ['subject', 'tp_request_key'],
      undefined,
      undefined,
      false,
      'tp_request_key',
    );
    expect(found.id).toBe(t.id);
    expect(found.properties.tp_request_key).toBe('req-123');
    await expect(
      hs.crm.tickets.basicApi.getById('req-999', undefined, undefined, undefined, false, 'tp_request_key'),
    ).rejects.toMatchObject({ code: 404 });
    await expect(
      hs.crm.tickets.basicApi.create({
        properties: { subject: 'Again', tp_request_key: 'req-123' },
        associations: [],
      }),
    ).rejects.toMatchObject({ code: 409, body: { category: 'CONFLICT' } });
    await expect(
      hs.crm.tickets.basicApi.getById('x', undefined, undefined, undefined, false, 'subject'),
    ).rejects.toMatchObject({ code: 400 });
  });

  it('should log emails and notes on a ticket, move its activity dates and show them as a thread', async () => {
    const contact = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    const ticket = await hs.crm.tickets.basicApi.create({
      properties: { subject: 'Conversation test' },
      associations: [
        { to: { id: contact.id }, types: [{ associationCategory: HUBSPOT_DEFINED, associationTypeId: 16 }] },
      ],
    });
    const customerAt = new Date(Date.now() - 60_000).toISOString();
    const email = await hs.crm.objects.emails.basicApi.create({
      properties: {
        hs_timestamp: customerAt,
        hs_email_direction: 'INCOMING_EMAIL',
        hs_email_status: 'SENT',
        hs_email_subject: 'Re: Conversation test',
        hs_email_text: 'Any news?',
        hs_email_headers: JSON.stringify({
          from: { email: DEMO_CONTACT_EMAIL, firstName: 'Alex', lastName: 'Morgan' },
          to: [],
          cc: [],
          bcc: [],
        }),
      },
      associations: [
        {
          to: { id: ticket.id },
          types: [
            { associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypeId.emailToTicket },
          ],
        },
        {
          to: { id: contact.id },
          types: [
            { associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypeId.emailToContact },
          ],
        },
      ],
    });
    expectMatchesSpec('emails.json', 'POST', '/crm/v3/objects/emails', 201, rec.last().body);
    expect(email.properties.hs_email_from_email).toBe(DEMO_CONTACT_EMAIL);
    const afterEmail = await hs.crm.tickets.basicApi.getById(ticket.id, [
      'hs_lastactivitydate',
      'last_reply_date',
      'hs_last_message_from_visitor',
    ]);
    expect(afterEmail.properties).toMatchObject({
      hs_lastactivitydate: customerAt,
      last_reply_date: customerAt,
      hs_last_message_from_visitor: 'true',
    });
    expect(Date.parse(afterEmail.properties.hs_lastmodifieddate!)).toBeGreaterThan(
      Date.parse(ticket.properties.hs_lastmodifieddate!) - 1,
    );

    em.staff.replyToCustomer(ticket.id, 'We are on it.');
    const note = await hs.crm.objects.notes.basicApi.create({
      properties: { hs_timestamp: new Date().toISOString(), hs_note_body: '<p>internal only</p>' },
      associations: [
        {
          to: { id: ticket.id },
          types: [
            { associationCategory: HUBSPOT_DEFINED, associationTypeId: AssociationTypeId.noteToTicket },
          ],
        },
      ],
    });
    expectMatchesSpec('notes.json', 'POST', '/crm/v3/objects/notes', 201, rec.last().body);

    const emails = await hs.crm.associations.v4.basicApi.getPage('tickets', ticket.id, 'emails');
    const ids = emails.results.map((r) => String(r.toObjectId));
    expect(ids).toHaveLength(2);
    const read = await hs.crm.objects.emails.batchApi.read({
      inputs: ids.map((id) => ({ id })),
      properties: ['hs_email_direction', 'hs_email_text'],
      propertiesWithHistory: [],
    });
    expectMatchesSpec('emails.json', 'POST', '/crm/v3/objects/emails/batch/read', 200, rec.last().body);
    expect(read.results.map((r) => r.properties.hs_email_direction).sort()).toEqual([
      'EMAIL',
      'INCOMING_EMAIL',
    ]);
    const one = await hs.crm.objects.emails.basicApi.getById(email.id, ['hs_email_text']);
    expectMatchesSpec('emails.json', 'GET', '/crm/v3/objects/emails/{emailId}', 200, rec.last().body);
    expect(one.properties.hs_email_text).toBe('Any news?');
    const readNote = await hs.crm.objects.notes.basicApi.getById(note.id, ['hs_note_body']);
    expect(readNote.properties.hs_note_body).toBe('<p>internal only</p>');
    await expect(
      hs.crm.objects.notes.basicApi.create({
        properties: { hs_note_body: 'no timestamp' },
        associations: [],
      }),
    ).rejects.toMatchObject({ code: 400 });

    const afterReply = await hs.crm.tickets.basicApi.getById(ticket.id, [
      'hs_last_message_sent_at',
      'first_agent_reply_date',
      'hs_last_message_from_visitor',
      'num_notes',
    ]);
    expect(afterReply.properties.hs_last_message_from_visitor).toBe('false');
    expect(afterReply.properties.first_agent_reply_date).toBeTruthy();
    expect(afterReply.properties.num_notes).toBe('1');

    const threads = await hs.apiRequest({
      method: 'GET',
      path: '/conversations/v3/conversations/threads',
      qs: { associatedTicketId: ticket.id, association: 'TICKET' },
    });
    const threadList = (await threads.json()) as {
      results: { id: string; threadAssociations: { associatedTicketId: string } }[];
    };
    expectMatchesSpec(
      'conversationsInboxMessages.json',
      'GET',
      '/conversations/v3/conversations/threads',
      200,
      threadList,
    );
    expect(threadList.results).toHaveLength(1);
    expect(threadList.results[0]!.threadAssociations.associatedTicketId).toBe(ticket.id);
    const messages = await hs.apiRequest({
      method: 'GET',
      path: `/conversations/v3/conversations/threads/${threadList.results[0]!.id}/messages`,
    });
    const messageList = (await messages.json()) as {
      results: { type: string; direction?: string; text: string }[];
    };
    expectMatchesSpec(
      'conversationsInboxMessages.json',
      'GET',
      '/conversations/v3/conversations/threads/{threadId}/messages',
      200,
      messageList,
    );
    expect(messageList.results.map((m) => [m.type, m.direction ?? null])).toEqual([
      ['MESSAGE', 'INCOMING'],
      ['MESSAGE', 'OUTGOING'],
      ['COMMENT', null],
    ]);
  });

  it('should answer 401 with HubSpot’s body for a wrong or missing token', async () => {
    const bad = new Client({ accessToken: 'wrong-token', basePath: em.url });
    await expect(bad.crm.tickets.basicApi.getPage()).rejects.toMatchObject({
      code: 401,
      body: { status: 'error', category: 'INVALID_AUTHENTICATION' },
    });
    const none = await fetch(`${em.url}/crm/v3/objects/tickets`);
    expect(none.status).toBe(401);
    expect(none.headers.get('content-type')).toContain('application/json');
    const body = (await none.json()) as Record<string, unknown>;
    expect(body.message).toMatch(/^Authentication credentials not found/);
    expect(typeof body.correlationId).toBe('string');
  });

  it('should accept a basePath with a trailing slash and v3 association shortcuts', async () => {
    const slash = new Client({ accessToken: em.accessToken, basePath: `${em.url}/` });
    const t = await slash.crm.tickets.basicApi.create({ properties: { subject: 'Slash' }, associations: [] });
    const contact = em.store.contactByEmail(DEMO_CONTACT_EMAIL)!;
    const put = await fetch(
      `${em.url}/crm/v3/objects/tickets/${t.id}/associations/contacts/${contact.id}/16`,
      {
        method: 'PUT',
        headers: { Authorization: `Bearer ${em.accessToken}` },
      },
    );
    expect(put.status).toBe(200);
    expect(em.store.associatedIds(em.store.get('tickets', t.id)!, 'contacts')).toEqual([contact.id]);
    const del = await fetch(
      `${em.url}/crm/v3/objects/tickets/${t.id}/associations/contacts/${contact.id}/16`,
      {
        method: 'DELETE',
        headers: { Authorization: `Bearer ${em.accessToken}` },
      },
    );
    expect(del.status).toBe(204);
    expect(em.store.associatedIds(em.store.get('tickets', t.id)!, 'contacts')).toEqual([]);
  });

  it('should answer 400, never 500, to malformed JSON and unknown routes with 404', async () => {
    const res = await fetch(`${em.url}/crm/v3/objects/tickets`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${em.accessToken}`, 'Content-Type': 'application/json' },
      body: '{"properties": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/Invalid input JSON/);
    const notArray = await fetch(`${em.url}/crm/v3/objects/tickets/batch/read`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${em.accessToken}`, 'Content-Type': 'application/json' },
      body: '{"inputs": 5}',
    });
    expect(notArray.status).toBe(400);
    const unknown = await fetch(`${em.url}/crm/v3/objects/deals/1/2/3/4/5/6/7`, {
      headers: { Authorization: `Bearer ${em.accessToken}` },
    });
    expect(unknown.status).toBe(404);
  });
});
