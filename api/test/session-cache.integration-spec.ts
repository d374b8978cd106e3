import { Redis } from 'ioredis';
import { createHttpApp, type HttpAppHandle } from '../src/app-factory';
import { SessionCache, sessionRevokedChannel } from '../src/auth/session-cache';
import { SessionService } from '../src/auth/session.service';
import { createAccount } from '../src/cli/create-account';
import { signOutAccount } from '../src/cli/sign-out-account';
import { sha256Hex } from '../src/common/crypto.util';
import { GOOD_PASSWORD, login, uniqueEmail, useTestStack } from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

describe('SessionService in-process cache', () => {
  const stack = useTestStack();
  let other: HttpAppHandle;

  // GET /me against one of the two API processes (same MariaDB and Redis).
  const me = async (app: HttpAppHandle, token: string): Promise<number> =>
    (await fetch(`${app.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } })).status;

  async function signedIn(): Promise<{ id: string; token: string }> {
    const email = uniqueEmail('cache');
    const { database, argon2MemoryKib, argon2TimeCost } = stack.config;
    const created = await createAccount(
      { database, argon2MemoryKib, argon2TimeCost },
      { email, password: GOOD_PASSWORD },
    );
    const res = await login(stack, email, GOOD_PASSWORD);
    return { id: created.id, token: res.body.accessToken };
  }

  /** Both processes have validated (and cached) the token. */
  async function warm(token: string): Promise<void> {
    expect(await me(stack.api, token)).toBe(200);
    expect(await me(other, token)).toBe(200);
    // The revocation channel is subscribed on first use: caching counts once both processes' session
    // caches listen (beside each process's event hub, which subscribes at start).
    await waitFor(
      'both session caches subscribed',
      async () =>
        ((await stack.redis.pubsub('NUMSUB', sessionRevokedChannel(stack.keys))) as [string, number])[1],
      (subscribers) => subscribers >= 4,
      10_000,
    );
    for (let i = 0; i < 20; i++) {
      expect(await me(stack.api, token)).toBe(200);
      expect(await me(other, token)).toBe(200);
    }
  }

  beforeAll(async () => {
    other = await createHttpApp(stack.config, { logger: false });
  });

  afterAll(async () => {
    await other?.close();
  });

  it('should answer a cached session without the database or Redis', async () => {
    const { token } = await signedIn();
    await warm(token);
    // Out of band (not through revoke): the store no longer knows the token, the process still does.
    await stack.db.query('UPDATE sessions SET expires_at = NOW() WHERE token_hash = ?', [sha256Hex(token)]);
    await stack.redis.del(stack.keys.key('session', sha256Hex(token)));
    expect(await me(other, token)).toBe(200);
  });

  it('should refuse a token in every process as soon as it is logged out', async () => {
    const { token } = await signedIn();
    await warm(token);
    const out = await fetch(`${stack.api.url}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(out.status).toBeLessThan(300);
    expect(await me(other, token)).toBe(401);
    expect(await me(stack.api, token)).toBe(401);
  });

  it('should refuse an account in every process at once when an operator signs it out (account:sign-out)', async () => {
    const { token } = await signedIn();
    await warm(token);
    const [row] = (await stack.db.query(
      'SELECT email FROM customers WHERE id = (SELECT customer_id FROM sessions WHERE token_hash = ?)',
      [sha256Hex(token)],
    )) as unknown as [Array<{ email: string }>];
    const result = await signOutAccount(stack.config, row[0]!.email);
    expect(result).toEqual({ found: true, sessions: 1 });
    // No wait for a cache to run out: the revocation is announced to both processes.
    await waitFor(
      'refused by the first process',
      () => me(stack.api, token),
      (s) => s === 401,
      2_000,
    );
    await waitFor(
      'refused by the second process',
      () => me(other, token),
      (s) => s === 401,
      2_000,
    );
    expect(await signOutAccount(stack.config, 'nobody@example.com')).toEqual({ found: false, sessions: 0 });
  });

  it('should refuse every token of a customer in every process once all are revoked (password reset)', async () => {
    const first = await signedIn();
    await warm(first.token);
    await stack.api.app.get(SessionService).revokeAll(first.id);
    expect(await me(other, first.token)).toBe(401);
    expect(await me(stack.api, first.token)).toBe(401);
  });

  describe(SessionCache.name, () => {
    let redis: Redis;
    let cache: SessionCache<string>;

    beforeAll(async () => {
      redis = new Redis(stack.config.redisUrl);
      cache = new SessionCache<string>(redis, sessionRevokedChannel(stack.keys), 30_000, 3);
      cache.get('warm-up');
      // Caching starts once the revocation channel is subscribed.
      await waitFor(
        'the session cache listening',
        () => {
          cache.set('x', 'x', Date.now() + 60_000);
          return cache.get('x');
        },
        (value) => value !== undefined,
        5_000,
        10,
      );
    });

    afterAll(async () => {
      await cache.close();
      redis.disconnect();
    });

    it('should never keep a session past its expiry or its local lifetime', () => {
      const now = Date.now();
      cache.set('short', 'v', now + 1_000, now);
      expect(cache.get('short', now + 999)).toBe('v');
      expect(cache.get('short', now + 1_000)).toBeUndefined();
      cache.set('long', 'v', now + 3_600_000, now);
      expect(cache.get('long', now + 29_999)).toBe('v');
      expect(cache.get('long', now + 30_000)).toBeUndefined();
    });

    it('should hold at most its bound, dropping the oldest first', () => {
      const now = Date.now();
      for (const key of ['a', 'b', 'c', 'd']) cache.set(key, key, now + 60_000, now);
      expect(cache.size).toBe(3);
      expect(cache.get('a', now)).toBeUndefined();
      expect(cache.get('d', now)).toBe('d');
    });

    it('should not cache again a token revoked while it was being validated', async () => {
      const now = Date.now();
      await cache.revoke(['late']);
      cache.set('late', 'v', now + 60_000, now);
      expect(cache.get('late', now)).toBeUndefined();
    });
  });
});
