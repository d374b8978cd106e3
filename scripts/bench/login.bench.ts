// Login latency: 100 sign-ins by 100 confirmed customers through HTTP (passport-local + argon2id + token
// issue), each from its own client address (X-Forwarded-For, with the local client trusted as the proxy) so throttling does not
// shape the figure. Then the same number of wrong-password and unknown-email attempts, to show that
// the two failures cannot be told apart by time.
import { ms, summarize, type Summary } from './stats';

interface ApiModule {
  loadConfig(env: NodeJS.ProcessEnv): unknown;
  runMigrations(config: unknown): Promise<unknown>;
  createAccount(config: unknown, input: { email: string; password: string; name?: string }): Promise<unknown>;
  createHttpApp(
    config: unknown,
    options?: { logger?: false },
  ): Promise<{ url: string; close(): Promise<void> }>;
}

const N = Number(process.env.BENCH_LOGINS ?? 100);
const PASSWORD = 'Bench-harbour-lights-2026';

export async function benchLogin(root: string): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const api = require(`${root}/api/dist/index.js`) as ApiModule;
  const config = api.loadConfig({
    ...process.env,
    PORT: '0',
    DATABASE_URL: process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/ticket_portal_bench',
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/3',
    HUBSPOT_ACCESS_TOKEN: 'bench-token',
    // The bench client stands in for the proxy: trust it (never TRUST_PROXY=true, refused at boot).
    TRUST_PROXY: 'loopback',
    LOG_LEVEL: 'warn',
  });
  await api.runMigrations(config);
  const run = Date.now().toString(36);
  const emails = Array.from({ length: N }, (_, i) => `bench.${run}.${i}@example.com`);
  for (const email of emails) await api.createAccount(config, { email, password: PASSWORD });

  const app = await api.createHttpApp(config, { logger: false });
  const login = async (email: string, password: string, i: number): Promise<[number, number]> => {
    const started = performance.now();
    const res = await fetch(`${app.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.${(i >> 8) & 255}.${i & 255}.7` },
      body: JSON.stringify({ email, password }),
    });
    await res.arrayBuffer();
    return [performance.now() - started, res.status];
  };

  try {
    // Warm up (JIT, connection pools) with a few logins that are not counted.
    for (let i = 0; i < 5; i++) await login(emails[i]!, PASSWORD, 200 + i);
    const ok: number[] = [];
    for (let i = 0; i < N; i++) {
      const [t, status] = await login(emails[i]!, PASSWORD, i);
      if (status !== 200) throw new Error(`login ${i} answered ${status}`);
      ok.push(t);
    }
    const wrong: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < N; i++) {
      const [tw, sw] = await login(emails[i]!, 'Not-the-right-password-1', 1000 + i);
      const [tu, su] = await login(`nobody.${run}.${i}@example.com`, 'Not-the-right-password-1', 2000 + i);
      if (sw !== 401 || su !== 401) {
        throw new Error(`failed logins answered ${sw} / ${su}, expected 401 / 401`);
      }
      wrong.push(tw);
      unknown.push(tu);
    }
    const row = (name: string, s: Summary): string =>
      `| ${name} | ${s.n} | ${ms(s.p50)} | ${ms(s.p95)} | ${ms(s.mean)} | ${ms(s.max)} |`;
    return [
      '| login | n | p50 | p95 | mean | max |',
      '|---|---|---|---|---|---|',
      row('successful sign-in', summarize(ok)),
      row('wrong password (known email)', summarize(wrong)),
      row('unknown email', summarize(unknown)),
    ].join('\n');
  } finally {
    await app.close();
  }
}
