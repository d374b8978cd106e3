// Sync benchmarks (issue 4), against the HubSpot emulator enforcing HubSpot's limits (190 calls per
// rolling 10 s, search 5/s: the emulator's defaults), MariaDB and Redis, with the built API.
// - sync-backfill: the worker's own first backfill of BENCH_SYNC_TICKETS (default 100,000) tickets;
//   wall time, calls made, calls answered 429, throughput as a share of the 190 / 10 s ceiling.
// - sync-latency: staff changes in the emulator → row changed in MySQL, over webhooks, then with
//   every webhook dropped (reconcile every SYNC_POLL_SECONDS = 10 s).
// The emulator's request log (one line per request: method, path, status) counts the calls, so the
// API needs no hooks for the benchmark.
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import Redis from 'ioredis';
import { join } from 'node:path';
import { ms, summarize, type Summary } from './stats';
import { benchApiEnv } from './api-env';

interface Handle {
  url?: string;
  close(): Promise<void>;
}

interface ApiModule {
  loadConfig(env: NodeJS.ProcessEnv): unknown;
  runMigrations(config: unknown): Promise<unknown>;
  createHttpApp(config: unknown, options?: { logger?: false }): Promise<Handle & { url: string }>;
  createWorker(config: unknown, options?: { logger?: false }): Promise<Handle>;
}

interface EmulatorLike {
  url: string;
  accessToken: string;
  clientSecret: string;
  store: {
    records: { tickets: Map<string, unknown> };
    owners: { id: string; archived?: boolean }[];
  };
  staff: {
    moveStage(ticketId: string, stageId: string): unknown;
    assignOwner(ticketId: string, ownerId: string): unknown;
  };
  setWebhookUrl(url: string | undefined): void;
  setWebhookSwitches(patch: { dropRate?: number }): unknown;
  close(): Promise<void>;
}

interface EmulatorModule {
  startEmulator(options: {
    port: number;
    seed: { tickets: number; seed?: number };
    log?: (line: string) => void;
  }): Promise<EmulatorLike>;
  TICKET_STAGE_IDS: Record<string, string>;
}

const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));

function load(root: string): { api: ApiModule; emu: EmulatorModule } {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const api = require(join(root, 'api/dist/index.js')) as ApiModule;
  const emu = require(join(root, 'e2e/hubspot-emulator/dist/index.js')) as EmulatorModule;
  /* eslint-enable @typescript-eslint/no-require-imports */
  return { api, emu };
}

/** Drops and recreates the database, flushes the Redis DB: every run starts from an empty mirror. */
async function freshServices(database: string, redisUrl: string): Promise<void> {
  const conn = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await conn.end();
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
}

async function db(database: string): Promise<Connection> {
  return createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database });
}

async function ticketCount(conn: Connection): Promise<number> {
  const [rows] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM tickets');
  return Number(rows[0]?.n ?? 0);
}

async function backfillDone(conn: Connection): Promise<boolean> {
  const [rows] = await conn.query<RowDataPacket[]>(
    "SELECT completed_at FROM sync_state WHERE stream = 'backfill'",
  );
  return rows[0]?.completed_at != null;
}

interface CallLog {
  total: number;
  limited: number;
  times: number[];
  /** Calls per endpoint (query string dropped, ids replaced by {id}). */
  byPath: Map<string, number>;
}

function callCounter(): { log: CallLog; onLine: (line: string) => void } {
  const log: CallLog = { total: 0, limited: 0, times: [], byPath: new Map() };
  return {
    log,
    onLine: (line) => {
      // "<METHOD> <path> <status> <ms>ms"; skip the emulator's own console and state routes.
      const m = /^[A-Z]+ (\S+) (\d{3}) \d+ms$/.exec(line);
      if (!m || m[1]!.startsWith('/_emulator')) return;
      log.total += 1;
      log.times.push(Date.now());
      if (m[2] === '429') log.limited += 1;
      const path = `${line.split(' ')[0]} ${m[1]!.split('?')[0]!.replace(/\/\d+(?=\/|$)/g, '/{id}')}`;
      log.byPath.set(path, (log.byPath.get(path) ?? 0) + 1);
    },
  };
}

