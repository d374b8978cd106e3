import { type DataSource } from 'typeorm';
import { type HsMessage, type HsTicket } from '../../src/hubspot/hubspot.types';
import { AttachmentsRepository } from '../../src/repositories/attachments.repository';
import { CompaniesRepository } from '../../src/repositories/companies.repository';
import { ContactsRepository } from '../../src/repositories/contacts.repository';
import { CustomerLinksRepository } from '../../src/repositories/customer-links.repository';
import { OwnersRepository } from '../../src/repositories/owners.repository';
import { PipelinesRepository } from '../../src/repositories/pipelines.repository';
import { TicketMessagesRepository } from '../../src/repositories/ticket-messages.repository';
import { TicketsRepository } from '../../src/repositories/tickets.repository';
import { MirrorWriter } from '../../src/sync/mirror-writer.service';
import { testConfig } from '../helpers/test-config';
import { createSyncTestDatabase, dropDatabase, uniqueDatabaseName } from './helpers/sync-test-db';

const at = (iso: string) => new Date(iso);

function snapshot(overrides: Partial<HsTicket> = {}): HsTicket {
  return {
    id: '7001',
    subject: 'v1',
    content: null,
    pipelineId: '0',
    stageId: '1',
    priority: null,
    category: null,
    ownerId: '11',
    createdAt: at('2026-01-01T00:00:00.000Z'),
    lastActivityAt: at('2026-01-02T00:00:00.000Z'),
    lastModifiedAt: at('2026-01-02T00:00:00.000Z'),
    closedAt: null,
    requestKey: null,
    contactIds: [],
    companyIds: [],
    ...overrides,
  };
}

