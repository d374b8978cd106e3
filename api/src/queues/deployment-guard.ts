import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Redis } from 'ioredis';
import { REDIS } from '../common/redis/redis.module';
import { AppConfig } from '../config/app-config';
import { RedisKeys } from './redis-keys';

/** `<prefix>:deployment` holds the database of the deployment that owns the prefix. */
export const DEPLOYMENT_KEY_PART = 'deployment';
/** How often a running process claims again (a FLUSHALL empties Redis without a reconnect). */
export const DEPLOYMENT_CHECK_MS = 15_000;

/** The database a process serves, as DATABASE_URL names it: `host:port/database`. */
export function deploymentIdentity(config: Pick<AppConfig, 'database'>): string {
  const { host, port, database } = config.database;
  return `${host.toLowerCase()}:${port}/${database}`;
}

/** REDIS_URL without credentials, for messages. */
export function describeRedis(redisUrl: string): string {
  try {
    const url = new URL(redisUrl);
    return `${url.protocol}//${url.host}${url.pathname === '/' ? '' : url.pathname}`;
  } catch {
    return 'the Redis in REDIS_URL';
  }
}

export class DeploymentConflictError extends Error {
  constructor(
    readonly key: string,
    readonly ours: string,
    readonly theirs: string,
    config: Pick<AppConfig, 'redisUrl' | 'queuePrefix'>,
  ) {
    super(
      `${describeRedis(config.redisUrl)} already serves another deployment under QUEUE_PREFIX=${config.queuePrefix}: ` +
        `its database is ${theirs}, this process's is ${ours} (DATABASE_URL). Two deployments on one Redis ` +
        `take each other's jobs (mails, HubSpot deliveries), so this process does not start. Give this ` +
        `deployment its own QUEUE_PREFIX (or its own Redis database in REDIS_URL). If this deployment moved ` +
        `to ${ours} for good, delete the Redis key ${key} once every process of the old one has stopped.`,
    );
    this.name = 'DeploymentConflictError';
  }
}

/**
 * Claims the prefix for this deployment: `SET <prefix>:deployment <host:port/database> NX`. Answers
 * when the key is ours (now or already); throws DeploymentConflictError when another database has it.
 */
export async function claimDeployment(
  redis: Redis,
  config: Pick<AppConfig, 'redisUrl' | 'queuePrefix' | 'database'>,
): Promise<void> {
  const key = new RedisKeys(config.queuePrefix).key(DEPLOYMENT_KEY_PART);
  const ours = deploymentIdentity(config);
  const set = await redis.set(key, ours, 'NX');
  if (set === 'OK') return;
  const theirs = await redis.get(key);
  // Deleted between the two commands (an operator, a flush): claim again.
  if (theirs === null) return claimDeployment(redis, config);
  if (theirs !== ours) throw new DeploymentConflictError(key, ours, theirs, config);
}

/**
 * The check at start, before any queue or worker exists. A Redis that does not answer is not a
 * conflict: the process starts as before (it serves 503s / waits for Redis), and DeploymentGuard
 * claims as soon as the connection is ready.
 */
export async function claimDeploymentAtStart(
  config: Pick<AppConfig, 'redisUrl' | 'queuePrefix' | 'database'>,
): Promise<void> {
  const redis = new Redis(config.redisUrl, {
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    try {
      await redis.connect();
    } catch {
      return;
    }
    await claimDeployment(redis, config);
  } finally {
    redis.disconnect();
  }
}

/**
 * Keeps the claim: a Redis that restarted empty (or was flushed) lost the key, and the first
 * deployment to reconnect would otherwise own the prefix unnoticed. So the claim is made again on
 * every (re)connect of the process's Redis connection, and every DEPLOYMENT_CHECK_MS. A conflict then
 * is logged and reported to the listeners (the worker and API factories stop the process).
 */
@Injectable()
export class DeploymentGuard implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(DeploymentGuard.name);
  private readonly listeners: Array<(error: DeploymentConflictError) => void> = [];
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private readonly onReady = (): void => {
    void this.check();
  };

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  onConflict(listener: (error: DeploymentConflictError) => void): void {
    this.listeners.push(listener);
  }

  onApplicationBootstrap(): void {
    this.redis.on('ready', this.onReady);
    // Not connected yet (Redis down at start): the 'ready' above claims when it comes.
    if (this.redis.status === 'ready') void this.check();
    this.timer = setInterval(this.onReady, DEPLOYMENT_CHECK_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    this.redis.off('ready', this.onReady);
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Claims again; answers false (and tells the listeners) on a conflict. */
  async check(): Promise<boolean> {
    if (this.stopped) return true;
    try {
      await claimDeployment(this.redis, this.config);
      return true;
    } catch (error) {
      if (!(error instanceof DeploymentConflictError)) return true; // Redis went again: next 'ready'
      if (this.stopped) return false;
      // Reported once: the process is on its way down.
      this.onApplicationShutdown();
      this.logger.error(error.message);
      for (const listener of this.listeners) listener(error);
      return false;
    }
  }
}
