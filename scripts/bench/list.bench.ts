// Ticket list benchmark (issue 5): GET /api/v1/tickets at 1,000,000 mirrored tickets.
// A mirror of BENCH_LIST_TICKETS (default 1,000,000) tickets is seeded straight into MySQL (reused when
// it already holds the same rows), the built API starts in this process against it (two instances:
// PORTAL_TICKET_SCOPE=company and =contact), real customers sign in, and autocannon (in a child
// process) drives 64 connections with their bearer token. In the same run, two naive baselines are
// served by the same API instance: routes this benchmark adds to its Fastify instance (they never ship)
// doing one indexed page query + COUNT(*) of the company, and the same with LIKE '%word%'.
import { execFile } from 'node:child_process';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Redis from 'ioredis';
import { createConnection, type Connection, type RowDataPacket } from 'mysql2/promise';
import { BENCH_COMPANY_ID, BENCH_CONTACT_ID, seedListMirror } from './list-seed';

const run = promisify(execFile);

interface AppHandle {
  app: { get<T>(token: unknown): T };
  url: string;
  close(): Promise<void>;
}

interface ApiModule {
  loadConfig(env: NodeJS.ProcessEnv): unknown;
  runMigrations(config: unknown): Promise<unknown>;
  createAccount(config: unknown, input: { email: string; password: string; name?: string }): Promise<unknown>;
  createHttpApp(config: unknown, options?: { logger?: false }): Promise<AppHandle>;
}

interface ListServiceLike {
  explainPage(customerId: string, query: Record<string, unknown>): Promise<Array<Record<string, unknown>>>;
}

interface SessionsLike {
  validate(token: string): Promise<{ customerId: string } | null>;
}

interface DataSourceLike {
  query<T>(sql: string, params?: unknown[]): Promise<T>;
}

interface FastifyLike {
  get(
    path: string,
    handler: (
      request: { headers: Record<string, string | string[] | undefined>; query: Record<string, string> },
      reply: { code(n: number): { send(body: unknown): unknown } },
    ) => Promise<unknown>,
  ): void;
}

interface LoadResult {
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  seconds: number;
}

const PASSWORD = 'Bench-list-harbour-2026';
const TOTAL = Number(process.env.BENCH_LIST_TICKETS ?? 1_000_000);
const COMPANY_TICKETS = Number(process.env.BENCH_LIST_COMPANY_TICKETS ?? 10_000);
const SECONDS = Number(process.env.BENCH_LIST_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_LIST_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_LIST_CONNECTIONS ?? 64);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/ticket_portal_bench';
const REDIS_URL = process.env.BENCH_LIST_REDIS_URL ?? 'redis://127.0.0.1:6379/8';

const NAIVE_COLUMNS =
  'id, hubspot_id, subject, stage_label, is_closed, owner_name, requester_name, requester_email, created_at, last_activity_at';
const SEARCH_WORDS = [
  'invoice',
  'password',
  'refund',
  'export',
  'login',
  'printer',
  'webhook',
  'certificate',
];

