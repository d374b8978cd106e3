// Customers' replies in a burst (issue 16): how soon support is told. BENCH_REPLIES (default 1,000)
// replies through the real API (api/dist/main.js) to BENCH_REPLY_TICKETS (500) tickets the portal
// made, from BENCH_REQUEST_LANES (64) concurrent clients signed in as 40 accounts (HubSpot contacts).
// Before the burst an agent took every ticket (an owner) and set 40 % of them "Waiting on contact"
// and 20 % closed, so the replies move those to the reply stage and each gives the owner a task
// (issue 13). Two scenarios in one run: batched delivery (DELIVERY_BATCH_SIZE 100, ADR 0015) and the
// per-record path (DELIVERY_BATCH_SIZE=1) as the baseline (BENCH_REPLIES_BASELINE=0 skips it).
// Records reply → its email in HubSpot and reply → the owner's task in HubSpot (the emulator's
// creation times) p50 / p95 / max, and HubSpot calls per reply (the emulator's call statistics, from
// the first reply until every reply row is done and HubSpot has then heard nothing for 3 s, at most
// 60 s: the mirror's conversation reads included). A scenario passes when every reply has exactly
// one email and one task, and every ticket that waited on the customer or was closed is in the
// reply stage. The emulator's rate limits are raised; the portal's shared limiter still holds every
// process to 180 calls per 10 s, as against HubSpot.
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { type RowDataPacket } from 'mysql2/promise';
import { type CallStats, type EmulatorLike, topRoutes } from './built';
import { signInCustomers, startBurstStack } from './burst-stack';
import { summarize } from './stats';

const sleep = (msec: number): Promise<void> => new Promise((r) => setTimeout(r, msec));
const PASSWORD = 'reply-run-password-2026';
const WAITING_ON_CONTACT = '2';
const CLOSED = '4';
/** PORTAL_REPLY_STAGE_ID's default on the emulator's pipeline: "New". */
const REPLY_STAGE = '1';

interface ScenarioResult {
  name: string;
  ok: boolean;
  summary: string;
  replyS: number;
  email: ReturnType<typeof summarize>;
  task: ReturnType<typeof summarize>;
  allDoneS: number;
  calls: CallStats;
}

export async function benchRepliesBurst(root: string): Promise<string> {
  const total = Number(process.env.BENCH_REPLIES ?? 1000);
  const scenarios: Array<{ name: string; batchSize: number }> = [
    { name: 'burst of replies, batched', batchSize: 100 },
  ];
  if (process.env.BENCH_REPLIES_BASELINE !== '0') {
    scenarios.push({ name: 'burst of replies, per record (baseline)', batchSize: 1 });
  }
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    console.error(`  replies-burst: scenario "${scenario.name}"`);
    results.push(await runScenario(root, scenario.name, scenario.batchSize, total));
  }
  const s = (n: number): string => `${(n / 1000).toFixed(1)} s`;
  const lines = [
    `${results.every((r) => r.ok) ? 'PASS' : 'FAIL'}: ${results.length} scenario(s) of ${total} replies.`,
    '',
    "| scenario | result | replies took | reply → email in HubSpot p50 / p95 / max | reply → owner's task p50 / p95 / max | all done after | HubSpot calls (per reply) |",
    '|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.summary} | ${r.replyS.toFixed(1)} s | ${s(r.email.p50)} / ${s(r.email.p95)} / ${s(r.email.max)} | ${s(r.task.p50)} / ${s(r.task.p95)} / ${s(r.task.max)} | ${r.allDoneS.toFixed(0)} s | ${r.calls.total} (${(r.calls.total / total).toFixed(3)}) |`,
    ),
    '',
  ];
  for (const r of results) {
    const top = topRoutes(r.calls, 8, ', ');
    lines.push(`${r.name}: top routes: ${top}.`, '');
  }
  return lines.join('\n');
}

