import 'reflect-metadata';
import { type CaughtMail, type MailCatcher, startMailCatcher } from '@ticket-portal/mail-catcher';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createConnection, type Connection } from 'mysql2/promise';
import { createHttpApp, type HttpAppHandle } from '../../src/app-factory';
import { redisOptionsFromUrl } from '../../src/common/redis/redis-options';
import type { AppConfig } from '../../src/config/app-config';
import { MAIL_QUEUE, QUEUE_PREFIX } from '../../src/mail/mail-queue.constants';
import { createWorker, type WorkerHandle } from '../../src/worker-factory';
import { testConfig, TEST_PORTAL_ORIGIN } from './test-config';

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
  request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options?: { body?: unknown; raw?: string; headers?: Record<string, string>; token?: string },
  ): Promise<ApiResponse<T>>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

const TABLES = ['one_time_tokens', 'sessions', 'customers'];

// Real MariaDB, Redis (logical DB 1) and SMTP receiver; API and worker in this process on free ports.
export async function startTestStack(overrides: Record<string, string> = {}): Promise<TestStack> {
  const mail = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
  const config = testConfig({ SMTP_URL: `smtp://127.0.0.1:${mail.smtpPort}`, ...overrides });
  const redis = new Redis(config.redisUrl, { maxRetriesPerRequest: 1 });
  const { host, port, username, password, database } = config.database;
  const db = await createConnection({ host, port, user: username, password, database });
  const api = await createHttpApp(config, { logger: false });
  const worker = await createWorker(config, { logger: false });

  const stack: TestStack = {
    config,
    api,
    worker,
    mail,
    db,
    redis,
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
        signal: AbortSignal.timeout(10_000),
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
    async reset() {
      await db.query('SET FOREIGN_KEY_CHECKS = 0');
      for (const table of TABLES) await db.query(`TRUNCATE TABLE ${table}`);
      await db.query('SET FOREIGN_KEY_CHECKS = 1');
      await redis.flushdb();
      mail.clear();
    },
    async close() {
      await worker.close();
      await api.close();
      await mail.close();
      await db.end();
      redis.disconnect();
    },
  };
  return stack;
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
  const queue = new Queue(MAIL_QUEUE, {
    connection: redisOptionsFromUrl(stack.config.redisUrl),
    prefix: QUEUE_PREFIX,
  });
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const counts = await queue.getJobCounts('wait', 'active', 'delayed', 'prioritized', 'waiting-children');
      if (Object.values(counts).every((c) => c === 0)) return;
      if (Date.now() > deadline) throw new Error(`mail queue still busy: ${JSON.stringify(counts)}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  } finally {
    await queue.close();
  }
}

export async function failedMailJobs(stack: TestStack): Promise<number> {
  const queue = new Queue(MAIL_QUEUE, {
    connection: redisOptionsFromUrl(stack.config.redisUrl),
    prefix: QUEUE_PREFIX,
  });
  try {
    return (await queue.getJobCounts('failed')).failed ?? 0;
  } finally {
    await queue.close();
  }
}
