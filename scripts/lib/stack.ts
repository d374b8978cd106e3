// Starts the whole product on one machine: HubSpot emulator (unless HUBSPOT_BASE_URL is set), mail catcher
// (unless SMTP_URL is set), migrations, the demo account, the API, the worker and the demo page.
// `npm start` and the Playwright suites both use it, so the demo is exactly what the e2e tests drive.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { DEFAULT_QUEUE_PREFIX, RedisKeys } from '../../api/src/queues/redis-keys';
import { startDemoSite, type DemoSite } from './demo-site';
import { prefixedLogger, runToEnd, startChild, type Child } from './processes';
import { ensureServices, waitForPort } from './services';
import { supervise, type SuperviseOptions, type Supervised } from './supervisor';

export const ROOT = resolve(__dirname, '../..');
export const DEMO_LOGIN = { email: 'demo@example.com', password: 'portal-demo-2026', name: 'Alex Morgan' };

export interface StackOptions {
  apiPort: number;
  demoPort: number;
  emulatorPort: number;
  mailSmtpPort: number;
  mailHttpPort: number;
  databaseUrl: string;
  redisUrl: string;
  /**
   * QUEUE_PREFIX of the API and worker (default: the caller's environment, else `tp`): every Redis
   * key of the stack starts with it, so stacks on one Redis database never share jobs.
   */
  queuePrefix?: string;
  /** Tickets the emulator seeds at start (ignored with a real HubSpot). */
  seedTickets: number;
  /** Extra environment for the API and worker (and what the caller's environment already sets). */
  env?: NodeJS.ProcessEnv;
  log?: (name: string, line: string) => void;
  /** Whether to create the demo login's confirmed account. */
  demoAccount?: boolean;
  /**
   * Where the emulator keeps its state between runs (`npm start`). Without it the emulator seeds
   * afresh every time. When the file does not exist yet, the emulator seeds and the demo's database
   * and Redis keys are reset with it, so the mirror never lists tickets the emulator does not have.
   */
  emulatorStateFile?: string;
  /** Restart delays for the supervised API and worker (tests shorten them). */
  supervisor?: Omit<SuperviseOptions, 'log'>;
}

export interface Stack {
  apiUrl: string;
  demoUrl: string;
  emulatorUrl?: string;
  inboxUrl?: string;
  /** The stand-ins (plain children) and the API and worker (supervised: restarted when they crash). */
  children: Array<Child | Supervised>;
  api: Supervised;
  worker: Supervised;
  close(): Promise<void>;
}

const node = process.execPath;

function requireBuilt(path: string): string {
  const full = join(ROOT, path);
  if (!existsSync(full)) throw new Error(`${path} is missing: run \`npm run build\` first.`);
  return full;
}

