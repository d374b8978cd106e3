import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { get, type IncomingHttpHeaders } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { createHttpApp, type HttpAppHandle } from '../src/app-factory';
import { testConfig } from './helpers/test-config';
import {
  PORTAL_ORIGIN,
  registerConfirmed,
  login,
  useTestStack,
  waitForIdleQueue,
} from './helpers/test-stack';

// Sends bytes as they are, for requests fetch() refuses to build.
function rawRequest(port: number, payload: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.end(payload));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(5000, () => {
      socket.destroy();
      resolve(data);
    });
  });
}

// GET with the bytes as they travel (fetch() would decompress them), up to `limit` bytes (a stream
// that stays open is cut there).
function rawGet(
  url: string,
  headers: Record<string, string> = {},
  limit = Infinity,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const request = get(url, { headers }, (response) => {
      const chunks: Buffer[] = [];
      let length = 0;
      const done = () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) });
      response.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        length += chunk.length;
        if (length >= limit) {
          request.destroy();
          done();
        }
      });
      response.on('end', done);
    });
    request.on('error', reject);
  });
}

function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
}

describe('HTTP surface: errors, CORS, health, retired routes, docs', () => {
  const stack = useTestStack();

  beforeEach(async () => {
    await waitForIdleQueue(stack);
    await stack.reset();
  });

  it('should report database and Redis as up on GET /health', async () => {
    const health = await stack.request('GET', '/api/v1/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('should show the public only whether it is up on GET /health, and no metrics', async () => {
    const from = async (url: string, headers: Record<string, string> = {}, remoteAddress = '203.0.113.7') => {
      const res = await stack.api.app.inject({ method: 'GET', url, headers, remoteAddress });
      const json = (res.headers['content-type'] ?? '').toString().startsWith('application/json');
      return { status: res.statusCode, body: json ? res.json<Record<string, unknown>>() : {} };
    };
    // HubSpot is unreachable for this stack: sync may be degraded, never a 503.
    for (const answer of [
      await from('/api/v1/health'),
      await from('/api/v1/health', { 'x-forwarded-for': '198.51.100.4' }, '127.0.0.1'),
    ]) {
      expect(answer.status).toBe(200);
      expect(Object.keys(answer.body)).toEqual(['status']);
      expect(['ok', 'degraded']).toContain(answer.body.status);
    }
    const metrics = await from('/api/v1/metrics');
    expect(metrics.status).toBe(403);
    expect(metrics.body).toMatchObject({
      code: 'FORBIDDEN',
      message: expect.stringContaining('METRICS_TOKEN'),
    });
    // This host still gets the details without a token (npm start, the benches, a local scraper).
    expect((await from('/api/v1/health', {}, '127.0.0.1')).body).toHaveProperty('checks');
    expect((await from('/api/v1/metrics', {}, '::1')).status).toBe(200);
  });

  it('should answer 503 naming Redis when Redis cannot be reached', async () => {
    const broken = await createHttpApp(testConfig({ REDIS_URL: 'redis://127.0.0.1:1/1' }), { logger: false });
    try {
      const response = await fetch(`${broken.url}/api/v1/health`);
      const body = (await response.json()) as Record<string, unknown>;
      expect(response.status).toBe(503);
      expect(body).toMatchObject({
        statusCode: 503,
        code: 'DEPENDENCY_UNAVAILABLE',
        status: 'error',
        checks: { database: { status: 'up' }, redis: { status: 'down' } },
      });
      expect(body.message).toMatch(/redis/);
      const outside = await broken.app.inject({
        method: 'GET',
        url: '/api/v1/health',
        remoteAddress: '203.0.113.7',
      });
      expect(outside.statusCode).toBe(503);
      expect(outside.json()).toEqual({
        statusCode: 503,
        error: 'Service Unavailable',
        code: 'DEPENDENCY_UNAVAILABLE',
        message: 'Not ready: a dependency is unreachable.',
        status: 'error',
      });
    } finally {
      await broken.close();
    }
  });

  it.each(['GET', 'POST', 'PUT', 'DELETE', 'PATCH'])(
    'should answer %s on the retired OTP and magic-link routes with 410 pointing to Forgot password',
    async (method) => {
      for (const path of ['auth/otp', 'auth/otp/verify', 'auth/magic-link', 'auth/magic-link/callback/abc']) {
        const response = await stack.request(method, `/api/v1/${path}`);
        expect(response.status).toBe(410);
        expect(response.body).toMatchObject({ statusCode: 410, error: 'Gone', code: 'LOGIN_METHOD_RETIRED' });
        expect(response.body.message).toMatch(/no longer available/);
        expect(response.body.message).toMatch(/Reset your password using the Forgot password option/);
      }
    },
  );

  it('should name every bad field in plain words when the body does not validate', async () => {
    const response = await stack.request('POST', '/api/v1/auth/register', {
      body: { email: 'not-an-email', password: 42, admin: true },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
    expect(response.body.fields).toEqual({
      email: 'Enter a valid email address, like name@example.com.',
      password: 'Enter your password as text.',
      admin: '"admin" is not a field this request accepts; remove it.',
    });
    expect(response.body.message).toContain('email: Enter a valid email address');
    expect(response.body.message).toContain('admin');

    const remember = await stack.request('POST', '/api/v1/auth/login', {
      body: { email: 'a@example.com', password: 'whatever-it-is', remember: 'yes' },
    });
    expect(remember.status).toBe(400);
    expect(remember.body.fields).toEqual({ remember: 'Send remember as true or false.' });

    const missing = await stack.request('POST', '/api/v1/auth/login', { body: {} });
    expect(missing.status).toBe(400);
    expect(Object.keys(missing.body.fields as object)).toEqual(['email', 'password']);

    const token = await stack.request('POST', '/api/v1/auth/confirm', { body: { token: 'abc' } });
    expect(token.status).toBe(400);
    expect(token.body.message).toMatch(/link is incomplete/);
  });

  // Issue 10: a lone UTF-16 surrogate made the email validator throw a URIError (500).
  it('should answer 400 for an email with a lone surrogate on every route that takes one', async () => {
    for (const email of ['\ud800@example.com', 'alex\udc00@example.com', 'alex@exam\ud83dple.com']) {
      for (const [path, extra] of [
        ['/api/v1/auth/register', { password: 'violet-harbour-lantern-42' }],
        ['/api/v1/auth/login', { password: 'violet-harbour-lantern-42' }],
        ['/api/v1/auth/confirm/resend', {}],
        ['/api/v1/auth/password/forgot', {}],
      ] as const) {
        const response = await stack.request('POST', path, { body: { email, ...extra } });
        expect({ path, status: response.status }).toEqual({ path, status: 400 });
        expect(response.body).toMatchObject({
          code: 'VALIDATION_FAILED',
          fields: { email: 'Enter a valid email address, like name@example.com.' },
        });
      }
    }
    // A lone surrogate in a password is just an odd character, never a 500.
    const password = await stack.request('POST', '/api/v1/auth/login', {
      body: { email: 'alex@example.com', password: 'pass\ud800word-long-enough' },
    });
    expect(password.status).toBe(401);
  });

  it('should refuse a quoted local part at registration, since mail to it is never delivered', async () => {
    for (const email of ['"a b"@example.org', '"alex"@example.org']) {
      const response = await stack.request('POST', '/api/v1/auth/register', {
        body: { email, password: 'violet-harbour-lantern-42' },
      });
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ code: 'VALIDATION_FAILED' });
      expect(response.body.fields).toEqual({ email: expect.stringMatching(/without quotation marks/) });
    }
  });

  it('should answer malformed JSON, wrong content types, oversized bodies and unknown routes with clear 4xx', async () => {
    const malformed = await stack.request('POST', '/api/v1/auth/login', {
      raw: '{"email": "a@example.com",',
      headers: { 'content-type': 'application/json' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ code: 'MALFORMED_REQUEST' });
    expect(malformed.body.message).toMatch(/not valid JSON/);

    const xml = await stack.request('POST', '/api/v1/auth/register', {
      raw: '<email>a@example.com</email>',
      headers: { 'content-type': 'application/xml' },
    });
    expect(xml.status).toBe(415);
    expect(xml.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE' });
    expect(xml.body.message).toMatch(/application\/json/);

    const huge = await stack.request('POST', '/api/v1/auth/register', {
      raw: JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(200 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });

    const unknown = await stack.request('GET', '/api/v1/does-not-exist?x=1');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ code: 'NOT_FOUND' });
    expect(unknown.body.message).toContain('GET /api/v1/does-not-exist');

    const proto = await stack.request('POST', '/api/v1/auth/login', {
      raw: '{"email":"a@example.com","password":"abcdefghijk","__proto__":{"admin":true}}',
      headers: { 'content-type': 'application/json' },
    });
    expect(proto.status).toBe(400);
  });

  it('should refuse a missing, malformed or unknown bearer token with 401', async () => {
    for (const authorization of [
      '',
      'Bearer',
      'Bearer ',
      'Basic dXNlcjpwYXNz',
      'Bearer a b',
      `Bearer ${'a'.repeat(43)}`,
    ]) {
      const response = await stack.request('GET', '/api/v1/me', {
        headers: authorization ? { authorization } : {},
      });
      expect(response.status).toBe(401);
      expect(response.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    }
    expect((await stack.request('POST', '/api/v1/auth/logout')).status).toBe(401);
  });

  it('should allow exactly the PORTAL_ORIGINS and refuse other origins', async () => {
    const preflight = await stack.request('OPTIONS', '/api/v1/auth/login', {
      headers: {
        origin: PORTAL_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');

    const allowed = await stack.request('GET', '/api/v1/health', { headers: { origin: PORTAL_ORIGIN } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(PORTAL_ORIGIN);
    expect(allowed.headers.get('access-control-expose-headers')).toContain('Retry-After');

    const evilPreflight = await stack.request('OPTIONS', '/api/v1/auth/login', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(evilPreflight.headers.get('access-control-allow-origin')).toBeNull();
    expect(evilPreflight.status).toBe(403);

    const evil = await stack.request('POST', '/api/v1/auth/login', {
      body: { email: 'a@example.com', password: 'abcdefghijk' },
      headers: { origin: 'https://evil.example' },
    });
    expect(evil.status).toBe(403);
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
    expect(evil.body).toMatchObject({ code: 'ORIGIN_NOT_ALLOWED' });
    expect(evil.body.message).toContain('PORTAL_ORIGINS');

    // A look-alike origin (different port or scheme) is a different origin.
    const lookAlike = await stack.request('GET', '/api/v1/health', {
      headers: { origin: 'http://portal.test:8081' },
    });
    expect(lookAlike.status).toBe(403);
  });

  it('should let any page read GET portal, saying whether its origin may use the portal', async () => {
    const evil = await stack.request<{ originAllowed: boolean; support: { name: string } }>(
      'GET',
      '/api/v1/portal',
      { headers: { origin: 'https://evil.example' } },
    );
    expect(evil.status).toBe(200);
    expect(evil.headers.get('access-control-allow-origin')).toBe('*');
    expect(evil.headers.get('vary')).toContain('Origin');
    expect(evil.body.originAllowed).toBe(false);
    expect(evil.body.support.name).toBeTruthy();

    const listed = await stack.request<{ originAllowed: boolean }>('GET', '/api/v1/portal', {
      headers: { origin: PORTAL_ORIGIN },
    });
    expect(listed.body.originAllowed).toBe(true);
    expect(
      (await stack.request<{ originAllowed: boolean }>('GET', '/api/v1/portal')).body.originAllowed,
    ).toBe(true);
    // Everything else stays closed to that page.
    const other = await stack.request('GET', '/api/v1/health', {
      headers: { origin: 'https://evil.example' },
    });
    expect(other.status).toBe(403);
    const post = await stack.request('POST', '/api/v1/portal', {
      headers: { origin: 'https://evil.example' },
    });
    expect(post.status).toBe(403);
  });

  it('should compress JSON answers above 1 KB by Accept-Encoding, and leave small ones alone', async () => {
    const docs = `${stack.api.url}/api/docs-json`;
    const plain = await rawGet(docs);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const br = await rawGet(docs, { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(brotliDecompressSync(br.body).equals(plain.body)).toBe(true);
    expect(br.body.length).toBeLessThan(plain.body.length / 4);
    const gz = await rawGet(docs, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(plain.body)).toBe(true);

    // The public health answer is a few bytes: under the 1 KB threshold, sent as it is.
    const small = await rawGet(`${stack.api.url}/api/v1/health`, { 'accept-encoding': 'br' });
    expect(small.body.length).toBeLessThan(1024);
    expect(small.headers['content-encoding']).toBeUndefined();
  });

  it('should never compress or buffer the event stream', async () => {
    const { email, password } = await registerConfirmed(stack);
    const token = (await login(stack, email, password)).body.accessToken;
    // The first event arrives as written, not held back in a compressor's buffer.
    const stream = await rawGet(
      `${stack.api.url}/api/v1/tickets/events`,
      { authorization: `Bearer ${token}`, 'accept-encoding': 'br, gzip' },
      1,
    );
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(stream.headers['content-encoding']).toBeUndefined();
    expect(stream.body.toString('utf8')).toMatch(/^(:|event:|retry:|id:)/);
  });

  it('should send security headers', async () => {
    const response = await stack.request('GET', '/api/v1/health');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('strict-transport-security')).toContain('max-age=');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('should serve the OpenAPI document and UI', async () => {
    const json = await stack.request<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/api/docs-json',
    );
    expect(json.status).toBe(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/auth/register',
        '/api/v1/auth/login',
        '/api/v1/auth/logout',
        '/api/v1/auth/confirm',
        '/api/v1/auth/confirm/resend',
        '/api/v1/auth/password/forgot',
        '/api/v1/auth/password/reset',
        '/api/v1/me',
        '/api/v1/health',
      ]),
    );
    const ui = await fetch(`${stack.api.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger');
  });

  it('should never answer 5xx to malformed bodies, headers or queries on any route', async () => {
    const { email, password } = await registerConfirmed(stack);
    const token = (await login(stack, email, password)).body.accessToken;
    const routes: Array<[string, string]> = [
      ['POST', '/api/v1/auth/register'],
      ['POST', '/api/v1/auth/confirm'],
      ['POST', '/api/v1/auth/confirm/resend'],
      ['POST', '/api/v1/auth/login'],
      ['POST', '/api/v1/auth/logout'],
      ['POST', '/api/v1/auth/password/forgot'],
      ['POST', '/api/v1/auth/password/reset'],
      ['GET', '/api/v1/me'],
      ['GET', '/api/v1/health'],
      ['POST', '/api/v1/auth/otp'],
      ['GET', '/api/v1/nowhere'],
    ];
    const bodies = [
      '',
      'null',
      '[]',
      '"text"',
      '123',
      'true',
      '{',
      '{"email":null,"password":null,"token":null}',
      '{"email":{"$gt":""},"password":{"$ne":null}}',
      '{"email":["a@example.com"],"password":["x"]}',
      '{"constructor":{"prototype":{"polluted":true}}}',
      `{"email":"a@example.com","password":"${'p'.repeat(5000)}"}`,
      `{"token":"${'A'.repeat(43)}","password":"${'€'.repeat(129)}"}`,
      '{"email":"a\\u0000@example.com","password":"\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000\\u0000"}',
      `${'['.repeat(2000)}${']'.repeat(2000)}`,
      '{"email":"a@example.com","password":"abcdefghijkl","remember":{"toString":1}}',
      '{"token":"../../../../etc/passwd"}',
      '\ufeff{"email":"a@example.com"}',
    ];
    const contentTypes = [
      'application/json',
      'application/json;;; charset=utf-16',
      'text/plain',
      'multipart/form-data; boundary=xyz',
    ];
    const queries = ['', '?email=a@example.com', '?a=1&a=2&a[b]=3', '?%zz=%', `?q=${'x'.repeat(4000)}`];
    const authorizations = [undefined, `Bearer ${token}`, `Bearer ${'x'.repeat(3000)}`];

    const failures: string[] = [];
    const check = (label: string, status: number) => {
      if (status >= 500 || status === 0) failures.push(`${label} → ${status}`);
    };
    for (const [method, path] of routes) {
      for (const body of method === 'GET' ? [] : bodies) {
        for (const contentType of contentTypes) {
          const label = `${method} ${path} ${contentType} ${body.slice(0, 40)}`;
          const response = await fetch(`${stack.api.url}${path}`, {
            method,
            headers: { 'content-type': contentType },
            body,
            signal: AbortSignal.timeout(5000),
          }).catch((error: unknown) => {
            failures.push(`${label} → ${String(error)}`);
            return null;
          });
          if (response) {
            await response.arrayBuffer();
            check(label, response.status);
          }
        }
      }
      for (const query of queries) {
        for (const authorization of authorizations) {
          const headers: Record<string, string> = {};
          if (authorization) headers.authorization = authorization;
          const response = await fetch(`${stack.api.url}${path}${query}`, {
            method,
            headers,
            signal: AbortSignal.timeout(5000),
          }).catch((error: unknown) => {
            failures.push(`${method} ${path}${query.slice(0, 30)} → ${String(error)}`);
            return null;
          });
          if (response) {
            await response.arrayBuffer();
            check(
              `${method} ${path}${query.slice(0, 30)} auth=${authorization?.slice(0, 20)}`,
              response.status,
            );
          }
        }
      }
    }
    const port = stack.api.port;
    const raws = [
      'GET /api/v1/me HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \x01\x02\r\n\r\n',
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5\r\n\r\n{"a":1}',
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 50\r\n\r\n{}',
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
      'GET /api/v1/%E0%A4%A HTTP/1.1\r\nHost: x\r\n\r\n',
      'GET /api/v1/health?%ff HTTP/1.1\r\nHost: x\r\nOrigin: \xff\xfe\r\n\r\n',
      `GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`,
      'BREW /api/v1/health HTTP/1.1\r\nHost: x\r\n\r\n',
    ];
    for (const raw of raws) {
      const response = await rawRequest(port, raw);
      const status = statusOf(response);
      // 0 means the server closed the connection on a request it could not parse, which is fine.
      if (status >= 500) failures.push(`raw ${JSON.stringify(raw.slice(0, 60))} → ${status}`);
    }
    expect(failures).toEqual([]);
  }, 120_000);
});

describe('Widget bundle at /widget/*', () => {
  let api: HttpAppHandle;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tp-widget-'));
    mkdirSync(join(dir, 'chunks'));
    // As the build writes them: each file with its .br and .gz next to it.
    for (const [path, text] of [
      ['ticket-portal.js', 'export const loaded = true;\n'],
      ['chunks/lazy-chunk-AB12CD34.js', 'export const lazy = true;\n'],
    ] as const) {
      writeFileSync(join(dir, path), text);
      writeFileSync(join(dir, `${path}.br`), brotliCompressSync(text));
      writeFileSync(join(dir, `${path}.gz`), gzipSync(text));
    }
    api = await createHttpApp(testConfig(), { logger: false, widgetDistDir: dir });
  });

  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('should serve the bundle to any page with CORS, a JavaScript type and cache headers', async () => {
    expect(api.widgetServed).toBe(true);
    const response = await fetch(`${api.url}/widget/ticket-portal.js`, {
      headers: { origin: 'https://pages.example.com' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('cache-control')).toContain('max-age=');
    expect(await response.text()).toContain('loaded = true');
  });

  it('should serve the lazy chunks with CORS, a JavaScript type and a long cache (their names are hashed)', async () => {
    const response = await fetch(`${api.url}/widget/chunks/lazy-chunk-AB12CD34.js`, {
      headers: { origin: 'https://pages.example.com' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await response.text()).toContain('lazy = true');
    const entry = await fetch(`${api.url}/widget/ticket-portal.js`);
    expect(entry.headers.get('cache-control')).not.toContain('immutable');
  });

  it('should send the precompressed file the browser accepts, brotli first, varying on Accept-Encoding', async () => {
    const url = `${api.url}/widget/ticket-portal.js`;
    const br = await rawGet(url, {
      'accept-encoding': 'gzip, deflate, br, zstd',
      origin: 'https://pages.example.com',
    });
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('accept-encoding');
    expect(br.headers['content-type']).toMatch(/^text\/javascript/);
    expect(br.headers['access-control-allow-origin']).toBe('*');
    expect(brotliDecompressSync(br.body).toString()).toBe('export const loaded = true;\n');

    const gz = await rawGet(url, { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe('export const loaded = true;\n');

    const identity = await rawGet(url);
    expect(identity.headers['content-encoding']).toBeUndefined();
    expect(identity.headers.vary).toContain('accept-encoding');
    expect(identity.body.toString()).toBe('export const loaded = true;\n');
  });

  it('should cache a hashed chunk for good however it is encoded, and the entry briefly', async () => {
    for (const encoding of ['br', 'gzip', 'identity']) {
      const chunk = await rawGet(`${api.url}/widget/chunks/lazy-chunk-AB12CD34.js`, {
        'accept-encoding': encoding,
      });
      expect(chunk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      const entry = await rawGet(`${api.url}/widget/ticket-portal.js`, { 'accept-encoding': encoding });
      expect(entry.headers['cache-control']).toBe('public, max-age=300, stale-while-revalidate=60');
    }
  });

  it('should answer 404 in the API error shape for a file that is not there', async () => {
    const response = await fetch(`${api.url}/widget/nope.js`);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { code: string }).code).toBe('NOT_FOUND');
  });
});
