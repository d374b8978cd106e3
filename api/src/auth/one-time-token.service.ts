import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Not, Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { randomToken, sha256Hex, TOKEN_PATTERN } from '../common/crypto.util';
import { CONFIRM_TOKEN_TTL_MS, RESET_TOKEN_TTL_MS } from './auth.constants';
import { OneTimeToken, type OneTimeTokenPurpose } from './one-time-token.entity';

const TTL_MS: Record<OneTimeTokenPurpose, number> = {
  confirm: CONFIRM_TOKEN_TTL_MS,
  reset: RESET_TOKEN_TTL_MS,
};

const MESSAGES: Record<OneTimeTokenPurpose, { invalid: string; expired: string }> = {
  confirm: {
    invalid:
      'This confirmation link is not valid or has already been used. If your account is confirmed, sign in; otherwise ask for a new confirmation email.',
    expired: 'This confirmation link has expired. Ask for a new confirmation email and use the link in it.',
  },
  reset: {
    invalid:
      'This password reset link is not valid or has already been used. Use Forgot password to get a new link.',
    expired:
      'This password reset link has expired (links last 1 hour). Use Forgot password to get a new link.',
  },
};

// Confirmation and reset links: single use, hashed at rest, short-lived.
@Injectable()
export class OneTimeTokenService {
  constructor(@InjectRepository(OneTimeToken) private readonly tokens: Repository<OneTimeToken>) {}

  async issue(
    customerId: string,
    purpose: OneTimeTokenPurpose,
    options: { pendingPasswordHash?: string | null; now?: Date } = {},
  ): Promise<string> {
    const now = options.now ?? new Date();
    const token = randomToken();
    await this.tokens.insert({
      id: randomUUID(),
      customerId,
      purpose,
      tokenHash: sha256Hex(token),
      pendingPasswordHash: options.pendingPasswordHash ?? null,
      expiresAt: new Date(now.getTime() + TTL_MS[purpose]),
      usedAt: null,
      createdAt: now,
    });
    return token;
  }

  // Finds a usable token without using it up (so a rejected new password does not burn the link).
  async peek(token: string, purpose: OneTimeTokenPurpose, now = new Date()): Promise<OneTimeToken> {
    const row = TOKEN_PATTERN.test(token)
      ? await this.tokens.findOneBy({ tokenHash: sha256Hex(token), purpose })
      : null;
    if (!row || row.usedAt !== null) throw new AppError(ErrorCode.TOKEN_INVALID, MESSAGES[purpose].invalid);
    if (row.expiresAt.getTime() <= now.getTime()) {
      throw new AppError(ErrorCode.TOKEN_EXPIRED, MESSAGES[purpose].expired);
    }
    return row;
  }

  // Uses the token up; of two concurrent requests with the same token only one wins.
  async consume(token: string, purpose: OneTimeTokenPurpose, now = new Date()): Promise<OneTimeToken> {
    const row = await this.peek(token, purpose, now);
    const result = await this.tokens.update({ id: row.id, usedAt: IsNull() }, { usedAt: now });
    if (!result.affected) throw new AppError(ErrorCode.TOKEN_INVALID, MESSAGES[purpose].invalid);
    // Older links of the same kind stop working too.
    await this.retireAll(row.customerId, purpose, now);
    return row;
  }

  async retireAll(customerId: string, purpose: OneTimeTokenPurpose, now = new Date()): Promise<void> {
    await this.tokens.update({ customerId, purpose, usedAt: IsNull() }, { usedAt: now });
  }

  // The different passwords that the account's unused confirmation links would set (one per
  // registration; a resent link repeats the one it was copied from).
  async pendingPasswordHashes(customerId: string): Promise<string[]> {
    const rows = await this.tokens.find({
      select: { pendingPasswordHash: true },
      where: { customerId, purpose: 'confirm', usedAt: IsNull(), pendingPasswordHash: Not(IsNull()) },
    });
    return [...new Set(rows.map((r) => r.pendingPasswordHash!))];
  }
}
