import { assert } from '@open-wc/testing';
import { FakeApi } from '../../test/fake-api.js';
import { ApiClient, UNAUTHORIZED_EVENT } from './api-client.js';
import { ApiError, NetworkError } from './api-error.js';
import { forgotPassword, register } from '../internal/accounts-api.js';

describe('ApiClient', () => {
  let api: FakeApi;
  let client: ApiClient;

  beforeEach(() => {
    api = new FakeApi({ baseUrl: 'http://api.example.test' });
    client = new ApiClient({ baseUrl: 'http://api.example.test/', fetch: api.fetch });
  });

  it('should call /api/v1 under the base URL with a JSON body and no cookies', async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const recording = new ApiClient({
      baseUrl: 'https://portal.example.com/',
      fetch: (url, init) => {
        calls.push({ url, init });
        return Promise.resolve(new Response(JSON.stringify({ message: 'ok' }), { status: 202 }));
      },
    });

    const result = await register(recording, { email: 'a@example.com', password: 'long enough pw' });

    assert.strictEqual(result.message, 'ok');
    assert.strictEqual(calls[0]!.url, 'https://portal.example.com/api/v1/auth/register');
    assert.strictEqual(calls[0]!.init.method, 'POST');
    assert.strictEqual(calls[0]!.init.credentials, 'omit');
    assert.strictEqual(new Headers(calls[0]!.init.headers).get('Content-Type'), 'application/json');
    assert.deepEqual(JSON.parse(calls[0]!.init.body as string), {
      email: 'a@example.com',
      password: 'long enough pw',
    });
  });

  it('should send the session token as a bearer header on authenticated calls', async () => {
    api.addAccount('a@example.com', 'long enough pw');
    const login = await client.login({ email: 'a@example.com', password: 'long enough pw', remember: false });
    client.tokenSource = () => login.accessToken;

    const me = await client.me();

    assert.strictEqual(me.email, 'a@example.com');
    assert.strictEqual(api.callsTo('me')[0]!.headers.get('Authorization'), `Bearer ${login.accessToken}`);
    assert.strictEqual(api.callsTo('auth/login')[0]!.headers.get('Authorization'), null);
  });

  it('should raise ApiError with the API code and its message for people when refused', async () => {
    const error = await client
      .login({ email: 'nobody@example.com', password: 'whatever123', remember: false })
      .then(
        () => null,
        (e: unknown) => e,
      );

    assert.instanceOf(error, ApiError);
    assert.strictEqual(error.status, 401);
    assert.strictEqual(error.code, 'INVALID_CREDENTIALS');
    assert.strictEqual(error.message, 'The email or password is not correct.');
  });

  it('should read Retry-After on 429', async () => {
    api.failures.push({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'Too many attempts. Try again in 15 minutes.',
      headers: { 'Retry-After': '900' },
    });

    const error = (await client
      .login({ email: 'a@example.com', password: 'x', remember: false })
      .catch((e: unknown) => e)) as ApiError;

    assert.strictEqual(error.code, 'RATE_LIMITED');
    assert.strictEqual(error.retryAfter, 900);
  });

  it('should raise NetworkError with a readable message when the API cannot be reached', async () => {
    api.offline = true;

    const error = await forgotPassword(client, 'a@example.com').catch((e: unknown) => e);

    assert.instanceOf(error, NetworkError);
    assert.include((error as Error).message, "can't reach the portal");
  });

  it("should carry the API's per-field reasons", async () => {
    const error = (await register(client, { email: 'a@example.com', password: 'password1234' }).catch(
      (e: unknown) => e,
    )) as ApiError;

    assert.strictEqual(error.code, 'WEAK_PASSWORD');
    assert.deepEqual(error.fields, {
      password: 'This password is too common. Choose one that is harder to guess.',
    });
  });

  it('should describe an error answer that is not JSON by its status', async () => {
    const broken = new ApiClient({
      baseUrl: 'http://x.test',
      fetch: () => Promise.resolve(new Response('<html>Bad gateway</html>', { status: 502 })),
    });

    const error = (await broken.me().catch((e: unknown) => e)) as ApiError;

    assert.strictEqual(error.status, 502);
    assert.include(error.message, 'error 502');
  });

  it('should refuse a login answer without a usable token', async () => {
    const broken = new ApiClient({
      baseUrl: 'http://x.test',
      fetch: () => Promise.resolve(new Response(JSON.stringify({ accessToken: 'x' }), { status: 200 })),
    });

    const error = await broken
      .login({ email: 'a@b.co', password: 'x', remember: false })
      .catch((e: unknown) => e);

    assert.instanceOf(error, ApiError);
  });

  it('should signal unauthorized only for a 401 on an authenticated call', async () => {
    let signals = 0;
    client.addEventListener(UNAUTHORIZED_EVENT, () => signals++);
    client.tokenSource = () => 'revoked-token';

    await client
      .login({ email: 'nobody@example.com', password: 'wrong password', remember: false })
      .catch(() => undefined);
    assert.strictEqual(signals, 0);

    await client.me().catch(() => undefined);
    assert.strictEqual(signals, 1);
  });

  it('should pass an abort through as an AbortError, not a network problem', async () => {
    const controller = new AbortController();
    api.hold();
    const pending = forgotPassword(client, 'a@example.com', controller.signal).catch((e: unknown) => e);
    controller.abort();
    api.release();

    const error = (await pending) as DOMException;

    assert.strictEqual(error.name, 'AbortError');
  });
});
