// Starts the same stack as `npm start` (emulator, mail catcher, API, worker, demo page on another origin)
// on free ports, against a database and a Redis key prefix (QUEUE_PREFIX) of this run's own:
// `ticket_portal_e2e_<run id>` and `tpe<run id>`, both removed when the run ends. Other stacks on the
// same Redis database (a demo, another run) keep their jobs and mails to themselves. Sign-in through
// the host site is on, with a secret made for this run that the specs sign their host page's tokens
// with (tests/site-token.spec.ts).
import { randomBytes } from 'node:crypto';
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
  // The sixth port is for a host site that signs its visitors' tokens (tests/site-token.spec.ts
  // serves it): its origin must be in PORTAL_ORIGINS from the start.
  const [apiPort, demoPort, emulatorPort, mailSmtpPort, mailHttpPort, shopPort] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  // Hostile host pages (tests/hostile-hosts.spec.ts), each on an origin of its own: all but the last
  // are in PORTAL_ORIGINS (the last plays a page the API does not allow).
  const hostilePorts = await Promise.all(Array.from({ length: 9 }, () => freePort()));
  const verbose = process.env.E2E_VERBOSE === '1';
  const siteToken = {
    secret: randomBytes(32).toString('base64url'),
    issuer: 'https://shop.e2e.example',
    audience: 'ticket-portal-e2e',
  };
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
      env: {
        HUBSPOT_BASE_URL: '',
        SMTP_URL: '',
        LOG_LEVEL: verbose ? 'debug' : 'warn',
        PORTAL_ORIGINS: [
          `http://localhost:${demoPort},http://127.0.0.1:${demoPort},http://localhost:${shopPort}`,
          ...hostilePorts.slice(0, -1).map((port) => `http://localhost:${port}`),
        ].join(','),
        SITE_TOKEN_SECRET: siteToken.secret,
        SITE_TOKEN_ISSUER: siteToken.issuer,
        SITE_TOKEN_AUDIENCE: siteToken.audience,
      },
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
  process.env.E2E_SHOP_PORT = String(shopPort);
  process.env.E2E_HOSTILE_PORTS = hostilePorts.join(',');
  process.env.E2E_SITE_TOKEN_SECRET = siteToken.secret;
  process.env.E2E_SITE_TOKEN_ISSUER = siteToken.issuer;
  process.env.E2E_SITE_TOKEN_AUDIENCE = siteToken.audience;
  const started = stack;
  return async () => {
    await started.close();
    await removeRun(BASE_DATABASE_URL, REDIS_URL, run);
  };
}
