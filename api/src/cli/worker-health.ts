// `node api/dist/cli/worker-health.js`: exit 0 when a worker on this machine (container) beat in Redis
// within --max-age-seconds, else 1 with one line saying what is wrong. Docker's healthcheck for the
// worker and the cluster benchmark use it; the worker has no HTTP port to probe.
import { hostname } from 'node:os';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { readWorkerBeats } from '../common/lifecycle/worker-heartbeat';
import { CONFIG_DEFAULTS } from '../config/app-config';
import { RedisKeys } from '../queues/redis-keys';

const USAGE =
  'usage: worker-health [--any | --host <name>] [--pid <n>] [--max-age-seconds <n>]  (REDIS_URL and QUEUE_PREFIX from the environment)';

export interface WorkerHealthOptions {
  redisUrl: string;
  /** QUEUE_PREFIX of the deployment whose workers are checked. */
  queuePrefix: string;
  /** undefined = any machine */
  host: string | undefined;
  pid?: number;
  maxAgeSeconds: number;
}

export async function checkWorkerHealth(
  options: WorkerHealthOptions,
): Promise<{ ok: boolean; message: string }> {
  const redis = new Redis(options.redisUrl, {
    maxRetriesPerRequest: 1,
    connectTimeout: 3000,
    lazyConnect: true,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const beats = (await readWorkerBeats(redis, new RedisKeys(options.queuePrefix), options.host)).filter(
      (b) => options.pid === undefined || b.pid === options.pid,
    );
    const where = `${options.host === undefined ? 'any host' : `host ${options.host}`}${options.pid === undefined ? '' : `, pid ${options.pid}`}`;
    const newest = beats[0];
    if (!newest) return { ok: false, message: `no worker heartbeat in Redis for ${where}` };
    const ageS = (Date.now() - Date.parse(newest.beatAt)) / 1000;
    if (ageS > options.maxAgeSeconds) {
      return {
        ok: false,
        message: `the newest worker heartbeat (${where}) is ${ageS.toFixed(0)} s old (limit ${options.maxAgeSeconds} s)`,
      };
    }
    return {
      ok: true,
      message: `${beats.length} worker(s) alive (${where}); newest beat ${ageS.toFixed(1)} s ago`,
    };
  } catch (error) {
    return {
      ok: false,
      message: `Redis is not answering (${error instanceof Error ? error.message : String(error)})`,
    };
  } finally {
    redis.disconnect();
  }
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        any: { type: 'boolean' },
        host: { type: 'string' },
        pid: { type: 'string' },
        'max-age-seconds': { type: 'string' },
      },
    }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}\n`);
    process.exit(2);
  }
  const maxAge = Number(values['max-age-seconds'] ?? 30);
  const pid = values.pid === undefined ? undefined : Number(values.pid);
  if (!Number.isFinite(maxAge) || maxAge <= 0 || (pid !== undefined && !Number.isInteger(pid))) {
    process.stderr.write(`--max-age-seconds must be a positive number and --pid a whole number\n${USAGE}\n`);
    process.exit(2);
  }
  const result = await checkWorkerHealth({
    redisUrl: process.env.REDIS_URL?.trim() || CONFIG_DEFAULTS.REDIS_URL,
    queuePrefix: process.env.QUEUE_PREFIX?.trim() || CONFIG_DEFAULTS.QUEUE_PREFIX,
    host: values.any ? undefined : (values.host ?? hostname()),
    pid,
    maxAgeSeconds: maxAge,
  });
  (result.ok ? process.stdout : process.stderr).write(`${result.message}\n`);
  process.exit(result.ok ? 0 : 1);
}

if (require.main === module) void main();
