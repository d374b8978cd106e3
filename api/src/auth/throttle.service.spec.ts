import { Redis } from 'ioredis';
import { RedisKeys } from '../queues/redis-keys';
import { clientAddressKey, describeWait, ThrottleService } from './throttle.service';

// Real Redis (logical DB 1, the api test database); keys live under a prefix of this run's own.
describe(ThrottleService.name, () => {
  let redis: Redis;
  let throttle: ThrottleService;
  const run = `spec${Date.now().toString(36)}`;
  const keys = new RedisKeys(`tpu${run}`);

  beforeAll(() => {
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1');
    throttle = new ThrottleService(redis, keys);
  });

  afterAll(async () => {
    const left = await redis.keys(keys.pattern());
    if (left.length > 0) await redis.del(...left);
    await redis.quit();
  });

  it('should allow up to the limit in a window and refuse the next hit with the seconds left', async () => {
    const rule = { name: `t-${run}`, limit: 3, windowSeconds: 120 };
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await throttle.hit(rule, 'subject-a'));
    expect(results.map((r) => r.allowed)).toEqual([true, true, true, false]);
    expect(results[3]!.count).toBe(4);
    expect(results[3]!.retryAfterSeconds).toBeGreaterThan(115);
    expect(results[3]!.retryAfterSeconds).toBeLessThanOrEqual(120);
    // Other subjects have their own counter.
    expect((await throttle.hit(rule, 'subject-b')).allowed).toBe(true);
  });

  it('should start a new window once the old one expires', async () => {
    const rule = { name: `w-${run}`, limit: 1, windowSeconds: 1 };
    expect((await throttle.hit(rule, 's')).allowed).toBe(true);
    expect((await throttle.hit(rule, 's')).allowed).toBe(false);
    const counter = keys.key('rl', `w-${run}`, 's');
    await redis.pexpire(counter, 1);
    while ((await redis.exists(counter)) === 1) await new Promise((resolve) => setImmediate(resolve));
    expect((await throttle.hit(rule, 's')).allowed).toBe(true);
  });

  it('should lock after the given number of consecutive failures and clear on request', async () => {
    const options = { lockAfter: 3, lockSeconds: 900, memorySeconds: 3600 };
    const subject = `lock-${run}`;
    expect(await throttle.recordFailure('login', subject, options)).toBe(false);
    expect(await throttle.recordFailure('login', subject, options)).toBe(false);
    expect(await throttle.lockedFor('login', subject)).toBe(0);
    expect(await throttle.recordFailure('login', subject, options)).toBe(true);
    const ttl = await throttle.lockedFor('login', subject);
    expect(ttl).toBeGreaterThan(890);
    await throttle.clearFailures('login', subject, true);
    expect(await throttle.lockedFor('login', subject)).toBe(0);
  });

  it('should never say a lock ends before it does', async () => {
    const subject = `ceil-${run}`;
    const key = keys.key('lock', 'login', subject);
    // 90.4 s: Redis's TTL rounds this down to 90, which would send a client back too early.
    await redis.set(key, '1', 'PX', 90_400);

    const seconds = await throttle.lockedFor('login', subject);
    const leftMs = await redis.pttl(key);

    expect(seconds * 1000).toBeGreaterThanOrEqual(leftMs);
    expect(seconds).toBeLessThanOrEqual(91);
  });

  it('should forget failures when a success clears them', async () => {
    const options = { lockAfter: 2, lockSeconds: 60, memorySeconds: 3600 };
    const subject = `clear-${run}`;
    await throttle.recordFailure('login', subject, options);
    await throttle.clearFailures('login', subject);
    expect(await throttle.recordFailure('login', subject, options)).toBe(false);
  });
});

describe(describeWait.name, () => {
  it('should say seconds under a minute and whole minutes above', () => {
    expect(describeWait(1)).toBe('1 second');
    expect(describeWait(45)).toBe('45 seconds');
    expect(describeWait(60)).toBe('1 minute');
    expect(describeWait(61)).toBe('2 minutes');
    expect(describeWait(900)).toBe('15 minutes');
  });
});

describe(clientAddressKey.name, () => {
  it('should count an IPv6 client by its /64 and an IPv4 one by its address', () => {
    expect(clientAddressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('2001:0db8:0001:0002:ffff:1:2:3')).toBe('2001:db8:1:2::/64');
    expect(clientAddressKey('::ffff:198.51.100.7')).toBe('198.51.100.7');
    expect(clientAddressKey('198.51.100.7')).toBe('198.51.100.7');
  });
});
