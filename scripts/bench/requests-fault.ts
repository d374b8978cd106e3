// Fault run for portal requests (issue 6): BENCH_REQUESTS (default 1,000) submissions through the
// real API while the HubSpot emulator fails 30 % of its API calls (500/502/503), goes fully down for
// 60 s, and the worker — a child process running api/dist/worker.js — is killed with SIGKILL twice.
// Passes when HubSpot ends with exactly one ticket per submission (none twice, none lost) and every
// portal row is synced to a distinct HubSpot id. Records submit→visible (POST answered and the row
// seen in GET /tickets) and submit→in-HubSpot (the emulator's createdate of the ticket) p50/p95.
// The emulator's rate limits are raised, but the portal's own shared limiter still holds every process
// to 180 calls per 10 s, as against HubSpot. BENCH_REQUESTS_FAULTS=0 gives the fault-free baseline.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { createConnection, type RowDataPacket } from 'mysql2/promise';
import { benchApiEnv } from './api-env';
import { ms, summarize } from './stats';
import { type EmuTicket, loadBuilt } from './built';

const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));
const PASSWORD = 'fault-run-password-2026';

export async function benchRequestsFault(root: string): Promise<string> {
  const { api, emu } = loadBuilt(root);
  const total = Number(process.env.BENCH_REQUESTS ?? 1000);
  const customers = Number(process.env.BENCH_REQUEST_CUSTOMERS ?? 40);
  const outageS = Number(process.env.BENCH_OUTAGE_S ?? 60);
  // BENCH_REQUESTS_FAULTS=0: the same run without errors, outage or kills (the baseline).
  const faults = process.env.BENCH_REQUESTS_FAULTS !== '0';
  const database = 'ticket_portal_bench_requests';
  const redisUrl = process.env.BENCH_REQUESTS_REDIS_URL ?? 'redis://127.0.0.1:6379/3';

  const admin = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
  await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await admin.end();
  const flush = new Redis(redisUrl);
  await flush.flushdb();
  flush.disconnect();

  const emulator = await emu.startEmulator({
    port: 0,
    seed: { tickets: 50, seed: 6 },
    rateLimit: { max: 1_000_000, searchPerSecond: 10_000 },
  });
  const env = benchApiEnv(database, redisUrl, emulator, {
    SYNC_POLL_SECONDS: '30',
    LOG_LEVEL: 'error',
    ARGON2_MEMORY_KIB: '4096',
    ARGON2_TIME_COST: '1',
    // A few customers submit BENCH_REQUESTS (1,000) requests from one address: far past the limits
    // sized for a person (docs/requests.md), which would turn most of them into 429s.
    TICKET_SUBMIT_LIMITS: 'off',
    TICKET_REPLY_LIMITS: 'off',
    TICKET_CHANGE_LIMITS: 'off',
    TICKET_IP_LIMITS: 'off',
  });
  const config = api.loadConfig(env);
  await api.runMigrations(config);
  const http = await api.createHttpApp(config, { logger: false });
  emulator.setWebhookUrl(`${http.url}/api/v1/webhooks/hubspot`);
  const conn = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', database });

  let worker: ChildProcess | null = null;
  const startWorker = (): void => {
    worker = spawn(process.execPath, [join(root, 'api/dist/worker.js')], { env, stdio: 'ignore' });
  };
  const killWorker = (): void => {
    worker?.kill('SIGKILL');
    worker = null;
  };

  const events: string[] = [];
  const t0 = Date.now();
  const mark = (what: string): void => {
    events.push(`${((Date.now() - t0) / 1000).toFixed(1)} s ${what}`);
    console.error(`  requests-fault: ${events[events.length - 1]}`);
  };

  try {
    startWorker();
    // Accounts and sessions (the sign-in limit is 50 per 15 minutes per IP: few customers, many requests).
    const tokens: string[] = [];
    for (let i = 0; i < customers; i += 1) {
      const email = `fault-${i}-${Date.now().toString(36)}@bench.example`;
      await api.createAccount(config, { email, password: PASSWORD, name: `Fault Customer ${i}` });
      const res = await fetch(`${http.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email, password: PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login answered ${res.status}: ${await res.text()}`);
      tokens.push(((await res.json()) as { accessToken: string }).accessToken);
    }

    if (faults) {
      emulator.setFaults({ errorRate: 0.3 });
      mark('30 % of HubSpot calls fail from now on');
    }

    const submitted: Array<{ localId: string; startedAt: number; visibleMs: number }> = [];
    let next = 0;
    let clientRetries = 0;
    const submitOne = async (n: number): Promise<void> => {
      const token = tokens[n % tokens.length]!;
      const key = `fault-${n}`;
      const startedAt = Date.now();
      for (;;) {
        // A client retries with the same Idempotency-Key until the API answers.
        const res = await fetch(`${http.url}/api/v1/tickets`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'idempotency-key': key,
          },
          body: JSON.stringify({
            subject: `Fault run request ${n}`,
            description: `Submission ${n} of the fault run.`,
          }),
        }).catch(() => null);
        if (res && (res.status === 201 || res.status === 200)) {
          const body = (await res.json()) as { localId: string };
          const list = await fetch(
            `${http.url}/api/v1/tickets?limit=200&q=${encodeURIComponent(`Fault run request ${n}`)}`,
            {
              headers: { authorization: `Bearer ${token}` },
            },
          );
          const items = ((await list.json()) as { items: Array<{ localId: string }> }).items;
          if (!items.some((i) => i.localId === body.localId)) {
            throw new Error(`ticket ${body.localId} not in the list`);
          }
          submitted.push({ localId: body.localId, startedAt, visibleMs: Date.now() - startedAt });
          return;
        }
        clientRetries += 1;
        await sleep(200);
      }
    };
    const lanes = Array.from({ length: 16 }, async () => {
      for (;;) {
        const n = next++;
        if (n >= total) return;
        await submitOne(n);
        if (faults && n === Math.floor(total * 0.25)) {
          killWorker();
          mark('worker killed (SIGKILL) #1');
          setTimeout(() => {
            startWorker();
            mark('worker restarted');
          }, 2000);
        }
        if (faults && n === Math.floor(total * 0.5)) {
          emulator.setFaults({ outageSeconds: outageS });
          mark(`HubSpot fully down for ${outageS} s`);
          setTimeout(() => {
            killWorker();
            mark('worker killed (SIGKILL) #2');
            setTimeout(() => {
              startWorker();
              mark('worker restarted');
            }, 2000);
          }, 10_000);
        }
      }
    });
    await Promise.all(lanes);
    mark(`${submitted.length} submissions answered (${clientRetries} client retries)`);

    // Wait until every row is synced (or a timeout).
    let lastReport = Date.now();
    const limitMs = Number(process.env.BENCH_REQUESTS_TIMEOUT_S ?? 2400) * 1000;
    for (;;) {
      const [rows] = await conn.query<RowDataPacket[]>(
        'SELECT sync_state AS s, COUNT(*) AS n FROM tickets WHERE created_by_customer_id IS NOT NULL GROUP BY sync_state',
      );
      const by = Object.fromEntries(rows.map((r) => [String(r.s), Number(r.n)]));
      if ((by.synced ?? 0) >= total) break;
      if (Date.now() - t0 > limitMs) throw new Error(`not all synced in time: ${JSON.stringify(by)}`);
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        console.error(
          `  requests-fault: ${((Date.now() - t0) / 1000).toFixed(0)} s synced ${by.synced ?? 0}, pending ${by.pending ?? 0}, failed ${by.failed ?? 0}`,
        );
      }
      await sleep(500);
    }
    mark('every request synced');
    emulator.clearFaults();

    const [rows] = await conn.query<RowDataPacket[]>(
      'SELECT id, hubspot_id, request_key FROM tickets WHERE created_by_customer_id IS NOT NULL',
    );
    const keys = new Set(rows.map((r) => String(r.request_key)));
    const inHubSpot = [...emulator.store.records.tickets.values()].filter(
      (t) => !t.archived && t.props.tp_request_key && keys.has(t.props.tp_request_key),
    );
    const perKey = new Map<string, EmuTicket[]>();
    for (const t of inHubSpot) {
      perKey.set(t.props.tp_request_key!, [...(perKey.get(t.props.tp_request_key!) ?? []), t]);
    }
    const twice = [...perKey.values()].filter((l) => l.length > 1).length;
    const missing = [...keys].filter((k) => !perKey.has(k)).length;
    const hubspotIds = new Set(rows.map((r) => String(r.hubspot_id)));
    const localRows = rows.length;
    const ok =
      localRows === total &&
      inHubSpot.length === total &&
      twice === 0 &&
      missing === 0 &&
      hubspotIds.size === total;

    const byLocal = new Map(rows.map((r) => [String(r.id), r]));
    const created = new Map(inHubSpot.map((t) => [t.props.tp_request_key!, Date.parse(t.props.createdate!)]));
    const toHubSpot = submitted.map((s) => {
      const key = String(byLocal.get(s.localId)?.request_key);
      return (created.get(key) ?? NaN) - s.startedAt;
    });
    const visible = summarize(submitted.map((s) => s.visibleMs));
    const hub = summarize(toHubSpot.filter((n) => Number.isFinite(n)));
    const s = (n: number): string => `${(n / 1000).toFixed(1)} s`;
    return [
      `${ok ? 'PASS' : 'FAIL'}: ${total} submissions → ${inHubSpot.length} HubSpot tickets, ${twice} created twice, ${missing} missing, ${localRows} portal rows with ${hubspotIds.size} distinct HubSpot ids; ${clientRetries} client retries.`,
      '',
      '| measure | p50 | p95 | max |',
      '|---|---|---|---|',
      `| submit → visible in GET /tickets | ${ms(visible.p50)} | ${ms(visible.p95)} | ${ms(visible.max)} |`,
      `| submit → in HubSpot (${faults ? 'whole run, outage included' : 'no faults'}) | ${s(hub.p50)} | ${s(hub.p95)} | ${s(hub.max)} |`,
      '',
      `Timeline: ${events.join('; ')}.`,
    ].join('\n');
  } finally {
    killWorker();
    await http.close();
    await conn.end();
    await emulator.close();
  }
}
