// `npm run bench -- live` (issue 12, server part): GET /api/v1/tickets/events as the widget will read
// it, against the built API (a child process: its memory is measured on its own), the worker, the
// HubSpot emulator (default webhook timing), MariaDB and Redis.
// 1. Staff action in the emulator → `ticket` event in the customer's stream, over webhooks, with
//    LIVE_OTHER_STREAMS (1,000) other customers' streams open on the same API process.
// 2. The customer's own reply (POST replies) → `message` event in another stream of theirs.
// 3. Cost: LIVE_FANOUT_STREAMS (10,000) streams of one company on a fresh API process: memory per
//    open stream, then the time from a change notice (XADD) to the event in every stream.
// LIVE_SKIP_LATENCY=1 runs only 3; LIVE_REDIS_URL picks another Redis DB than 3.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type ChildProcess } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { benchApiEnv, startApi } from './api-env';
import { ms, summarize, type Summary } from './stats';

const DATABASE = 'ticket_portal_bench_live';
// Another Redis logical DB may be given when other benchmarks share the machine's Redis.
const REDIS_URL = process.env.LIVE_REDIS_URL ?? 'redis://127.0.0.1:6379/3';
const OTHER_STREAMS = Number(process.env.LIVE_OTHER_STREAMS ?? 1_000);
const CHANGES = Number(process.env.LIVE_CHANGES ?? 120);
const REPLIES = Number(process.env.LIVE_REPLIES ?? 100);
const FANOUT_STREAMS = Number(process.env.LIVE_FANOUT_STREAMS ?? 10_000);
const FANOUT_ROUNDS = 5;

interface ApiModule {
  loadConfig(env: NodeJS.ProcessEnv): { redisUrl: string; queuePrefix: string };
  runMigrations(config: unknown): Promise<unknown>;
  createWorker(config: unknown, options?: { logger?: false }): Promise<{ close(): Promise<void> }>;
}

interface EmulatorLike {
  url: string;
  accessToken: string;
  clientSecret: string;
  store: {
    pipelines: Array<{ id: string; stages: Array<{ id: string; label: string; archived: boolean }> }>;
  };
  staff: { moveStage(ticketId: string, stageId: string): unknown };
  setWebhookUrl(url: string | undefined): void;
  close(): Promise<void>;
}

interface EventsModules {
  versions: {
    TicketScopeVersionService: new (
      r: Redis,
      keys: unknown,
    ) => { bump(s: unknown[], n: unknown[]): Promise<void> };
  };
  keys: { RedisKeys: new (prefix: string) => unknown };
  notices: {
    noticeTicket: (id: number, scopes: unknown[], by: null) => unknown;
    ticketNotices: (t: unknown[]) => unknown[];
  };
}

interface MirrorTicket {
  id: number;
  hubspot_id: string;
  contact_id: string;
  company_id: string;
  pipeline_id: string;
}

interface EmulatorModule {
  startEmulator(options: { port: number; seed: { tickets: number; seed?: number } }): Promise<EmulatorLike>;
}

const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));

/** One open event stream, read with node:http (light enough for 10,000 in one process). */
class Stream {
  private text = '';
  private readonly watchers: Array<{ needle: string; resolve: (at: number) => void }> = [];
  ready!: Promise<void>;

