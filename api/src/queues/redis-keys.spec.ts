import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { redisOptionsFromUrl } from '../common/redis/redis-options';
import { RedisKeys } from './redis-keys';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1';

describe(RedisKeys.name, () => {
  it('should put every key under the prefix, and match only them with its pattern', () => {
    const keys = new RedisKeys('shop-eu');
    expect(keys.key('session', 'abc')).toBe('shop-eu:session:abc');
    expect(keys.key('tickets', 'v', 'company:7')).toBe('shop-eu:tickets:v:company:7');
    expect(keys.base).toBe('shop-eu:');
    expect(keys.pattern()).toBe('shop-eu:*');
    expect(keys.pattern('rl')).toBe('shop-eu:rl:*');
    expect(new RedisKeys().key('x')).toBe('tp:x');
  });

  it('should refuse a prefix with a separator or half a hash tag', () => {
    for (const bad of ['tp:', '', 'a b', '{tp', 'a*']) expect(() => new RedisKeys(bad)).toThrow(/not valid/);
  });

  // Redis Cluster: QUEUE_PREFIX={tp} puts every key of the deployment in one slot. BullMQ takes
  // such a prefix as is (its keys become `{tp}:<queue>:…`).
  it('should run BullMQ jobs under a hash-tagged prefix', async () => {
    const prefix = `{tpu${Date.now().toString(36)}}`;
    const keys = new RedisKeys(prefix);
    const connection = redisOptionsFromUrl(REDIS_URL);
    const queue = new Queue('braces', { connection, prefix });
    const worker = new Worker('braces', (job) => Promise.resolve(`done ${String(job.data.n)}`), {
      connection,
      prefix,
    });
    const redis = new Redis(REDIS_URL);
    try {
      const job = await queue.add('one', { n: 1 });
      const finished = await new Promise<string>((resolve, reject) => {
        worker.on('completed', (done, result: string) => {
          if (done.id === job.id) resolve(result);
        });
        worker.on('failed', (_done, error) => reject(error));
      });
      expect(finished).toBe('done 1');
      const stored = await redis.keys(keys.pattern());
      expect(stored.length).toBeGreaterThan(0);
      expect(stored.every((key) => key.startsWith(`${prefix}:braces:`))).toBe(true);
    } finally {
      await worker.close();
      await queue.obliterate({ force: true });
      await queue.close();
      const left = await redis.keys(keys.pattern());
      if (left.length > 0) await redis.del(...left);
      redis.disconnect();
    }
  });
});
