import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions } from 'typeorm';
import { ENTITIES } from '../../../src/database/entities';
import { MIGRATIONS } from '../../../src/database/migrations';
import { CreateTicketMirror1763940000000 } from '../../../src/database/migrations/1763940000000-create-ticket-mirror';
import { SyncState } from '../../../src/sync/sync-state.entity';
import { parseDatabaseUrl } from '../../../src/config/app-config';
import { currentRun } from '../../helpers/test-run';

// Each sync harness gets a database of its own beside the run's (`<run database>_s<random>`): it
// drops and recreates it freely, and the run's teardown (or a later run, after a crash) drops it.
export const SYNC_TEST_DATABASE = `${currentRun().database}_sync`;

/** `<run database>_<label><random>`, e.g. ticket_portal_test_mbx3k2ab9f3c_writer123456. */
export function uniqueDatabaseName(label = 'sync'): string {
  return `${currentRun().database}_${label}${Math.floor(Math.random() * 1e6)}`;
}

// The server of TEST_DATABASE_URL (the run's database lives there too).
const SERVER = parseDatabaseUrl(currentRun().databaseUrl)!;
const serverConnection = () =>
  createConnection({
    host: SERVER.host,
    port: SERVER.port,
    user: SERVER.username,
    password: SERVER.password,
  });

const uniq = <T>(items: T[]): T[] => [...new Set(items)];

export function syncTestDataSourceOptions(database = SYNC_TEST_DATABASE): DataSourceOptions {
  const migrations = MIGRATIONS.some((m) => m === CreateTicketMirror1763940000000)
    ? MIGRATIONS
    : [...MIGRATIONS, CreateTicketMirror1763940000000];
  return {
    type: 'mysql',
    host: SERVER.host,
    port: SERVER.port,
    username: SERVER.username,
    password: SERVER.password,
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
  const connection = await serverConnection();
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
  const connection = await serverConnection();
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
