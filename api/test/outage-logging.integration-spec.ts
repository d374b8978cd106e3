import { createServer, connect, type Server, type Socket } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { createHttpApp, type HttpAppHandle } from '../src/app-factory';
import { testConfig, TEST_DATABASE_URL, TEST_QUEUE_PREFIX } from './helpers/test-config';
import { freePort } from './helpers/own-redis';
import { emptyRun } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 10: a MySQL outage used to write one error line with a stack per failed request. The API
// talks to MariaDB through a TCP proxy here, which the test closes (MySQL "down") and opens again.

class Captured implements LoggerService {
  readonly lines: Array<{ level: string; message: unknown; context: unknown }> = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.lines.push({ level: 'log', message, context: rest.at(-1) });
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.lines.push({ level: 'error', message, context: rest.at(-1) });
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.lines.push({ level: 'warn', message, context: rest.at(-1) });
  }
  debug(): void {}
  verbose(): void {}
  fatal(message: unknown, ...rest: unknown[]): void {
    this.error(message, ...rest);
  }
}

class Proxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  async open(): Promise<void> {
    const server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.server = server;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise((resolve) => server.close(resolve));
  }
}

describe('outage logging (MySQL down behind a proxy)', () => {
  let proxy: Proxy;
  let api: HttpAppHandle;
  const logs = new Captured();

  beforeAll(async () => {
    const db = new URL(TEST_DATABASE_URL);
    proxy = new Proxy(await freePort(), { host: db.hostname, port: Number(db.port || 3306) });
    await proxy.open();
    db.host = `127.0.0.1:${proxy.port}`;
    await emptyRun();
    // Through the proxy the database is another host:port to the deployment guard: a prefix of its own.
    api = await createHttpApp(
      testConfig({ DATABASE_URL: db.toString(), LOG_LEVEL: 'log', QUEUE_PREFIX: `${TEST_QUEUE_PREFIX}o` }),
      { logger: logs },
    );
  });

  afterAll(async () => {
    await api?.close();
    await proxy?.close();
  });

  it('should answer 503 and log the outage once at its start and once at its end, with the count', async () => {
    await proxy.close();
    const answers = [];
    for (let i = 0; i < 8; i++) {
      // A token the process has not cached: checking it needs MySQL.
      const res = await fetch(`${api.url}/api/v1/me`, {
        headers: { authorization: `Bearer ${'t'.repeat(42)}${i}` },
      });
      answers.push({ status: res.status, body: (await res.json()) as { code?: string } });
    }
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(503));
    expect(answers.every((a) => a.body.code === 'DEPENDENCY_UNAVAILABLE')).toBe(true);

    await proxy.open();
    const ended = (): string | undefined =>
      logs.lines
        .map((l) => (l.message as { msg?: string })?.msg)
        .find((msg) => typeof msg === 'string' && /^MySQL unreachable .*reachable again$/.test(msg));
    await waitFor('the outage end logged', ended, (line) => line !== undefined, 15_000, 100).catch(
      () => undefined,
    );
    expect(ended()).toMatch(/ — 8 requests failed with 503 during \d+\.\d s; reachable again$/);
    const errors = logs.lines.filter((l) => l.level === 'error');
    expect(errors).toHaveLength(1);
    expect((errors[0]!.message as { msg: string }).msg).toMatch(/^MySQL unreachable \(/);
  }, 30_000);
});
