import { Redis } from 'ioredis';
import { sessionRevokedChannel } from '../src/auth/session-cache';
import { createAccount } from '../src/cli/create-account';
import { SCHEDULER_CHECK_MS } from '../src/common/redis/scheduler-keeper';
import { DEPLOYMENT_KEY_PART, deploymentIdentity } from '../src/queues/deployment-guard';
import { QueueName } from '../src/queues/queue.constants';
import { deliverJobId, RELAY_SCHEDULER_ID } from '../src/requests/requests.queue';
import { OwnRedis } from './helpers/own-redis';
import { GOOD_PASSWORD, login, uniqueEmail, useTestStack, waitForStages } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 10: Redis restarting empty (a crash without persistence, a failover to an empty replica)
// must not strand accepted work. API and worker run on a redis-server of this test's own, which is
// killed and started again empty while HubSpot is down; neither process is restarted.

interface Health {
  status: string;
  sync?: { status: string };
}

describe('Redis restarting empty', () => {
  let redis: OwnRedis;
  beforeAll(async () => {
    redis = await OwnRedis.start();
  });
  const stack = useTestStack({
    emulator: { seed: { tickets: 5, seed: 21 }, rateLimit: { max: 100_000, searchPerSecond: 1000 } },
    env: () => ({ REDIS_URL: redis.url, SYNC_POLL_SECONDS: '3600' }),
  });
  // After the stack's own afterAll (hooks run in the order they are declared).
  afterAll(async () => {
    await redis?.kill();
  });

  const health = async (): Promise<{ status: number; body: Health }> => {
    const res = await stack.request<Health>('GET', '/api/v1/health').catch(() => null);
    return res ? { status: res.status, body: res.body } : { status: 0, body: { status: 'no answer' } };
  };

  beforeAll(async () => {
    // The worker's first backfill mirrors the pipelines new requests are labelled with.
    await waitForStages(stack);
  }, 60_000);

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

    stack.emulator.setFaults({ outageSeconds: 3600 });
    const submitted = await stack.request<{ localId: string; syncState: string }>('POST', '/api/v1/tickets', {
      token,
      body: { subject: 'Sent before Redis restarted', description: 'HubSpot was down at the time.' },
    });
    expect(submitted.status).toBe(201);
    const { localId } = submitted.body;
    // Redis goes while the delivery job waits out its backoff (not while it runs).
    const [rows] = await stack.db.query('SELECT id FROM request_outbox WHERE ticket_id = ?', [localId]);
    const outboxId = (rows as Array<{ id: number }>)[0]!.id;
    const queue = stack.queue(QueueName.Requests);
    await waitFor(
      'delivery waiting for its retry',
      async () => (await queue.getJob(deliverJobId(outboxId)))?.getState() ?? 'none',
      (state) => state === 'delayed',
      20_000,
    );

    await redis.kill();
    await redis.restart();
    stack.emulator.clearFaults();

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
        async () =>
          ((await probe.pubsub('NUMSUB', sessionRevokedChannel(stack.keys))) as [string, number])[1],
        (subscribers) => subscribers > 0,
        20_000,
      );
      // The deployment guard claimed the emptied Redis again for this deployment.
      await waitFor(
        'deployment claimed again',
        () => probe.get(stack.keys.key(DEPLOYMENT_KEY_PART)),
        (owner) => owner === deploymentIdentity(stack.config),
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
    const queue = stack.queue(QueueName.Requests);
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
      flusher.disconnect();
    }
  }, 60_000);
});
