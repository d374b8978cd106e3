import 'reflect-metadata';
import { type Emulator, type EmulatorOptions, startEmulator } from '@ticket-portal/hubspot-emulator';
import { type CaughtMail, type MailCatcher, startMailCatcher } from '@ticket-portal/mail-catcher';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createConnection, type Connection } from 'mysql2/promise';
import { createHttpApp, type HttpAppHandle } from '../../src/app-factory';
import { createAccount } from '../../src/cli/create-account';
import type { AppConfig } from '../../src/config/app-config';
import { DEPLOYMENT_KEY_PART } from '../../src/queues/deployment-guard';
import { QueueName } from '../../src/queues/queue.constants';
import { queueOptions } from '../../src/queues/queues.module';
import { RedisKeys } from '../../src/queues/redis-keys';
import { createWorker, type WorkerHandle } from '../../src/worker-factory';
import {
  testConfig,
  TEST_DATABASE_URL,
  TEST_PORTAL_ORIGIN,
  TEST_QUEUE_PREFIX,
  TEST_REDIS_URL,
} from './test-config';
import { waitFor } from './wait-for';

export interface ApiResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface TestStack {
  config: AppConfig;
  api: HttpAppHandle;
  worker: WorkerHandle;
  mail: MailCatcher;
  db: Connection;
  redis: Redis;
  /** The run's Redis keys (QUEUE_PREFIX tpt<run id>): `stack.keys.key('rl', …)`. */
  keys: RedisKeys;
  /** The HubSpot emulator the stack talks to (useTestStack({ emulator })); throws when there is none. */
  emulator: Emulator;
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: {
      body?: unknown;
      raw?: string;
      headers?: Record<string, string>;
      token?: string;
      /**
       * How long to wait for the answer (10 s by default). A request a test holds in flight on
       * purpose passes what that test allows itself, so only the test's own timeout ends it.
       */
      timeoutMs?: number;
    },
  ): Promise<ApiResponse<T>>;
  /** Rows of a query on the run's database. */
  query<T>(sql: string, params?: unknown[]): Promise<T[]>;
  /** A BullMQ queue of this stack (its connection and prefix), closed with the stack. */
  queue(name: QueueName): Queue;
  /** Empties every table, the run's Redis keys (the deployment claim stays) and the inbox. */
  reset(): Promise<void>;
  /** Deletes the run's Redis keys, as a Redis that lost its data would (never FLUSHDB: others share it). */
  clearRedis(): Promise<void>;
  close(): Promise<void>;
}

/** Every table of the run's database but the migrations' own, emptied (foreign keys off meanwhile). */
export async function emptyTables(db: Connection): Promise<void> {
  const [rows] = await db.query(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' AND table_name <> 'migrations'",
  );
  await db.query('SET FOREIGN_KEY_CHECKS = 0');
  try {
    for (const { name } of rows as Array<{ name: string }>) await db.query(`TRUNCATE TABLE \`${name}\``);
  } finally {
    await db.query('SET FOREIGN_KEY_CHECKS = 1');
  }
}

/** Deletes the keys under `keys.prefix` (SCAN + DEL), except the deployment claim when `keepClaim`. */
export async function deleteKeys(redis: Redis, keys: RedisKeys, keepClaim = true): Promise<void> {
  const claim = keys.key(DEPLOYMENT_KEY_PART);
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', keys.pattern(), 'COUNT', 1000);
    cursor = next;
    const doomed = keepClaim ? found.filter((key) => key !== claim) : found;
    if (doomed.length > 0) await redis.del(...doomed);
  } while (cursor !== '0');
}

/** A suite's clean start: the run's tables and Redis keys emptied, as for a new installation. */
export async function emptyRun(): Promise<void> {
  const db = await createConnection(TEST_DATABASE_URL);
  const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    await emptyTables(db);
    await deleteKeys(redis, new RedisKeys(TEST_QUEUE_PREFIX));
  } finally {
    await db.end();
    redis.disconnect();
  }
}

