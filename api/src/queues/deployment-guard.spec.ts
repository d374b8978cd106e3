import { Redis } from 'ioredis';
import { loadConfig } from '../config/app-config';
import {
  claimDeployment,
  DeploymentConflictError,
  deploymentIdentity,
  describeRedis,
} from './deployment-guard';
import { RedisKeys } from './redis-keys';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1';

// Real Redis; the prefix is this run's own.
describe(claimDeployment.name, () => {
  const prefix = `tpu${Date.now().toString(36)}g`;
  const keys = new RedisKeys(prefix);
  let redis: Redis;
  const config = (databaseUrl: string) =>
    loadConfig({
      HUBSPOT_ACCESS_TOKEN: 'emulator-token',
      REDIS_URL: 'redis://:secret@127.0.0.1:6379/5',
      QUEUE_PREFIX: prefix,
      DATABASE_URL: databaseUrl,
    });
  const ours = config('mysql://root@127.0.0.1:3306/shop_eu');
  const theirs = config('mysql://app:pw@DB.example:3307/shop_us');

  beforeAll(() => {
    redis = new Redis(REDIS_URL);
  });

  afterEach(async () => {
    await redis.del(keys.key('deployment'));
  });

  afterAll(async () => {
    const left = await redis.keys(keys.pattern());
    if (left.length > 0) await redis.del(...left);
    redis.disconnect();
  });

  it('should name a deployment by its database as host:port/name, without credentials', () => {
    expect(deploymentIdentity(ours)).toBe('127.0.0.1:3306/shop_eu');
    expect(deploymentIdentity(theirs)).toBe('db.example:3307/shop_us');
    expect(describeRedis(ours.redisUrl)).toBe('redis://127.0.0.1:6379/5');
  });

  it('should claim a free prefix and accept its own claim again', async () => {
    await claimDeployment(redis, ours);
    expect(await redis.get(keys.key('deployment'))).toBe('127.0.0.1:3306/shop_eu');
    await expect(claimDeployment(redis, ours)).resolves.toBeUndefined();
  });

  it('should refuse a prefix another database claimed, naming both databases and QUEUE_PREFIX', async () => {
    await claimDeployment(redis, theirs);
    const refused = await claimDeployment(redis, ours).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DeploymentConflictError);
    const message = (refused as Error).message;
    expect(message).toContain(`QUEUE_PREFIX=${prefix}`);
    expect(message).toContain('db.example:3307/shop_us');
    expect(message).toContain('127.0.0.1:3306/shop_eu');
    expect(message).toContain(`delete the Redis key ${prefix}:deployment`);
    expect(message).not.toContain('secret');
    // The other deployment's claim is left as it was.
    expect(await redis.get(keys.key('deployment'))).toBe('db.example:3307/shop_us');
  });
});
