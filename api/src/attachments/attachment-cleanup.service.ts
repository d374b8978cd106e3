import { Injectable } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { AttachmentsRepository } from '../repositories/attachments.repository';

export interface AttachmentCleanupResult {
  /** Uploads never attached to a message within ATTACHMENTS_STAGED_TTL_HOURS, and uploads that never finished. */
  abandoned: number;
  /** Files on their email in HubSpot for an hour, whose bytes are dropped (downloads come from HubSpot). */
  purged: number;
}

/** An upload that has not finished after this long never will (its process is gone). */
const RECEIVING_TIMEOUT_MS = 60 * 60 * 1000;
/** Downloads that started from MySQL just before the file went to HubSpot finish well within this. */
const SENT_GRACE_MS = 60 * 60 * 1000;
const BATCH = 1000;

// Run hourly by the maintenance queue; idempotent, so any worker may run it.
@Injectable()
export class AttachmentCleanupService {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: AttachmentsRepository,
  ) {}

  async run(now = new Date()): Promise<AttachmentCleanupResult> {
    const stagedBefore = new Date(now.getTime() - this.config.attachments.stagedTtlHours * 3600_000);
    const receivingBefore = new Date(now.getTime() - RECEIVING_TIMEOUT_MS);
    const abandoned = await this.repository.deleteAbandoned(stagedBefore, receivingBefore, BATCH);
    const sent = await this.repository.sentWithChunks(new Date(now.getTime() - SENT_GRACE_MS), BATCH);
    await this.repository.purgeChunks(sent);
    return { abandoned, purged: sent.length };
  }
}
