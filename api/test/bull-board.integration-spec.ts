import { startTestStack, type TestStack } from './helpers/test-stack';

const USER = 'ops';
const PASSWORD = 'board-secret-7f3a9c';
const basic = (user: string, password: string): Record<string, string> => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

describe('Bull Board at /admin/queues when not configured', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack();
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
  });

  it('should answer a plain 404 for the board and its API', async () => {
    const page = await stack.request('GET', '/admin/queues', { headers: basic(USER, PASSWORD) });
    const api = await stack.request('GET', '/admin/queues/api/queues', { headers: basic(USER, PASSWORD) });
    expect([page.status, api.status]).toEqual([404, 404]);
    expect(page.headers.get('www-authenticate')).toBeNull();
  });
});

describe('Bull Board at /admin/queues with BULL_BOARD_USER/PASSWORD', () => {
  let stack: TestStack;

  beforeAll(async () => {
    stack = await startTestStack({ BULL_BOARD_USER: USER, BULL_BOARD_PASSWORD: PASSWORD });
  }, 60_000);

  afterAll(async () => {
    await stack?.close();
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
});
