// One run of a test suite that starts the stack (the e2e global setup) gets a database and a Redis
// key prefix of its own: `<base>_<run id>` and `<prefix start><run id>`. Runs beside each other, a
// demo (`npm start`) and other suites on the same MariaDB and Redis never meet. A run drops both at
// its end; a run that crashed is cleaned up by a later one once it is a day old.
// (api/test/helpers/test-run.ts does the same for the api's Jest integration project.)
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';

export const STALE_AFTER_MS = 24 * 3600_000;
const RUN_ID = /^([0-9a-z]{8})[0-9a-f]{4}$/;

/** 8 base-36 digits of the start time and 4 random hex digits. */
export function newRunId(now = Date.now()): string {
  return `${now.toString(36).padStart(8, '0')}${randomBytes(2).toString('hex')}`;
}

export function runStartedAt(id: string): number {
  const match = RUN_ID.exec(id);
  return match ? parseInt(match[1]!, 36) : NaN;
}

export interface SuiteRun {
  id: string;
  databaseUrl: string;
  database: string;
  queuePrefix: string;
}

/** The run's database beside `baseDatabaseUrl`'s (same server, `<name>_<id>`) and its QUEUE_PREFIX. */
export function suiteRun(baseDatabaseUrl: string, prefixStart: string, id = newRunId()): SuiteRun {
  const url = new URL(baseDatabaseUrl);
  const database = `${decodeURIComponent(url.pathname.replace(/^\//, ''))}_${id}`;
  url.pathname = `/${database}`;
  return { id, databaseUrl: url.toString(), database, queuePrefix: `${prefixStart}${id}` };
}

async function server(databaseUrl: string) {
  const url = new URL(databaseUrl);
  return createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  });
}

/** Drops the databases `<base>_<run id>[_…]` whose run passes `doomed`. */
async function dropRunDatabases(baseDatabaseUrl: string, doomed: (id: string) => boolean): Promise<void> {
  const base = decodeURIComponent(new URL(baseDatabaseUrl).pathname.replace(/^\//, ''));
  const db = await server(baseDatabaseUrl);
  try {
    const [rows] = await db.query('SHOW DATABASES LIKE ?', [`${base.replace(/_/g, '\\_')}\\_%`]);
    const pattern = new RegExp(`^${base}_([0-9a-z]{12})(?:_.*)?$`);
    for (const row of rows as Array<Record<string, string>>) {
      const name = Object.values(row)[0]!;
      const id = pattern.exec(name)?.[1];
      if (id && RUN_ID.test(id) && doomed(id)) await db.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
  } finally {
    await db.end();
  }
}

/** Deletes the keys matching `pattern` that pass `doomed` (SCAN + DEL: never FLUSHDB, others share the DB). */
async function deleteKeys(
  redisUrl: string,
  pattern: string,
  doomed: (key: string) => boolean,
): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      const matched = keys.filter(doomed);
      if (matched.length > 0) await redis.del(...matched);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

/** Removes what crashed runs left (older than STALE_AFTER_MS): databases and Redis keys. */
export async function removeStaleRuns(
  baseDatabaseUrl: string,
  redisUrl: string,
  prefixStart: string,
  now = Date.now(),
): Promise<void> {
  const stale = (id: string): boolean => now - runStartedAt(id) > STALE_AFTER_MS;
  await dropRunDatabases(baseDatabaseUrl, stale);
  await deleteKeys(redisUrl, `${prefixStart}*`, (key) => {
    const id = key.slice(prefixStart.length, prefixStart.length + 12);
    return RUN_ID.test(id) && stale(id);
  });
}

/** Drops the run's database(s) and deletes its Redis keys. */
export async function removeRun(baseDatabaseUrl: string, redisUrl: string, run: SuiteRun): Promise<void> {
  await dropRunDatabases(baseDatabaseUrl, (id) => id === run.id);
  await deleteKeys(redisUrl, `${run.queuePrefix}:*`, () => true);
}
