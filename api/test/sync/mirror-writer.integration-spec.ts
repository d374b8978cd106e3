import { type DataSource } from 'typeorm';
import { type HsTicket } from '../../src/hubspot/hubspot.types';
import { MirrorWriter } from '../../src/sync/mirror-writer.service';
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
  const database = uniqueDatabaseName('ticket_portal_sync_writer_test');
  let db: DataSource;
  let writer: MirrorWriter;
  const subjectOf = async (id: string) =>
    (await db.query<Array<{ subject: string }>>('SELECT subject FROM tickets WHERE hubspot_id = ?', [id]))[0]
      ?.subject;

  beforeAll(async () => {
    db = await createSyncTestDatabase(database);
    writer = new MirrorWriter(db);
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
      { hubspot_id: '7006', owner_name: 'Ada Lovelace', stage_label: 'Done', is_closed: 1 },
    ]);
  });
});
