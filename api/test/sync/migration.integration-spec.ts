import { type DataSource } from 'typeorm';
import { CreateTicketMirror1763940000000 } from '../../src/database/migrations/1763940000000-create-ticket-mirror';
import { createSyncTestDatabase, dropDatabase, uniqueDatabaseName } from './helpers/sync-test-db';

describe(CreateTicketMirror1763940000000.name, () => {
  let dataSource: DataSource;
  const database = uniqueDatabaseName('migration');

  beforeAll(async () => {
    dataSource = await createSyncTestDatabase(database);
  });

  afterAll(async () => {
    await dataSource.destroy();
    await dropDatabase(database);
  });

  it('should create the mirror tables and drop them again when reverted', async () => {
    const tables = async (): Promise<string[]> =>
      (await dataSource.query<Array<Record<string, string>>>('SHOW TABLES')).map((r) => Object.values(r)[0]!);
    expect(await tables()).toEqual(
      expect.arrayContaining(['tickets', 'ticket_messages', 'owners', 'sync_state']),
    );
    // Later migrations are reverted first; each must leave the schema the earlier one expects.
    const customerColumns = async (): Promise<string[]> =>
      (await dataSource.query<Array<{ Field: string }>>('SHOW COLUMNS FROM customers')).map((r) => r.Field);
    expect(await customerColumns()).toEqual(
      expect.arrayContaining(['hubspot_contact_id', 'hubspot_company_id']),
    );
    const ticketKeys = async (): Promise<string[]> =>
      (await dataSource.query<Array<{ Key_name: string }>>('SHOW INDEX FROM tickets')).map((r) => r.Key_name);
    expect(await ticketKeys()).toContain('idx_tickets_company_activity');
    // Migrations after the list indexes (more indexes, the request outbox) go first.
    const executed = async (): Promise<string[]> =>
      (await dataSource.query<Array<{ name: string }>>('SELECT name FROM migrations ORDER BY id')).map(
        (r) => r.name,
      );
    while ((await executed()).at(-1) !== 'TicketListIndexes1763950000000') {
      await dataSource.undoLastMigration();
    }
    await dataSource.undoLastMigration();
    expect(await ticketKeys()).not.toContain('idx_tickets_company_activity');
    expect(await ticketKeys()).toEqual(
      expect.arrayContaining(['idx_tickets_company', 'idx_tickets_contact']),
    );
    await dataSource.undoLastMigration();
    expect(await customerColumns()).not.toContain('hubspot_contact_id');
    await dataSource.undoLastMigration();
    expect(await tables()).not.toContain('tickets');
    await dataSource.runMigrations();
    expect(await tables()).toContain('tickets');
    expect(await customerColumns()).toContain('hubspot_contact_id');
    expect(await ticketKeys()).toContain('idx_tickets_company_activity');
  });
});
