import { createConnection } from 'mysql2/promise';
import type { DatabaseTarget } from '../config/app-config';

// Creates the database named in DATABASE_URL when it does not exist yet.
export async function ensureDatabase(target: DatabaseTarget): Promise<void> {
  const connection = await createConnection({
    host: target.host,
    port: target.port,
    user: target.username,
    password: target.password,
  });
  try {
    // The name was checked against [A-Za-z0-9_] when the config was loaded.
    await connection.query(
      `CREATE DATABASE IF NOT EXISTS \`${target.database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
    );
  } finally {
    await connection.end();
  }
}
