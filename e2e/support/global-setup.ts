// Starts the same stack as `npm start` (emulator, mail catcher, API, worker, demo page on another origin)
// on free ports, against a fresh `ticket_portal_e2e` database and Redis logical DB 2
// (E2E_DATABASE_URL / E2E_REDIS_URL point a run elsewhere). Sign-in through the host site is on, with a
// secret made for this run that the specs sign their host page's tokens with (tests/site-token.spec.ts).
import { randomBytes } from 'node:crypto';
import type { FullConfig } from '@playwright/test';
import Redis from 'ioredis';
import { createConnection } from 'mysql2/promise';
import { freePort } from '../../scripts/lib/ports';
import { ensureServices } from '../../scripts/lib/services';
import { startStack } from '../../scripts/lib/stack';

const DATABASE_URL = process.env.E2E_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/ticket_portal_e2e';
const REDIS_URL = process.env.E2E_REDIS_URL ?? 'redis://127.0.0.1:6379/2';

async function resetState(): Promise<void> {
  const url = new URL(DATABASE_URL);
  const database = url.pathname.slice(1);
  const conn = await createConnection({
    host: url.hostname,
    port: Number(url.port || 3306),
    user: decodeURIComponent(url.username || 'root'),
    password: decodeURIComponent(url.password),
  });
  await conn.query(`DROP DATABASE IF EXISTS \`${database}\``);
  await conn.end();
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  await redis.flushdb();
  redis.disconnect();
}

export default async function globalSetup(_config: FullConfig): Promise<() => Promise<void>> {
  await ensureServices({ databaseUrl: DATABASE_URL, redisUrl: REDIS_URL });
  await resetState();
  // The sixth port is for a host site that signs its visitors' tokens (tests/site-token.spec.ts
  // serves it): its origin must be in PORTAL_ORIGINS from the start.
  const [apiPort, demoPort, emulatorPort, mailSmtpPort, mailHttpPort, shopPort] = await Promise.all(
    Array.from({ length: 6 }, () => freePort()),
  );
  // Hostile host pages (tests/hostile-hosts.spec.ts), each on an origin of its own: all but the last
  // are in PORTAL_ORIGINS (the last plays a page the API does not allow).
  const hostilePorts = await Promise.all(Array.from({ length: 8 }, () => freePort()));
  const verbose = process.env.E2E_VERBOSE === '1';
  const siteToken = {
    secret: randomBytes(32).toString('base64url'),
    issuer: 'https://shop.e2e.example',
    audience: 'ticket-portal-e2e',
  };
  const stack = await startStack({
    apiPort: apiPort!,
    demoPort: demoPort!,
    emulatorPort: emulatorPort!,
    mailSmtpPort: mailSmtpPort!,
    mailHttpPort: mailHttpPort!,
    databaseUrl: DATABASE_URL,
    redisUrl: REDIS_URL,
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
  process.env.E2E_API_URL = stack.apiUrl;
  process.env.E2E_DEMO_URL = stack.demoUrl;
  process.env.E2E_INBOX_URL = stack.inboxUrl;
  process.env.E2E_EMULATOR_URL = stack.emulatorUrl;
  process.env.E2E_SHOP_PORT = String(shopPort);
  process.env.E2E_HOSTILE_PORTS = hostilePorts.join(',');
  process.env.E2E_SITE_TOKEN_SECRET = siteToken.secret;
  process.env.E2E_SITE_TOKEN_ISSUER = siteToken.issuer;
  process.env.E2E_SITE_TOKEN_AUDIENCE = siteToken.audience;
  return () => stack.close();
}
