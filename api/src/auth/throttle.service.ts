import { Inject, Injectable } from '@nestjs/common';
import { Redis } from 'ioredis';
import ipaddr from 'ipaddr.js';
import { REDIS } from '../common/redis/redis.module';
import { RedisKeys } from '../queues/redis-keys';

export interface ThrottleRule {
  // Redis key part, e.g. 'login-ip'
  name: string;
  limit: number;
  windowSeconds: number;
}

export interface ThrottleResult {
  allowed: boolean;
  count: number;
  retryAfterSeconds: number;
}

// Fixed-window counters: INCR, and set the expiry on the first hit, atomically.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('TTL', KEYS[1])
if ttl < 0 then redis.call('EXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end
return {count, ttl}
`;

// Consecutive failures: lock the subject once the count reaches the limit.
const FAIL_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
redis.call('EXPIRE', KEYS[1], ARGV[1])
if count >= tonumber(ARGV[2]) then
  redis.call('SET', KEYS[2], '1', 'EX', ARGV[3])
  redis.call('DEL', KEYS[1])
  return {count, 1}
end
return {count, 0}
`;

// State lives in Redis so limits hold across every API process.
@Injectable()
export class ThrottleService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async hit(rule: ThrottleRule, subject: string): Promise<ThrottleResult> {
    const key = this.keys.key('rl', rule.name, subject);
    const [count, ttl] = (await this.redis.eval(HIT_SCRIPT, 1, key, String(rule.windowSeconds))) as [
      number,
      number,
    ];
    return { allowed: count <= rule.limit, count, retryAfterSeconds: Math.max(1, ttl) };
  }

  // Seconds left on a lock, rounded up (Redis's TTL rounds to the nearest second, so a Retry-After
  // from it could send a client back just before the lock ends), or 0 when the subject is not locked.
  async lockedFor(scope: string, subject: string): Promise<number> {
    const ms = await this.redis.pttl(this.keys.key('lock', scope, subject));
    return ms > 0 ? Math.ceil(ms / 1000) : 0;
  }

  // Returns true when this failure locked the subject.
  async recordFailure(
    scope: string,
    subject: string,
    options: { lockAfter: number; lockSeconds: number; memorySeconds: number },
  ): Promise<boolean> {
    const [, locked] = (await this.redis.eval(
      FAIL_SCRIPT,
      2,
      this.keys.key('fail', scope, subject),
      this.keys.key('lock', scope, subject),
      String(options.memorySeconds),
      String(options.lockAfter),
      String(options.lockSeconds),
    )) as [number, number];
    return locked === 1;
  }

  async lock(scope: string, subject: string, seconds: number): Promise<void> {
    await this.redis.set(this.keys.key('lock', scope, subject), '1', 'EX', seconds);
  }

  async unlock(scope: string, subject: string): Promise<void> {
    await this.redis.del(this.keys.key('lock', scope, subject));
  }

  async clearHits(rule: ThrottleRule, subject: string): Promise<void> {
    await this.redis.del(this.keys.key('rl', rule.name, subject));
  }

  // A remembered fact with an expiry, e.g. "this address signed in to this account lately".
  async remember(scope: string, subject: string, seconds: number): Promise<void> {
    await this.redis.set(this.keys.key('seen', scope, subject), '1', 'EX', seconds);
  }

  async remembers(scope: string, subject: string): Promise<boolean> {
    return (await this.redis.exists(this.keys.key('seen', scope, subject))) === 1;
  }

  async clearFailures(scope: string, subject: string, alsoUnlock = false): Promise<void> {
    const keys = [this.keys.key('fail', scope, subject)];
    if (alsoUnlock) keys.push(this.keys.key('lock', scope, subject));
    await this.redis.del(...keys);
  }
}

export function describeWait(seconds: number): string {
  if (seconds < 60) {
    const whole = Math.max(1, Math.ceil(seconds));
    return whole === 1 ? '1 second' : `${whole} seconds`;
  }
  const minutes = Math.ceil(seconds / 60);
  return minutes === 1 ? '1 minute' : `${minutes} minutes`;
}

// The address per-IP limits count. An IPv6 client usually holds a whole /64 (often far more), so
// counting single IPv6 addresses would let one client rotate through billions of them.
export function clientAddressKey(ip: string): string {
  if (!ipaddr.isValid(ip)) return ip;
  const address = ipaddr.process(ip);
  if (address.kind() === 'ipv4') return address.toString();
  const parts = (address as ipaddr.IPv6).parts.slice(0, 4).map((p) => p.toString(16));
  return `${parts.join(':')}::/64`;
}
