// `npm run bench -- cluster` (issue 10, "the production shape, proven on one machine"): Debian's HAProxy
// in front of two API processes and two workers, on their OWN MariaDB (a fresh datadir in a temp
// folder) and Redis server processes — stopping those never disturbs the shared 3306/6379 services —
// with the HubSpot emulator. Signed-in virtual customers list, search, open tickets and submit requests
// (with Idempotency-Keys, one client retry) through the balancer while, in turn:
//   steady → kill -9 one API (restarted 3 s later, as a supervisor would) → rolling restart of every
//   API and worker (SIGTERM, wait for exit, start, wait healthy) → Redis restarted empty → MariaDB
//   stopped for 20 s → recovery.
// Per phase: requests, errors after the client's retry, submissions accepted; per fault: what /health
// said while it was wrong and how long recovery took; at the end, the emulator's tickets against the
// accepted submissions (lost, duplicated, still pending).
// Knobs: BENCH_CLUSTER_CUSTOMERS (12), BENCH_CLUSTER_STEADY_S (30), BENCH_CLUSTER_DB_DOWN_S (20),
// BENCH_CLUSTER_REDIS_DOWN_S (5), BENCH_CLUSTER_SYNC_WAIT_S (120), BENCH_KEEP=1 keeps the temp folder (process logs) for reading.
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { freePort } from '../lib/ports';
import { startChild, type Child } from '../lib/processes';
import { MissingServiceError, waitForPort } from '../lib/services';
import { benchApiEnv } from './api-env';
import { summarize } from './stats';
import { type EmulatorLike, loadBuilt } from './built';

const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));
const PASSWORD = 'cluster-run-password-2026';
const node = process.execPath;

