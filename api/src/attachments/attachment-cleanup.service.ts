import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AttachmentRepository } from './attachment.repository';

export interface AttachmentCleanupResult {
  /** Uploads never attached to a message within ATTACHMENTS_STAGED_TTL_HOURS, and uploads that never finished. */
  abandoned: number;
  /** Files in HubSpot whose bytes were still here (a crash between the delivery and dropping them). */
  purged: number;
}

/** An upload that has not finished after this long never will (its process is gone). */
const RECEIVING_TIMEOUT_MS = 60 * 60 * 1000;
const BATCH = 1000;

// Run hourly by the maintenance queue; idempotent, so any worker may run it.
@Injectable()
export class AttachmentCleanupService {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: AttachmentRepository,
  ) {}

  async run(now = new Date()): Promise<AttachmentCleanupResult> {
    const stagedBefore = new Date(now.getTime() - this.config.attachments.stagedTtlHours * 3600_000);
    const receivingBefore = new Date(now.getTime() - RECEIVING_TIMEOUT_MS);
    const abandoned = await this.repository.deleteAbandoned(stagedBefore, receivingBefore, BATCH);
    const sent = await this.repository.sentWithChunks(BATCH);
    await this.repository.purgeChunks(sent);
    return { abandoned, purged: sent.length };
  }
}
