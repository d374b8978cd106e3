import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { PasswordHasher } from '../auth/password-hasher.service';
import { checkPassword } from '../auth/password-policy';
import { normalizeEmail } from '../common/crypto.util';
import { loadConfigOrExit } from '../common/process.util';
import type { AppConfig } from '../config/app-config';
import { Queue } from 'bullmq';
import { CONTACT_LINK_JOB_OPTIONS, contactLinkJobId } from '../customers/contact-link.queue';
import { Customer } from '../customers/customer.entity';
import { ContactLinkJobName, QueueName } from '../queues/queue.constants';
import { queueOptions } from '../queues/queues.module';
import { DEFAULT_QUEUE_PREFIX } from '../queues/redis-keys';
import { createDataSource } from '../database/data-source';

export interface CreateAccountInput {
  email: string;
  password: string;
  name?: string | null;
}

export interface CreateAccountResult {
  id: string;
  email: string;
  created: boolean;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

// Creates a confirmed account, or updates the password (and name, when given) of an existing one and
// confirms it. Running it twice with the same input changes nothing visible.
// Queues the worker's link to the HubSpot contact with the same email. Best effort: a confirmed account
// without a link is linked again when it signs in.
async function queueContactLink(redisUrl: string, queuePrefix: string, customerId: string): Promise<void> {
  const options = queueOptions({ redisUrl, queuePrefix });
  const queue = new Queue(QueueName.ContactLink, {
    connection: { ...options.connection, maxRetriesPerRequest: 1, connectTimeout: 3000 },
    prefix: options.prefix,
  });
  queue.on('error', () => undefined);
  try {
    await queue.add(
      ContactLinkJobName.Link,
      { customerId },
      { ...CONTACT_LINK_JOB_OPTIONS, jobId: contactLinkJobId(customerId) },
    );
  } catch (error) {
    process.stderr.write(
      `The account is ready, but linking it to HubSpot could not be queued (${error instanceof Error ? error.message : String(error)}); it is linked at its first sign-in.\n`,
    );
  } finally {
    await queue.close().catch(() => undefined);
  }
}

export async function createAccount(
  config: Pick<AppConfig, 'database' | 'argon2MemoryKib' | 'argon2TimeCost'> &
    Partial<Pick<AppConfig, 'redisUrl' | 'queuePrefix'>>,
  input: CreateAccountInput,
): Promise<CreateAccountResult> {
  const result = await saveAccount(config, input);
  if (config.redisUrl) {
    await queueContactLink(config.redisUrl, config.queuePrefix ?? DEFAULT_QUEUE_PREFIX, result.id);
  }
  return result;
}

async function saveAccount(
  config: Pick<AppConfig, 'database' | 'argon2MemoryKib' | 'argon2TimeCost'>,
  input: CreateAccountInput,
): Promise<CreateAccountResult> {
  const email = normalizeEmail(input.email);
  if (!EMAIL.test(email) || email.length > 254) {
    throw new Error(`--email: "${input.email}" is not a valid email address.`);
  }
  const problem = checkPassword(input.password, email);
  if (problem) throw new Error(`--password: ${problem}`);
  const name = input.name?.trim() ? input.name.trim().slice(0, 200) : undefined;

  const passwordHash = await new PasswordHasher(config).hash(input.password);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const customers = dataSource.getRepository(Customer);
    const now = new Date();
    const existing = await customers.findOneBy({ email });
    if (existing) {
      await customers.update(
        { id: existing.id },
        {
          passwordHash,
          confirmedAt: existing.confirmedAt ?? now,
          updatedAt: now,
          ...(name !== undefined ? { name } : {}),
        },
      );
      return { id: existing.id, email, created: false };
    }
    const id = randomUUID();
    await customers.insert({
      id,
      email,
      passwordHash,
      name: name ?? null,
      confirmedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    return { id, email, created: true };
  } finally {
    await dataSource.destroy();
  }
}

async function cli(): Promise<void> {
  let values: { email?: string; password?: string; name?: string };
  try {
    ({ values } = parseArgs({
      options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write(
      'Usage: npm run account:create -w api -- --email you@example.com --password "…" [--name "Alex Morgan"]\n',
    );
    process.exit(2);
  }
  if (!values.email || !values.password) {
    process.stderr.write(
      'Usage: npm run account:create -w api -- --email you@example.com --password "…" [--name "Alex Morgan"]\n',
    );
    process.exit(2);
  }
  const config = loadConfigOrExit('account:create');
  try {
    const result = await createAccount(config, {
      email: values.email,
      password: values.password,
      name: values.name ?? null,
    });
    process.stdout.write(
      `${result.created ? 'Created' : 'Updated'} confirmed account ${result.email} (${result.id}).\n`,
    );
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

if (require.main === module) void cli();
