import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../../queues/redis-keys';

// Each worker process says it is alive in Redis, so a health check (docker, an orchestrator, the
// cluster benchmark) can tell a working worker from a hung or disconnected one without an HTTP port.
export const WORKER_HEARTBEAT_INTERVAL_MS = 5000;
// A few missed beats before the key disappears; a restarted (empty) Redis gets it back on the next beat.
const TTL_SECONDS = 30;

export interface WorkerBeat {
  host: string;
  pid: number;
  startedAt: string;
  beatAt: string;
}

/** `<QUEUE_PREFIX>:worker:heartbeat:<host>:<pid>` */
export function workerHeartbeatKey(keys: RedisKeys, host: string, pid: number): string {
  return keys.key('worker', 'heartbeat', host, pid);
}

export class WorkerHeartbeat {
  private timer: NodeJS.Timeout | undefined;
  private readonly key: string;
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly redis: Redis,
    keys: RedisKeys,
    private readonly host = hostname(),
    private readonly pid = process.pid,
    private readonly intervalMs = WORKER_HEARTBEAT_INTERVAL_MS,
  ) {
    this.key = workerHeartbeatKey(keys, host, pid);
  }

  async start(): Promise<void> {
    await this.beat();
    this.timer = setInterval(() => void this.beat(), this.intervalMs);
    this.timer.unref();
  }

  /** Stops beating and removes the key, so a stopped worker is not counted as alive. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.redis.del(this.key).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    const beat: WorkerBeat = {
      host: this.host,
      pid: this.pid,
      startedAt: this.startedAt,
      beatAt: new Date().toISOString(),
    };
    // Redis down: the key expires, which is what a health check should see; the next beat restores it.
    await this.redis.set(this.key, JSON.stringify(beat), 'EX', TTL_SECONDS).catch(() => undefined);
  }
}

/** The freshest beats in Redis, newest first (`host` narrows to one machine or container). */
export async function readWorkerBeats(
  redis: Redis,
  redisKeys: RedisKeys,
  host?: string,
): Promise<WorkerBeat[]> {
  const pattern =
    host === undefined
      ? redisKeys.pattern('worker', 'heartbeat')
      : redisKeys.pattern('worker', 'heartbeat', host);
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 200);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  if (keys.length === 0) return [];
  const values = await redis.mget(keys);
  return values
    .flatMap((v) => {
      if (v === null) return [];
      try {
        return [JSON.parse(v) as WorkerBeat];
      } catch {
        return [];
      }
    })
    .sort((a, b) => b.beatAt.localeCompare(a.beatAt));
}
