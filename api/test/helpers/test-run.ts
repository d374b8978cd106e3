import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { parseDatabaseUrl } from '../../src/config/app-config';

// One run of the integration project gets a database and a Redis key prefix of its own, so it never
// meets another run, a demo (`npm start`) or an e2e stack on the same MariaDB and Redis: the global
// setup creates `<base>_<run id>` and migrates it, the teardown drops it and deletes the prefix's keys.
// A run that crashed leaves both behind; the next setup removes what is older than a day.
//
// TEST_DATABASE_URL names the server and the base name (default ticket_portal_test);
// TEST_REDIS_URL the Redis (default logical DB 1). The run id reaches the suites as TEST_RUN_ID.

export const TEST_BASE_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/ticket_portal_test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1';
/** Databases and keys of runs older than this are a crashed run's leftovers. */
export const STALE_AFTER_MS = 24 * 3600_000;
/** Redis key prefixes of test runs start with this (QUEUE_PREFIX `tpt<run id>`). */
export const RUN_PREFIX_START = 'tpt';

/** 8 base-36 digits of the start time (sortable, parseable) and 4 random hex digits. */
export function newRunId(now = Date.now()): string {
  return `${now.toString(36).padStart(8, '0')}${randomBytes(2).toString('hex')}`;
}

const RUN_ID = /^([0-9a-z]{8})[0-9a-f]{4}$/;

/** When the run began, from its id (NaN when `id` is not a run id). */
export function runStartedAt(id: string): number {
  const match = RUN_ID.exec(id);
  return match ? parseInt(match[1]!, 36) : NaN;
}

export interface TestRun {
  id: string;
  /** The run's database, e.g. ticket_portal_test_mbx3k2ab9f3c. */
  database: string;
  databaseUrl: string;
  /** QUEUE_PREFIX of the run: every Redis key of its stacks starts with `<prefix>:`. */
  queuePrefix: string;
  redisUrl: string;
}

export function baseDatabase(): { server: URL; base: string } {
  const target = parseDatabaseUrl(TEST_BASE_DATABASE_URL);
  if (!target) throw new Error(`TEST_DATABASE_URL is not a mysql:// URL with a database name`);
  return { server: new URL(TEST_BASE_DATABASE_URL), base: target.database };
}

export function testRun(id: string): TestRun {
  const { server, base } = baseDatabase();
  const database = `${base}_${id}`;
  const url = new URL(server.toString());
  url.pathname = `/${database}`;
  return {
    id,
    database,
    databaseUrl: url.toString(),
    queuePrefix: `${RUN_PREFIX_START}${id}`,
    redisUrl: TEST_REDIS_URL,
  };
}

/** The run the suites belong to (set by the global setup). */
export function currentRun(): TestRun {
  const id = process.env.TEST_RUN_ID;
  if (!id || !RUN_ID.test(id)) {
    throw new Error(
      'TEST_RUN_ID is not set: run integration specs through Jest (`npx jest test/…` from api/), whose global setup creates the run database',
    );
  }
  return testRun(id);
}

async function serverConnection() {
  const { server } = baseDatabase();
  const target = parseDatabaseUrl(server.toString())!;
  return createConnection({
    host: target.host,
    port: target.port,
    user: target.username,
    password: target.password,
  });
}

/** Names of the run's databases: its own and the ones its suites made beside it (`<database>_…`). */
async function databasesOf(predicate: (runId: string) => boolean): Promise<string[]> {
  const { base } = baseDatabase();
  const connection = await serverConnection();
  try {
    const [rows] = await connection.query(`SHOW DATABASES LIKE ?`, [`${base.replace(/_/g, '\\_')}\\_%`]);
    const names = (rows as Array<Record<string, string>>).map((row) => Object.values(row)[0]!);
    const pattern = new RegExp(`^${base}_([0-9a-z]{12})(?:_.*)?$`);
    return names.filter((name) => {
      const id = pattern.exec(name)?.[1];
      return id !== undefined && RUN_ID.test(id) && predicate(id);
    });
  } finally {
    await connection.end();
  }
}

export async function dropDatabases(names: readonly string[]): Promise<void> {
  if (names.length === 0) return;
  const connection = await serverConnection();
  try {
    for (const name of names) await connection.query(`DROP DATABASE IF EXISTS \`${name}\``);
  } finally {
    await connection.end();
  }
}

/** Deletes every key whose prefix passes `predicate` (SCAN + DEL; never FLUSHDB: others share it). */
export async function deleteRunKeys(
  pattern: string,
  predicate: (key: string) => boolean = () => true,
): Promise<number> {
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let removed = 0;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      const doomed = keys.filter(predicate);
      if (doomed.length > 0) removed += await redis.del(...doomed);
    } while (cursor !== '0');
    return removed;
  } finally {
    redis.disconnect();
  }
}

/** A crashed run's database(s) and Redis keys, older than STALE_AFTER_MS. */
export async function removeStaleRuns(now = Date.now()): Promise<void> {
  const stale = (id: string): boolean => now - runStartedAt(id) > STALE_AFTER_MS;
  await dropDatabases(await databasesOf(stale));
  await deleteRunKeys(`${RUN_PREFIX_START}*`, (key) => {
    const id = key.slice(RUN_PREFIX_START.length, RUN_PREFIX_START.length + 12);
    return RUN_ID.test(id) && stale(id);
  });
}

/** Everything the run left: its databases and every key under its prefix (and its suites' sub-prefixes). */
export async function removeRun(run: TestRun): Promise<void> {
  await dropDatabases(await databasesOf((id) => id === run.id));
  await deleteRunKeys(`${run.queuePrefix}*`);
}
