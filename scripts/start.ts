// `npm start`: the whole demo on local defaults. Every value can be overridden with the environment names
// from DESIGN.md (PORT, DATABASE_URL, REDIS_URL, HUBSPOT_BASE_URL, SMTP_URL, DEMO_PORT, EMULATOR_PORT, …).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { MissingServiceError } from './lib/services';
import { DEMO_LOGIN, ROOT, startStack } from './lib/stack';

const env = process.env;
const port = (name: string, fallback: number): number => {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    console.error(`${name} must be a port number between 1 and 65535 (got "${raw}").`);
    process.exit(1);
  }
  return n;
};

async function main(): Promise<void> {
  if (env.SKIP_BUILD !== '1') {
    console.log('Building (cached by Nx)…');
    execFileSync(
      process.execPath,
      [require.resolve('nx/bin/nx'), 'run-many', '-t', 'build', '--output-style=static'],
      {
        cwd: ROOT,
        stdio: 'inherit',
      },
    );
  }
  const stack = await startStack({
    apiPort: port('PORT', 3000),
    demoPort: port('DEMO_PORT', 8080),
    emulatorPort: port('EMULATOR_PORT', 8090),
    mailSmtpPort: port('MAIL_CATCHER_SMTP_PORT', 1025),
    mailHttpPort: port('MAIL_CATCHER_HTTP_PORT', 1080),
    databaseUrl: env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/ticket_portal',
    redisUrl: env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    seedTickets: Number(env.EMULATOR_SEED_TICKETS ?? 400),
    // The emulator keeps what support staff did across restarts, consistent with the MySQL mirror.
    emulatorStateFile: env.EMULATOR_STATE_FILE ?? join(ROOT, '.data/hubspot-emulator.json'),
  });

  const lines = [
    '',
    'Ticket Portal is running:',
    `  Demo page (customer view)   ${stack.demoUrl}`,
    `  Demo login                  ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`,
    `  API                         ${stack.apiUrl}/api/v1/health`,
    `  API docs (OpenAPI)          ${stack.apiUrl}/api/docs`,
    stack.inboxUrl
      ? `  Mail inbox                  ${stack.inboxUrl}`
      : '  Mail                        sent to SMTP_URL',
    stack.emulatorUrl
      ? `  HubSpot emulator console    ${stack.emulatorUrl}/  (play the support agent here)`
      : '  HubSpot                     HUBSPOT_BASE_URL',
    '',
    'Press Ctrl+C to stop.',
    '',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const stop = (code: number): void => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    void stack.close().then(() => process.exit(code));
  };
  process.on('SIGINT', () => stop(0));
  process.on('SIGTERM', () => stop(0));
  // The API and worker are restarted by their supervisor; these settle only when it gives up (or for the
  // emulator and mail catcher, when they stop).
  for (const child of stack.children) {
    void child.exited.then((code) => {
      if (!stopping) {
        console.error(`${child.name} stopped unexpectedly (exit ${String(code)}); shutting down.`);
        stop(1);
      }
    });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof MissingServiceError ? err.message : err);
  process.exit(1);
});
