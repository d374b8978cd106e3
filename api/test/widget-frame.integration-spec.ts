import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHttpApp, type HttpAppHandle } from '../src/app-factory';
import { TEST_PORTAL_ORIGIN, testConfig } from './helpers/test-config';

// GET /widget/frame, the page of the widget's iframe mode (ADR 0013): who may frame it, what it loads,
// and what it refuses.

const ENTRY_HASH = 'sha384-ENTRYENTRYENTRY';
const CHUNK_HASH = 'sha384-CHUNKCHUNKCHUNK';

function writeIntegrity(dir: string, entryHash = ENTRY_HASH): void {
  writeFileSync(
    join(dir, 'integrity.json'),
    JSON.stringify({
      algorithm: 'sha384',
      files: { 'ticket-portal.js': entryHash, 'chunks/chunk-AB12CD34.js': CHUNK_HASH },
      firstRender: ['ticket-portal.js', 'chunks/chunk-AB12CD34.js'],
      lazy: [],
    }),
  );
}

describe('GET /widget/frame', () => {
  let api: HttpAppHandle;
  let dir: string;
  const frame = (query: string) => fetch(`${api.url}/widget/frame?${query}`);
  const origin = `origin=${encodeURIComponent(TEST_PORTAL_ORIGIN)}`;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tp-frame-'));
    mkdirSync(join(dir, 'chunks'));
    writeFileSync(join(dir, 'ticket-portal.js'), 'export const loaded = true;\n');
    writeFileSync(join(dir, 'chunks/chunk-AB12CD34.js'), 'export const shared = true;\n');
    writeIntegrity(dir);
    api = await createHttpApp(testConfig(), { logger: false, widgetDistDir: dir });
  });

  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should serve the portal page to a site of PORTAL_ORIGINS with its settings, framed by those sites only', async () => {
    const response = await frame(`${origin}&theme=dark&locale=en-GB&view=card&page-size=10&address=off`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const policy = response.headers.get('content-security-policy') ?? '';
    const directives = new Map(
      policy.split(';').map((d) => {
        const [name = '', ...values] = d.trim().split(/\s+/);
        return [name, values] as const;
      }),
    );
    expect(directives.get('frame-ancestors')).toEqual([TEST_PORTAL_ORIGIN, 'http://localhost:8080']);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('connect-src')).toEqual(["'self'"]);
    expect(directives.get('default-src')).toEqual(["'none'"]);
    expect(directives.get('require-trusted-types-for')).toEqual(["'script'"]);
    // helmet's X-Frame-Options would refuse every site: not on this route.
    expect(response.headers.get('x-frame-options')).toBeNull();
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');

    const html = await response.text();
    expect(html).toContain(
      `<ticket-portal mode="frame" host-origin="${TEST_PORTAL_ORIGIN}" theme="dark" locale="en-GB" view="card" page-size="10" address="off"></ticket-portal>`,
    );
    expect(html).toMatch(
      new RegExp(
        `<script type="module" src="ticket-portal\\.js\\?v=[0-9a-f]{12}" integrity="${ENTRY_HASH}"></script>`,
      ),
    );
    expect(html).toContain(
      `<link rel="modulepreload" href="chunks/chunk-AB12CD34.js" integrity="${CHUNK_HASH}">`,
    );
    // The one inline style is allowed by its hash, nothing else inline is.
    const style = /<style>([^<]*)<\/style>/.exec(html)?.[1] ?? '';
    const hash = createHash('sha256').update(style).digest('base64');
    expect(directives.get('style-src')).toEqual([`'sha256-${hash}'`]);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)/);
  });

  it('should leave X-Frame-Options on every other route', async () => {
    for (const path of ['/widget/ticket-portal.js', '/api/v1/portal']) {
      const response = await fetch(`${api.url}${path}`);
      expect([path, response.headers.get('x-frame-options')]).toEqual([path, 'SAMEORIGIN']);
    }
  });

  it('should show the "not set up" sentence, without the widget, for a site not in PORTAL_ORIGINS', async () => {
    const response = await frame(`origin=${encodeURIComponent('https://elsewhere.example')}`);
    expect(response.status).toBe(403);
    expect(response.headers.get('content-security-policy')).toContain(
      `frame-ancestors ${TEST_PORTAL_ORIGIN} http://localhost:8080;`,
    );
    expect(response.headers.get('x-frame-options')).toBeNull();
    const html = await response.text();
    expect(html).toContain('This page is not set up for the customer portal');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<ticket-portal');
  });

  it('should refuse a missing or malformed origin and bad settings with 400, saying what to fix', async () => {
    const cases: Array<[string, string[]]> = [
      ['', ['origin']],
      ['origin=portal.test', ['origin']],
      [`origin=${encodeURIComponent(`${TEST_PORTAL_ORIGIN}/support/`)}`, ['origin']],
      ['origin=javascript:alert(1)', ['origin']],
      [`${origin}&theme=purple&page-size=500&view=grid`, ['theme', 'view', 'page-size']],
      [
        `${origin}&support-url=${encodeURIComponent('javascript:alert(1)')}&address=maybe`,
        ['address', 'support-url'],
      ],
      [`${origin}&${origin}`, ['origin']],
    ];
    for (const [query, fields] of cases) {
      const response = await frame(query);
      const body = (await response.json()) as {
        code: string;
        message: string;
        fields: Record<string, string>;
      };
      expect([query, response.status, body.code, Object.keys(body.fields)]).toEqual([
        query,
        400,
        'VALIDATION_FAILED',
        fields,
      ]);
      expect(body.message).toContain(`${fields[0]}: `);
    }
  });

  it('should escape the settings it writes into the page', async () => {
    const name = `"><script>alert(1)</script>`;
    const html = await (await frame(`${origin}&company-name=${encodeURIComponent(name)}`)).text();
    expect(html).toContain('company-name="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"');
    expect(html).not.toContain('<script>alert');
  });

  it('should name the files of a new build at once', async () => {
    writeIntegrity(dir, 'sha384-NEWBUILD');
    try {
      const html = await (await frame(origin)).text();
      expect(html).toContain('integrity="sha384-NEWBUILD"');
    } finally {
      writeIntegrity(dir);
    }
  });
});
