// `npm test`: every suite of every workspace, on a fresh machine as on a developer's.
// It makes sure MariaDB/MySQL, Redis and a Chromium are there (starting what is installed but stopped),
// builds, then runs lint, typecheck and test for each workspace through Nx, one at a time (2-core machines).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ensureServices, findChromium, MissingServiceError } from './lib/services';
import { ROOT } from './lib/stack';

function run(label: string, args: string[], env: NodeJS.ProcessEnv): void {
  const started = Date.now();
  console.log(`\n▶ ${label}`);
  const result = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'inherit', env });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.error(`\n✖ ${label} failed after ${seconds} s`);
    process.exit(result.status ?? 1);
  }
  console.log(`✔ ${label} (${seconds} s)`);
}

async function main(): Promise<void> {
  const started = Date.now();
  await ensureServices({
    databaseUrl: process.env.TEST_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/ticket_portal_test',
    redisUrl: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1',
  });
  const env = { ...process.env, CHROME_PATH: findChromium(), NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
  const nx = require.resolve('nx/bin/nx');
  const tsc = require.resolve('typescript/bin/tsc');
  const prettier = require.resolve('prettier/bin/prettier.cjs');

  run('format check (prettier)', [prettier, '--check', '.', '--log-level', 'warn'], env);
  run('typecheck scripts', [tsc, '-p', 'scripts/tsconfig.json'], env);
  run('lint scripts', [join(ROOT, 'node_modules/eslint/bin/eslint.js'), 'scripts'], env);
  run(
    'test scripts (node:test)',
    [require.resolve('tsx/cli'), '--test', 'scripts/lib/supervisor.test.ts'],
    env,
  );
  run('build', [nx, 'run-many', '-t', 'build', '--output-style=static'], env);
  run('OpenAPI types are current', [require.resolve('tsx/cli'), 'scripts/openapi-types.ts', '--check'], env);
  run('lint + typecheck', [nx, 'run-many', '-t', 'lint', 'typecheck', '--output-style=static'], env);
  // Tests run one workspace at a time: they share MariaDB and Redis (each on its own database / logical DB).
  run('test', [nx, 'run-many', '-t', 'test', '--parallel=1', '--output-style=stream'], env);
  console.log(`\nAll suites passed in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}

main().catch((err: unknown) => {
  console.error(err instanceof MissingServiceError ? err.message : err);
  process.exit(1);
});