function which(cmd: string, candidates: string[]): string | undefined {
  const found = candidates.find((p) => existsSync(p));
  if (found) return found;
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function requireTools(): { haproxy: string; mariadbd: string; installDb: string; redis: string } {
  const haproxy = which('haproxy', ['/usr/sbin/haproxy']);
  const mariadbd = which('mariadbd', ['/usr/sbin/mariadbd']);
  const installDb = which('mariadb-install-db', ['/usr/bin/mariadb-install-db']);
  const redis = which('redis-server', ['/usr/bin/redis-server']);
  const missing = [
    !haproxy && 'haproxy',
    (!mariadbd || !installDb) && 'mariadb-server',
    !redis && 'redis-server',
  ].filter(Boolean);
  if (missing.length > 0 || !haproxy || !mariadbd || !installDb || !redis) {
    throw new MissingServiceError(
      `The cluster benchmark runs its own load balancer, MariaDB and Redis: install them with \`sudo apt-get install -y ${missing.join(' ')}\`.`,
    );
  }
  return { haproxy, mariadbd, installDb, redis };
}

// HAProxy's runtime API: the state of each server as the balancer sees it, and its retry counters.
function haproxyStats(socket: string): Promise<Map<string, Record<string, string>>> {
  return new Promise((resolve, reject) => {
    const conn = connect(socket);
    let text = '';
    conn.on('data', (d) => (text += d.toString()));
    conn.on('error', reject);
    conn.on('end', () => {
      const [header, ...rows] = text.trim().split('\n');
      const names = (header ?? '').replace(/^# /, '').split(',');
      const out = new Map<string, Record<string, string>>();
      for (const row of rows) {
        const cells = row.split(',');
        const rec = Object.fromEntries(names.map((n, i) => [n, cells[i] ?? '']));
        out.set(`${rec.pxname}/${rec.svname}`, rec);
      }
      resolve(out);
    });
    conn.write('show stat\n');
  });
}

function haproxyConfig(port: number, socket: string, apis: Array<{ name: string; port: number }>): string {
  return `global
  maxconn 4096
  stats socket ${socket} mode 600 level admin

defaults
  mode http
  timeout connect 2s
  timeout client 60s
  timeout server 30s
  timeout queue 10s
  option http-keep-alive
  # Connection failures are retried on another server; idempotent requests also on an empty answer,
  # a timeout or a 502/503/504 (a process killed mid-request, or closing its listener).
  retries 2
  option redispatch 1
  retry-on conn-failure empty-response response-timeout 502 503 504

frontend portal
  bind 127.0.0.1:${port}
  default_backend api

backend api
  balance roundrobin
  # A POST that may have reached a server is the client's to retry (with its Idempotency-Key).
  http-request disable-l7-retry unless METH_GET || METH_HEAD
  option httpchk GET /api/v1/health
  http-check expect status 200
  default-server inter 500ms fastinter 250ms fall 2 rise 2
${apis.map((a) => `  server ${a.name} 127.0.0.1:${a.port} check`).join('\n')}
`;
}

interface Sample {
  phase: string;
  method: string;
  ok: boolean;
  status: number;
  retried: boolean;
  ms: number;
  /** Why the last attempt failed: the API's error code, HAProxy's own 503, or the network error. */
  detail?: string;
}

interface HealthObservation {
  at: number;
  api: string;
  status: number;
  message: string;
}

export async function benchCluster(root: string): Promise<string> {
  const tools = requireTools();
  const { api, emu } = loadBuilt(root);
  const customers = Number(process.env.BENCH_CLUSTER_CUSTOMERS ?? 12);
  const steadyS = Number(process.env.BENCH_CLUSTER_STEADY_S ?? 30);
  const dbDownS = Number(process.env.BENCH_CLUSTER_DB_DOWN_S ?? 20);
  const syncWaitS = Number(process.env.BENCH_CLUSTER_SYNC_WAIT_S ?? 120);
  const redisDownS = Number(process.env.BENCH_CLUSTER_REDIS_DOWN_S ?? 5);

  const dir = mkdtempSync(join(tmpdir(), 'tp-cluster-'));
  const logFile = (name: string): string => join(dir, `${name}.log`);
  const fileLog = (name: string, line: string): void => appendFileSync(logFile(name), `${line}\n`);
  const t0 = Date.now();
  const events: string[] = [];
  const mark = (what: string): void => {
    events.push(`${((Date.now() - t0) / 1000).toFixed(1)} s ${what}`);
    console.error(`  cluster: ${events[events.length - 1]}`);
  };

  const [dbPort, redisPort, lbPort, ...apiPorts] = await Promise.all([
    freePort(),
    freePort(),
    freePort(),
    freePort(),
    freePort(),
  ]);
  const database = 'ticket_portal_cluster';
  const redisUrl = `redis://127.0.0.1:${redisPort}`;
  const lbUrl = `http://127.0.0.1:${lbPort}`;
  const haproxySocket = join(dir, 'haproxy.sock');

  // Our own MariaDB: a fresh datadir, root without a password, TCP on a free port.
  const datadir = join(dir, 'mariadb');
  execFileSync(
    tools.installDb,
    [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--user=root',
    ],
    { stdio: 'ignore' },
  );
  const startMariadb = (): Child =>
    startChild(
      'mariadb',
      tools.mariadbd,
      [
        '--no-defaults',
        `--datadir=${datadir}`,
        `--port=${dbPort}`,
        '--bind-address=127.0.0.1',
        `--socket=${join(dir, 'mariadb.sock')}`,
        `--pid-file=${join(dir, 'mariadb.pid')}`,
        '--user=root',
        '--skip-grant-tables',
        '--skip-log-bin',
        '--innodb-buffer-pool-size=128M',
        '--innodb-flush-log-at-trx-commit=2',
        '--max-connections=300',
        '--character-set-server=utf8mb4',
        '--collation-server=utf8mb4_unicode_ci',
      ],
      { log: fileLog },
    );
  const startRedis = (): Child =>
    startChild(
      'redis',
      tools.redis,
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { log: fileLog },
    );

  const children = new Map<string, Child>();
  let emulator: EmulatorLike | undefined;
  let loadRunning = false;
  let healthRunning = false;
  const stopAll = async (failed: boolean): Promise<void> => {
    loadRunning = false;
    healthRunning = false;
    await Promise.all(
      [...children.entries()]
        .filter(([n]) => n.startsWith('api') || n.startsWith('worker') || n === 'haproxy')
        .map(([, c]) => c.stop()),
    );
    for (const name of ['redis', 'mariadb']) await children.get(name)?.stop();
    await emulator?.close();
    if (process.env.BENCH_KEEP === '1' || failed) console.error(`  cluster: logs kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  };

  try {
    children.set('mariadb', startMariadb());
    children.set('redis', startRedis());
    if (!(await waitForPort('127.0.0.1', dbPort, 60_000))) throw new Error('MariaDB did not start');
    if (!(await waitForPort('127.0.0.1', redisPort, 10_000))) throw new Error('Redis did not start');
    mark(`own MariaDB on ${dbPort} and Redis on ${redisPort} started`);

    emulator = await emu.startEmulator({
      port: 0,
      seed: { tickets: 100, seed: 10 },
      rateLimit: { max: 1_000_000, searchPerSecond: 10_000 },
    });
    emulator.setWebhookUrl(`${lbUrl}/api/v1/webhooks/hubspot`);
    const env = benchApiEnv(database, redisUrl, emulator, {
      DATABASE_URL: `mysql://root@127.0.0.1:${dbPort}/${database}`,
      LOG_LEVEL: 'warn',
      SYNC_POLL_SECONDS: '30',
      ARGON2_MEMORY_KIB: '4096',
      ARGON2_TIME_COST: '1',
      // Long enough for HAProxy (checks every 500 ms, down after 2 failures) to take it out first.
      SHUTDOWN_DELAY_SECONDS: '2',
      SHUTDOWN_TIMEOUT_SECONDS: '20',
      PORTAL_ORIGINS: lbUrl,
      // A dozen virtual customers submit far faster than a person, all from one address: the
      // per-person limits on ticket writes (docs/requests.md#limits) would turn the load into 429s.
      TICKET_SUBMIT_LIMITS: 'off',
      TICKET_REPLY_LIMITS: 'off',
      TICKET_CHANGE_LIMITS: 'off',
      TICKET_IP_LIMITS: 'off',
    });
    const config = api.loadConfig(env);
    await api.runMigrations(config);

    const apis = apiPorts.map((port, i) => ({ name: `api${i + 1}`, port: port }));
    const apiUrl = (name: string): string => `http://127.0.0.1:${apis.find((a) => a.name === name)!.port}`;
    const startApi = (name: string): Child => {
      const a = apis.find((x) => x.name === name)!;
      const child = startChild(name, node, [join(root, 'api/dist/main.js')], {
        env: { ...env, PORT: String(a.port) },
        log: fileLog,
      });
      children.set(name, child);
      return child;
    };
    const startWorker = (name: string): Child => {
      const child = startChild(name, node, [join(root, 'api/dist/worker.js')], { env, log: fileLog });
      children.set(name, child);
      return child;
    };
    const apiHealthy = async (name: string): Promise<boolean> => {
      try {
        const res = await fetch(`${apiUrl(name)}/api/v1/health`, { signal: AbortSignal.timeout(3000) });
        return res.status === 200;
      } catch {
        return false;
      }
    };
    const balancerUp = async (name: string): Promise<boolean> => {
      const stats = await haproxyStats(haproxySocket).catch(() => new Map<string, Record<string, string>>());
      return stats.get(`api/${name}`)?.status === 'UP';
    };
    const workerHealthy = (child: Child): boolean =>
      spawnSync(
        node,
        [
          join(root, 'api/dist/cli/worker-health.js'),
          '--pid',
          String(child.process.pid),
          '--max-age-seconds',
          '10',
        ],
        { env: { ...process.env, REDIS_URL: redisUrl, QUEUE_PREFIX: config.queuePrefix }, stdio: 'ignore' },
      ).status === 0;
    const until = async (
      what: string,
      check: () => boolean | Promise<boolean>,
      ms = 60_000,
    ): Promise<number> => {
      const started = Date.now();
      while (!(await check())) {
        if (Date.now() - started > ms) throw new Error(`${what} did not happen within ${ms / 1000} s`);
        await sleep(200);
      }
      return Date.now() - started;
    };

    // The workers' repeatable jobs (reconcile, outbox relay, cleanup): all of them live only in Redis.
    const SCHEDULED_QUEUES = ['sync-reconcile', 'requests', 'maintenance'];
    const countSchedulers = async (): Promise<number> => {
      let total = 0;
      for (const name of SCHEDULED_QUEUES) {
        const queue = new Queue(name, {
          connection: { host: '127.0.0.1', port: redisPort },
          prefix: config.queuePrefix,
        });
        try {
          total += await queue.getJobSchedulersCount();
        } finally {
          await queue.close();
        }
      }
      return total;
    };

    for (const a of apis) startApi(a.name);
    startWorker('worker1');
    startWorker('worker2');
    for (const a of apis) await until(`${a.name} healthy`, () => apiHealthy(a.name));
    for (const w of ['worker1', 'worker2']) {
      await until(`${w} heartbeat`, () => workerHealthy(children.get(w)!));
    }
    const schedulersAtStart = await countSchedulers();
    writeFileSync(join(dir, 'haproxy.cfg'), haproxyConfig(lbPort, haproxySocket, apis));
    children.set(
      'haproxy',
      startChild('haproxy', tools.haproxy, ['-db', '-f', join(dir, 'haproxy.cfg')], { log: fileLog }),
    );
    for (const a of apis) await until(`${a.name} up in HAProxy`, () => balancerUp(a.name));
    mark('HAProxy in front of 2 APIs; 2 workers; emulator as HubSpot');

    // Signed-in customers (through the balancer). The first one is the emulator's demo contact, whose
    // company has seeded tickets to list and search; the others see their own submissions.
    const tokens: string[] = [];
    for (let i = 0; i < customers; i += 1) {
      const email = i === 0 ? 'demo@example.com' : `cluster-${i}-${Date.now().toString(36)}@bench.example`;
      await api.createAccount(config, { email, password: PASSWORD, name: `Cluster Customer ${i}` });
      const res = await fetch(`${lbUrl}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
      tokens.push(((await res.json()) as { accessToken: string }).accessToken);
    }

    // --- load -------------------------------------------------------------------------------------
    let phase = 'steady';
    const samples: Sample[] = [];
    const accepted = new Map<string, string[]>(); // Idempotency-Key → localIds answered
    const acceptedByPhase = new Map<string, number>();
    let submissionSeq = 0;
    const words = ['invoice', 'royalty', 'statement', 'cue', 'licence', 'payment', 'request'];

    const call = async (
      method: 'GET' | 'POST',
      path: string,
      token: string,
      body?: unknown,
      key?: string,
    ): Promise<{ status: number; json: unknown }> => {
      const started = Date.now();
      const phaseAtStart = phase;
      let retried = false;
      let status = 0;
      let json: unknown = null;
      let detail: string | undefined;
      for (let attempt = 0; attempt < 2; attempt += 1) {
        try {
          const res = await fetch(`${lbUrl}${path}`, {
            method,
            headers: {
              authorization: `Bearer ${token}`,
              ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              ...(key ? { 'idempotency-key': key } : {}),
            },
            body: body === undefined ? undefined : JSON.stringify(body),
            signal: AbortSignal.timeout(15_000),
          });
          status = res.status;
          json = await res.json().catch(() => null);
          const code = (json as { code?: string } | null)?.code;
          // HAProxy's own answers are HTML: 503 when no server is up in its eyes.
          detail = `${status} ${code ?? (json === null ? 'from HAProxy' : '')}`.trim();
        } catch (error) {
          status = 0;
          const cause = (error as { cause?: { code?: string; message?: string } }).cause;
          detail = `no answer (${cause?.code ?? cause?.message ?? (error instanceof Error ? error.name : 'error')})`;
        }
        if (status !== 0 && status < 500) break;
        if (attempt === 0) {
          // The client's own single retry (same Idempotency-Key), after a short pause.
          retried = true;
          await sleep(500);
        }
      }
      samples.push({
        phase: phaseAtStart,
        method,
        ok: status >= 200 && status < 300,
        status,
        retried,
        ms: Date.now() - started,
        ...(status >= 200 && status < 300 ? {} : { detail }),
      });
      return { status, json };
    };

    // Live updates (SSE) are a later issue. When they land, each customer also holds a stream here and
    // the report counts reconnects per phase; the API's DrainState already closes streams with a retry
    // hint when a process drains (api/src/common/lifecycle/drain-state.ts).
    const customer = async (n: number): Promise<void> => {
      const token = tokens[n]!;
      let iteration = 0;
      while (loadRunning) {
        iteration += 1;
        const list = await call('GET', '/api/v1/tickets?limit=20', token);
        const items = ((list.json as { items?: Array<{ localId: string }> } | null)?.items ?? []).slice(0, 5);
        await sleep(200);
        const word = words[(n + iteration) % words.length]!;
        await call('GET', `/api/v1/tickets?limit=20&q=${word}`, token);
        await sleep(200);
        const pick = items[iteration % Math.max(1, items.length)];
        if (pick) {
          await call('GET', `/api/v1/tickets/${pick.localId}`, token);
          await sleep(200);
        }
        if (iteration % 5 === n % 5) {
          submissionSeq += 1;
          const key = `cluster-${n}-${submissionSeq}`;
          const res = await call(
            'POST',
            '/api/v1/tickets',
            token,
            { subject: `Cluster request ${key}`, description: `Submitted during phase ${phase}.` },
            key,
          );
          const localId = (res.json as { localId?: string } | null)?.localId;
          if ((res.status === 201 || res.status === 200) && localId) {
            accepted.set(key, [...new Set([...(accepted.get(key) ?? []), localId])]);
            acceptedByPhase.set(phase, (acceptedByPhase.get(phase) ?? 0) + 1);
          }
          await sleep(200);
        }
      }
    };

    // /health of each API, straight (not through the balancer), every 500 ms.
    const health: HealthObservation[] = [];
    const healthLoop = async (): Promise<void> => {
      while (healthRunning) {
        await Promise.all(
          apis.map(async (a) => {
            let status = 0;
            let message = 'no answer (process down)';
            try {
              const res = await fetch(`${apiUrl(a.name)}/api/v1/health`, {
                signal: AbortSignal.timeout(3000),
              });
              status = res.status;
              const b = (await res.json()) as {
                message?: string;
                checks?: Record<string, { status: string; error?: string }>;
              };
              const down = Object.entries(b.checks ?? {})
                .filter(([, c]) => c.status === 'down')
                .map(([name, c]) => `${name}: ${c.error ?? 'down'}`);
              message =
                status === 200 ? 'ok' : `${b.message ?? ''}${down.length > 0 ? ` (${down.join('; ')})` : ''}`;
            } catch (error) {
              if (error instanceof Error && error.name === 'TimeoutError') message = 'no answer within 3 s';
            }
            health.push({ at: Date.now(), api: a.name, status, message });
          }),
        );
        await sleep(500);
      }
    };

    interface PhaseRecord {
      name: string;
      startedAt: number;
      endedAt: number;
    }
    const phases: PhaseRecord[] = [];
    const enter = (name: string): void => {
      const now = Date.now();
      const last = phases[phases.length - 1];
      if (last) last.endedAt = now;
      phases.push({ name, startedAt: now, endedAt: now });
      phase = name;
      mark(`phase: ${name}`);
    };
    interface FaultRecord {
      fault: string;
      saw: string[];
      recover: string;
    }
    const faults: FaultRecord[] = [];
    const sawBetween = (from: number, to: number): string[] => [
      ...new Set(
        health
          .filter((h) => h.at >= from && h.at <= to && h.status !== 200)
          .map((h) => `${h.status || '—'} ${h.message}`),
      ),
    ];
    const allHealthy = async (): Promise<boolean> =>
      (await Promise.all(apis.map((a) => apiHealthy(a.name)))).every(Boolean);
    // HAProxy needs `rise` good checks in a row before it sends traffic again.
    const allInRotation = async (): Promise<boolean> =>
      (await Promise.all(apis.map((a) => balancerUp(a.name)))).every(Boolean);

    loadRunning = true;
    healthRunning = true;
    const load = Array.from({ length: customers }, (_, n) => customer(n));
    const healthDone = healthLoop();

    enter('steady');
    await sleep(steadyS * 1000);

    // 1. kill -9 one API; it is started again 3 s later, as a supervisor would.
    enter('api1 killed (kill -9)');
    const killedAt = Date.now();
    children.get('api1')!.process.kill('SIGKILL');
    const outAfter = await until('api1 out of HAProxy', async () => !(await balancerUp('api1')), 20_000);
    await sleep(Math.max(0, 3000 - (Date.now() - killedAt)));
    startApi('api1');
    await until('api1 healthy', () => apiHealthy('api1'));
    await until('api1 back in HAProxy', () => balancerUp('api1'));
    faults.push({
      fault: 'kill -9 api1 (restarted after 3 s)',
      saw: sawBetween(killedAt, Date.now()),
      recover: `HAProxy took it out after ${(outAfter / 1000).toFixed(1)} s; back in rotation ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`,
    });
    await sleep(5000);

    // 2. Rolling restart: every process in turn, gracefully.
    enter('rolling restart (SIGTERM each)');
    const rollStarted = Date.now();
    const rollSteps: string[] = [];
    for (const name of ['api1', 'api2', 'worker1', 'worker2']) {
      const stepStart = Date.now();
      const old = children.get(name)!;
      old.process.kill('SIGTERM');
      const code = await old.exited;
      const stopMs = Date.now() - stepStart;
      if (name.startsWith('api')) {
        startApi(name);
        await until(`${name} healthy`, () => apiHealthy(name));
        await until(`${name} back in HAProxy`, () => balancerUp(name));
      } else {
        const child = startWorker(name);
        await until(`${name} heartbeat`, () => workerHealthy(child));
      }
      rollSteps.push(
        `${name} stopped in ${(stopMs / 1000).toFixed(1)} s (exit ${String(code)}), ready again after ${((Date.now() - stepStart) / 1000).toFixed(1)} s`,
      );
      mark(rollSteps[rollSteps.length - 1]!);
    }
    faults.push({
      fault: 'rolling restart of api1, api2, worker1, worker2',
      saw: sawBetween(rollStarted, Date.now()),
      recover: `${((Date.now() - rollStarted) / 1000).toFixed(1)} s for all four (${rollSteps.join('; ')})`,
    });
    await sleep(5000);

    // 3. Redis restarted empty (no persistence): queues, schedulers, caches and throttles are gone.
    enter(`Redis down ${redisDownS} s, back empty`);
    const redisAt = Date.now();
    await children.get('redis')!.stop();
    await sleep(redisDownS * 1000);
    children.set('redis', startRedis());
    await waitForPort('127.0.0.1', redisPort, 10_000);
    const redisBack = Date.now();
    const redisHealthy = await until('health ok after the Redis restart', allHealthy);
    const redisRotation = redisHealthy + (await until('APIs back in HAProxy', allInRotation));
    const heartbeats = await until(
      'worker heartbeats after the Redis restart',
      () => workerHealthy(children.get('worker1')!) && workerHealthy(children.get('worker2')!),
    ).catch(() => NaN);
    faults.push({
      fault: `Redis stopped ${redisDownS} s, restarted empty`,
      saw: sawBetween(redisAt, Date.now()),
      recover: `Redis back after ${((redisBack - redisAt) / 1000).toFixed(1)} s; /health ok ${(redisHealthy / 1000).toFixed(1)} s later, both APIs back in HAProxy after ${(redisRotation / 1000).toFixed(1)} s; worker heartbeats ${Number.isNaN(heartbeats) ? 'not back within 60 s' : `back ${(heartbeats / 1000).toFixed(1)} s later`}`,
    });
    enter('after Redis restart');
    await sleep(15_000);

    // 4. MariaDB stopped for 20 s (clean shutdown, same datadir when it comes back).
    enter(`MariaDB stopped ${dbDownS} s`);
    const dbAt = Date.now();
    await children.get('mariadb')!.stop();
    await sleep(dbDownS * 1000);
    children.set('mariadb', startMariadb());
    await waitForPort('127.0.0.1', dbPort, 60_000);
    const dbBack = Date.now();
    const dbHealthy = await until('health ok after MariaDB is back', allHealthy, 120_000);
    const dbRotation = dbHealthy + (await until('APIs back in HAProxy', allInRotation));
    faults.push({
      fault: `MariaDB stopped for ${dbDownS} s`,
      saw: sawBetween(dbAt, Date.now()),
      recover: `MariaDB answering again ${((dbBack - dbAt) / 1000).toFixed(1)} s after the stop; /health ok ${(dbHealthy / 1000).toFixed(1)} s after that, both APIs back in HAProxy after ${(dbRotation / 1000).toFixed(1)} s`,
    });
    enter('recovery');
    await sleep(20_000);

    const lastPhase = phases[phases.length - 1]!;
    lastPhase.endedAt = Date.now();
    loadRunning = false;
    await Promise.all(load);
    healthRunning = false;
    await healthDone;
    mark(`load stopped: ${samples.length} requests, ${accepted.size} submissions accepted`);

    // --- were the accepted submissions delivered to HubSpot exactly once? -------------------------
    const conn = await createConnection({ host: '127.0.0.1', port: dbPort, user: 'root', database });
    let pendingRows = 0;
    const syncStart = Date.now();
    for (;;) {
      const [rows] = await conn.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM tickets WHERE created_by_customer_id IS NOT NULL AND sync_state <> 'synced'",
      );
      pendingRows = Number(rows[0]!.n);
      if (pendingRows === 0 || Date.now() - syncStart > syncWaitS * 1000) break;
      await sleep(1000);
    }
    mark(
      pendingRows === 0
        ? `every accepted submission synced ${((Date.now() - syncStart) / 1000).toFixed(1)} s after the load stopped`
        : `${pendingRows} submissions still not synced ${syncWaitS} s after the load stopped`,
    );
    const [rows] = await conn.query<RowDataPacket[]>(
      'SELECT id, subject, request_key, sync_state FROM tickets WHERE created_by_customer_id IS NOT NULL',
    );
    const [outbox] = await conn.query<RowDataPacket[]>(
      'SELECT state, COUNT(*) AS n FROM request_outbox GROUP BY state',
    );
    await conn.end();
    const lbStats = await haproxyStats(haproxySocket);
    const schedulersAtEnd = await countSchedulers();

    const rowsBySubject = new Map<string, RowDataPacket[]>();
    for (const r of rows) {
      const key = String(r.subject).replace(/^Cluster request /, '');
      rowsBySubject.set(key, [...(rowsBySubject.get(key) ?? []), r]);
    }
    const hubspot = new Map<string, number>();
    for (const t of emulator.store.records.tickets.values()) {
      const k = t.props.tp_request_key;
      if (!t.archived && k) hubspot.set(k, (hubspot.get(k) ?? 0) + 1);
    }
    let lostInPortal = 0;
    let twiceInPortal = 0;
    let notInHubSpot = 0;
    let twiceInHubSpot = 0;
    for (const [key, localIds] of accepted) {
      const inPortal = rowsBySubject.get(key) ?? [];
      if (inPortal.length === 0) lostInPortal += 1;
      if (inPortal.length > 1 || localIds.length > 1) twiceInPortal += 1;
      for (const r of inPortal) {
        const n = hubspot.get(String(r.request_key)) ?? 0;
        if (n === 0) notInHubSpot += 1;
        if (n > 1) twiceInHubSpot += 1;
      }
    }
    const unanswered = [...rowsBySubject.keys()].filter((k) => !accepted.has(k)).length;

    // --- report -----------------------------------------------------------------------------------
    const table = [
      '| phase | duration | requests | errors after the client retry | client retries | submissions accepted | p95 | max |',
      '|---|---|---|---|---|---|---|---|',
    ];
    for (const p of phases) {
      const s = samples.filter((x) => x.phase === p.name);
      const errors = s.filter((x) => !x.ok);
      const byDetail = new Map<string, number>();
      for (const e of errors) byDetail.set(e.detail ?? '?', (byDetail.get(e.detail ?? '?') ?? 0) + 1);
      const errorText =
        errors.length === 0
          ? '0'
          : `${errors.length} (${[...byDetail].map(([d, n]) => `${n}× ${d}`).join(', ')})`;
      table.push(
        `| ${p.name} | ${((p.endedAt - p.startedAt) / 1000).toFixed(0)} s | ${s.length} | ${errorText} | ${s.filter((x) => x.retried).length} | ${acceptedByPhase.get(p.name) ?? 0} | ${summarize(s.map((x) => x.ms)).p95.toFixed(0)} ms | ${summarize(s.map((x) => x.ms)).max.toFixed(0)} ms |`,
      );
    }
    const faultTable = ['| fault | what /health said while it was wrong | recovery |', '|---|---|---|'];
    for (const f of faults) {
      faultTable.push(
        `| ${f.fault} | ${f.saw.length === 0 ? 'always 200' : f.saw.map((x) => `\`${x}\``).join('<br>')} | ${f.recover} |`,
      );
    }
    const backend = lbStats.get('api/BACKEND');
    const ok = lostInPortal === 0 && twiceInPortal === 0 && notInHubSpot === 0 && twiceInHubSpot === 0;
    const report = [
      `${ok ? 'PASS' : 'FAIL'}: ${accepted.size} submissions accepted → ${rows.length} portal rows, ${lostInPortal} lost, ${twiceInPortal} duplicated in the portal; in HubSpot ${notInHubSpot} missing, ${twiceInHubSpot} created twice; ${pendingRows} not synced at the end (outbox: ${outbox.map((o) => `${String(o.state)} ${String(o.n)}`).join(', ')}); ${unanswered} rows for submissions whose answer the client never saw.`,
      '',
      `Worker job schedulers in Redis (reconcile, sweep, outbox relay, request-form refresh, cleanup): ${schedulersAtStart} at the start, ${schedulersAtEnd} at the end${schedulersAtEnd < schedulersAtStart ? ' — lost with the empty Redis and not registered again' : ''}.`,
      '',
      `${samples.length} requests by ${customers} signed-in customers through HAProxy ${execFileSync(
        tools.haproxy,
        ['-v'],
        { encoding: 'utf8' },
      )
        .split('\n')[0]!
        .replace(
          /^HAProxy version (\S+).*/,
          '$1',
        )} (balancer retries ${backend?.wretr ?? '?'}, redispatches ${backend?.wredis ?? '?'}).`,
      '',
      ...table,
      '',
      ...faultTable,
      '',
      `Timeline: ${events.join('; ')}.`,
    ].join('\n');
    await stopAll(false);
    return report;
  } catch (error) {
    await stopAll(true);
    throw error;
  }
}
