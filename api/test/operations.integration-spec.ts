import { Queue } from 'bullmq';
import { createConnection } from 'mysql2/promise';
import { createAccount } from '../src/cli/create-account';
import { AccountCleanupService } from '../src/maintenance/account-cleanup.service';
import { redisOptionsFromUrl } from '../src/common/redis/redis-options';
import { revertLastMigration, runMigrations } from '../src/database/migrate';
import { MIGRATIONS } from '../src/database/migrations';
import { MAIL_QUEUE, QUEUE_PREFIX } from '../src/mail/mail-queue.constants';
import { testConfig } from './helpers/test-config';
import {
  GOOD_PASSWORD,
  login,
  OTHER_PASSWORD,
  startTestStack,
  type TestStack,
  uniqueEmail,
} from './helpers/test-stack';

describe('Operations: migrations, account CLI, mail retries', () => {
  describe(runMigrations.name, () => {
    const config = testConfig({ DATABASE_URL: 'mysql://root@127.0.0.1:3306/ticket_portal_test_migrations' });

    async function tables(): Promise<string[]> {
      const connection = await createConnection({
        host: '127.0.0.1',
        port: 3306,
        user: 'root',
        database: config.database.database,
      });
      try {
        const [rows] = await connection.query('SHOW TABLES');
        return (rows as Array<Record<string, string>>).map((row) => Object.values(row)[0]!).sort();
      } finally {
        await connection.end();
      }
    }

    afterAll(async () => {
      const connection = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      await connection.query(`DROP DATABASE IF EXISTS \`${config.database.database}\``);
      await connection.end();
    });

    it('should create the missing database, apply every migration once and revert them all', async () => {
      const connection = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root' });
      await connection.query(`DROP DATABASE IF EXISTS \`${config.database.database}\``);
      await connection.end();

      const first = await runMigrations(config);
      expect(first.applied).toHaveLength(MIGRATIONS.length);
      expect(await tables()).toEqual(
        expect.arrayContaining(['customers', 'migrations', 'one_time_tokens', 'sessions']),
      );
      expect((await runMigrations(config)).applied).toEqual([]);

      for (let i = 0; i < MIGRATIONS.length; i++) await revertLastMigration(config);
      expect(await tables()).toEqual(['migrations']);
      expect((await runMigrations(config)).applied).toHaveLength(MIGRATIONS.length);
    });
  });

  describe('with the API running', () => {
    let stack: TestStack;

    beforeAll(async () => {
      stack = await startTestStack();
    });

    afterAll(async () => {
      await stack?.close();
    });

    beforeEach(async () => {
      await stack.reset();
    });

    it('should create a confirmed account and update it idempotently from the CLI function', async () => {
      const email = uniqueEmail('operator');
      const created = await createAccount(stack.config, {
        email: email.toUpperCase(),
        password: GOOD_PASSWORD,
        name: 'Alex Morgan',
      });
      expect(created).toMatchObject({ email, created: true });

      const signedIn = await login(stack, email, GOOD_PASSWORD);
      expect(signedIn.status).toBe(200);
      expect(signedIn.body.customer).toMatchObject({ id: created.id, email, name: 'Alex Morgan' });
      expect(signedIn.body.customer.confirmedAt).not.toBeNull();

      const again = await createAccount(stack.config, { email, password: OTHER_PASSWORD });
      expect(again).toEqual({ id: created.id, email, created: false });
      expect((await login(stack, email, GOOD_PASSWORD)).status).toBe(401);
      const updated = await login(stack, email, OTHER_PASSWORD);
      expect(updated.status).toBe(200);
      expect(updated.body.customer.name).toBe('Alex Morgan');
      const [rows] = await stack.db.query('SELECT COUNT(*) AS n FROM customers');
      expect(rows).toEqual([{ n: 1 }]);
    });

    it('should delete only sessions and links that ended more than a day ago', async () => {
      const { id } = await createAccount(stack.config, {
        email: uniqueEmail('cleanup'),
        password: GOOD_PASSWORD,
      });
      const rows: Array<[string, string, string | null]> = [
        ['old-expired', 'DATE_SUB(UTC_TIMESTAMP(3), INTERVAL 2 DAY)', null],
        [
          'old-revoked',
          'DATE_ADD(UTC_TIMESTAMP(3), INTERVAL 2 DAY)',
          'DATE_SUB(UTC_TIMESTAMP(3), INTERVAL 2 DAY)',
        ],
        ['recently-expired', 'DATE_SUB(UTC_TIMESTAMP(3), INTERVAL 1 HOUR)', null],
        ['active', 'DATE_ADD(UTC_TIMESTAMP(3), INTERVAL 2 DAY)', null],
      ];
      for (const [name, expires, revoked] of rows) {
        await stack.db.query(
          `INSERT INTO sessions (id, customer_id, token_hash, remember, expires_at, revoked_at, created_at)
           VALUES (UUID(), ?, SHA2(?, 256), 0, ${expires}, ${revoked ?? 'NULL'}, UTC_TIMESTAMP(3))`,
          [id, name],
        );
        await stack.db.query(
          `INSERT INTO one_time_tokens (id, customer_id, purpose, token_hash, expires_at, used_at, created_at)
           VALUES (UUID(), ?, 'reset', SHA2(?, 256), ${expires}, ${revoked ?? 'NULL'}, UTC_TIMESTAMP(3))`,
          [id, name],
        );
      }
      const cleanup = stack.worker.app.get(AccountCleanupService);
      expect(await cleanup.run()).toEqual({ sessions: 2, tokens: 2 });
      const [left] = await stack.db.query('SELECT token_hash FROM sessions ORDER BY expires_at');
      expect((left as unknown[]).length).toBe(2);
      expect(await cleanup.run()).toEqual({ sessions: 0, tokens: 0 });
    });

    it('should refuse a weak password or a bad email in the CLI function', async () => {
      await expect(createAccount(stack.config, { email: 'nobody', password: GOOD_PASSWORD })).rejects.toThrow(
        /--email/,
      );
      await expect(
        createAccount(stack.config, { email: uniqueEmail(), password: 'password123' }),
      ).rejects.toThrow(/--password: .*too common/);
    });
  });

  describe('mail delivery failures', () => {
    let stack: TestStack;

    beforeAll(async () => {
      // Nothing listens on port 1: every SMTP attempt is refused.
      stack = await startTestStack({ SMTP_URL: 'smtp://127.0.0.1:1' });
    });

    afterAll(async () => {
      await stack?.close();
    });

    it('should keep a mail job for retry with the SMTP error when delivery fails', async () => {
      await stack.reset();
      const email = uniqueEmail('undeliverable');
      expect(
        (await stack.request('POST', '/api/v1/auth/register', { body: { email, password: GOOD_PASSWORD } }))
          .status,
      ).toBe(202);

      const queue = new Queue(MAIL_QUEUE, {
        connection: redisOptionsFromUrl(stack.config.redisUrl),
        prefix: QUEUE_PREFIX,
      });
      try {
        const deadline = Date.now() + 10_000;
        let job = (await queue.getJobs(['delayed', 'failed']))[0];
        while (!job && Date.now() < deadline) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          job = (await queue.getJobs(['delayed', 'failed']))[0];
        }
        expect(job).toBeDefined();
        expect(job!.name).toBe('register');
        expect(job!.id).toMatch(/^register-[0-9a-f]{32}-\d+-[0-9a-f]{16}$/);
        expect(job!.attemptsMade).toBeGreaterThanOrEqual(1);
        expect(job!.failedReason).toMatch(/ECONNREFUSED|connect/i);
        expect(await job!.getState()).toBe('delayed');
        // The plain password never reaches Redis, only its hash.
        expect(JSON.stringify(job!.data)).not.toContain(GOOD_PASSWORD);
        expect((job!.data as { passwordHash: string }).passwordHash).toMatch(/^\$argon2id\$/);
      } finally {
        await queue.obliterate({ force: true });
        await queue.close();
      }
    });
  });
});
