import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { HubSpotError } from './hubspot-error';
import { HubSpotRateLimiter } from './hubspot-rate-limiter';

// Real Redis, logical DB 1 (api tests), a prefix of its own per run.
const REDIS_URL = process.env.REDIS_TEST_URL ?? 'redis://127.0.0.1:6379/1';

describe(HubSpotRateLimiter.name, () => {
  let redis: Redis;
  let other: Redis;
  let keyPrefix: string;

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
    other = new Redis(REDIS_URL);
  });

  beforeEach(() => {
    keyPrefix = `tp-test-${randomUUID()}:`;
  });

  afterEach(async () => {
    const keys = await redis.keys(`${keyPrefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  });

  afterAll(async () => {
    await redis.quit();
    await other.quit();
  });

  function limiter(
    connection: Redis,
    overrides: Partial<ConstructorParameters<typeof HubSpotRateLimiter>[0]> = {},
  ) {
    return new HubSpotRateLimiter({
      redis: connection,
      keyPrefix,
      generalLimit: 5,
      generalWindowMs: 400,
      searchLimit: 2,
      searchWindowMs: 300,
      ...overrides,
    });
  }

  it('should grant the limit at once and hold the next call until the window moves', async () => {
    const sut = limiter(redis, { generalWindowMs: 1_000 });
    const start = Date.now();
    for (let i = 0; i < 5; i++) await sut.acquire('general');
    const burst = Date.now() - start;

    await sut.acquire('general');
    const sixth = Date.now() - start;

    // Generous bounds: the suite shares two cores with emulators seeding thousands of tickets.
    expect(burst).toBeLessThan(600);
    expect(sixth).toBeGreaterThanOrEqual(980);
    expect(await sut.inWindow('general')).toBeLessThanOrEqual(5);
  });

  it('should share one budget between processes (separate connections)', async () => {
    const a = limiter(redis);
    const b = limiter(other);
    const grants: number[] = [];
    const start = Date.now();

    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        (i % 2 === 0 ? a : b).acquire('general').then(() => grants.push(Date.now() - start)),
      ),
    );

    grants.sort((x, y) => x - y);
    // No 400 ms window may hold more than 5 grants (a little slack for timer granularity).
    for (let i = 5; i < grants.length; i++) {
      expect(grants[i]! - grants[i - 5]!).toBeGreaterThanOrEqual(380);
    }
    expect(grants[14]).toBeGreaterThanOrEqual(780);
  });

  it('should keep search calls on their own budget', async () => {
    const sut = limiter(redis);
    for (let i = 0; i < 5; i++) await sut.acquire('general');
    const start = Date.now();

    await sut.acquire('search');
    await sut.acquire('search');

    expect(Date.now() - start).toBeLessThan(150);
    expect(await sut.inWindow('search')).toBe(2);
  });

  it('should hold every process back during a pause and never shorten it', async () => {
    const a = limiter(redis);
    const b = limiter(other);
    await a.pause(500, 'general');
    await a.pause(100, 'general');
    const start = Date.now();

    await b.acquire('general');

    expect(Date.now() - start).toBeGreaterThanOrEqual(450);
    expect(await b.pausedFor('general')).toBe(0);
  });

  it('should pause search alone when asked, and everything on an all-kinds pause', async () => {
    const sut = limiter(redis);
    await sut.pause(300, 'search');

    expect(await sut.pausedFor('search')).toBeGreaterThan(200);
    expect(await sut.pausedFor('general')).toBe(0);

    await sut.pause(300);
    expect(await sut.pausedFor('general')).toBeGreaterThan(200);
  });

  it('should fail as rate_limited instead of waiting past maxWaitMs', async () => {
    const sut = limiter(redis, { maxWaitMs: 200 });
    await sut.pause(5_000);

    const error = await sut.acquire('general').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HubSpotError);
    expect((error as HubSpotError).kind).toBe('rate_limited');
    expect((error as HubSpotError).retryAfterMs).toBeGreaterThan(4_000);
  });

  it('should refuse a limit that is not a positive integer', () => {
    expect(() => limiter(redis, { generalLimit: 0 })).toThrow(/generalLimit/);
  });
});
