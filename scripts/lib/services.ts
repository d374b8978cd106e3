// Makes sure MySQL/MariaDB and Redis answer before anything else starts: starts a local server that is
// installed but stopped, and otherwise stops with a message that says exactly what to install or run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';

export class MissingServiceError extends Error {}

export function canConnect(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export async function waitForPort(host: string, port: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await canConnect(host, port, 500)) return true;
    await new Promise((r) => setTimeout(r, 250));
  }
  return false;
}

const isLocal = (host: string): boolean => ['127.0.0.1', 'localhost', '::1'].includes(host);
const which = (cmd: string): string | undefined => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
};
const isRoot = (): boolean => typeof process.getuid === 'function' && process.getuid() === 0;

async function ensureMysql(databaseUrl: string, log: (msg: string) => void): Promise<void> {
  const url = new URL(databaseUrl);
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port || 3306);
  if (await canConnect(host, port)) return;
  const hint =
    `MySQL/MariaDB is not answering at ${host}:${port} (DATABASE_URL).\n` +
    `  Start it with \`docker compose up -d mysql redis\`, or install it: \`sudo apt-get install -y mariadb-server\`,\n` +
    `  or point DATABASE_URL at a running server (mysql://user:password@host:3306/ticket_portal).`;
  if (!isLocal(host)) throw new MissingServiceError(hint);
  const daemon = ['/usr/sbin/mariadbd', '/usr/sbin/mysqld'].find((p) => existsSync(p));
  if (!daemon) throw new MissingServiceError(hint);
  log(`starting ${daemon} (installed but not running)…`);
  if (isRoot()) {
    execFileSync('install', ['-d', '-o', 'mysql', '-g', 'mysql', '-m', '0755', '/run/mysqld']);
    execFileSync('start-stop-daemon', [
      '--start',
      '--oknodo',
      '--background',
      '--exec',
      daemon,
      '--',
      '--user=mysql',
    ]);
  } else if (which('service')) {
    spawnSync('sudo', ['-n', 'service', daemon.endsWith('mariadbd') ? 'mariadb' : 'mysql', 'start'], {
      stdio: 'ignore',
    });
  }
  if (!(await waitForPort(host, port, 30_000))) {
    throw new MissingServiceError(`${daemon} did not start.\n${hint}`);
  }
}

async function ensureRedis(redisUrl: string, log: (msg: string) => void): Promise<void> {
  const url = new URL(redisUrl);
  const host = url.hostname || '127.0.0.1';
  const port = Number(url.port || 6379);
  if (await canConnect(host, port)) return;
  const hint =
    `Redis is not answering at ${host}:${port} (REDIS_URL).\n` +
    `  Start it with \`docker compose up -d mysql redis\`, or install it: \`sudo apt-get install -y redis-server\`,\n` +
    `  or point REDIS_URL at a running server (redis://host:6379).`;
  const server = which('redis-server');
  if (!isLocal(host) || !server) throw new MissingServiceError(hint);
  log('starting redis-server (installed but not running)…');
  execFileSync(server, [
    '--daemonize',
    'yes',
    '--bind',
    '127.0.0.1',
    '--port',
    String(port),
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  if (!(await waitForPort(host, port, 10_000))) {
    throw new MissingServiceError(`redis-server did not start.\n${hint}`);
  }
}

export async function ensureServices(
  opts: { databaseUrl: string; redisUrl: string },
  log: (msg: string) => void = (m) => console.log(`[services] ${m}`),
): Promise<void> {
  await ensureMysql(opts.databaseUrl, log);
  await ensureRedis(opts.redisUrl, log);
}

/** The Chromium that browser tests drive: CHROME_PATH, else the usual install locations. */
export function findChromium(): string {
  const candidates = [
    process.env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new MissingServiceError(
      'No Chromium found for the browser tests.\n' +
        '  Install it (`sudo apt-get install -y chromium`) or set CHROME_PATH=/path/to/chrome.',
    );
  }
  return found;
}