describe(MirrorWriter.name, () => {
  const database = uniqueDatabaseName('writer');
  let db: DataSource;
  let writer: MirrorWriter;
  const subjectOf = async (id: string) =>
    (await db.query<Array<{ subject: string }>>('SELECT subject FROM tickets WHERE hubspot_id = ?', [id]))[0]
      ?.subject;

  beforeAll(async () => {
    db = await createSyncTestDatabase(database);
    writer = new MirrorWriter(
      db,
      new TicketsRepository(db),
      new TicketMessagesRepository(db),
      new ContactsRepository(db),
      new CompaniesRepository(db),
      new OwnersRepository(db),
      new PipelinesRepository(db),
      new CustomerLinksRepository(db),
      new AttachmentsRepository(db),
    );
    await writer.upsertOwners([
      { id: '11', firstName: 'Ada', lastName: 'King', email: 'ada@x.example', archived: false },
    ]);
    await writer.upsertPipelines([
      {
        id: '0',
        label: 'Support',
        displayOrder: 0,
        archived: false,
        stages: [
          { id: '1', label: 'New', displayOrder: 0, ticketState: 'OPEN' },
          { id: '4', label: 'Closed', displayOrder: 3, ticketState: 'CLOSED' },
        ],
      },
    ]);
  });

  afterAll(async () => {
    await db.destroy();
    await dropDatabase(database);
  });

  it('should never let an older snapshot overwrite a newer row, and accept the same version again', async () => {
    const newer = snapshot({ id: '7002', subject: 'newer', lastModifiedAt: at('2026-02-01T00:00:00.000Z') });
    const older = snapshot({ id: '7002', subject: 'older', lastModifiedAt: at('2026-01-15T00:00:00.000Z') });
    expect((await writer.upsertTickets([newer], new Date())).advanced).toEqual(['7002']);
    const late = await writer.upsertTickets([older], new Date());
    expect(late.stale).toEqual(['7002']);
    expect(await subjectOf('7002')).toBe('newer');
    const again = await writer.upsertTickets([{ ...newer, subject: 'same version, fixed copy' }], new Date());
    expect(again.advanced).toEqual([]);
    expect(await subjectOf('7002')).toBe('same version, fixed copy');
  });

  it('should not resurrect a ticket from a snapshot read before its deletion was seen, but restore one read after', async () => {
    const readBefore = new Date(Date.now() - 1000);
    await writer.upsertTickets([snapshot({ id: '7003' })], readBefore);
    expect(await writer.deleteTickets(['7003'], new Date())).toBe(1);
    const slow = await writer.upsertTickets(
      [snapshot({ id: '7003', lastModifiedAt: at('2026-03-01T00:00:00.000Z') })],
      readBefore,
    );
    expect(slow.tombstoned).toEqual(['7003']);
    expect(await subjectOf('7003')).toBeUndefined();
    const restored = await writer.upsertTickets(
      [snapshot({ id: '7003', subject: 'restored' })],
      new Date(Date.now() + 10),
    );
    expect(restored.tombstoned).toEqual([]);
    expect(await subjectOf('7003')).toBe('restored');
  });

  it("should give a portal request's local row its HubSpot id when HubSpot's copy shows up first", async () => {
    const now = new Date();
    await db.query(
      "INSERT INTO tickets (subject, is_closed, created_at, last_activity_at, sync_state, request_key, created_by_customer_id, updated_at) VALUES ('Mine', 0, ?, ?, 'pending', 'rk-1', 'cust-1', ?)",
      [now, now, now],
    );
    await writer.upsertTickets([snapshot({ id: '7004', subject: 'Mine', requestKey: 'rk-1' })], new Date());
    const rows = await db.query<
      Array<{ hubspot_id: string; sync_state: string; created_by_customer_id: string }>
    >("SELECT hubspot_id, sync_state, created_by_customer_id FROM tickets WHERE request_key = 'rk-1'");
    expect(rows).toEqual([{ hubspot_id: '7004', sync_state: 'synced', created_by_customer_id: 'cust-1' }]);
  });

  it('should keep a reply delivered after the conversation was read from HubSpot, and drop it once a later read lacks it', async () => {
    await writer.upsertTickets([snapshot({ id: '7010' })], new Date());
    const [ticket] = await db.query<Array<{ id: number }>>(
      "SELECT id FROM tickets WHERE hubspot_id = '7010'",
    );
    const support: HsMessage = {
      id: 'e-1',
      ticketId: '7010',
      direction: 'agent',
      authorName: 'Ada King',
      authorEmail: 'ada@x.example',
      subject: null,
      text: 'Could you send the file name?',
      html: null,
      createdAt: at('2026-01-02T00:00:00.000Z'),
      requestKey: null,
      attachments: [],
    };
    const texts = async () =>
      (
        await db.query<Array<{ text: string }>>(
          'SELECT text FROM ticket_messages WHERE ticket_id = ? ORDER BY created_at, id',
          [ticket!.id],
        )
      ).map((row) => row.text);
    // A read of HubSpot begins; meanwhile the customer's reply is delivered and takes HubSpot's id.
    const readStartedAt = new Date(Date.now() - 1000);
    const deliveredAt = new Date();
    const messages = new TicketMessagesRepository(db);
    await db.transaction(async (m) => {
      const replyId = await messages.insertReply(m, {
        ticketId: ticket!.id,
        authorName: 'Alex Morgan',
        authorEmail: 'alex@x.example',
        text: 'It is cue-sheet-4.xlsx.',
        requestKey: 'reply-rk-1',
        customerId: 'cust-1',
        now: deliveredAt,
      });
      await messages.markDelivered(m, replyId, 'e-2', deliveredAt);
    });

    // That read's list predates the reply: it must not take the reply away.
    await writer.replaceConversation('7010', [support], readStartedAt);
    expect(await texts()).toEqual(['Could you send the file name?', 'It is cue-sheet-4.xlsx.']);

    // A read that began after the delivery and still lacks it: HubSpot no longer has the reply.
    await writer.replaceConversation('7010', [support], new Date(deliveredAt.getTime() + 1));
    expect(await texts()).toEqual(['Could you send the file name?']);
  });

  it('should rewrite the copied owner name and stage label on every ticket when they change', async () => {
    await writer.upsertTickets(
      [snapshot({ id: '7005' }), snapshot({ id: '7006', stageId: '4' })],
      new Date(),
    );
    await writer.upsertOwners([
      { id: '11', firstName: 'Ada', lastName: 'Lovelace', email: 'ada@x.example', archived: true },
    ]);
    await writer.upsertPipelines([
      {
        id: '0',
        label: 'Support',
        displayOrder: 0,
        archived: false,
        stages: [
          { id: '1', label: 'Fresh', displayOrder: 0, ticketState: 'OPEN' },
          { id: '4', label: 'Done', displayOrder: 3, ticketState: 'CLOSED' },
        ],
      },
    ]);
    const rows = await db.query<
      Array<{ hubspot_id: string; owner_name: string; stage_label: string; is_closed: number }>
    >(
      "SELECT hubspot_id, owner_name, stage_label, is_closed FROM tickets WHERE hubspot_id IN ('7005', '7006') ORDER BY hubspot_id",
    );
    expect(rows).toEqual([
      { hubspot_id: '7005', owner_name: 'Ada Lovelace', stage_label: 'Fresh', is_closed: 0 },
      // Customers read every closed stage as "Closed" unless PORTAL_STATUS_LABELS says otherwise.
      { hubspot_id: '7006', owner_name: 'Ada Lovelace', stage_label: 'Closed', is_closed: 1 },
    ]);
  });

  it('should copy what customers read and its kind, and follow a new PORTAL_STATUS_LABELS at the next pipeline refresh', async () => {
    const pipeline = {
      id: '0',
      label: 'Support',
      displayOrder: 0,
      archived: false,
      stages: [
        { id: '1', label: 'New', displayOrder: 0, ticketState: 'OPEN' as const },
        { id: '2', label: 'Waiting on contact', displayOrder: 1, ticketState: 'OPEN' as const },
        { id: '3', label: 'Waiting on us', displayOrder: 2, ticketState: 'OPEN' as const },
        { id: '4', label: 'Closed', displayOrder: 3, ticketState: 'CLOSED' as const },
      ],
    };
    await writer.upsertPipelines([pipeline]);
    await writer.upsertTickets(
      ['1', '2', '3', '4'].map((stageId, i) => snapshot({ id: `710${i}`, stageId })),
      new Date(),
    );
    const read = () =>
      db.query<Array<{ hubspot_id: string; stage_label: string; status_kind: string }>>(
        "SELECT hubspot_id, stage_label, status_kind FROM tickets WHERE hubspot_id LIKE '710_' ORDER BY hubspot_id",
      );
    expect(await read()).toEqual([
      { hubspot_id: '7100', stage_label: 'New', status_kind: 'new' },
      { hubspot_id: '7101', stage_label: 'Awaiting your reply', status_kind: 'awaiting_customer' },
      { hubspot_id: '7102', stage_label: 'In progress', status_kind: 'in_progress' },
      { hubspot_id: '7103', stage_label: 'Closed', status_kind: 'closed' },
    ]);

    // The operator maps two stages; nothing changed in HubSpot, yet the next refresh relabels the tickets.
    const configured = new MirrorWriter(
      db,
      new TicketsRepository(db),
      new TicketMessagesRepository(db),
      new ContactsRepository(db),
      new CompaniesRepository(db),
      new OwnersRepository(db),
      new PipelinesRepository(db),
      new CustomerLinksRepository(db),
      new AttachmentsRepository(db),
      undefined,
      {
        ...testConfig(),
        portalStatusLabels: new Map([
          ['2', { label: 'Your turn' }],
          ['0/3', { label: 'Looking into it', kind: 'awaiting_customer' as const }],
          ['4', { label: 'Solved' }],
        ]),
      },
    );
    expect(await configured.upsertPipelines([pipeline])).toEqual([
      { pipelineId: '0', stageId: '2' },
      { pipelineId: '0', stageId: '3' },
      { pipelineId: '0', stageId: '4' },
    ]);
    expect(await read()).toEqual([
      { hubspot_id: '7100', stage_label: 'New', status_kind: 'new' },
      { hubspot_id: '7101', stage_label: 'Your turn', status_kind: 'awaiting_customer' },
      { hubspot_id: '7102', stage_label: 'Looking into it', status_kind: 'awaiting_customer' },
      { hubspot_id: '7103', stage_label: 'Solved', status_kind: 'closed' },
    ]);
    // A snapshot written under the mapping gets the same.
    await configured.upsertTickets(
      [snapshot({ id: '7101', stageId: '2', lastModifiedAt: at('2026-03-01T00:00:00.000Z') })],
      new Date(),
    );
    expect((await read())[1]).toEqual({
      hubspot_id: '7101',
      stage_label: 'Your turn',
      status_kind: 'awaiting_customer',
    });
    // Back to the defaults.
    await writer.upsertPipelines([pipeline]);
    expect((await read()).map((r) => r.stage_label)).toEqual([
      'New',
      'Awaiting your reply',
      'In progress',
      'Closed',
    ]);
  });

  describe('contacts and the portal accounts linked to them', () => {
    const contact = (id: string, companyId: string | null) => ({
      id,
      email: `${id}@people.example`,
      firstName: 'Pat',
      lastName: `Person ${id}`,
      companyIds: companyId ? [companyId] : [],
      primaryCompanyId: companyId,
      companyScope: false,
    });
    const account = async (contactId: string, companyId: string | null): Promise<string> => {
      const id = `00000000-0000-4000-8000-${contactId.padStart(12, '0')}`;
      await db.query(
        `INSERT INTO customers (id, email, password_hash, confirmed_at, hubspot_contact_id, hubspot_company_id, created_at, updated_at)
         VALUES (?, ?, 'x', NOW(3), ?, ?, NOW(3), NOW(3))`,
        [id, `${contactId}@people.example`, contactId, companyId],
      );
      return id;
    };
    const linkOf = async (customerId: string) =>
      (
        await db.query<Array<{ contact: string | null; company: string | null }>>(
          'SELECT hubspot_contact_id AS contact, hubspot_company_id AS company FROM customers WHERE id = ?',
          [customerId],
        )
      )[0];

    it('should move the linked account with its contact, and never back on a read that started earlier', async () => {
      const customer = await account('8101', 'C1');
      const earlier = new Date(Date.now() - 5000);
      const later = new Date();
      await writer.upsertContacts([contact('8101', 'C2')], later);
      expect(await linkOf(customer)).toEqual({ contact: '8101', company: 'C2' });
      // A slow read (started before the one above) arrives last: the company it saw is history.
      await writer.upsertContacts([contact('8101', 'C1')], earlier);
      expect(await linkOf(customer)).toEqual({ contact: '8101', company: 'C2' });
      // The reconcile's association re-check likewise: an older read changes nothing, a newer one does.
      expect(await writer.updateContactCompanies(new Map([['8101', 'C1']]), earlier)).toEqual([]);
      expect(await writer.updateContactCompanies(new Map([['8101', null]]), new Date())).toEqual([customer]);
      expect(await linkOf(customer)).toEqual({ contact: '8101', company: null });
    });

    it('should unlink the accounts of contacts HubSpot no longer has, unless a later read saw the contact', async () => {
      const gone = await account('8201', 'C1');
      const back = await account('8202', 'C1');
      const observedAt = new Date(Date.now() - 5000);
      await writer.upsertContacts([contact('8201', 'C1')], observedAt);
      await writer.upsertContacts([contact('8202', 'C1')], new Date());
      expect(await writer.forgetContacts(['8201', '8202'], observedAt)).toEqual([gone]);
      expect(await linkOf(gone)).toEqual({ contact: null, company: null });
      expect(await db.query('SELECT id FROM contacts WHERE id = ?', ['8201'])).toEqual([]);
      expect(await linkOf(back)).toEqual({ contact: '8202', company: 'C1' });
    });
  });
});
