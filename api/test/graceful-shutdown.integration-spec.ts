import { type CrmRecord } from '@ticket-portal/hubspot-emulator';
import { createConnection, type Connection } from 'mysql2/promise';
import { createHttpApp } from '../src/app-factory';
import { createAccount } from '../src/cli/create-account';
import { checkWorkerHealth } from '../src/cli/worker-health';
import { readWorkerBeats } from '../src/common/lifecycle/worker-heartbeat';
import { QueueName } from '../src/queues/queue.constants';
import { createWorker, type WorkerHandle } from '../src/worker-factory';
import { GOOD_PASSWORD, login, uniqueEmail, useTestStack, waitForStages } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 10 "the production shape": SIGTERM drains an API process (health 503 "draining" first, the
// listener closes, in-flight requests still finish) and a worker (no new jobs, running ones finish).

async function refused(url: string): Promise<boolean> {
  try {
    // A new connection each time: an idle keep-alive one would not show whether the listener is open.
    await fetch(url, { headers: { connection: 'close' }, signal: AbortSignal.timeout(5000) });
    return false;
  } catch (error) {
    // Refused, or closed without an answer: the listener is gone. A slow answer (a busy machine)
    // only means it has not closed yet.
    return !(error instanceof DOMException && error.name === 'TimeoutError');
  }
}

// The in-flight requests below live as long as this test lets them: its timeout is theirs.
const DRAIN_TEST_MS = 60_000;

interface Submitted {
  localId: string;
  syncState: string;
}

describe('graceful shutdown', () => {
  const stack = useTestStack({
    emulator: { seed: { tickets: 5, seed: 10 }, rateLimit: { max: 100_000, searchPerSecond: 1000 } },
    env: {
      SYNC_POLL_SECONDS: '3600',
      // Long enough for the test to see the draining health answer before the listener closes.
      SHUTDOWN_DELAY_SECONDS: '3',
      // A batch takes only what is due when it starts (ADR 0015): the request submitted while the worker
      // drains is a new job, which a draining worker must leave for the next one.
      DELIVERY_BATCH_WINDOW_MS: '0',
    },
  });
  let locker: Connection;
  let token: string;

  function hubspotTicketsWithKey(requestKey: string): CrmRecord[] {
    return [...stack.emulator.store.records.tickets.values()].filter(
      (t) => !t.archived && t.props.tp_request_key === requestKey,
    );
  }

  async function syncState(localId: string): Promise<{ sync_state: string; request_key: string }> {
    const [row] = await stack.query<{ sync_state: string; request_key: string }>(
      'SELECT sync_state, request_key FROM tickets WHERE id = ?',
      [localId],
    );
    return row!;
  }

  beforeAll(async () => {
    const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
    const email = uniqueEmail('shutdown');
    await createAccount({ database, argon2MemoryKib, argon2TimeCost }, { email, password: GOOD_PASSWORD });
    const signedIn = await login(stack, email, GOOD_PASSWORD);
    token = signedIn.body.accessToken;
    const { host, port, username, password, database: name } = stack.config.database;
    locker = await createConnection({ host, port, user: username, password, database: name });
    // The worker's first backfill mirrors the pipelines that new requests are labelled with.
    await waitForStages(stack);
  }, 90_000);

  afterEach(async () => {
    // A failed drain test must not leave the tickets table locked for the next one.
    await locker?.query('UNLOCK TABLES');
  });

  afterAll(async () => {
    await locker?.end();
  });

  it(
    'should answer in-flight requests, then close, when the API drains',
    async () => {
      const api = stack.api;
      // Requests that are in flight for as long as the test wants: they wait on a table lock.
      await locker.query('LOCK TABLES tickets WRITE');
      const list = stack.request<{ items: unknown[] }>('GET', '/api/v1/tickets', {
        token,
        timeoutMs: DRAIN_TEST_MS,
      });
      const submit = stack.request<Submitted>('POST', '/api/v1/tickets', {
        token,
        body: { subject: 'Sent while the API shuts down', description: 'It must not be lost.' },
        headers: { 'idempotency-key': 'graceful-shutdown-1' },
        timeoutMs: DRAIN_TEST_MS,
      });
      // Both are blocked on the lock (the worker's own queries may wait there too; they are not counted).
      await waitFor(
        'requests waiting on the lock',
        async () =>
          stack.query<{ sql: string }>(
            "SELECT info AS `sql` FROM information_schema.processlist WHERE db = DATABASE() AND state LIKE 'Waiting for table%'",
          ),
        (rows) =>
          rows.some((r) => /^INSERT INTO tickets /.test(r.sql)) &&
          rows.some((r) => /^SELECT/i.test(r.sql) && /tickets/.test(r.sql)),
      );

      const stopping = api.shutdown();
      // Draining: the balancer's health check fails at once, while traffic is still served.
      const health = await fetch(`${api.url}/api/v1/health`);
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({
        status: 'draining',
        code: 'SHUTTING_DOWN',
        message: expect.stringContaining('shutting down'),
      });
      const portal = await fetch(`${api.url}/api/v1/portal`);
      expect(portal.status).toBe(200);
      expect(portal.headers.get('connection')).toBe('close');

      // Then the listener closes while both requests are still running.
      await waitFor(
        'listener closed',
        () => refused(`${api.url}/api/v1/portal`),
        (r) => r,
        DRAIN_TEST_MS / 2,
      );
      await locker.query('UNLOCK TABLES');

      const [listed, submitted] = await Promise.all([list, submit]);
      expect(listed.status).toBe(200);
      expect(submitted.status).toBe(201);
      await stopping;
      const [row] = await stack.query<{ n: number }>(
        "SELECT COUNT(*) AS n FROM tickets t JOIN request_outbox o ON o.ticket_id = t.id WHERE t.subject = 'Sent while the API shuts down'",
      );
      expect(Number(row!.n)).toBe(1);
    },
    DRAIN_TEST_MS,
  );

  it('should report a worker healthy by its heartbeat, and say what is wrong when it is not', async () => {
    const beats = await readWorkerBeats(stack.redis, stack.keys);
    expect(beats.length).toBeGreaterThan(0);
    const { host, pid } = beats[0]!;
    const base = {
      redisUrl: stack.config.redisUrl,
      queuePrefix: stack.config.queuePrefix,
      maxAgeSeconds: 30,
    };
    await expect(checkWorkerHealth({ ...base, host, pid })).resolves.toMatchObject({
      ok: true,
      message: expect.stringMatching(/^1 worker\(s\) alive/),
    });
    await expect(checkWorkerHealth({ ...base, host: 'no-such-host' })).resolves.toEqual({
      ok: false,
      message: 'no worker heartbeat in Redis for host no-such-host',
    });
    await expect(
      checkWorkerHealth({ ...base, redisUrl: 'redis://127.0.0.1:9', host: undefined }),
    ).resolves.toMatchObject({ ok: false, message: expect.stringMatching(/^Redis is not answering/) });
  });

  it('should finish a running job and take no new one when the worker drains', async () => {
    const queue = stack.queue(QueueName.Requests);
    let next: WorkerHandle | undefined;
    try {
      // The API above is closed: a fresh one for this test's submissions.
      const api = await createHttpApp(stack.config, { logger: false });
      const post = async (subject: string, key: string): Promise<Submitted> => {
        const res = await fetch(`${api.url}/api/v1/tickets`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${token}`,
            'idempotency-key': key,
          },
          body: JSON.stringify({ subject, description: 'Delivered across a worker restart.' }),
        });
        expect(res.status).toBe(201);
        return (await res.json()) as Submitted;
      };
      try {
        expect((await readWorkerBeats(stack.redis, stack.keys)).length).toBeGreaterThan(0);

        // Slow HubSpot: the delivery job is still running when the worker is told to stop.
        stack.emulator.setFaults({ latencyMs: 1500 });
        const first = await post('Delivered while the worker stops', 'graceful-worker-1');
        await waitFor(
          'delivery running',
          () => queue.getActiveCount(),
          (n) => n >= 1,
        );
        const stopping = stack.worker.shutdown();
        // Its heartbeat goes first, so health checks stop counting it while it drains.
        await waitFor(
          'heartbeat removed',
          async () => (await readWorkerBeats(stack.redis, stack.keys)).length,
          (n) => n === 0,
        );
        const second = await post('Submitted while the worker stops', 'graceful-worker-2');
        await stopping;

        expect((await syncState(first.localId)).sync_state).toBe('synced');
        expect(hubspotTicketsWithKey((await syncState(first.localId)).request_key)).toHaveLength(1);
        // The stopping worker took no new job: the second one waits for the next worker.
        expect((await syncState(second.localId)).sync_state).toBe('pending');

        stack.emulator.clearFaults();
        next = await createWorker(stack.config, { logger: false });
        await waitFor(
          'second synced',
          async () => (await syncState(second.localId)).sync_state,
          (s) => s === 'synced',
        );
        expect(hubspotTicketsWithKey((await syncState(second.localId)).request_key)).toHaveLength(1);
      } finally {
        await api.close();
      }
    } finally {
      stack.emulator.clearFaults();
      await next?.close();
    }
  }, 90_000);
});
