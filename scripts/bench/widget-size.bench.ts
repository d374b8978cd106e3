// The widget's size as a page downloads it. Three tables:
// 1. The build's files (minified, brotli, gzip): what the first render loads (the entry and the chunks
//    it imports statically; the 30 KB budget counts their brotli), the lazy chunk, the one-file bundle.
// 2. On the wire from a running API: each first-render file and the lazy chunk fetched from /widget/
//    with `Accept-Encoding: br` and with `gzip` (body bytes as received, headers apart), and a page of
//    the ticket list (GET /api/v1/tickets, 25 rows) without and with compression.
// 3. In headless Chromium (playwright-core from the e2e workspace, Debian's Chromium): a page with the
//    snippet, every request it makes until <ticket-portal> has drawn its Sign in form, and the bytes
//    the browser received for them (Chromium's own encoded sizes).
import { createServer, get, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'mysql2/promise';
import type { BrowserType, Request } from 'playwright-core';
import { BENCH_COMPANY_ID, BENCH_CONTACT_ID, seedListMirror } from './list-seed';

interface SizeCheck {
  BUDGET_BYTES: number;
  BUNDLE: string;
  firstRenderFiles(distDir: string): string[];
  lazyFiles(distDir: string, first: string[]): string[];
}
interface Precompress {
  brotli(buffer: Buffer): Buffer;
  gzip(buffer: Buffer): Buffer;
}
interface ApiModule {
  loadConfig(env: NodeJS.ProcessEnv): unknown;
  ensureDatabase(target: unknown): Promise<unknown>;
  runMigrations(config: unknown): Promise<unknown>;
  createAccount(config: unknown, input: { email: string; password: string; name?: string }): Promise<unknown>;
  createHttpApp(
    config: unknown,
    options?: { logger?: false },
  ): Promise<{ url: string; close(): Promise<void> }>;
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
const bytes = (n: number): string => `${n.toLocaleString('en')} B`;
const PASSWORD = 'Bench-widget-size-2026';

/** GET, counting the body bytes as they arrive (no decompression). */
function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: number }> {
  return new Promise((resolve, reject) => {
    get(url, { headers }, (response) => {
      let body = 0;
      response.on('data', (chunk: Buffer) => (body += chunk.length));
      response.on('end', () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
      );
    }).on('error', reject);
  });
}

function fileTable(dist: string, check: SizeCheck, compress: Precompress): string[] {
  const first = check.firstRenderFiles(dist);
  const sizes = (files: string[]) =>
    files
      .map((file) => readFileSync(file))
      .reduce(
        (a, raw) => ({
          raw: a.raw + raw.length,
          brotli: a.brotli + compress.brotli(raw).length,
          gzip: a.gzip + compress.gzip(raw).length,
        }),
        { raw: 0, brotli: 0, gzip: 0 },
      );
  const line = (label: string, s: { raw: number; brotli: number; gzip: number }, budget: string) =>
    `| ${label} | ${kb(s.raw)} | ${kb(s.brotli)} | ${kb(s.gzip)} | ${budget} |`;
  const name = (file: string) => `widget/dist/${relative(dist, file)}`;
  const total = sizes(first);
  return [
    '| file | minified | brotli | gzip | budget (brotli) |',
    '|---|---|---|---|---|',
    ...first.map((file) => line(name(file), sizes([file]), '')),
    line(`**first render** (${bytes(total.brotli)} brotli)`, total, kb(check.BUDGET_BYTES)),
    ...check.lazyFiles(dist, first).map((file) => line(`lazy: ${name(file)}`, sizes([file]), 'none')),
    line(`one file: ${name(join(dist, check.BUNDLE))}`, sizes([join(dist, check.BUNDLE)]), 'none'),
  ];
}

/** The host page: the snippet, nothing else. `api.url` is read per request (the API starts after it). */
function startPage(api: { url: string }): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    if (req.url !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Support</title></head>
<body><h1>Support</h1>
<script type="module" src="${api.url}/widget/ticket-portal.js"></script>
<ticket-portal api-url="${api.url}"></ticket-portal>
</body></html>`);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }),
    ),
  );
}

export async function benchWidgetSize(root: string): Promise<string> {
  const dist = join(root, 'widget/dist');
  const check = (await import(pathToFileURL(join(root, 'widget/scripts/checksize.mjs')).href)) as SizeCheck;
  const compress = (await import(
    pathToFileURL(join(root, 'widget/scripts/precompress.mjs')).href
  )) as Precompress;
  const lines = ['### The build', '', ...fileTable(dist, check, compress), ''];

  /* eslint-disable @typescript-eslint/no-require-imports */
  const api = require(`${root}/api/dist/index.js`) as ApiModule;
  const { chromium } = require(require.resolve('playwright-core', { paths: [join(root, 'e2e')] })) as {
    chromium: BrowserType;
  };
  /* eslint-enable @typescript-eslint/no-require-imports */

  const DATABASE_URL =
    process.env.BENCH_DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/ticket_portal_bench_widget';
  // The page first: its origin goes into PORTAL_ORIGINS of the API it names.
  const target = { url: '' };
  const page = await startPage(target);
  const pageOrigin = new URL(page.url).origin;
  const config = api.loadConfig({
    ...process.env,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL,
    REDIS_URL: process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/3',
    HUBSPOT_ACCESS_TOKEN: 'bench-token',
    PORTAL_TICKET_SCOPE: 'company',
    PORTAL_ORIGINS: pageOrigin,
    LOG_LEVEL: 'warn',
  });
  await api.ensureDatabase((config as { database: unknown }).database);
  await api.runMigrations(config);
  const conn = await createConnection({ uri: DATABASE_URL });
  const email = 'bench.widget@example.com';
  try {
    // A small mirror: the company's 400 tickets give a full first page of the list.
    await seedListMirror(conn, 2_000, 400);
    await conn.query('DELETE FROM customers WHERE email = ?', [email]);
    await api.createAccount(config, { email, password: PASSWORD, name: 'Bench Customer' });
    await conn.query('UPDATE customers SET hubspot_contact_id = ?, hubspot_company_id = ? WHERE email = ?', [
      BENCH_CONTACT_ID,
      BENCH_COMPANY_ID,
      email,
    ]);
  } finally {
    await conn.end();
  }

  const app = await api.createHttpApp(config, { logger: false });
  const apiUrl = (target.url = app.url);
  const browser = await chromium.launch({
    executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
  });
  try {
    // 2. On the wire.
    const first = check.firstRenderFiles(dist);
    const lazy = check.lazyFiles(dist, first);
    const wire = async (file: string) => {
      const url = `${apiUrl}/widget/${relative(dist, file).split('\\').join('/')}`;
      const [br, gz, none] = await Promise.all(
        ['br', 'gzip', 'identity'].map((encoding) => rawGet(url, { 'accept-encoding': encoding })),
      );
      for (const [answer, expected] of [
        [br!, 'br'],
        [gz!, 'gzip'],
      ] as const) {
        if (answer.headers['content-encoding'] !== expected) {
          throw new Error(
            `${url} was not sent ${expected}: ${answer.headers['content-encoding'] ?? 'identity'}`,
          );
        }
      }
      return { br: br!.body, gzip: gz!.body, none: none!.body, cache: String(br!.headers['cache-control']) };
    };
    const firstWire = await Promise.all(first.map(wire));
    const sum = (key: 'br' | 'gzip' | 'none') => firstWire.reduce((a, r) => a + r[key], 0);
    const login = await fetch(`${apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD }),
    });
    if (login.status !== 200) throw new Error(`sign-in answered ${login.status}`);
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    const listUrl = `${apiUrl}/api/v1/tickets?page=1&limit=25`;
    const list = await Promise.all(
      ['identity', 'br', 'gzip'].map((encoding) =>
        rawGet(listUrl, { authorization: `Bearer ${token}`, 'accept-encoding': encoding }),
      ),
    );
    if (list.some((r) => r.status !== 200)) {
      throw new Error(`GET tickets answered ${list.map((r) => r.status).join(', ')}`);
    }
    lines.push(
      '### On the wire from the API (`/widget/…`, body bytes as received)',
      '',
      '| what | br | gzip | uncompressed | Cache-Control |',
      '|---|---|---|---|---|',
      ...first.map(
        (file, i) =>
          `| ${relative(dist, file)} | ${bytes(firstWire[i]!.br)} | ${bytes(firstWire[i]!.gzip)} | ${bytes(firstWire[i]!.none)} | \`${firstWire[i]!.cache}\` |`,
      ),
      `| **first render** | **${bytes(sum('br'))}** (${kb(sum('br'))}) | ${bytes(sum('gzip'))} (${kb(sum('gzip'))}) | ${bytes(sum('none'))} (${kb(sum('none'))}) | |`,
      ...(await Promise.all(lazy.map(wire))).map(
        (r, i) =>
          `| lazy: ${relative(dist, lazy[i]!)} | ${bytes(r.br)} | ${bytes(r.gzip)} | ${bytes(r.none)} | \`${r.cache}\` |`,
      ),
      `| GET /api/v1/tickets (25 of 400 tickets, JSON) | ${bytes(list[1]!.body)} | ${bytes(list[2]!.body)} | ${bytes(list[0]!.body)} | |`,
      '',
    );

    // 3. In the browser, until the Sign in form is drawn.
    const context = await browser.newContext();
    const tab = await context.newPage();
    const requests: Request[] = [];
    tab.on('request', (request) => requests.push(request));
    const started = performance.now();
    await tab.goto(page.url);
    // The page's own code, as a string: this file has no DOM types.
    await tab.waitForFunction(
      "document.querySelector('ticket-portal')?.shadowRoot?.querySelector('.portal > *')?.shadowRoot?.querySelector('form')",
      undefined,
      { polling: 'raf', timeout: 20_000 },
    );
    const renderedMs = performance.now() - started;
    const before = [...requests];
    const rows = await Promise.all(
      before.map(async (request) => {
        const response = await request.response();
        const sizes = await request.sizes();
        const headers = (await response?.allHeaders()) ?? {};
        return {
          url: request.url().replace(apiUrl, '').replace(pageOrigin, '(page)'),
          type: request.resourceType(),
          encoding: headers['content-encoding'] ?? 'identity',
          body: sizes.responseBodySize,
          headers: sizes.responseHeadersSize,
        };
      }),
    );
    const acceptEncoding = (await before.find((r) => r.url().includes('/widget/'))?.allHeaders())?.[
      'accept-encoding'
    ];
    const scripts = rows.filter((r) => r.type === 'script');
    await context.close();
    lines.push(
      `### In Chromium (${browser.version()}), until the Sign in form is drawn`,
      '',
      `The page sends \`Accept-Encoding: ${acceptEncoding}\`. ${rows.length} requests before the first render, ${scripts.length} of them scripts; drawn after ${Math.round(renderedMs)} ms (loopback).`,
      '',
      '| request | type | encoding | body bytes | header bytes |',
      '|---|---|---|---|---|',
      ...rows.map((r) => `| ${r.url} | ${r.type} | ${r.encoding} | ${bytes(r.body)} | ${bytes(r.headers)} |`),
      `| **scripts** | | | **${bytes(scripts.reduce((a, r) => a + r.body, 0))}** | ${bytes(scripts.reduce((a, r) => a + r.headers, 0))} |`,
    );
  } finally {
    await browser.close();
    page.server.close();
    await app.close();
  }
  return lines.join('\n');
}