/** The scenarios, each a list of paths every connection walks in turn. */
const SCENARIOS: Array<{ name: string; app: 'company' | 'contact'; paths: string[] }> = [
  {
    name: 'baseline 1: page query + COUNT(*) (company)',
    app: 'company',
    paths: [1, 2, 3, 4].map((page) => `/api/v1/bench/naive-list?page=${page}`),
  },
  {
    name: "baseline 2: the same with LIKE '%word%' (company)",
    app: 'company',
    paths: SEARCH_WORDS.map((w) => `/api/v1/bench/naive-search?q=${w}`),
  },
  {
    name: 'list: status filter + sort (company)',
    app: 'company',
    paths: [
      '/api/v1/tickets',
      '/api/v1/tickets?status=open',
      '/api/v1/tickets?status=closed&sort=created&order=asc',
      '/api/v1/tickets?status=open&sort=owner&order=asc',
      '/api/v1/tickets?sort=subject&order=desc&page=2',
      '/api/v1/tickets?status=closed&sort=lastActivity&order=asc&page=3',
      '/api/v1/tickets?sort=created&order=desc&activityFrom=2026-01-01T00:00:00.000Z',
      '/api/v1/tickets?status=open&sort=status&order=asc',
    ],
  },
  {
    name: 'search: words, prefixes, ticket ID (company)',
    app: 'company',
    paths: [
      '/api/v1/tickets?q=invoice',
      '/api/v1/tickets?q=password%20reset',
      '/api/v1/tickets?q=refu',
      '/api/v1/tickets?q=export%20csv&status=open',
      '/api/v1/tickets?q=printer&sort=created&order=asc',
      '/api/v1/tickets?q=webh',
      '/api/v1/tickets?q=urgent%20login',
      '/api/v1/tickets?q=certificate&status=closed',
    ],
  },
  {
    // Issue 15: a part of the company scope, read with SQL rather than the scope's index (ADR 0014).
    name: 'list: Mine / In copy / My company (company)',
    app: 'company',
    paths: [
      '/api/v1/tickets?involvement=mine',
      '/api/v1/tickets?involvement=cc',
      '/api/v1/tickets?involvement=company',
      '/api/v1/tickets?involvement=mine&status=open&sort=created&order=asc',
      '/api/v1/tickets?involvement=cc&status=closed',
      '/api/v1/tickets?involvement=company&status=open&page=2',
    ],
  },
  {
    name: 'list: contact scope (≈ 400 tickets)',
    app: 'contact',
    paths: [
      '/api/v1/tickets',
      '/api/v1/tickets?status=open',
      '/api/v1/tickets?sort=created&order=asc',
      '/api/v1/tickets?status=closed&sort=subject&order=asc',
      '/api/v1/tickets?q=invoice',
      '/api/v1/tickets?sort=owner&order=desc',
    ],
  },
];

