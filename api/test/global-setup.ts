import 'reflect-metadata';
import { createConnection } from 'mysql2/promise';
import { runMigrations } from '../src/database/migrate';
import { testConfig } from './helpers/test-config';

// A fresh, migrated ticket_portal_test for every run (tables are truncated between tests).
export default async function globalSetup(): Promise<void> {
  const config = testConfig();
  const { host, port, username, password, database } = config.database;
  const connection = await createConnection({ host, port, user: username, password });
  try {
    await connection.query(`DROP DATABASE IF EXISTS \`${database}\``);
  } finally {
    await connection.end();
  }
  await runMigrations(config);
}
