// Starts the same stack as `npm start` (emulator, mail catcher, API, worker, demo page on another origin)
// on free ports, against a database and a Redis key prefix (QUEUE_PREFIX) of this run's own:
// `ticket_portal_e2e_<run id>` and `tpe<run id>`, both removed when the run ends. Other stacks on the
// same Redis database (a demo, another run) keep their jobs and mails to themselves.
import type { FullConfig } from '@playwright/test';
import { freePort } from '../../scripts/lib/ports';
import { ensureServices } from '../../scripts/lib/services';
import { startStack } from '../../scripts/lib/stack';
import { removeRun, removeStaleRuns, suiteRun } from '../../scripts/lib/test-runs';

const BASE_DATABASE_URL = process.env.E2E_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/ticket_portal_e2e';
const REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379/2';
const PREFIX_START = 'tpe';

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  await ensureServices({ databaseUrl: BASE_DATABASE_URL, redisUrl: REDIS_URL });
  await removeStaleRuns(BASE_DATABASE_URL, REDIS_URL, PREFIX_START);
  const run = suiteRun(BASE_DATABASE_URL, PREFIX_START);
  const [apiPort, demoPort, emulatorPort, mailSmtpPort, mailHttpPort] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  const verbose = process.env.E2E_VERBOSE === '1';
  let stack;
  try {
    stack = await startStack({
      apiPort: apiPort!,
      demoPort: demoPort!,
      emulatorPort: emulatorPort!,
      mailSmtpPort: mailSmtpPort!,
      mailHttpPort: mailHttpPort!,
      databaseUrl: run.databaseUrl,
      redisUrl: REDIS_URL,
      queuePrefix: run.queuePrefix,
      seedTickets: 120,
      // Keep the run hermetic even when a developer's shell points at real services.
      env: { HUBSPOT_BASE_URL: '', SMTP_URL: '', LOG_LEVEL: verbose ? 'debug' : 'warn' },
      log: (name, line) => {
        if (verbose || /error|fatal/i.test(line)) process.stdout.write(`[${name}] ${line}\n`);
      },
    });
  } catch (error) {
    await removeRun(BASE_DATABASE_URL, REDIS_URL, run);
    throw error;
  }
  process.env.E2E_API_URL = stack.apiUrl;
  process.env.E2E_DEMO_URL = stack.demoUrl;
  process.env.E2E_INBOX_URL = stack.inboxUrl;
  process.env.E2E_EMULATOR_URL = stack.emulatorUrl;
  const started = stack;
  return async () => {
    await started.close();
    await removeRun(BASE_DATABASE_URL, REDIS_URL, run);
  };
}
