import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CLEANUP_GRACE_MS } from './maintenance.constants';

export interface CleanupResult {
  sessions: number;
  tokens: number;
}

// Deletes sessions and one-time tokens that can never be used again. Idempotent.
@Injectable()
export class AccountCleanupService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async run(now = new Date()): Promise<CleanupResult> {
    const before = new Date(now.getTime() - CLEANUP_GRACE_MS);
    const sessions = await this.dataSource.query<{ affectedRows?: number }>(
      'DELETE FROM sessions WHERE expires_at < ? OR revoked_at < ? LIMIT 10000',
      [before, before],
    );
    const tokens = await this.dataSource.query<{ affectedRows?: number }>(
      'DELETE FROM one_time_tokens WHERE expires_at < ? OR used_at < ? LIMIT 10000',
      [before, before],
    );
    return { sessions: sessions.affectedRows ?? 0, tokens: tokens.affectedRows ?? 0 };
  }
}
