import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HubSpotPort } from '../hubspot/hubspot.port';
import { formatBytes } from './attachment-errors';
import { AttachmentsRepository } from '../repositories/attachments.repository';
import { AttachmentStore } from './attachment-store';

/** Where the portal's uploads go in HubSpot's file manager (private files). */
export const HUBSPOT_FOLDER = '/ticket-portal/attachments';

export type UploadOutcome =
  | { ok: true; attachmentIds: string[]; fileIds: string[]; names: string[]; lines: string[] }
  | { ok: false; problem: string };

/**
 * The worker's half: the files of a request or reply reach HubSpot before the email that carries
 * them. An upload to HubSpot is not idempotent, so each file's HubSpot id is committed on its own as
 * soon as HubSpot answers, and a retried delivery reuses it instead of uploading again.
 */
@Injectable()
export class AttachmentDeliveryService {
  private readonly logger = new Logger(AttachmentDeliveryService.name);

  constructor(
    private readonly repository: AttachmentsRepository,
    private readonly store: AttachmentStore,
    private readonly port: HubSpotPort,
  ) {}

  /**
   * Uploads what is not in HubSpot yet of the files attached to the request (messageId null) or the
   * reply, and answers every file's HubSpot id in the order they were attached.
   */
  async upload(ticketId: number, messageId: number | null): Promise<UploadOutcome> {
    const rows = await this.repository.portalFilesOf(ticketId, messageId);
    const result = {
      ok: true as const,
      attachmentIds: [] as string[],
      fileIds: [] as string[],
      names: [] as string[],
      lines: [] as string[],
    };
    for (const row of rows) {
      let fileId = row.hubspot_file_id;
      if (fileId === null) {
        const size = Number(row.size ?? 0);
        if (!(await this.store.has(row.id))) {
          return {
            ok: false,
            problem: `The file ${row.name} was lost before it reached support. Send it again in a reply.`,
          };
        }
        const file = await this.port.uploadFile({
          name: row.name,
          contentType: row.content_type,
          data: this.store.read(row.id, size),
          folder: HUBSPOT_FOLDER,
        });
        if (await this.repository.recordUpload(row.id, file.id, new Date())) {
          fileId = file.id;
        } else {
          // Another attempt recorded its upload first: that one is used, this file stays unused.
          fileId = (await this.repository.byId(row.id))?.hubspot_file_id ?? file.id;
          this.logger.warn(`HubSpot file ${file.id} (${row.name}) is a duplicate of ${fileId} and unused`);
        }
      }
      result.attachmentIds.push(row.id);
      result.fileIds.push(fileId);
      result.names.push(row.name);
      result.lines.push(`- ${row.name} (${formatBytes(Number(row.size ?? 0))})`);
    }
    return result;
  }

  /**
   * The reply's email was found in HubSpot (a conversation refresh matched it by its key before the
   * delivery's commit): it was logged with every file uploaded for it.
   */
  settleReply(messageId: number): Promise<void> {
    return this.repository.settleUploaded(messageId, new Date());
  }

  /** Files of the request (messageId null) or reply that are not on their email in HubSpot yet. */
  hasUnsent(ticketId: number, messageId: number | null): Promise<boolean> {
    return this.repository.hasUnsent(ticketId, messageId);
  }

  /**
   * In the delivery's commit: these files are on their email in HubSpot. Their bytes stay a while
   * (downloads under way finish from MySQL); the cleanup job drops them an hour later.
   */
  async markSent(m: EntityManager, attachmentIds: readonly string[], now: Date): Promise<void> {
    await this.repository.markSent(m, attachmentIds, now);
  }
}

/** The reply key of the email that carries a new request's files (its first message) in HubSpot. */
export function requestFilesKey(requestKey: string): string {
  return `tpf-${requestKey}`;
}

/** That email is the request's own files, shown with the request, not as a message of the conversation. */
export function isRequestFilesKey(key: string | null | undefined): boolean {
  return typeof key === 'string' && key.startsWith('tpf-');
}