export async function benchSyncBackfill(root: string): Promise<string> {
  const { api, emu } = load(root);
  const tickets = Number(process.env.BENCH_SYNC_TICKETS ?? 100_000);
  const database = 'ticket_portal_bench_sync';
  const redisUrl = 'redis://127.0.0.1:6379/3';
  await freshServices(database, redisUrl);
  const counter = callCounter();
  const emulator = await emu.startEmulator({ port: 0, seed: { tickets, seed: 4 }, log: counter.onLine });
  const config = api.loadConfig(benchApiEnv(database, redisUrl, emulator));
  await api.runMigrations(config);
  const conn = await db(database);
  const started = Date.now();
  const worker = await api.createWorker(config, { logger: false });
  let mirrored: number;
  let lastReport = started;
  try {
    const limitMs = Number(process.env.BENCH_SYNC_TIMEOUT_S ?? 1800) * 1000;
    for (;;) {
      mirrored = await ticketCount(conn);
      if (mirrored >= tickets && (await backfillDone(conn))) break;
      if (Date.now() - started > limitMs) throw new Error(`only ${mirrored} of ${tickets} mirrored in time`);
      if (Date.now() - lastReport > 15_000) {
        lastReport = Date.now();
        console.error(
          `  backfill: ${mirrored}/${tickets} after ${((lastReport - started) / 1000).toFixed(0)} s, ` +
            `${counter.log.total} calls, ${counter.log.limited} × 429`,
        );
      }
      await sleep(250);
    }
  } finally {
    await worker.close();
    await conn.end();
    await emulator.close();
  }
  const wallS = (Date.now() - started) / 1000;
  const { total, limited, times } = counter.log;
  // Calls in each whole 10-second window from the first call on (a partial last window is left out).
  const first = times[0] ?? started;
  const windows: number[] = [];
  for (const t of times) {
    const k = Math.floor((t - first) / 10_000);
    windows[k] = (windows[k] ?? 0) + 1;
  }
  const whole = windows.slice(0, Math.floor(((times[times.length - 1] ?? first) - first) / 10_000));
  const filled = Array.from(whole, (n) => n ?? 0);
  const mean = filled.reduce((a, b) => a + b, 0) / Math.max(1, filled.length);
  const pct = (n: number): string => `${((n / 190) * 100).toFixed(1)} %`;
  const byPath = [...counter.log.byPath].sort((a, b) => b[1] - a[1]).map(([p, n]) => `${p} ${n}`);
  return [
    '| tickets | wall time | tickets/s | calls | answered 429 | calls per 10 s (mean of whole windows) | share of 190 / 10 s | fewest / most in a window |',
    '|---|---|---|---|---|---|---|---|',
    `| ${tickets.toLocaleString('en')} | ${wallS.toFixed(1)} s | ${Math.round(tickets / wallS)} | ${total} | ` +
      `${limited} (${((limited / Math.max(1, total)) * 100).toFixed(2)} %) | ${mean.toFixed(1)} (${filled.length} windows) | ` +
      `${pct(mean)} | ${Math.min(...filled)} / ${Math.max(...filled)} |`,
    '',
    `Calls by endpoint: ${byPath.join(', ')}.`,
  ].join('\n');
}

async function waitForMirror(
  conn: Connection,
  hubspotId: string,
  column: 'stage_id' | 'owner_id',
  expected: string,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [rows] = await conn.query<RowDataPacket[]>(
      `SELECT ${column} AS v FROM tickets WHERE hubspot_id = ?`,
      [hubspotId],
    );
    if (rows[0] && String(rows[0].v) === expected) return true;
    await sleep(20);
  }
  return false;
}

/**
 * Makes `n` staff changes (stage, owner, alternating), `spacingMs` apart, and times each one to its
 * row in MySQL (polled every 20 ms).
 */