async function runScenario(
  root: string,
  name: string,
  batchSize: number,
  total: number,
): Promise<ScenarioResult> {
  const ticketCount = Number(process.env.BENCH_REPLY_TICKETS ?? 500);
  const stack = await startBurstStack(root, {
    database: 'ticket_portal_bench_replies',
    redisUrl: process.env.BENCH_REPLIES_REDIS_URL ?? 'redis://127.0.0.1:6379/3',
    seed: { tickets: 10, seed: 16 },
    env: { DELIVERY_BATCH_SIZE: String(batchSize) },
  });
  const { emulator, env, http, conn } = stack;
  const worker: ChildProcess = spawn(process.execPath, [join(root, 'api/dist/worker.js')], {
    env,
    stdio: 'ignore',
  });
  const t0 = Date.now();
  const mark = (what: string): void => {
    console.error(`  replies-burst: ${((Date.now() - t0) / 1000).toFixed(1)} s ${what}`);
  };
  const lanes = Number(process.env.BENCH_REQUEST_LANES ?? 64);

  try {
    const tokens = await signInCustomers(stack, {
      count: 40,
      label: 'Reply',
      password: PASSWORD,
      asContacts: true,
    });

    // The tickets the customers will answer on: submitted, in HubSpot, then worked by an agent.
    const tickets: Array<{ localId: string; token: string }> = [];
    await inLanes(ticketCount, lanes, async (n) => {
      const token = tokens[n % tokens.length]!;
      const res = await post(`${http.url}/api/v1/tickets`, token, {
        subject: `Reply run ticket ${n}`,
        description: `Ticket ${n} of the reply run.`,
      });
      tickets[n] = { localId: (res as { localId: string }).localId, token };
    });
    await waitUntil('the tickets synced', async () => {
      const [[row]] = await conn.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM tickets WHERE created_by_customer_id IS NOT NULL AND sync_state = 'synced'",
      );
      return Number(row?.n) >= ticketCount;
    });
    const [synced] = await conn.query<RowDataPacket[]>(
      'SELECT id, hubspot_id FROM tickets WHERE created_by_customer_id IS NOT NULL',
    );
    const hubspotIdOf = new Map(synced.map((r) => [String(r.id), String(r.hubspot_id)]));
    const owner = emulator.store.owners.find((o) => !o.archived)!;
    const moved = new Set<string>();
    tickets.forEach((t, i) => {
      const id = hubspotIdOf.get(t.localId)!;
      emulator.staff.assignOwner(id, owner.id);
      if (i % 5 < 2) emulator.staff.moveStage(id, WAITING_ON_CONTACT);
      else if (i % 5 === 2) emulator.staff.moveStage(id, CLOSED);
      if (i % 5 < 3) moved.add(id);
    });
    // The agent's changes mirrored, the worker's start-up chores over: HubSpot has heard nothing for 1 s.
    await waitForQuiet(emulator, 1000, 120_000);
    mark(`${ticketCount} tickets in HubSpot, worked by an agent`);
    emulator.resetStats();

    const replies: Array<{ messageId: string; startedAt: number }> = [];
    const replyStart = Date.now();
    await inLanes(total, lanes, async (n) => {
      const ticket = tickets[n % tickets.length]!;
      const startedAt = Date.now();
      const res = await post(`${http.url}/api/v1/tickets/${ticket.localId}/replies`, ticket.token, {
        body: `Reply ${n} of the run: still waiting for the stems.`,
      });
      replies[n] = { messageId: (res as { id: string }).id, startedAt };
    });
    const replyS = (Date.now() - replyStart) / 1000;
    mark(`${total} replies answered`);
    await waitUntil('every reply delivered with its steps', async () => {
      const [[row]] = await conn.query<RowDataPacket[]>(
        "SELECT COUNT(*) AS n FROM request_outbox WHERE kind = 'reply' AND state = 'done'",
      );
      return Number(row?.n) >= total;
    });
    const allDoneS = (Date.now() - replyStart) / 1000;
    await waitForQuiet(emulator, 3000, 60_000);
    const calls = emulator.stats();
    mark(`every reply done; HubSpot quiet after ${calls.total} calls`);

    const [messages] = await conn.query<RowDataPacket[]>(
      `SELECT id, hubspot_id, request_key FROM ticket_messages WHERE id IN (${replies.map(() => '?').join(',')})`,
      replies.map((r) => r.messageId),
    );
    const byId = new Map(messages.map((m) => [String(m.id), m]));
    const tasksByKey = new Map<string, number[]>();
    for (const task of emulator.store.records.tasks.values()) {
      const key = task.props.tp_event_key;
      if (!task.archived && key) tasksByKey.set(key, [...(tasksByKey.get(key) ?? []), task.createdAt]);
    }
    const emailMs: number[] = [];
    const taskMs: number[] = [];
    let noEmail = 0;
    let taskProblems = 0;
    for (const reply of replies) {
      const message = byId.get(reply.messageId);
      const email = message?.hubspot_id
        ? emulator.store.records.emails.get(String(message.hubspot_id))
        : null;
      if (email) emailMs.push(email.createdAt - reply.startedAt);
      else noEmail += 1;
      const tasks = tasksByKey.get(String(message?.request_key)) ?? [];
      if (tasks.length === 1) taskMs.push(tasks[0]! - reply.startedAt);
      else taskProblems += 1;
    }
    const emailIds = new Set(messages.map((m) => String(m.hubspot_id)));
    const notMoved = [...moved].filter(
      (id) => emulator.store.records.tickets.get(id)?.props.hs_pipeline_stage !== REPLY_STAGE,
    ).length;
    const ok = noEmail === 0 && emailIds.size === total && taskProblems === 0 && notMoved === 0;
    return {
      name,
      ok,
      summary: `${ok ? 'PASS' : 'FAIL'}: ${emailIds.size} emails, ${total - taskProblems} replies with one task, ${moved.size - notMoved} of ${moved.size} tickets moved`,
      replyS,
      email: summarize(emailMs),
      task: summarize(taskMs),
      allDoneS,
      calls,
    };
  } finally {
    worker.kill('SIGKILL');
    await stack.close();
  }
}

/** Runs `work(0…count-1)` from `lanes` concurrent clients. */
async function inLanes(count: number, lanes: number, work: (n: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let n = next++; n < count; n = next++) await work(n);
    }),
  );
}

/** POSTs JSON as the customer; answers the body of a 200/201, throws otherwise. */
async function post(url: string, token: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  if (res.status !== 200 && res.status !== 201) {
    throw new Error(`${url} answered ${res.status}: ${await res.text()}`);
  }
  return res.json();
}

async function waitUntil(what: string, done: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + Number(process.env.BENCH_REPLIES_TIMEOUT_S ?? 1200) * 1000;
  while (!(await done())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

/** Until the emulator has answered no call for `quietMs` (at most `maxMs`). */
async function waitForQuiet(emulator: EmulatorLike, quietMs: number, maxMs: number): Promise<void> {
  const until = Date.now() + maxMs;
  for (let seen = -1, since = Date.now(); Date.now() < until; await sleep(250)) {
    const now = emulator.stats().total;
    if (now !== seen) [seen, since] = [now, Date.now()];
    else if (Date.now() - since >= quietMs) return;
  }
}
