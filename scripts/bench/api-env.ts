import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';

// The environment a benchmark gives the API and worker it starts: its own database and Redis, the
// emulator as HubSpot, ports chosen by the OS. `extra` adds or overrides variables.
export function benchApiEnv(
  database: string,
  redisUrl: string,
  emulator: { url: string; accessToken: string; clientSecret: string },
  extra: NodeJS.ProcessEnv = {},
): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `mysql://root@127.0.0.1:3306/${database}`,
    REDIS_URL: redisUrl,
    HUBSPOT_BASE_URL: emulator.url,
    HUBSPOT_ACCESS_TOKEN: emulator.accessToken,
    HUBSPOT_CLIENT_SECRET: emulator.clientSecret,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

/** Starts the built API (api/dist/main.js) with `env`; resolves once it logs the URL it listens on. */
export function startApi(
  root: string,
  env: NodeJS.ProcessEnv,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(root, 'api/dist/main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /"msg":"API listening","url":"([^"]+)"/.exec(out);
      if (match) resolve({ child, url: match[1]! });
    });
    child.on('exit', (code) => reject(new Error(`API exited with ${code}`)));
  });
}

/** The API as a child process (startApi), closed by SIGTERM. */
export async function startApiProcess(
  root: string,
  env: NodeJS.ProcessEnv,
): Promise<{ url: string; close(): Promise<void> }> {
  const { child, url } = await startApi(root, env);
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