async function measureChanges(
  emulator: EmulatorLike,
  stages: readonly string[],
  conn: Connection,
  n: number,
  timeoutMs: number,
  random: () => number,
  spacingMs: [number, number],
): Promise<{ samples: number[]; missed: number }> {
  const ids = [...emulator.store.records.tickets.keys()];
  const owners = emulator.store.owners.filter((o) => !o.archived).map((o) => o.id);
  const pending: Promise<void>[] = [];
  const samples: number[] = [];
  let missed = 0;
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    let id = ids[Math.floor(random() * ids.length)]!;
    while (used.has(id)) id = ids[Math.floor(random() * ids.length)]!;
    used.add(id);
    const [rows] = await conn.query<RowDataPacket[]>(
      'SELECT stage_id, owner_id FROM tickets WHERE hubspot_id = ?',
      [id],
    );
    const row = rows[0];
    let column: 'stage_id' | 'owner_id';
    let value: string;
    const changedAt = performance.now();
    if (i % 2 === 0) {
      value = stages.filter((s) => s !== String(row?.stage_id))[Math.floor(random() * (stages.length - 1))]!;
      column = 'stage_id';
      emulator.staff.moveStage(id, value);
    } else {
      value = owners.filter((o) => o !== String(row?.owner_id))[Math.floor(random() * (owners.length - 1))]!;
      column = 'owner_id';
      emulator.staff.assignOwner(id, value);
    }
    pending.push(
      waitForMirror(conn, id, column, value, timeoutMs).then((ok) => {
        if (ok) samples.push(performance.now() - changedAt);
        else missed += 1;
      }),
    );
    await sleep(spacingMs[0] + random() * (spacingMs[1] - spacingMs[0]));
  }
  await Promise.all(pending);
  return { samples, missed };
}

/** Mulberry32: a seeded PRNG so runs pick the same tickets. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function benchSyncLatency(root: string): Promise<string> {
  const { api, emu } = load(root);
  const tickets = Number(process.env.BENCH_SYNC_LATENCY_TICKETS ?? 2_000);
  const database = 'ticket_portal_bench_sync';
  const redisUrl = 'redis://127.0.0.1:6379/3';
  await freshServices(database, redisUrl);
  const emulator = await emu.startEmulator({ port: 0, seed: { tickets, seed: 5 } });
  const random = prng(42);
  const rows: string[] = [
    '| path | changes | mirrored | p50 | p95 | mean | max |',
    '|---|---|---|---|---|---|---|',
  ];
  const row = (name: string, n: number, s: Summary): string =>
    `| ${name} | ${n} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.mean)} | ${ms(s.max)} |`;
  await api.runMigrations(api.loadConfig(benchApiEnv(database, redisUrl, emulator)));
  const conn = await db(database);

  const boot = async (pollSeconds: number): Promise<Handle[]> => {
    const config = api.loadConfig(
      benchApiEnv(database, redisUrl, emulator, { SYNC_POLL_SECONDS: String(pollSeconds) }),
    );
    const app = await api.createHttpApp(config, { logger: false });
    emulator.setWebhookUrl(`${app.url.replace('localhost', '127.0.0.1')}/api/v1/webhooks/hubspot`);
    const worker = await api.createWorker(config, { logger: false });
    return [app, worker];
  };
  const stop = async (handles: Handle[]): Promise<void> => {
    for (const h of handles.reverse()) await h.close();
  };

  try {
    // Webhooks on, default reconcile interval (60 s), so the webhook path is what is measured.
    let handles = await boot(60);
    const deadline = Date.now() + 300_000;
    while (!((await ticketCount(conn)) >= tickets && (await backfillDone(conn)))) {
      if (Date.now() > deadline) throw new Error('the first backfill did not finish in 5 minutes');
      await sleep(250);
    }
    await sleep(2_000);
    const hooks = await measureChanges(
      emulator,
      Object.values(emu.TICKET_STAGE_IDS),
      conn,
      100,
      30_000,
      random,
      [100, 200],
    );
    rows.push(row('webhooks (SYNC_POLL_SECONDS=60)', 100, summarize(hooks.samples)));
    await stop(handles);

    // Every webhook dropped: only the reconcile, every 10 s, brings changes in.
    emulator.setWebhookSwitches({ dropRate: 1 });
    handles = await boot(10);
    await sleep(12_000);
    // 20 changes 400–800 ms apart span about 12 s, so they fall at every point of the 10 s cycle.
    const polled = await measureChanges(
      emulator,
      Object.values(emu.TICKET_STAGE_IDS),
      conn,
      20,
      60_000,
      random,
      [400, 800],
    );
    rows.push(row('webhooks dropped (SYNC_POLL_SECONDS=10)', 20, summarize(polled.samples)));
    await stop(handles);
  } finally {
    await conn.end();
    await emulator.close();
  }
  return rows.join('\n');
}
