import { BOARD_LOCK } from '../src/admin/bull-board';
import { useTestStack } from './helpers/test-stack';

const USER = 'ops';
const PASSWORD = 'board-secret-7f3a9c';
const basic = (user: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

describe('Bull Board at /admin/queues when not configured', () => {
  const stack = useTestStack();

  it('should answer a plain 404 for the board and its API', async () => {
    const page = await stack.request('GET', '/admin/queues', { headers: basic(USER, PASSWORD) });
    const api = await stack.request('GET', '/admin/queues/api/queues', { headers: basic(USER, PASSWORD) });
    expect([page.status, api.status]).toEqual([404, 404]);
    expect(page.headers.get('www-authenticate')).toBeNull();
  });
});

describe('Bull Board at /admin/queues with BULL_BOARD_USER/PASSWORD', () => {
  // The local client is trusted as a proxy, so a test can speak from other addresses.
  const stack = useTestStack({
    env: { BULL_BOARD_USER: USER, BULL_BOARD_PASSWORD: PASSWORD, TRUST_PROXY: '127.0.0.1' },
  });

  it('should ask for Basic credentials without them or with wrong ones', async () => {
    const attempts = [
      await stack.request('GET', '/admin/queues'),
      await stack.request('GET', '/admin/queues', { headers: basic(USER, `${PASSWORD}x`) }),
      await stack.request('GET', '/admin/queues', { headers: basic(`${USER}x`, PASSWORD) }),
      await stack.request('GET', '/admin/queues/api/queues', { headers: { authorization: 'Bearer nope' } }),
      await stack.request('GET', '/admin/queues/api/queues', { headers: basic(USER, '') }),
    ];
    expect(attempts.map((a) => a.status)).toEqual([401, 401, 401, 401, 401]);
    for (const attempt of attempts) {
      expect(attempt.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect(attempt.text).not.toContain(PASSWORD);
    }
  });

  it('should serve the board HTML with the right credentials, under a CSP that still applies', async () => {
    const page = await stack.request('GET', '/admin/queues', { headers: basic(USER, PASSWORD) });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.text).toContain('<base href="/admin/queues');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = /src="(static\/js\/[^"]+\.js)"/.exec(page.text)?.[1];
    expect(script).toBeDefined();
    const asset = await stack.request('GET', `/admin/queues/${script}`, { headers: basic(USER, PASSWORD) });
    expect(asset.status).toBe(200);
  });

  it('should list every product queue in the board API', async () => {
    const response = await stack.request<{ queues: { name: string }[] }>('GET', '/admin/queues/api/queues', {
      headers: basic(USER, PASSWORD),
    });
    expect(response.status).toBe(200);
    expect(response.body.queues.map((q) => q.name).sort()).toEqual(
      [
        'contact-link',
        'mail',
        'maintenance',
        'requests',
        'sync-conversations',
        'sync-reconcile',
        'sync-refresh',
      ].sort(),
    );
  });

  // Issue 10: Basic auth had no attempt limit, so the password could be guessed at full speed.
  it('should lock an address out after 10 wrong credentials in a row, in Redis, and leave others alone', async () => {
    const from = (ip: string, headers: Record<string, string> = {}) =>
      stack.request('GET', '/admin/queues/api/queues', { headers: { ...headers, 'x-forwarded-for': ip } });
    const guesser = '203.0.113.77';
    // Requests without credentials (a browser's first one) are not guesses.
    for (let i = 0; i < BOARD_LOCK.lockAfter + 2; i++) expect((await from(guesser)).status).toBe(401);
    for (let i = 0; i < BOARD_LOCK.lockAfter - 1; i++) {
      expect((await from(guesser, basic(USER, `guess-${i}`))).status).toBe(401);
    }
    // The lock starts with the last guess: Retry-After is the 15 minutes less the time since then.
    const lastGuessAt = Date.now();
    expect((await from(guesser, basic(USER, 'guess-last'))).status).toBe(401);
    const locked = await from(guesser, basic(USER, PASSWORD));
    const sinceLock = Date.now() - lastGuessAt;
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ code: 'RATE_LIMITED', message: expect.stringMatching(/15 minutes/) });
    const retryAfter = Number(locked.headers.get('retry-after'));
    expect(retryAfter).toBeLessThanOrEqual(BOARD_LOCK.lockSeconds);
    expect(retryAfter).toBeGreaterThanOrEqual(BOARD_LOCK.lockSeconds - Math.floor(sinceLock / 1000));
    expect(await stack.redis.keys(stack.keys.pattern('lock', 'bull-board'))).toEqual([
      stack.keys.key('lock', 'bull-board', guesser),
    ]);

    expect((await from('192.0.2.55', basic(USER, PASSWORD))).status).toBe(200);
    await stack.redis.del(stack.keys.key('lock', 'bull-board', guesser));
    expect((await from(guesser, basic(USER, PASSWORD))).status).toBe(200);
  });
});
