import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Redis } from 'ioredis';
import { IsNull, MoreThan, Repository } from 'typeorm';
import { randomToken, sha256Hex, TOKEN_PATTERN } from '../common/crypto.util';
import { REDIS } from '../common/redis/redis.module';
import { AppConfig } from '../config/app-config';
import { SESSION_CACHE_SECONDS } from './auth.constants';
import { RedisKeys } from '../queues/redis-keys';
import { SessionCache, sessionRevokedChannel } from './session-cache';
import { Session } from './session.entity';

export interface AuthContext {
  sessionId: string;
  customerId: string;
  tokenHash: string;
  expiresAt: Date;
}

export interface IssuedSession {
  accessToken: string;
  expiresAt: Date;
}

interface CachedSession {
  s: string;
  c: string;
  e: number;
}

const INVALID = '0';

// Opaque bearer tokens: the client holds 256 random bits, the database holds their SHA-256.
// Validations are cached in process for 30 s (revocations evict them at once in every process, over
// Redis pub/sub) and in Redis for a minute, so the bearer check stays off the database.
@Injectable()
export class SessionService implements OnApplicationShutdown {
  private readonly local: SessionCache<AuthContext>;

  constructor(
    @InjectRepository(Session) private readonly sessions: Repository<Session>,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
    private readonly keys: RedisKeys,
  ) {
    this.local = new SessionCache<AuthContext>(redis, sessionRevokedChannel(keys));
  }

  private cacheKey(tokenHash: string): string {
    return this.keys.key('session', tokenHash);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.local.close();
  }

  async issue(customerId: string, remember: boolean, now = new Date()): Promise<IssuedSession> {
    const accessToken = randomToken();
    const ttlMs = remember ? this.config.rememberTtlDays * 86_400_000 : this.config.tokenTtlHours * 3_600_000;
    const expiresAt = new Date(now.getTime() + ttlMs);
    await this.sessions.insert({
      id: randomUUID(),
      customerId,
      tokenHash: sha256Hex(accessToken),
      remember,
      expiresAt,
      revokedAt: null,
      createdAt: now,
    });
    return { accessToken, expiresAt };
  }

  async validate(accessToken: string, now = new Date()): Promise<AuthContext | null> {
    if (!TOKEN_PATTERN.test(accessToken)) return null;
    const tokenHash = sha256Hex(accessToken);
    const local = this.local.get(tokenHash, now.getTime());
    if (local) return local;
    const key = this.cacheKey(tokenHash);
    const cached = await this.redis.get(key);
    if (cached === INVALID) return null;
    if (cached) {
      const parsed = JSON.parse(cached) as CachedSession;
      if (parsed.e > now.getTime()) {
        const auth = { sessionId: parsed.s, customerId: parsed.c, tokenHash, expiresAt: new Date(parsed.e) };
        this.local.set(tokenHash, auth, parsed.e, now.getTime());
        return auth;
      }
      return null;
    }
    const session = await this.sessions.findOneBy({ tokenHash });
    if (!session || session.revokedAt !== null || session.expiresAt.getTime() <= now.getTime()) {
      // A revoked, expired or unknown token never becomes valid again, so remembering "no" is safe.
      await this.redis.set(key, INVALID, 'EX', SESSION_CACHE_SECONDS);
      return null;
    }
    const remainingSeconds = Math.floor((session.expiresAt.getTime() - now.getTime()) / 1000);
    const ttl = Math.min(SESSION_CACHE_SECONDS, remainingSeconds);
    const auth = {
      sessionId: session.id,
      customerId: session.customerId,
      tokenHash,
      expiresAt: session.expiresAt,
    };
    if (ttl > 0) {
      const value: CachedSession = { s: session.id, c: session.customerId, e: session.expiresAt.getTime() };
      await this.redis.set(key, JSON.stringify(value), 'EX', ttl);
      this.local.set(tokenHash, auth, session.expiresAt.getTime(), now.getTime());
    }
    return auth;
  }

  async revoke(tokenHash: string, now = new Date()): Promise<void> {
    await this.sessions.update({ tokenHash, revokedAt: IsNull() }, { revokedAt: now });
    await this.redis.set(this.cacheKey(tokenHash), INVALID, 'EX', SESSION_CACHE_SECONDS);
    await this.local.revoke([tokenHash]);
  }

  // Signs the customer out everywhere (after a password reset).
  async revokeAll(customerId: string, now = new Date()): Promise<number> {
    const active = await this.sessions.find({
      select: { id: true, tokenHash: true },
      where: { customerId, revokedAt: IsNull(), expiresAt: MoreThan(now) },
    });
    if (active.length === 0) return 0;
    await this.sessions.update({ customerId, revokedAt: IsNull() }, { revokedAt: now });
    const pipeline = this.redis.pipeline();
    for (const session of active) {
      pipeline.set(this.cacheKey(session.tokenHash), INVALID, 'EX', SESSION_CACHE_SECONDS);
    }
    await pipeline.exec();
    await this.local.revoke(active.map((s) => s.tokenHash));
    return active.length;
  }
}
