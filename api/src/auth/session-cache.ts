import { Logger } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../queues/redis-keys';

/** Where revocations are announced to every API process (token hashes, comma-separated). */
export function sessionRevokedChannel(keys: RedisKeys): string {
  return keys.key('session', 'revoked');
}
/** How long a validated session is trusted in process before Redis is asked again. */
export const LOCAL_SESSION_TTL_MS = 30_000;
/** Sessions kept in process at most (oldest used first out). */
export const LOCAL_SESSION_MAX = 10_000;

interface Entry<T> {
  value: T;
  until: number;
}

/**
 * An in-process cache of validated sessions, so the bearer check on a busy endpoint costs neither a
 * database nor a Redis round trip. Revocation (logout, password reset) is published on Redis and
 * evicts the token at once in every process; the cache is only used while this process is
 * subscribed, and it is emptied whenever the subscription drops (a revocation may have been missed).
 * Expired sessions leave by themselves: an entry never outlives the session's own expiry.
 */
export class SessionCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  // Recently revoked hashes: a validation that read the store just before the revocation must not
  // put the token back afterwards.
  private readonly revoked = new Map<string, number>();
  private subscriber: Redis | null = null;
  private listening = false;
  private closed = false;
  private readonly logger = new Logger(SessionCache.name);

  constructor(
    private readonly redis: Redis,
    /** sessionRevokedChannel(keys) */
    private readonly channel: string,
    private readonly ttlMs = LOCAL_SESSION_TTL_MS,
    private readonly max = LOCAL_SESSION_MAX,
  ) {}

  /** Subscribes on first use (processes that never check a token never open the connection). */
  private start(): void {
    if (this.subscriber || this.closed) return;
    const sub = this.redis.duplicate({ lazyConnect: true, maxRetriesPerRequest: null });
    this.subscriber = sub;
    sub.on('message', (channel: string, message: string) => {
      if (channel === this.channel) this.evict(message.split(','));
    });
    const stop = (): void => {
      this.listening = false;
      this.entries.clear();
    };
    sub.on('close', stop);
    sub.on('error', (error: Error) => {
      stop();
      this.logger.warn(`Session revocation channel: ${error.message}`);
    });
    // ioredis subscribes again after a reconnect; the cache is trusted once the server confirmed it.
    sub.on('ready', () => {
      sub
        .subscribe(this.channel)
        .then(() => {
          if (!this.closed) this.listening = true;
        })
        .catch(stop);
    });
    sub.connect().catch(stop);
  }

  get(tokenHash: string, now = Date.now()): T | undefined {
    this.start();
    if (!this.listening) return undefined;
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.until <= now) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.value;
  }

  /** Keeps the session until `expiresAt` or the local TTL, whichever is first. */
  set(tokenHash: string, value: T, expiresAt: number, now = Date.now()): void {
    if (!this.listening || this.revoked.has(tokenHash)) return;
    if (!this.entries.has(tokenHash) && this.entries.size >= this.max) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(tokenHash, { value, until: Math.min(now + this.ttlMs, expiresAt) });
  }

  evict(tokenHashes: readonly string[], now = Date.now()): void {
    for (const [hash, at] of this.revoked) {
      if (at > now - this.ttlMs) break;
      this.revoked.delete(hash);
    }
    for (const hash of tokenHashes) {
      this.entries.delete(hash);
      this.revoked.delete(hash);
      this.revoked.set(hash, now);
    }
  }

  /** Evicts here and announces the revocation to every other process. */
  async revoke(tokenHashes: readonly string[]): Promise<void> {
    if (tokenHashes.length === 0) return;
    this.evict(tokenHashes);
    // SHA-256 hex digests: 64 characters each; a few hundred per message at most in practice.
    for (let i = 0; i < tokenHashes.length; i += 500) {
      await this.redis.publish(this.channel, tokenHashes.slice(i, i + 500).join(','));
    }
  }

  get size(): number {
    return this.entries.size;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.listening = false;
    this.entries.clear();
    const sub = this.subscriber;
    this.subscriber = null;
    if (sub && sub.status !== 'end') await sub.quit().catch(() => sub.disconnect());
  }
}