// Real MariaDB, Redis and SMTP receiver; API and worker in this process on free ports, on the run's
// database and QUEUE_PREFIX (helpers/test-run.ts). Prefer useTestStack in a suite.
export async function startTestStack(
  overrides: Record<string, string> = {},
  options: { emulator?: Emulator } = {},
): Promise<TestStack> {
  const mail = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
  const emulatorEnv: Record<string, string> = options.emulator
    ? {
        HUBSPOT_BASE_URL: options.emulator.url,
        HUBSPOT_ACCESS_TOKEN: options.emulator.accessToken,
        HUBSPOT_CLIENT_SECRET: options.emulator.clientSecret,
      }
    : {};
  const config = testConfig({ SMTP_URL: `smtp://127.0.0.1:${mail.smtpPort}`, ...emulatorEnv, ...overrides });
  const keys = new RedisKeys(config.queuePrefix);
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  const { host, port, username, password, database } = config.database;
  const db = await createConnection({ host, port, user: username, password, database });
  const api = await createHttpApp(config, { logger: false });
  const worker = await createWorker(config, { logger: false });
  // The emulator's webhooks go to this stack's API.
  options.emulator?.setWebhookUrl(`${api.url}/api/v1/webhooks/hubspot`);
  const queues = new Map<QueueName, Queue>();

  const stack: TestStack = {
    config,
    api,
    worker,
    mail,
    db,
    redis,
    keys,
    get emulator(): Emulator {
      if (!options.emulator) throw new Error('this test stack was started without the HubSpot emulator');
      return options.emulator;
    },
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...(options.headers ?? {}) };
      let payload: string | undefined;
      if (options.raw !== undefined) payload = options.raw;
      else if (options.body !== undefined) {
        payload = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      if (options.token) headers['authorization'] = `Bearer ${options.token}`;
      const response = await fetch(`${api.url}${path}`, {
        method,
        headers,
        body: payload,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const text = await response.text();
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : {};
      } catch {
        body = { raw: text };
      }
      return { status: response.status, headers: response.headers, body: body as never, text };
    },
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      const [rows] = await db.query(sql, params);
      return rows as T[];
    },
    queue(name) {
      let queue = queues.get(name);
      if (!queue) {
        queue = new Queue(name, queueOptions(config));
        queues.set(name, queue);
      }
      return queue;
    },
    async reset() {
      await emptyTables(db);
      await deleteKeys(redis, keys);
      mail.clear();
    },
    async clearRedis() {
      await deleteKeys(redis, keys);
    },
    async close() {
      for (const queue of queues.values()) await queue.close();
      await worker.close();
      await api.close();
      await mail.close();
      await db.end();
      redis.disconnect();
    },
  };
  return stack;
}

export interface UseTestStackOptions {
  /**
   * Environment on top of testConfig (HUBSPOT_* point at the emulator when one is started); a
   * function is called in beforeAll, for values an earlier beforeAll provides (a Redis of the test's own).
   */
  env?: Record<string, string> | (() => Record<string, string>);
  /** Start the HubSpot emulator (port 0) with these options; its webhooks go to the stack's API. */
  emulator?: EmulatorOptions;
  /** Wait until the worker's first backfill has completed (suites that read the mirror). */
  backfilled?: boolean;
  /**
   * Empty the run's tables and Redis keys before the stack starts (default). A stack nested in a
   * suite that set up data for it passes false.
   */
  fresh?: boolean;
  /** reset() before each test. */
  resetEach?: boolean;
}

/**
 * A suite's stack: started in beforeAll (after emptying the run's tables and keys), closed in
 * afterAll. Returns the stack itself — usable inside hooks and tests once beforeAll has run:
 *
 *   const stack = useTestStack({ emulator: { seed: { tickets: 30 } }, backfilled: true });
 *   it('…', async () => { await stack.request('GET', '/api/v1/health'); });
 */
export function useTestStack(options: UseTestStackOptions = {}): TestStack {
  let current: TestStack | undefined;
  let emulator: Emulator | undefined;
  beforeAll(async () => {
    if (options.fresh !== false) await emptyRun();
    if (options.emulator) emulator = await startEmulator({ port: 0, ...options.emulator });
    const env = typeof options.env === 'function' ? options.env() : options.env;
    current = await startTestStack(env, { emulator });
    if (options.backfilled) await waitForBackfill(current);
  }, 120_000);
  afterAll(async () => {
    emulator?.setWebhookUrl(undefined);
    await current?.close();
    await emulator?.close();
  });
  if (options.resetEach) {
    beforeEach(async () => {
      await current!.reset();
    });
  }
  return new Proxy({} as TestStack, {
    get(_target, property) {
      if (!current) {
        throw new Error('useTestStack: the stack starts in beforeAll; use it inside hooks and tests');
      }
      const value: unknown = Reflect.get(current, property);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(current) : value;
    },
  });
}

/** Until the worker's first backfill (at its start, on an empty mirror) has completed. */
export async function waitForBackfill(stack: TestStack, ms = 60_000): Promise<void> {
  await waitFor(
    'first backfill',
    async () =>
      (
        await stack.query<{ completed_at: Date | null }>(
          "SELECT completed_at FROM sync_state WHERE stream = 'backfill'",
        )
      )[0]?.completed_at ?? null,
    (at) => at !== null,
    ms,
  );
}

