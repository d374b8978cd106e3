import { createConnection, type Connection } from 'mysql2/promise';
import Redis from 'ioredis';
import { benchApiEnv, startApiProcess } from './api-env';
import { type ApiModule, type EmulatorLike, loadBuilt } from './built';

// What the burst benches (requests-fault, replies-burst) start for each scenario: a fresh database
// and Redis DB, the emulator as HubSpot with its rate limits raised (the portal's own shared limiter
// still holds every process to 180 calls per 10 s, as against HubSpot), the API in a process of its
// own (BENCH_API_IN_PROCESS=1: in the bench's, sharing its event loop with the clients), and
// accounts signed in. The worker is the bench's to start (requests-fault kills it on purpose).

export interface BurstStack {
  api: ApiModule;
  emulator: EmulatorLike;
  env: NodeJS.ProcessEnv;
  config: ReturnType<ApiModule['loadConfig']>;
  http: { url: string; close(): Promise<void> };
  conn: Connection;
  close(): Promise<void>;
}

export async function startBurstStack(
  root: string,
  options: {
    database: string;
    redisUrl: string;
    seed: { tickets: number; seed: number };
    /** DELIVERY_BATCH_SIZE and anything else the scenario sets. */
    env: NodeJS.ProcessEnv;
  },
): Promise<BurstStack> {
  const { api, emu } = loadBuilt(root);
  const admin = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await admin.query(`DROP DATABASE IF EXISTS \`${options.database}\``);
  await admin.end();
  const flush = new Redis(options.redisUrl);
  await flush.flushdb();
  flush.disconnect();

  const emulator = await emu.startEmulator({
    port: 0,
    seed: options.seed,
    rateLimit: { max: 1_000_000, searchPerSecond: 10_000 },
  });
  const env = benchApiEnv(options.database, options.redisUrl, emulator, {
    SYNC_POLL_SECONDS: '30',
    LOG_LEVEL: 'error',
    ARGON2_MEMORY_KIB: '4096',
    ARGON2_TIME_COST: '1',
    // A few customers send 1,000 requests or replies from one address: far past the limits sized for
    // a person (docs/requests.md), which would turn most of them into 429s.
    TICKET_SUBMIT_LIMITS: 'off',
    TICKET_REPLY_LIMITS: 'off',
    TICKET_CHANGE_LIMITS: 'off',
    TICKET_IP_LIMITS: 'off',
    ...options.env,
  });
  const config = api.loadConfig(env);
  await api.runMigrations(config);
  const http =
    process.env.BENCH_API_IN_PROCESS === '1'
      ? await api.createHttpApp(config, { logger: false })
      : await startApiProcess(root, env);
  emulator.setWebhookUrl(`${http.url}/api/v1/webhooks/hubspot`);
  const conn = await createConnection({
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    database: options.database,
  });
  return {
    api,
    emulator,
    env,
    config,
    http,
    conn,
    close: async () => {
      await http.close();
      await conn.end();
      await emulator.close();
    },
  };
}

/**
 * Makes `count` accounts and signs each in (the sign-in limit is 50 per 15 minutes per IP: few
 * customers, many requests); answers their access tokens. `asContacts`: each is a HubSpot contact
 * first, as a customer's users are, so the account links to it when it is made.
 */
export async function signInCustomers(
  stack: BurstStack,
  options: { count: number; label: string; password: string; asContacts: boolean },
): Promise<string[]> {
  const { emulator, http, api, config } = stack;
  const tokens: string[] = [];
  for (let i = 0; i < options.count; i += 1) {
    const email = `${options.label.toLowerCase()}-${i}-${Date.now().toString(36)}@bench.example`;
    if (options.asContacts) {
      const made = await fetch(`${emulator.url}/crm/v3/objects/contacts`, {
        method: 'POST',
        headers: { authorization: `Bearer ${emulator.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ properties: { email, firstname: options.label, lastname: `Customer ${i}` } }),
      });
      if (made.status !== 201) throw new Error(`contact create answered ${made.status}`);
    }
    await api.createAccount(config, {
      email,
      password: options.password,
      name: `${options.label} Customer ${i}`,
    });
    const res = await fetch(`${http.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: options.password }),
    });
    if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
    tokens.push(((await res.json()) as { accessToken: string }).accessToken);
  }
  return tokens;
}
