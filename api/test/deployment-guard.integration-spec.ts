import { startMailCatcher, type MailCatcher } from '@ticket-portal/mail-catcher';
import { Redis } from 'ioredis';
import { createHttpApp } from '../src/app-factory';
import { REDIS } from '../src/common/redis/redis.module';
import { runMigrations } from '../src/database/migrate';
import {
  DEPLOYMENT_KEY_PART,
  type DeploymentConflictError,
  deploymentIdentity,
} from '../src/queues/deployment-guard';
import { QueueName } from '../src/queues/queue.constants';
import { queueOptions } from '../src/queues/queues.module';
import { RedisKeys } from '../src/queues/redis-keys';
import { createWorker, type WorkerHandle } from '../src/worker-factory';
import { Queue } from 'bullmq';
import { OwnRedis } from './helpers/own-redis';
import { TEST_DATABASE_URL, TEST_QUEUE_PREFIX, TEST_REDIS_URL, testConfig } from './helpers/test-config';
import { GOOD_PASSWORD, uniqueEmail, useTestStack, waitForIdleQueue } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 11: two stacks on one Redis database took each other's jobs (a confirmation mail went out
// through the other stack's SMTP). Each deployment now has its own QUEUE_PREFIX, and a process
// refuses to start on a prefix that serves another deployment's database.

const OTHER_DATABASE = 'elsewhere.example:3306/other_shop';

describe('deployment guard (QUEUE_PREFIX claimed per database)', () => {
  describe('a prefix that serves another database', () => {
    const keys = new RedisKeys(`${TEST_QUEUE_PREFIX}d`);
    const config = testConfig({ QUEUE_PREFIX: keys.prefix });
    let redis: Redis;

    beforeAll(async () => {
      redis = new Redis(TEST_REDIS_URL);
      await redis.set(keys.key(DEPLOYMENT_KEY_PART), OTHER_DATABASE);
    });

    afterAll(async () => {
      const left = await redis.keys(keys.pattern());
      if (left.length > 0) await redis.del(...left);
      redis.disconnect();
    });

    it('should keep a worker from starting, naming both databases and QUEUE_PREFIX, before it takes a job', async () => {
      const refused = await createWorker(config, { logger: false }).then(
        async (started) => {
          await started.close();
          return null;
        },
        (error: unknown) => error,
      );
      expect(refused).toMatchObject({ name: 'DeploymentConflictError' });
      const message = (refused as Error).message;
      expect(message).toContain(`QUEUE_PREFIX=${keys.prefix}`);
      expect(message).toContain(OTHER_DATABASE);
      expect(message).toContain(deploymentIdentity(config));
      // No BullMQ worker or queue ever touched the prefix.
      expect(await redis.keys(keys.pattern())).toEqual([keys.key(DEPLOYMENT_KEY_PART)]);
    });

    it('should keep an API from starting the same way', async () => {
      await expect(createHttpApp(config, { logger: false })).rejects.toThrow(
        new RegExp(`already serves another deployment under QUEUE_PREFIX=${keys.prefix}`),
      );
    });
  });

  describe('two deployments on one Redis database', () => {
    const stack = useTestStack({ resetEach: true });
    let otherMail: MailCatcher;
    let other: WorkerHandle;
    let otherQueue: Queue;

    beforeAll(async () => {
      // Another deployment: its own database and QUEUE_PREFIX, its own SMTP, the same Redis database.
      otherMail = await startMailCatcher({ smtpPort: 0, httpPort: 0 });
      const otherConfig = testConfig({
        DATABASE_URL: TEST_DATABASE_URL.replace(/\/([^/?]+)$/, '/$1_other'),
        QUEUE_PREFIX: `${TEST_QUEUE_PREFIX}x`,
        SMTP_URL: `smtp://127.0.0.1:${otherMail.smtpPort}`,
      });
      await runMigrations(otherConfig);
      other = await createWorker(otherConfig, { logger: false });
      otherQueue = new Queue(QueueName.Mail, queueOptions(otherConfig));
    }, 60_000);

    afterAll(async () => {
      await otherQueue?.close();
      await other?.close();
      await otherMail?.close();
    });

    it("should deliver each deployment's mail through its own worker and SMTP only", async () => {
      const emails = Array.from({ length: 5 }, () => uniqueEmail('beside'));
      for (const email of emails) {
        const answer = await stack.request('POST', '/api/v1/auth/register', {
          body: { email, password: GOOD_PASSWORD },
        });
        expect(answer.status).toBe(202);
      }
      for (const email of emails) await stack.mail.waitFor({ to: email, subject: /Confirm/ }, 10_000);
      await waitForIdleQueue(stack);
      expect(otherMail.messages()).toEqual([]);
      expect(await otherQueue.getJobCounts('completed', 'failed', 'wait', 'active', 'delayed')).toEqual({
        completed: 0,
        failed: 0,
        wait: 0,
        active: 0,
        delayed: 0,
      });
    });
  });

  describe('a Redis that came back claimed by another deployment', () => {
    let redis: OwnRedis;
    let worker: WorkerHandle;
    let conflict: DeploymentConflictError | undefined;

    beforeAll(async () => {
      redis = await OwnRedis.start();
      worker = await createWorker(testConfig({ REDIS_URL: redis.url }), {
        logger: false,
        onDeploymentConflict: (error) => {
          conflict = error;
        },
      });
    });

    afterAll(async () => {
      await worker?.close();
      await redis?.kill();
    });

    it('should claim again on reconnect, and stop taking jobs when another deployment got there first', async () => {
      const probe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
      const key = new RedisKeys(TEST_QUEUE_PREFIX).key(DEPLOYMENT_KEY_PART);
      try {
        expect(await probe.get(key)).toBe(deploymentIdentity(testConfig()));
        // Emptied (a restart without persistence), then taken by the other deployment's processes.
        await probe.flushall();
        await probe.set(key, OTHER_DATABASE);
        worker.app.get<Redis>(REDIS).disconnect(true);
        await waitFor(
          'the conflict reported',
          () => conflict,
          (found) => found !== undefined,
          20_000,
        );
        expect(conflict!.message).toContain(OTHER_DATABASE);
        expect(conflict!.message).toContain(`QUEUE_PREFIX=${TEST_QUEUE_PREFIX}`);
        // The other deployment keeps its claim.
        expect(await probe.get(key)).toBe(OTHER_DATABASE);
      } finally {
        probe.disconnect();
      }
    });
  });
});