async function waitForHttp(url: string, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    if (child && (child.process.exitCode !== null || child.process.signalCode !== null)) {
      throw new Error(`${child.name} exited before it was ready`);
    }
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
      last = `HTTP ${res.status}`;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms (${last})`);
}

/**
 * Drops the demo database (migrations recreate it) and the deployment's Redis keys (`<QUEUE_PREFIX>:*`:
 * queues, caches, sessions, the deployment claim). Only used when the emulator — a stand-in HubSpot —
 * seeds afresh: the data it drops mirrors a HubSpot that no longer exists.
 */
async function resetDemoData(
  databaseUrl: string,
  redisUrl: string,
  keys: RedisKeys,
  log: (name: string, line: string) => void,
): Promise<void> {
  const url = new URL(databaseUrl);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database) {
    const db = await createConnection({
      host: url.hostname,
      port: Number(url.port || 3306),
      user: decodeURIComponent(url.username || 'root'),
      password: decodeURIComponent(url.password),
    });
    try {
      await db.query(`DROP DATABASE IF EXISTS \`${database.replace(/`/g, '``')}\``);
    } finally {
      await db.end();
    }
  }
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    let removed = 0;
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', keys.pattern(), 'COUNT', 1000);
      cursor = next;
      if (found.length > 0) removed += await redis.del(...found);
    } while (cursor !== '0');
    log('demo', `dropped database ${database || '(none)'} and ${removed} Redis keys under ${keys.base}`);
  } finally {
    redis.disconnect();
  }
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  const log = opts.log ?? prefixedLogger();
  const callerEnv = { ...process.env, ...opts.env };
  const queuePrefix = opts.queuePrefix ?? (callerEnv.QUEUE_PREFIX?.trim() || DEFAULT_QUEUE_PREFIX);
  const children: Array<Child | Supervised> = [];
  let demo: DemoSite | undefined;
  const close = async (): Promise<void> => {
    await demo?.close();
    // Stop in reverse order: HTTP and worker first, upstream stand-ins last.
    for (const child of [...children].reverse()) await child.stop();
  };

  try {
    await ensureServices({ databaseUrl: opts.databaseUrl, redisUrl: opts.redisUrl }, (m) =>
      log('services', m),
    );

    const apiUrl = `http://localhost:${opts.apiPort}`;
    const env: NodeJS.ProcessEnv = {
      ...callerEnv,
      PORT: String(opts.apiPort),
      DATABASE_URL: opts.databaseUrl,
      REDIS_URL: opts.redisUrl,
      QUEUE_PREFIX: queuePrefix,
      PORTAL_URL: callerEnv.PORTAL_URL ?? `http://localhost:${opts.demoPort}/`,
      PORTAL_ORIGINS:
        callerEnv.PORTAL_ORIGINS ?? `http://localhost:${opts.demoPort},http://127.0.0.1:${opts.demoPort}`,
      // The demo company's "Need help?" contact (GET /api/v1/portal).
      SUPPORT_NAME: callerEnv.SUPPORT_NAME ?? 'Synchtank Support',
      SUPPORT_EMAIL: callerEnv.SUPPORT_EMAIL ?? 'support@synchtank.example',
      // No load balancer in front: nothing to wait for before the listener closes on Ctrl+C.
      SHUTDOWN_DELAY_SECONDS: callerEnv.SHUTDOWN_DELAY_SECONDS ?? '0',
    };

    let emulatorUrl: string | undefined;
    if (!callerEnv.HUBSPOT_BASE_URL) {
      const token = callerEnv.HUBSPOT_ACCESS_TOKEN ?? 'emulator-token';
      const secret = callerEnv.HUBSPOT_CLIENT_SECRET ?? 'emulator-secret';
      const stateFile = opts.emulatorStateFile;
      if (stateFile && !existsSync(stateFile)) {
        // A fresh emulator seed: whatever an earlier demo mirrored belongs to another HubSpot.
        log('demo', `no emulator state at ${stateFile}: seeding afresh and resetting the demo data`);
        await resetDemoData(opts.databaseUrl, opts.redisUrl, new RedisKeys(queuePrefix), log);
      }
      const emulatorArgs = ['--seed-tickets', String(opts.seedTickets)];
      if (stateFile) {
        mkdirSync(dirname(stateFile), { recursive: true });
        emulatorArgs.push('--state-file', stateFile);
      }
      const emulator = startChild(
        'hubspot-emulator',
        node,
        [requireBuilt('e2e/hubspot-emulator/dist/cli.js'), ...emulatorArgs],
        {
          log,
          env: {
            EMULATOR_PORT: String(opts.emulatorPort),
            HUBSPOT_ACCESS_TOKEN: token,
            HUBSPOT_CLIENT_SECRET: secret,
            EMULATOR_WEBHOOK_URL: `http://127.0.0.1:${opts.apiPort}/api/v1/webhooks/hubspot`,
          },
        },
      );
      children.push(emulator);
      emulatorUrl = `http://localhost:${opts.emulatorPort}`;
      Object.assign(env, {
        HUBSPOT_BASE_URL: emulatorUrl,
        HUBSPOT_ACCESS_TOKEN: token,
        HUBSPOT_CLIENT_SECRET: secret,
      });
      if (!(await waitForPort('127.0.0.1', opts.emulatorPort, 60_000))) {
        throw new Error('the HubSpot emulator did not start');
      }
    }

    let inboxUrl: string | undefined;
    if (!callerEnv.SMTP_URL) {
      const catcher = startChild('mail-catcher', node, [requireBuilt('e2e/mail-catcher/dist/cli.js')], {
        log,
        env: {
          MAIL_CATCHER_SMTP_PORT: String(opts.mailSmtpPort),
          MAIL_CATCHER_HTTP_PORT: String(opts.mailHttpPort),
        },
      });
      children.push(catcher);
      inboxUrl = `http://localhost:${opts.mailHttpPort}`;
      env.SMTP_URL = `smtp://127.0.0.1:${opts.mailSmtpPort}`;
      if (!(await waitForPort('127.0.0.1', opts.mailSmtpPort, 20_000))) {
        throw new Error('the mail catcher did not start');
      }
    }

    await runToEnd('migrate', node, [requireBuilt('api/dist/database/migrate.js')], { log, env });
    if (opts.demoAccount !== false) {
      await runToEnd(
        'demo-account',
        node,
        [
          requireBuilt('api/dist/cli/create-account.js'),
          '--email',
          DEMO_LOGIN.email,
          '--password',
          DEMO_LOGIN.password,
          '--name',
          DEMO_LOGIN.name,
        ],
        { log, env },
      );
    }

    // Supervised, as systemd or docker's restart policy would: a crash restarts the process (with
    // backoff and a line saying so) instead of taking the whole stack down.
    const superviseOptions = { ...opts.supervisor, log: (line: string) => log('supervisor', line) };
    const mainJs = requireBuilt('api/dist/main.js');
    const api = supervise('api', () => startChild('api', node, [mainJs], { log, env }), superviseOptions);
    children.push(api);
    const workerJs = requireBuilt('api/dist/worker.js');
    const worker = supervise(
      'worker',
      () => startChild('worker', node, [workerJs], { log, env }),
      superviseOptions,
    );
    children.push(worker);
    // The first API must come up by itself: a configuration error should stop `npm start`, not loop.
    await waitForHttp(`http://127.0.0.1:${opts.apiPort}/api/v1/health`, 60_000, api.current);

    demo = await startDemoSite({ port: opts.demoPort, apiUrl, root: ROOT });

    return { apiUrl, demoUrl: demo.url, emulatorUrl, inboxUrl, children, api, worker, close };
  } catch (err) {
    await close();
    throw err;
  }
}
