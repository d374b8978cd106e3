import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from '../../../src/database/entities';
import { MIGRATIONS } from '../../../src/database/migrations';
import { CreateTicketMirror1763940000000 } from '../../../src/database/migrations/1763940000000-create-ticket-mirror';
import { SyncState } from '../../../src/sync/sync-state.entity';

// The sync suites use their own databases until the mirror migration is listed in
// migrations/index.ts (then ticket_portal_test from the global setup would do). Each run gets its own
// name, so two people running the suites at once cannot drop each other's tables.
export const SYNC_TEST_DATABASE = 'ticket_portal_sync_test';

export function uniqueDatabaseName(base = SYNC_TEST_DATABASE): string {
  return `${base}_${process.pid}_${Math.floor(Math.random() * 1e6)}`;
}

const uniq = <T>(items: T[]): T[] => [...new Set(items)];

export function syncTestDataSourceOptions(database = SYNC_TEST_DATABASE): DataSourceOptions {
  const migrations = MIGRATIONS.some((m) => m === CreateTicketMirror1763940000000)
    ? MIGRATIONS
    : [...MIGRATIONS, CreateTicketMirror1763940000000];
  return {
    type: 'mysql',
    host: '127.0.0.1',
    port: 3306,
    username: 'root',
    password: '',
    database,
    charset: 'utf8mb4_unicode_ci',
    timezone: 'Z',
    entities: uniq([...ENTITIES, SyncState]),
    migrations,
    migrationsTableName: 'migrations',
    synchronize: false,
    logging: ['error'],
    extra: { connectionLimit: 10 },
  };
}

/** Drops and recreates the sync test database, then runs every migration (the mirror's included). */
export async function createSyncTestDatabase(database = SYNC_TEST_DATABASE): Promise<DataSource> {
  const connection = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await connection.query(
      `CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
  const dataSource = new DataSource(syncTestDataSourceOptions(database));
  await dataSource.initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  return dataSource;
}

const MIRROR_TABLES = [
  'ticket_messages',
  'tickets',
  'ticket_tombstones',
  'contacts',
  'companies',
  'owners',
  'pipeline_stages',
  'pipelines',
  'sync_state',
];

export async function dropDatabase(database: string): Promise<void> {
  const connection = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
}

export async function truncateMirror(dataSource: DataSource): Promise<void> {
  await dataSource.query('SET FOREIGN_KEY_CHECKS = 0');
  try {
    for (const table of MIRROR_TABLES) await dataSource.query(`TRUNCATE TABLE ${table}`);
  } finally {
    await dataSource.query('SET FOREIGN_KEY_CHECKS = 1');
  }
}