/** Until the worker's first backfill has mirrored the pipelines' stages (new requests are labelled with them). */
export async function waitForStages(stack: TestStack, ms = 30_000): Promise<void> {
  await waitFor(
    'mirrored stages',
    async () => Number((await stack.query<{ n: number }>('SELECT COUNT(*) AS n FROM pipeline_stages'))[0]!.n),
    (n) => n > 0,
    ms,
  );
}

/**
 * An account made as an operator makes one (`npm run account:create`), for an email HubSpot already
 * knows: waits until the worker has linked it to its contact, then signs in. Returns the bearer token.
 */
export async function signInLinkedCustomer(stack: TestStack, email: string, ms = 30_000): Promise<string> {
  const { id } = await createAccount(stack.config, { email, password: GOOD_PASSWORD });
  await waitFor(
    `account ${email} linked to its HubSpot contact`,
    async () =>
      (
        await stack.query<{ c: string | null }>(
          'SELECT hubspot_contact_id AS c FROM customers WHERE id = ?',
          [id],
        )
      )[0]?.c ?? null,
    (c) => c !== null,
    ms,
  );
  return (await login(stack, email, GOOD_PASSWORD)).body.accessToken;
}

export function linkToken(mail: CaughtMail, action: 'confirm' | 'reset'): string {
  const match = new RegExp(`#tp-action=${action}&tp-token=([A-Za-z0-9_-]{43})`).exec(mail.text);
  if (!match) throw new Error(`no ${action} link in mail "${mail.subject}":\n${mail.text}`);
  return match[1]!;
}

export const PORTAL_ORIGIN = TEST_PORTAL_ORIGIN;

let counter = 0;
export function uniqueEmail(prefix = 'customer'): string {
  counter += 1;
  return `${prefix}.${Date.now().toString(36)}${counter}@example.com`;
}

export const GOOD_PASSWORD = 'violet-harbour-lantern-42';
export const OTHER_PASSWORD = 'copper kettle on a quiet shelf';

// Register, open the confirmation mail, confirm: returns the confirmed account's credentials.
export async function registerConfirmed(
  stack: TestStack,
  email = uniqueEmail(),
  password = GOOD_PASSWORD,
): Promise<{ email: string; password: string }> {
  const registered = await stack.request('POST', '/api/v1/auth/register', { body: { email, password } });
  if (registered.status !== 202) {
    throw new Error(`register answered ${registered.status}: ${registered.text}`);
  }
  const mail = await stack.mail.waitFor({ to: email, subject: /Confirm/ }, 10_000);
  const confirmed = await stack.request('POST', '/api/v1/auth/confirm', {
    body: { token: linkToken(mail, 'confirm') },
  });
  if (confirmed.status !== 200) throw new Error(`confirm answered ${confirmed.status}: ${confirmed.text}`);
  return { email, password };
}

export interface LoginBody {
  accessToken: string;
  expiresAt: string;
  customer: Record<string, unknown>;
  message?: string;
  code?: string;
}

export async function login(
  stack: TestStack,
  email: string,
  password: string,
  remember?: boolean,
): Promise<ApiResponse<LoginBody>> {
  return stack.request('POST', '/api/v1/auth/login', {
    body: remember === undefined ? { email, password } : { email, password, remember },
  });
}

// Waits until the mail queue has nothing waiting, active or delayed (for "no mail was sent" checks).
export async function waitForIdleQueue(stack: TestStack, timeoutMs = 10_000): Promise<void> {
  const queue = stack.queue(QueueName.Mail);
  await waitFor(
    'mail queue idle',
    () => queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children'),
    (counts) => Object.values(counts).every((c) => c === 0),
    timeoutMs,
    25,
  );
}

/**
 * Waits until these queues have nothing waiting, running or delayed (queues without job schedulers:
 * a scheduler always keeps its next run delayed).
 */
export async function waitForIdleQueues(
  stack: TestStack,
  names: readonly QueueName[],
  timeoutMs = 20_000,
): Promise<void> {
  await waitFor(
    `${names.join(', ')} idle`,
    async () =>
      Promise.all(
        names.map((name) =>
          stack.queue(name).getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children'),
        ),
      ),
    (all) => all.every((counts) => Object.values(counts).every((c) => c === 0)),
    timeoutMs,
    25,
  );
}

export async function failedMailJobs(stack: TestStack): Promise<number> {
  return (await stack.queue(QueueName.Mail).getJobCounts('failed')).failed ?? 0;
}
