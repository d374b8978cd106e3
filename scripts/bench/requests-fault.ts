// Portal requests under load and faults (issues 6 and 16). Each scenario: BENCH_REQUESTS (default
// 1,000) submissions through the real API (api/dist/main.js) and worker (api/dist/worker.js), each a
// child process.
// - burst: no faults, a burst of submissions (16 at a time);
// - faults: the HubSpot emulator fails 30 % of its API calls (500/502/503), goes fully down for 60 s,
//   and the worker is killed with SIGKILL twice.
// Both run with batched delivery (DELIVERY_BATCH_SIZE 100, ADR 0015); then, in the same run, the
// burst with the old per-request path (DELIVERY_BATCH_SIZE=1) as the baseline (BENCH_REQUESTS_BASELINE=0
// skips it; BENCH_REQUESTS_BASELINE=faults adds the fault run's baseline, about 10 minutes;
// BENCH_REQUESTS_FAULTS=0 skips the fault scenarios). Submissions come from BENCH_REQUEST_LANES (64)
// concurrent clients, signed in as 40 accounts that are HubSpot contacts (BENCH_REQUEST_NEW_CONTACTS=1:
// accounts HubSpot has no contact for, each made in the burst). A scenario passes when HubSpot ends with
// exactly one ticket per submission (none twice, none lost) and every portal row is synced to a
// distinct HubSpot id. Records submit→visible (POST answered and the row seen in GET /tickets),
// submit→in-HubSpot (the emulator's createdate) p50/p95/max, the last ticket's arrival after the
// outage ended, and HubSpot calls per delivered request (the emulator's call statistics, from the
// first submission until every request is synced and HubSpot has then heard nothing for 3 s, at
// most 60 s: the mirror's webhook reads and reconciles included). The emulator's rate limits are raised, but the portal's own shared limiter still holds
// every process to 180 calls per 10 s, as against HubSpot.
import { type ChildProcess, spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { type RowDataPacket } from 'mysql2/promise';
import { type CallStats, type EmuTicket, topRoutes } from './built';
import { signInCustomers, startBurstStack } from './burst-stack';
import { ms, summarize } from './stats';

const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));
const PASSWORD = 'fault-run-password-2026';

interface Scenario {
  name: string;
  faults: boolean;
  /** DELIVERY_BATCH_SIZE: 100 batches, 1 is the per-request path. */
  batchSize: number;
}

interface ScenarioResult {
  scenario: Scenario;
  ok: boolean;
  summary: string;
  visible: ReturnType<typeof summarize>;
  hub: ReturnType<typeof summarize>;
  /** Seconds from the outage's end to the last ticket's createdate (faults only). */
  lastAfterOutageS: number | null;
  /** From the first submission to the last one answered. */
  submitS: number;
  allSyncedS: number;
  /** Tickets HubSpot made per batch create call (null: the per-request path). */
  perBatch: number | null;
  calls: CallStats;
  timeline: string[];
}

export async function benchRequestsFault(root: string): Promise<string> {
  const withFaults = process.env.BENCH_REQUESTS_FAULTS !== '0';
  const withBaseline = process.env.BENCH_REQUESTS_BASELINE !== '0';
  const withFaultBaseline = withFaults && process.env.BENCH_REQUESTS_BASELINE === 'faults';
  const scenarios: Scenario[] = [
    { name: 'burst, batched', faults: false, batchSize: 100 },
    ...(withFaults ? [{ name: 'faults, batched', faults: true, batchSize: 100 }] : []),
    ...(withBaseline ? [{ name: 'burst, per request (baseline)', faults: false, batchSize: 1 }] : []),
    ...(withFaultBaseline ? [{ name: 'faults, per request (baseline)', faults: true, batchSize: 1 }] : []),
  ];
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    console.error(`  requests-fault: scenario "${scenario.name}"`);
    results.push(await runScenario(root, scenario));
  }
  const s = (n: number): string => `${(n / 1000).toFixed(1)} s`;
  const total = Number(process.env.BENCH_REQUESTS ?? 1000);
  const lines = [
    `${results.every((r) => r.ok) ? 'PASS' : 'FAIL'}: ${results.length} scenario(s) of ${total} submissions.`,
    '',
    '| scenario | result | submissions took | submit → visible p50 / p95 / max | submit → in HubSpot p50 / p95 / max | last in HubSpot after the outage ended | all synced after | tickets per batch create | HubSpot calls (per request) |',
    '|---|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.scenario.name} | ${r.summary} | ${r.submitS.toFixed(1)} s | ${ms(r.visible.p50)} / ${ms(r.visible.p95)} / ${ms(r.visible.max)} | ${s(r.hub.p50)} / ${s(r.hub.p95)} / ${s(r.hub.max)} | ${r.lastAfterOutageS === null ? '—' : `${r.lastAfterOutageS.toFixed(1)} s`} | ${r.allSyncedS.toFixed(0)} s | ${r.perBatch === null ? '—' : r.perBatch.toFixed(1)} | ${r.calls.total} (${(r.calls.total / total).toFixed(3)}) |`,
    ),
    '',
  ];
  for (const r of results) {
    const top = topRoutes(r.calls, 8, '; ');
    lines.push(
      `${r.scenario.name}: calls by status ${JSON.stringify(r.calls.byStatus)}; top routes: ${top}.`,
    );
    lines.push(`${r.scenario.name} timeline: ${r.timeline.join('; ')}.`, '');
  }
  return lines.join('\n');
}