  constructor(
    readonly url: string,
    readonly token: string,
    agent: Agent,
  ) {
    this.ready = new Promise((resolve, reject) => {
      const req = httpRequest(
        url,
        { agent, headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } },
        (res) => {
          if (res.statusCode !== 200) {
            reject(new Error(`stream answered ${res.statusCode}`));
            res.resume();
            return;
          }
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            const at = performance.now();
            // Only the unfinished tail is kept: an event is looked for when its block is complete.
            this.text += chunk;
            const end = this.text.lastIndexOf('\n\n');
            if (end < 0) return;
            const blocks = this.text.slice(0, end);
            this.text = this.text.slice(end + 2);
            if (blocks.includes('event: ready')) resolve();
            for (let i = this.watchers.length - 1; i >= 0; i -= 1) {
              if (blocks.includes(this.watchers[i]!.needle)) {
                this.watchers[i]!.resolve(at);
                this.watchers.splice(i, 1);
              }
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  /** performance.now() at which a complete event containing `needle` arrived. */
  waitFor(needle: string): Promise<number> {
    return new Promise((resolve) => this.watchers.push({ needle, resolve }));
  }
}

async function openStreams(url: string, tokens: string[], agent: Agent): Promise<Stream[]> {
  const streams: Stream[] = [];
  for (let i = 0; i < tokens.length; i += 250) {
    const batch = tokens.slice(i, i + 250).map((t) => new Stream(url, t, agent));
    await Promise.all(batch.map((s) => s.ready));
    streams.push(...batch);
  }
  return streams;
}

async function stopApi(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.on('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The API process's heap in use (MiB), from its own GET /metrics. */
async function heapMiB(url: string): Promise<number> {
  const text = await (await fetch(`${url}/api/v1/metrics`)).text();
  return Number(/^nodejs_heap_size_used_bytes (\d+)/m.exec(text)?.[1] ?? 0) / 2 ** 20;
}

function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
}

/** Customers (linked to the given contact / company) with one session each: their bearer tokens. */
async function customers(
  conn: Connection,
  n: number,
  link: (i: number) => { contactId: string; companyId: string },
): Promise<string[]> {
  const tokens: string[] = [];
  const now = new Date();
  const expires = new Date(Date.now() + 86_400_000);
  for (let i = 0; i < n; i += 1000) {
    const part = Array.from({ length: Math.min(1000, n - i) }, (_, k) => {
      const token = randomBytes(32).toString('base64url');
      tokens.push(token);
      return { id: randomUUID(), token, ...link(i + k) };
    });
    await conn.query(
      'INSERT INTO customers (id, email, password_hash, name, confirmed_at, hubspot_contact_id, hubspot_company_id, contact_linked_at, created_at, updated_at) VALUES ?',
      [
        part.map((c) => [
          c.id,
          `${c.id}@bench.example`,
          'x',
          'Bench Customer',
          now,
          c.contactId,
          c.companyId,
          now,
          now,
          now,
        ]),
      ],
    );
    await conn.query(
      'INSERT INTO sessions (id, customer_id, token_hash, remember, expires_at, revoked_at, created_at) VALUES ?',
      [
        part.map((c) => [
          randomUUID(),
          c.id,
          createHash('sha256').update(c.token).digest('hex'),
          0,
          expires,
          null,
          now,
        ]),
      ],
    );
  }
  return tokens;
}

const row = (label: string, s: Summary): string =>
  `| ${label} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.max)} |`;

export async function benchLive(root: string): Promise<string> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const api = require(join(root, 'api/dist/index.js')) as ApiModule;
  const emu = require(join(root, 'e2e/hubspot-emulator/dist/index.js')) as EmulatorModule;
  const events: EventsModules = {
    versions: require(
      join(root, 'api/dist/tickets/ticket-scope-version.service.js'),
    ) as EventsModules['versions'],
    notices: require(join(root, 'api/dist/events/change-notice.js')) as EventsModules['notices'],
    keys: require(join(root, 'api/dist/queues/redis-keys.js')) as EventsModules['keys'],
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const admin = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin.end();
  const redis = new Redis(REDIS_URL);
  await redis.flushdb();

  const emulator = await emu.startEmulator({ port: 0, seed: { tickets: 200, seed: 12 } });
  const env = benchApiEnv(DATABASE, REDIS_URL, emulator, { SYNC_POLL_SECONDS: '3600' });
  const config = api.loadConfig(env);
  await api.runMigrations(config);
  const conn = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database: DATABASE });
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const lines: string[] = [];
  let apiChild: ChildProcess | null = null;
  const worker = await api.createWorker(config, { logger: false });
  try {
    const started = await startApi(root, env);
    apiChild = started.child;
    const eventsUrl = `${started.url}/api/v1/tickets/events`;
    emulator.setWebhookUrl(`${started.url}/api/v1/webhooks/hubspot`);
    for (;;) {
      const [rows] = await conn.query<RowDataPacket[]>(
        "SELECT completed_at FROM sync_state WHERE stream = 'backfill'",
      );
      if ((rows[0] as { completed_at: Date | null } | undefined)?.completed_at) break;
      await sleep(250);
    }
    const [found] = await conn.query<RowDataPacket[]>(
      'SELECT id, hubspot_id, contact_id, company_id, pipeline_id FROM tickets WHERE contact_id IS NOT NULL AND company_id IS NOT NULL ORDER BY id LIMIT 1',
    );
    const ticket = found[0] as MirrorTicket | undefined;
    const [mine] = await customers(conn, 1, () => ({
      contactId: ticket!.contact_id,
      companyId: ticket!.company_id,
    }));
    const others = await customers(conn, OTHER_STREAMS, (i) => ({
      contactId: `9${String(i).padStart(8, '0')}`,
      companyId: `8${String(i).padStart(8, '0')}`,
    }));
    const latency = process.env.LIVE_SKIP_LATENCY !== '1';
    if (latency) await openStreams(eventsUrl, others, agent);
    const [stream, otherTab] = await openStreams(eventsUrl, [mine!, mine!], agent);

    // 1. Staff action → event, over webhooks.
    const stages = emulator.store.pipelines
      .find((p) => p.id === ticket!.pipeline_id)!
      .stages.filter((s) => !s.archived);
    const staff: number[] = [];
    for (let i = 0; i < (latency ? CHANGES : 0); i += 1) {
      const stage = stages[i % stages.length]!;
      const seen = stream!.waitFor(`"label":${JSON.stringify(stage.label)}`);
      const at = performance.now();
      emulator.staff.moveStage(ticket!.hubspot_id, stage.id);
      staff.push((await seen) - at);
      await sleep(150);
    }

    // 2. Own reply → the customer's other stream.
    const own: number[] = [];
    for (let i = 0; i < (latency ? REPLIES : 0); i += 1) {
      const text = `bench reply ${i} ${randomBytes(4).toString('hex')}`;
      const seen = otherTab!.waitFor(text);
      const at = performance.now();
      const res = await fetch(`${started.url}/api/v1/tickets/${ticket!.id}/replies`, {
        method: 'POST',
        headers: { authorization: `Bearer ${mine!}`, 'content-type': 'application/json' },
        body: JSON.stringify({ body: text }),
      });
      if (res.status !== 201) throw new Error(`reply answered ${res.status}: ${await res.text()}`);
      own.push((await seen) - at);
      await sleep(50);
    }
    lines.push(
      `Load: ${OTHER_STREAMS.toLocaleString('en')} other customers' streams open on the same API process (plus the customer's two); emulator default webhook timing.`,
      '',
      '| path | n | p50 | p95 | max |',
      '|---|---|---|---|---|',
      row(
        'staff stage change in HubSpot → `ticket` event (webhook → worker → mirror → stream)',
        summarize(staff),
      ),
      row("customer's own reply (POST replies) → `message` event in their other stream", summarize(own)),
      '',
    );
    emulator.setWebhookUrl(undefined);
    await stopApi(apiChild);
    apiChild = null;

    // 3. Cost of a stream, on a fresh API process with only these streams.
    const fanout = await startApi(root, env);
    apiChild = fanout.child;
    const fanoutUrl = `${fanout.url}/api/v1/tickets/events`;
    const warm = await openStreams(fanoutUrl, [mine!], agent);
    void warm;
    await sleep(1000);
    const before = rssMiB(fanout.child.pid!);
    const heapBefore = await heapMiB(fanout.url);
    const tokens = await customers(conn, FANOUT_STREAMS, () => ({
      contactId: ticket!.contact_id,
      companyId: ticket!.company_id,
    }));
    const opened = performance.now();
    const streams = await openStreams(fanoutUrl, tokens, agent);
    const openSeconds = (performance.now() - opened) / 1000;
    await sleep(2000);
    const after = rssMiB(fanout.child.pid!);
    const heapAfter = await heapMiB(fanout.url);
    const { noticeTicket, ticketNotices } = events.notices;
    const versions = new events.versions.TicketScopeVersionService(
      redis,
      new events.keys.RedisKeys(config.queuePrefix),
    );
    const scope = { contactId: ticket!.contact_id, companyId: ticket!.company_id };
    const rounds: number[] = [];
    for (let round = 0; round < FANOUT_ROUNDS; round += 1) {
      const subject = `Fan-out round ${round} ${randomBytes(3).toString('hex')}`;
      await conn.query('UPDATE tickets SET subject = ? WHERE id = ?', [subject, ticket!.id]);
      const seen = streams.map((s) => s.waitFor(JSON.stringify(subject)));
      const at = performance.now();
      await versions.bump([scope], ticketNotices([noticeTicket(Number(ticket!.id), [scope], null)]));
      const times = await Promise.all(seen);
      rounds.push(Math.max(...times) - at);
      await sleep(500);
    }
    const fan = summarize(rounds);
    lines.push(
      `Cost (fresh API process, ${FANOUT_STREAMS.toLocaleString('en')} streams of ${FANOUT_STREAMS.toLocaleString('en')} customers of one company, opened in ${openSeconds.toFixed(1)} s):`,
      '',
      '| measure | value |',
      '|---|---|',
      `| API process RSS before → with the streams open | ${before.toFixed(0)} MiB → ${after.toFixed(0)} MiB |`,
      `| memory per open stream (RSS) | ${(((after - before) * 1024) / FANOUT_STREAMS).toFixed(1)} KiB |`,
      `| JS heap in use before → with the streams open | ${heapBefore.toFixed(0)} MiB → ${heapAfter.toFixed(0)} MiB (${(((heapAfter - heapBefore) * 1024) / FANOUT_STREAMS).toFixed(1)} KiB per stream) |`,
      `| one change notice (XADD) → event in all ${FANOUT_STREAMS.toLocaleString('en')} streams, ${FANOUT_ROUNDS} rounds | p50 ${ms(fan.p50)}, max ${ms(fan.max)} |`,
    );
  } finally {
    if (apiChild) await stopApi(apiChild);
    agent.destroy();
    await worker.close();
    await conn.end();
    redis.disconnect();
    await emulator.close();
  }
  return lines.join('\n');
}
