import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { SESSION_REVOKED_CHANNEL } from '../src/auth/session-cache';
import { createAccount } from '../src/cli/create-account';
import { redisOptionsFromUrl } from '../src/common/redis/redis-options';
import { QUEUE_PREFIX } from '../src/mail/mail-queue.constants';
import { deliverJobId, RELAY_SCHEDULER_ID, REQUESTS_QUEUE } from '../src/requests/requests.queue';
import { SCHEDULER_CHECK_MS } from '../src/common/redis/scheduler-keeper';
import { type Emulator, startEmulator } from './sync/helpers/emulator';
import { GOOD_PASSWORD, login, startTestStack, type TestStack, uniqueEmail } from './helpers/test-stack';
import { OwnRedis } from './helpers/own-redis';

// Issue 10: Redis restarting empty (a crash without persistence, a failover to an empty replica)
// must not strand accepted work. API and worker run on a redis-server of this test's own, which is
// killed and started again empty while HubSpot is down; neither process is restarted.

async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  ms: number,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(last)} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    last = await read();
  }
  return last;
}

interface Health {
  status: string;
  sync?: { status: string };
}

describe('Redis restarting empty', () => {
  let redis: OwnRedis;
  let emulator: Emulator;
  let stack: TestStack;

  const health = async (): Promise<{ status: number; body: Health }> => {
    const res = await stack.request<Health>('GET', '/api/v1/health').catch(() => null);
    return res ? { status: res.status, body: res.body } : { status: 0, body: { status: 'no answer' } };
  };

  beforeAll(async () => {
    redis = await OwnRedis.start();
    emulator = await startEmulator({
      port: 0,
      seed: { tickets: 5, seed: 21 },
      rateLimit: { max: 100_000, searchPerSecond: 1000 },
    });
    stack = await startTestStack({
      REDIS_URL: redis.url,
      HUBSPOT_BASE_URL: emulator.url,
      HUBSPOT_ACCESS_TOKEN: emulator.accessToken,
      HUBSPOT_CLIENT_SECRET: emulator.clientSecret,
      SYNC_POLL_SECONDS: '3600',
    });
    emulator.setWebhookUrl(`${stack.api.url}/api/v1/webhooks/hubspot`);
    // The worker's first backfill mirrors the pipelines new requests are labelled with.
    await waitFor(
      'mirrored stages',
      async () => {
        const [rows] = await stack.db.query('SELECT COUNT(*) AS n FROM pipeline_stages');
        return Number((rows as Array<{ n: number }>)[0]!.n);
      },
      (n) => n > 0,
      30_000,
    );
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
    await redis?.kill();
  });

  it('should deliver a request accepted during a HubSpot outage and get healthy again without a restart', async () => {
    const email = uniqueEmail('redis-restart');
    const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
    await createAccount({ database, argon2MemoryKib, argon2TimeCost }, { email, password: GOOD_PASSWORD });
    const token = (await login(stack, email, GOOD_PASSWORD)).body.accessToken;
    // Reads (and caches) the form's options while HubSpot is up.
    expect((await stack.request('GET', '/api/v1/tickets/fields', { token })).status).toBe(200);
    await waitFor(
      'healthy at start',
      health,
      (h) => h.status === 200 && h.body.sync?.status === 'ok',
      30_000,
    );

    emulator.setFaults({ outageSeconds: 3600 });
    const submitted = await stack.request<{ localId: string; syncState: string }>('POST', '/api/v1/tickets', {
      token,
      body: { subject: 'Sent before Redis restarted', description: 'HubSpot was down at the time.' },
    });
    expect(submitted.status).toBe(201);
    const { localId } = submitted.body;
    // Redis goes while the delivery job waits out its backoff (not while it runs).
    const [rows] = await stack.db.query('SELECT id FROM request_outbox WHERE ticket_id = ?', [localId]);
    const outboxId = (rows as Array<{ id: number }>)[0]!.id;
    const queue = new Queue(REQUESTS_QUEUE, {
      connection: redisOptionsFromUrl(redis.url),
      prefix: QUEUE_PREFIX,
    });
    try {
      await waitFor(
        'delivery waiting for its retry',
        async () => (await queue.getJob(deliverJobId(outboxId)))?.getState() ?? 'none',
        (state) => state === 'delayed',
        20_000,
      );
    } finally {
      await queue.close();
    }

    await redis.kill();
    await redis.restart();
    emulator.clearFaults();

    const detail = async (): Promise<{ syncState?: string; id?: string | null; status?: number }> => {
      const res = await stack
        .request<{ syncState: string; id: string | null }>('GET', `/api/v1/tickets/${localId}`, { token })
        .catch(() => null);
      return res ? { ...res.body, status: res.status } : {};
    };
    const delivered = await waitFor('delivered', detail, (d) => d.syncState === 'synced', 60_000);
    expect(delivered.id).toMatch(/^\d+$/);
    const after = await waitFor(
      'healthy after the restart',
      health,
      (h) => h.status === 200 && h.body.sync?.status === 'ok',
      30_000,
    );
    expect(after.body.status).toBe('ok');

    // The API's own registrations came back too: session revocations reach it again.
    const probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    try {
      await waitFor(
        'revocation channel subscribed again',
        async () => ((await probe.pubsub('NUMSUB', SESSION_REVOKED_CHANNEL)) as [string, number])[1],
        (subscribers) => subscribers > 0,
        20_000,
      );
    } finally {
      probe.disconnect();
    }
    const signedOut = await stack.request('POST', '/api/v1/auth/logout', { token });
    expect(signedOut.status).toBeLessThan(300);
    expect((await stack.request('GET', '/api/v1/me', { token })).status).toBe(401);
  }, 150_000);

  it('should register the job schedulers again when Redis is flushed without a reconnect', async () => {
    const flusher = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const queue = new Queue(REQUESTS_QUEUE, {
      connection: redisOptionsFromUrl(redis.url),
      prefix: QUEUE_PREFIX,
    });
    try {
      expect(await queue.getJobScheduler(RELAY_SCHEDULER_ID)).toBeDefined();
      await flusher.flushall();
      expect(await queue.getJobScheduler(RELAY_SCHEDULER_ID)).toBeUndefined();
      // The periodic check (every SCHEDULER_CHECK_MS) notices.
      await waitFor(
        'relay scheduler back',
        async () => (await queue.getJobScheduler(RELAY_SCHEDULER_ID)) !== undefined,
        (back) => back,
        SCHEDULER_CHECK_MS + 10_000,
      );
    } finally {
      await queue.close();
      flusher.disconnect();
    }
  }, 60_000);
});