async function runScenario(root: string, scenario: Scenario): Promise<ScenarioResult> {
  const total = Number(process.env.BENCH_REQUESTS ?? 1000);
  const customers = Number(process.env.BENCH_REQUEST_CUSTOMERS ?? 40);
  const outageS = Number(process.env.BENCH_OUTAGE_S ?? 60);
  // BENCH_REQUEST_NEW_CONTACTS=1: accounts HubSpot has no contact for (each gets one in the burst).
  const knownContacts = process.env.BENCH_REQUEST_NEW_CONTACTS !== '1';
  const faults = scenario.faults;
  const stack = await startBurstStack(root, {
    database: 'ticket_portal_bench_requests',
    redisUrl: process.env.BENCH_REQUESTS_REDIS_URL ?? 'redis://127.0.0.1:6379/3',
    seed: { tickets: 50, seed: 6 },
    env: {
      DELIVERY_BATCH_SIZE: String(scenario.batchSize),
      // BENCH_DELIVERY_WINDOW_MS: the gather window of batched delivery (the API's default otherwise).
      ...(process.env.BENCH_DELIVERY_WINDOW_MS
        ? { DELIVERY_BATCH_WINDOW_MS: process.env.BENCH_DELIVERY_WINDOW_MS }
        : {}),
    },
  });
  const { emulator, env, http, conn } = stack;

  let worker: ChildProcess | null = null;
  const startWorker = (): void => {
    // BENCH_WORKER_LOG=<file>: the worker's warnings and errors go there (a deadlock, a failed batch).
    const log = process.env.BENCH_WORKER_LOG ? openSync(process.env.BENCH_WORKER_LOG, 'a') : 'ignore';
    worker = spawn(process.execPath, [join(root, 'api/dist/worker.js')], {
      env: log === 'ignore' ? env : { ...env, LOG_LEVEL: 'warn' },
      stdio: ['ignore', log, log],
    });
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
    // The users of a customer whose service is down are its HubSpot contacts: the account links to
    // the contact when it is made (before the burst), and a request then costs no contact call.
    const tokens = await signInCustomers(stack, {
      count: customers,
      label: 'Fault',
      password: PASSWORD,
      asContacts: knownContacts,
    });

    // The worker's start-up chores (backfill, properties, account links) are not the burst's calls:
    // wait until the seeded tickets are mirrored and HubSpot has heard nothing for a second.
    for (let quiet = 0, seen = -1; quiet < 4;) {
      const [[mirrored]] = await conn.query<RowDataPacket[]>('SELECT COUNT(*) AS n FROM tickets');
      const [[unlinked]] = await conn.query<RowDataPacket[]>(
        'SELECT COUNT(*) AS n FROM customers WHERE hubspot_contact_id IS NULL',
      );
      const calls = emulator.stats().total;
      const linked = !knownContacts || Number(unlinked?.n) === 0;
      quiet = Number(mirrored?.n) >= 50 && linked && calls === seen ? quiet + 1 : 0;
      seen = calls;
      await sleep(250);
    }
    emulator.resetStats();
    if (faults) {
      emulator.setFaults({ errorRate: 0.3 });
      mark('30 % of HubSpot calls fail from now on');
    }

    const submitted: Array<{ localId: string; startedAt: number; visibleMs: number }> = [];
    let next = 0;
    let clientRetries = 0;
    let outageEndsAt: number | null = null;
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
    const submitStart = Date.now();
    const lanes = Array.from({ length: Number(process.env.BENCH_REQUEST_LANES ?? 64) }, async () => {
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
          outageEndsAt = Date.now() + outageS * 1000;
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
    const submitS = (Date.now() - submitStart) / 1000;
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
    const allSyncedS = (Date.now() - t0) / 1000;
    emulator.clearFaults();
    // What the burst costs HubSpot includes the mirror's reads it causes after the last commit.
    const quietUntil = Date.now() + 60_000;
    for (let seen = -1, since = Date.now(); Date.now() < quietUntil; await sleep(250)) {
      const now = emulator.stats().total;
      if (now !== seen) [seen, since] = [now, Date.now()];
      else if (Date.now() - since >= 3_000) break;
    }
    const calls = emulator.stats();
    mark(`HubSpot quiet after ${calls.total} calls`);

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
    const lastCreated = Math.max(...created.values());
    return {
      scenario,
      ok,
      summary: `${ok ? 'PASS' : 'FAIL'}: ${inHubSpot.length} tickets, ${twice} twice, ${missing} missing, ${hubspotIds.size} distinct ids; ${clientRetries} client retries`,
      visible,
      hub,
      lastAfterOutageS: outageEndsAt === null ? null : (lastCreated - outageEndsAt) / 1000,
      submitS,
      allSyncedS,
      // Batch creates HubSpot carried out (a 5xx the faults injected made nothing).
      perBatch:
        scenario.batchSize > 1
          ? total /
            Math.max(
              1,
              Object.entries(calls.statuses['POST /crm/v3/objects/tickets/batch/create'] ?? {})
                .filter(([status]) => status.startsWith('2'))
                .reduce((n, [, count]) => n + count, 0),
            )
          : null,
      calls,
      timeline: events,
    };
  } finally {
    killWorker();
    await stack.close();
  }
}
