import { createAccount } from '../src/cli/create-account';
import { GOOD_PASSWORD, login, type TestStack, uniqueEmail, useTestStack } from './helpers/test-stack';

// Issue 10: one account made 200 submissions in 4.9 s and 100 replies. Ticket writes are limited per
// customer and per client address, in Redis, with a 429 a person can act on.

interface Answer {
  localId: string;
  code?: string;
  message?: string;
}

async function customer(stack: TestStack): Promise<string> {
  const email = uniqueEmail('limited');
  const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
  await createAccount({ database, argon2MemoryKib, argon2TimeCost }, { email, password: GOOD_PASSWORD });
  const signedIn = await login(stack, email, GOOD_PASSWORD);
  if (signedIn.status !== 200) throw new Error(`login answered ${signedIn.status}: ${signedIn.text}`);
  return signedIn.body.accessToken;
}

function submit(stack: TestStack, token: string, n: number, ip = '192.0.2.1') {
  return stack.request<Answer>('POST', '/api/v1/tickets', {
    token,
    body: { subject: `Request ${n}`, description: 'The export stops halfway through.' },
    headers: { 'x-forwarded-for': ip },
  });
}

function reply(stack: TestStack, token: string, localId: string, n: number) {
  return stack.request<Answer>('POST', `/api/v1/tickets/${localId}/replies`, {
    token,
    body: { body: `Reply number ${n}` },
  });
}

describe('Ticket write limits with the default settings', () => {
  // The local client is trusted as a proxy, so a test can speak from other addresses.
  const stack = useTestStack({ env: { TRUST_PROXY: '127.0.0.1' } });

  // Only the counters: flushing Redis under the running worker would pull its schedulers' jobs away.
  beforeEach(async () => {
    const counters = await stack.redis.keys(stack.keys.pattern('rl'));
    if (counters.length > 0) await stack.redis.del(...counters);
  });

  it('should refuse the 11th request in 10 minutes with 429, Retry-After and a plain message, for that customer only', async () => {
    const {
      submit: [burst],
    } = stack.config.ticketLimits;
    expect(burst).toEqual({ limit: 10, windowSeconds: 600 });
    const token = await customer(stack);
    for (let i = 1; i <= burst!.limit; i++) expect((await submit(stack, token, i)).status).toBe(201);

    // Another address does not help: the limit is the customer's.
    const refused = await submit(stack, token, 11, '198.51.100.9');
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(refused.body.message).toMatch(
      /^You have submitted 10 requests in the last 10 minutes, the most we accept in that time\. You can submit another in \d+ minutes?; if something is urgent, contact support directly\.$/,
    );
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(590);
    expect(retryAfter).toBeLessThanOrEqual(600);
    const [rows] = await stack.db.query('SELECT COUNT(*) AS n FROM tickets WHERE subject = ?', [
      'Request 11',
    ]);
    expect(rows).toEqual([{ n: 0 }]);

    // A colleague at the same address still can.
    expect((await submit(stack, await customer(stack), 1)).status).toBe(201);
  });

  it('should refuse the 31st reply in 10 minutes, and count close, reopen and retry on their own', async () => {
    const token = await customer(stack);
    const { localId } = (await submit(stack, token, 1)).body;
    const { limit } = stack.config.ticketLimits.reply[0]!;
    for (let i = 1; i <= limit; i++) expect((await reply(stack, token, localId, i)).status).toBe(201);
    const refused = await reply(stack, token, localId, limit + 1);
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/^You have sent 30 replies in the last 10 minutes/);
    expect(refused.headers.get('retry-after')).toBeTruthy();

    const change = (what: string) =>
      stack.request<Answer>('POST', `/api/v1/tickets/${localId}/${what}`, { token });
    const changes = stack.config.ticketLimits.change[0]!.limit;
    // Reopening an open ticket and retrying with nothing refused change nothing, but still count.
    for (let i = 0; i < changes; i++) expect((await change(i % 2 ? 'reopen' : 'retry')).status).toBe(200);
    const tooMany = await change('close');
    expect(tooMany.status).toBe(429);
    expect(tooMany.body.message).toMatch(
      /closed, reopened or retried tickets 30 times in the last 10 minutes/,
    );
  });
});

describe('Ticket write limits from settings', () => {
  const stack = useTestStack({
    env: { TRUST_PROXY: '127.0.0.1', TICKET_SUBMIT_LIMITS: 'off', TICKET_IP_LIMITS: '6/1m' },
  });

  it('should apply the per-address limit to every customer behind one address, and no per-customer one when off', async () => {
    expect(stack.config.ticketLimits.submit).toEqual([]);
    const first = await customer(stack);
    const second = await customer(stack);
    for (let i = 1; i <= 3; i++) {
      expect((await submit(stack, first, i, '203.0.113.5')).status).toBe(201);
      expect((await submit(stack, second, i, '203.0.113.5')).status).toBe(201);
    }
    const refused = await submit(stack, first, 7, '203.0.113.5');
    expect(refused.status).toBe(429);
    expect(refused.body.message).toMatch(/^Your network has sent 6 ticket changes in the last minute/);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(60);
    expect((await submit(stack, first, 8, '203.0.113.6')).status).toBe(201);
  });
});
