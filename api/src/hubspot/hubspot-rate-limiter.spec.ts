import { randomUUID } from 'node:crypto';
import { createConnection } from 'node:net';
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

  /**
   * Every grant of this run's limiters as Redis itself logs it: MONITOR shows each acquire script
   * call (its last argument names the acquire() call) and the ZADD it runs with the grant time on
   * Redis's clock. So the test reads when a slot was granted and how many tries it took, not when
   * this (possibly busy) process got round to noticing. A plain socket: MONITOR is a line protocol.
   */
  async function watchGrants(): Promise<{
    settled: () => Promise<Array<{ at: number; tries: number }>>;
  }> {
    const { hostname, port } = new URL(REDIS_URL);
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const tries = new Map<string, number>();
    const grantedAt = new Map<string, number>();
    const marker = `tp-test-settled-${randomUUID()}`;
    let buffered = '';
    let onMarker: () => void = () => undefined;
    const seenMarker = new Promise<void>((resolve) => (onMarker = resolve));
    const started = new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\r\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          if (line === '+OK') resolve();
          // +<time> [<db> <client>] "<command>" "<arg>" ...
          const [command = '', ...args] = [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
          const name = command.toLowerCase();
          if (name === 'echo' && args[0] === marker) onMarker();
          // EVALSHA|EVAL <script> 3 <log> <pause> <pause-all> <limit> <window> <member>
          if ((name === 'evalsha' || name === 'eval') && args[2]?.startsWith(keyPrefix)) {
            tries.set(args[7]!, (tries.get(args[7]!) ?? 0) + 1);
          }
          // ZADD <log> <now> <member>, run by the script
          if (name === 'zadd' && args[0]?.startsWith(keyPrefix)) grantedAt.set(args[2]!, Number(args[1]));
        }
      });
      socket.write('MONITOR\r\n');
    });
    await started;
    return {
      // MONITOR reports in order: once it shows our ECHO, it has shown every call made before it.
      settled: async () => {
        await redis.echo(marker);
        await seenMarker;
        socket.destroy();
        return [...grantedAt]
          .map(([member, at]) => ({ at, tries: tries.get(member) ?? 0 }))
          .sort((x, y) => x.at - y.at);
      },
    };
  }

  it("should hold background calls back at the reserve while customers' calls still go out", async () => {
    // A window far longer than the test: no slot comes free while it runs, however busy the machine.
    const windowMs = 60_000;
    const sut = limiter(redis, { generalWindowMs: windowMs, backgroundReserve: 2, maxWaitMs: 200 });
    const watch = await watchGrants();

    // Background work may use 5 - 2 slots; the fourth gives up rather than eat into the reserve.
    const background = await Promise.allSettled(
      Array.from({ length: 4 }, () => sut.acquire('general', 'background')),
    );
    expect(background.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const refused = background.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused?.reason).toMatchObject({ kind: 'rate_limited' });
    // Customers' calls still find the two reserved slots, and then the window is full for them too.
    await sut.acquire('general', 'customer');
    await sut.acquire('general');
    await expect(sut.acquire('general', 'customer')).rejects.toBeInstanceOf(HubSpotError);

    const grants = await watch.settled();
    expect(grants).toHaveLength(5);
    expect(grants.slice(0, 3).map((g) => g.tries)).toEqual([1, 1, 1]);
    expect(grants[4]!.at - grants[0]!.at).toBeLessThan(windowMs);
  });

  it('should grant the limit at once and hold the next call until the window moves', async () => {
    const windowMs = 1_000;
    const sut = limiter(redis, { generalWindowMs: windowMs });
    const watch = await watchGrants();

    // Six calls at once: Redis runs their scripts one after the other, well inside one window.
    await Promise.all(Array.from({ length: 6 }, () => sut.acquire('general')));

    const grants = await watch.settled();
    expect(grants).toHaveLength(6);
    // The first five were granted on their first try, within one window (Redis's clock)...
    expect(grants.slice(0, 5).map((g) => g.tries)).toEqual([1, 1, 1, 1, 1]);
    expect(grants[4]!.at - grants[0]!.at).toBeLessThan(windowMs);
    // ...the sixth was told to wait, and got its slot only once the first left the window.
    expect(grants[5]!.tries).toBeGreaterThan(1);
    expect(grants[5]!.at - grants[0]!.at).toBeGreaterThanOrEqual(windowMs);
    expect(await sut.inWindow('general')).toBeLessThanOrEqual(5);
  });

  it('should share one budget between processes (separate connections)', async () => {
    const a = limiter(redis);
    const b = limiter(other);
    const watch = await watchGrants();

    await Promise.all(Array.from({ length: 15 }, (_, i) => (i % 2 === 0 ? a : b).acquire('general')));

    const grants = (await watch.settled()).map((g) => g.at);
    expect(grants).toHaveLength(15);
    // No 400 ms window (Redis's clock, the one the limiter counts in) holds more than 5 grants.
    for (let i = 5; i < grants.length; i++) {
      expect(grants[i]! - grants[i - 5]!).toBeGreaterThanOrEqual(400);
    }
    expect(grants[14]! - grants[0]!).toBeGreaterThanOrEqual(800);
  });

  it('should keep search calls on their own budget', async () => {
    const sut = limiter(redis);
    for (let i = 0; i < 5; i++) await sut.acquire('general');
    const watch = await watchGrants();

    await sut.acquire('search');
    await sut.acquire('search');

    // Both granted on their first try although the general budget is spent.
    expect((await watch.settled()).map((g) => g.tries)).toEqual([1, 1]);
    expect(await sut.inWindow('search')).toBe(2);
  });

  it('should hold every process back during a pause and never shorten it', async () => {
    const a = limiter(redis);
    const b = limiter(other);
    // Measured from before the pause: however slow the calls below, it ends 500 ms after this.
    const start = Date.now();
    await a.pause(500, 'general');
    await a.pause(100, 'general');

    await b.acquire('general');

    // 500 ms, not 100 (a few ms of slack: Redis counts whole milliseconds).
    expect(Date.now() - start).toBeGreaterThanOrEqual(495);
    expect(await b.pausedFor('general')).toBe(0);
  });

  it('should pause search alone when asked, and everything on an all-kinds pause', async () => {
    const sut = limiter(redis);
    // Long pauses nobody waits out: what is left of one is at least its length minus the time
    // this test measured since it began.
    const pauseMs = 30_000;
    const start = Date.now();
    await sut.pause(pauseMs, 'search');

    expect(await sut.pausedFor('search')).toBeGreaterThanOrEqual(pauseMs - (Date.now() - start));
    expect(await sut.pausedFor('general')).toBe(0);

    const again = Date.now();
    await sut.pause(pauseMs);
    expect(await sut.pausedFor('general')).toBeGreaterThanOrEqual(pauseMs - (Date.now() - again));
  });

  it('should fail as rate_limited instead of waiting past maxWaitMs', async () => {
    const sut = limiter(redis, { maxWaitMs: 200 });
    const start = Date.now();
    await sut.pause(5_000);

    const error = await sut.acquire('general').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(HubSpotError);
    expect((error as HubSpotError).kind).toBe('rate_limited');
    // What is left of the pause: 5 s less the time this test measured since it began.
    expect((error as HubSpotError).retryAfterMs).toBeGreaterThanOrEqual(5_000 - (Date.now() - start));
  });

  it('should refuse a limit that is not a positive integer', () => {
    expect(() => limiter(redis, { generalLimit: 0 })).toThrow(/generalLimit/);
  });
});