function databaseName(url: string): string {
  return new URL(url).pathname.replace(/^\//, '');
}

/** The naive endpoints, added to the API's own Fastify instance just before it listens. */
function addBaselineRoutes(
  fastify: FastifyLike,
  deps: () => { sessions: SessionsLike; db: DataSourceLike },
): void {
  const authed = async (request: {
    headers: Record<string, string | string[] | undefined>;
  }): Promise<boolean> => {
    const header = request.headers.authorization;
    const token = typeof header === 'string' ? header.replace(/^Bearer +/i, '') : '';
    return (await deps().sessions.validate(token)) !== null;
  };
  const page = (query: Record<string, string>): number => Math.max(1, Number(query.page ?? 1) || 1);
  fastify.get('/api/v1/bench/naive-list', async (request, reply) => {
    if (!(await authed(request))) return reply.code(401).send({ message: 'unauthenticated' });
    const { db } = deps();
    const [items, count] = await Promise.all([
      db.query<unknown[]>(
        `SELECT ${NAIVE_COLUMNS} FROM tickets WHERE company_id = ? ORDER BY last_activity_at DESC, id DESC LIMIT 25 OFFSET ?`,
        [BENCH_COMPANY_ID, (page(request.query) - 1) * 25],
      ),
      db.query<Array<{ n: number }>>('SELECT COUNT(*) AS n FROM tickets WHERE company_id = ?', [
        BENCH_COMPANY_ID,
      ]),
    ]);
    return { items, total: Number(count[0]?.n) };
  });
  fastify.get('/api/v1/bench/naive-search', async (request, reply) => {
    if (!(await authed(request))) return reply.code(401).send({ message: 'unauthenticated' });
    const { db } = deps();
    const like = `%${request.query.q ?? ''}%`;
    const where = 'company_id = ? AND (subject LIKE ? OR content LIKE ?)';
    const [items, count] = await Promise.all([
      db.query<unknown[]>(
        `SELECT ${NAIVE_COLUMNS} FROM tickets WHERE ${where} ORDER BY last_activity_at DESC, id DESC LIMIT 25`,
        [BENCH_COMPANY_ID, like, like],
      ),
      db.query<Array<{ n: number }>>(`SELECT COUNT(*) AS n FROM tickets WHERE ${where}`, [
        BENCH_COMPANY_ID,
        like,
        like,
      ]),
    ]);
    return { items, total: Number(count[0]?.n) };
  });
}

async function load(
  root: string,
  url: string,
  paths: string[],
  token: string,
  seconds: number,
): Promise<LoadResult> {
  const { stdout } = await run(
    process.execPath,
    [
      join(root, 'node_modules/tsx/dist/cli.mjs'),
      join(root, 'scripts/bench/list-load.ts'),
      JSON.stringify({ url, paths, token, connections: CONNECTIONS, seconds }),
    ],
    { cwd: root, maxBuffer: 10 * 2 ** 20 },
  );
  return JSON.parse(stdout) as LoadResult;
}

/**
 * Waits until MariaDB has no statement of the benchmark's database running: requests autocannon gave
 * up on (the LIKE baseline's take seconds) still hold the API's pool and MariaDB's CPU, and must not
 * be billed to the next line.
 */
async function drained(conn: Connection): Promise<void> {
  const database = databaseName(DATABASE_URL);
  for (let i = 0; i < 600; i++) {
    const [rows] = await conn.query<RowDataPacket[]>(
      "SELECT COUNT(*) AS n FROM information_schema.processlist WHERE db = ? AND command = 'Query' AND id <> CONNECTION_ID()",
      [database],
    );
    if (Number(rows[0]?.n) === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, 500));
}

function planText(rows: Array<Record<string, unknown>>): string {
  const text = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');
  return rows
    .map((r) =>
      `${text(r.table)} ${text(r.type)} key=${text(r.key)} rows=${text(r.rows)} ${text(r.Extra)}`.trim(),
    )
    .join(' / ');
}

async function explain(conn: Connection, sql: string, params: unknown[]): Promise<string> {
  const [rows] = await conn.query<RowDataPacket[]>(`EXPLAIN ${sql}`, params);
  return planText(rows);
}

export async function benchList(root: string): Promise<string> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const api = require(join(root, 'api/dist/index.js')) as ApiModule;
  const apiPaths = { paths: [join(root, 'api')] };
  const { FastifyAdapter } = require(require.resolve('@nestjs/platform-fastify', apiPaths)) as {
    FastifyAdapter: { prototype: { listen(...args: unknown[]): unknown; getInstance(): FastifyLike } };
  };
  const { DataSource } = require(require.resolve('typeorm', apiPaths)) as { DataSource: unknown };
  const { SessionService } = require(join(root, 'api/dist/auth/session.service.js')) as {
    SessionService: unknown;
  };
  const { TicketsListService } = require(join(root, 'api/dist/tickets/tickets-list.service.js')) as {
    TicketsListService: unknown;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */

  const env = (scope: 'company' | 'contact'): NodeJS.ProcessEnv => ({
    ...process.env,
    PORT: '0',
    DATABASE_URL,
    REDIS_URL,
    HUBSPOT_ACCESS_TOKEN: 'bench-token',
    PORTAL_TICKET_SCOPE: scope,
    LOG_LEVEL: 'warn',
    // The benchmark signs in twice from one address; keep the default limits otherwise.
  });
  const companyConfig = api.loadConfig(env('company'));
  const contactConfig = api.loadConfig(env('contact'));
  await api.runMigrations(companyConfig);

  const conn = await createConnection({ uri: DATABASE_URL });
  const lines: string[] = [];
  let companyApp: AppHandle | undefined;
  let contactApp: AppHandle | undefined;
  try {
    const seed = await seedListMirror(conn, TOTAL, COMPANY_TICKETS);
    const [[contactCount]] = (await conn.query<RowDataPacket[]>(
      'SELECT COUNT(*) AS n, SUM(is_primary = 0) AS cc FROM ticket_contacts WHERE contact_id = ?',
      [BENCH_CONTACT_ID],
    )) as unknown as [RowDataPacket[]];
    lines.push(
      seed.reused
        ? `Mirror: ${TOTAL.toLocaleString('en')} tickets in \`${databaseName(DATABASE_URL)}\`, reused (already seeded).`
        : `Mirror: ${TOTAL.toLocaleString('en')} tickets seeded into \`${databaseName(DATABASE_URL)}\` in ${seed.seconds.toFixed(1)} s (indexes rebuilt after the load).`,
      `Company ${BENCH_COMPANY_ID}: ${COMPANY_TICKETS.toLocaleString('en')} tickets; contact ${BENCH_CONTACT_ID}: on ${Number(contactCount?.n)} tickets, ${Number(contactCount?.cc)} of them in copy.`,
      '',
    );

    // MariaDB's default buffer pool (128 MiB) holds a tenth of this mirror; with it every baseline
    // is disk-bound. The figures in docs/benchmarks.md were taken with the pool at 2 GiB.
    const [[pool]] = (await conn.query<RowDataPacket[]>(
      'SELECT @@innodb_buffer_pool_size AS b',
    )) as unknown as [RowDataPacket[]];
    lines.push(`InnoDB buffer pool: ${Math.round(Number(pool?.b) / 2 ** 20)} MiB.`, '');
    // The company's rows and index pages in the buffer pool before anything is timed.
    await conn.query('SELECT SUM(LENGTH(content)), SUM(LENGTH(subject)) FROM tickets WHERE company_id = ?', [
      BENCH_COMPANY_ID,
    ]);

    // Cold caches: every run starts from an empty Redis DB.
    const redis = new Redis(REDIS_URL);
    await redis.flushdb();
    redis.disconnect();

    const customers = [
      { email: 'bench.list.company@example.com', scope: 'company' as const },
      { email: 'bench.list.contact@example.com', scope: 'contact' as const },
    ];
    for (const c of customers) {
      await api.createAccount(companyConfig, { email: c.email, password: PASSWORD, name: 'Bench Customer' });
      await conn.query(
        'UPDATE customers SET hubspot_contact_id = ?, hubspot_company_id = ? WHERE email = ?',
        [BENCH_CONTACT_ID, BENCH_COMPANY_ID, c.email],
      );
    }

    // Only the company-scope instance gets the naive routes; the patch is undone right after.
    const adapter = FastifyAdapter.prototype;
    // Called with the adapter as `this` below.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const listen = adapter.listen;
    const holder: { deps?: { sessions: SessionsLike; db: DataSourceLike } } = {};
    adapter.listen = function (this: { getInstance(): FastifyLike }, ...args: unknown[]) {
      addBaselineRoutes(this.getInstance(), () => holder.deps!);
      return listen.apply(this, args);
    };
    try {
      companyApp = await api.createHttpApp(companyConfig, { logger: false });
    } finally {
      adapter.listen = listen;
    }
    holder.deps = {
      sessions: companyApp.app.get<SessionsLike>(SessionService),
      db: companyApp.app.get<DataSourceLike>(DataSource),
    };
    contactApp = await api.createHttpApp(contactConfig, { logger: false });

    const tokens: Record<'company' | 'contact', string> = { company: '', contact: '' };
    for (const c of customers) {
      const app = c.scope === 'company' ? companyApp : contactApp;
      const res = await fetch(`${app.url}/api/v1/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ email: c.email, password: PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`sign-in of ${c.email} answered ${res.status}`);
      tokens[c.scope] = ((await res.json()) as { accessToken: string }).accessToken;
    }

    for (const scenario of SCENARIOS) {
      const app = scenario.app === 'company' ? companyApp : contactApp;
      // Every variant answers 200 before it is loaded (a 4xx would be fast and meaningless).
      for (const path of scenario.paths) {
        const res = await fetch(`${app.url}${path}`, {
          headers: { authorization: `Bearer ${tokens[scenario.app]}` },
        });
        const body = (await res.json()) as { total?: number };
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${JSON.stringify(body)}`);
      }
      await load(root, app.url, scenario.paths, tokens[scenario.app], 2); // warm-up, not counted
      await drained(conn);
    }
    // Rounds interleave the scenarios, so a burst of load from elsewhere on the machine falls on all
    // of them rather than on one.
    const rounds: LoadResult[][] = SCENARIOS.map(() => []);
    const loads: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const [n, scenario] of SCENARIOS.entries()) {
        const app = scenario.app === 'company' ? companyApp : contactApp;
        loads.push(loadavg()[0]!);
        rounds[n]!.push(await load(root, app.url, scenario.paths, tokens[scenario.app], SECONDS));
        await drained(conn);
      }
    }
    const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    const results = rounds.map((rs) => {
      const requests = rs.reduce((sum, r) => sum + r.requests, 0);
      const seconds = rs.reduce((sum, r) => sum + r.seconds, 0);
      return {
        requests,
        rps: requests / seconds,
        p50: median(rs.map((r) => r.p50)),
        p99: median(rs.map((r) => r.p99)),
        p99max: Math.max(...rs.map((r) => r.p99)),
        errors: rs.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
        non2xx: rs.reduce((sum, r) => sum + r.non2xx, 0),
      };
    });
    const rows = SCENARIOS.map((scenario, n) => {
      const r = results[n]!;
      return `| ${scenario.name} | ${scenario.paths.length} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} ms | ${r.p99} ms | ${r.p99max} ms | ${r.errors} | ${r.non2xx} | ${r.requests.toLocaleString('en')} |`;
    });
    const [base, like, list, search] = results as [
      (typeof results)[number],
      (typeof results)[number],
      (typeof results)[number],
      (typeof results)[number],
    ];
    lines.push(
      `${CONNECTIONS} connections, autocannon in a child process; after a 2 s warm-up each, ${ROUNDS} rounds of ${SECONDS} s per line, the lines interleaved (req/s over all rounds; p50 / p99 the median round, and the worst round's p99). Load average (1 min) during the rounds: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}.`,
      '',
      '| scenario | URL variants | req/s | p50 | p99 | p99 worst round | errors | non-2xx | requests |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
      `List / baseline 1 throughput: ${(list.rps / base.rps).toFixed(2)}× (goal ≥ 2×), list p99 ${list.p99} ms (goal ≤ 40 ms).`,
      `Search / LIKE baseline throughput: ${(search.rps / like.rps).toFixed(1)}× (goal ≥ 10×).`,
      '',
      'EXPLAIN (company scope unless said):',
      '',
    );
    // The page queries exactly as the API runs them (the SQL walk used before a scope's index is built).
    const pagePlans: Array<[string, 'company' | 'contact', Record<string, unknown>]> = [
      ['default list (last activity desc)', 'company', {}],
      ['status open, created asc', 'company', { status: 'open', sort: 'created', order: 'asc' }],
      [
        'status closed, owner asc (UNION of two ranges)',
        'company',
        { status: 'closed', sort: 'owner', order: 'asc' },
      ],
      ['contact scope, default list', 'contact', {}],
      ['contact scope, owner desc', 'contact', { sort: 'owner', order: 'desc' }],
    ];
    for (const [name, scope, query] of pagePlans) {
      const app = scope === 'company' ? companyApp : contactApp;
      const [customer] = (await conn.query<RowDataPacket[]>('SELECT id FROM customers WHERE email = ?', [
        customers.find((c) => c.scope === scope)!.email,
      ])) as unknown as [RowDataPacket[]];
      const plan = await app.app
        .get<ListServiceLike>(TicketsListService)
        .explainPage(String(customer[0]!.id), {
          status: 'all',
          sort: 'lastActivity',
          order: 'desc',
          limit: 25,
          page: 1,
          ...query,
        });
      lines.push(`- ${name}: ${planText(plan)}`);
    }
    const plans: Array<[string, string, unknown[]]> = [
      [
        'counts (cache miss only)',
        'SELECT is_closed, COUNT(*) FROM tickets WHERE company_id = ? GROUP BY is_closed',
        [BENCH_COMPANY_ID],
      ],
      [
        'contact scope, owner asc (assigned range of the UNION)',
        'SELECT id FROM tickets WHERE contact_id = ? AND owner_name IS NOT NULL ORDER BY owner_name ASC, id ASC LIMIT 25',
        [BENCH_CONTACT_ID],
      ],
      [
        'search index build (once per scope version)',
        'SELECT id, subject, content FROM tickets WHERE company_id = ?',
        [BENCH_COMPANY_ID],
      ],
      [
        "baseline 2: LIKE '%word%'",
        "SELECT COUNT(*) FROM tickets WHERE company_id = ? AND (subject LIKE '%invoice%' OR content LIKE '%invoice%')",
        [BENCH_COMPANY_ID],
      ],
    ];
    for (const [name, sql, params] of plans) lines.push(`- ${name}: ${await explain(conn, sql, params)}`);
    return lines.join('\n');
  } finally {
    await companyApp?.close();
    await contactApp?.close();
    await conn.end();
  }
}
