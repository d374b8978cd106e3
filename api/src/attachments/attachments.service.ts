import type { Readable } from 'node:stream';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { HubSpotError } from '../hubspot/hubspot-error';
import { HubSpotPort } from '../hubspot/hubspot.port';
import {
  type AttachmentRow,
  AttachmentsRepository,
  STORED_STATES,
} from '../repositories/attachments.repository';
import { TicketVisibility } from '../tickets/ticket-visibility.service';
import { attachmentIdsError, formatBytes } from './attachment-errors';
import { AttachmentStore } from './attachment-store';
import { isAllowed, isInlineImage } from './attachment-types';
import type { MessageAttachmentDto } from './dto/attachment.dto';

// The global prefix (API_PREFIX in openapi.ts, which imports the whole app: not importable from here).
const TICKETS_PATH = '/api/v1/tickets';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface AttachmentDownload {
  stream: Readable | NodeJS.ReadableStream;
  name: string;
  contentType: string;
  size: number | null;
  inline: boolean;
}

/** The files of a ticket page: the request's own, and each message's by the message's local id. */
export interface TicketAttachments {
  request: MessageAttachmentDto[];
  byMessage: Map<number, MessageAttachmentDto[]>;
}

/**
 * Attachments as the HTTP process sees them: attaching uploads to a request or reply (inside its
 * transaction), listing them on the ticket page, and downloads checked against the customer's access.
 */
@Injectable()
export class AttachmentsService {
  constructor(
    private readonly config: AppConfig,
    private readonly repository: AttachmentsRepository,
    private readonly store: AttachmentStore,
    private readonly port: HubSpotPort,
    private readonly visibility: TicketVisibility,
  ) {}

  /**
   * Attaches the customer's uploads to the request (messageId null) or reply being written in `m`:
   * only their own, only unused ones (a file goes with one message), within the message's limits.
   */
  async attach(
    m: EntityManager,
    customerId: string,
    ids: readonly string[] | undefined,
    target: { ticketId: number; messageId: number | null },
    now: Date,
  ): Promise<void> {
    if (!ids || ids.length === 0) return;
    const limits = this.config.attachments;
    if (new Set(ids).size !== ids.length) {
      throw attachmentIdsError('attachmentIds names the same file twice. List each uploaded file once.');
    }
    if (ids.length > limits.maxFiles) {
      throw attachmentIdsError(
        `A message can carry at most ${limits.maxFiles} files; this one names ${ids.length}. Remove some.`,
      );
    }
    const rows = new Map((await this.repository.lockByIds(m, ids)).map((r) => [r.id, r]));
    let total = 0;
    for (const id of ids) {
      const row = rows.get(id);
      if (!row || row.origin !== 'portal' || row.customer_id !== customerId) {
        throw attachmentIdsError(
          `The file ${id} is not one of your uploads (unused uploads are deleted after ${limits.stagedTtlHours} hours). Upload it again.`,
        );
      }
      if (row.state === 'receiving') {
        throw attachmentIdsError(`${row.name} is still being uploaded. Wait for the upload to finish.`);
      }
      if (row.state !== 'staged') {
        throw attachmentIdsError(
          `${row.name} is already attached to another message. Upload the file again to send it here too.`,
        );
      }
      total += Number(row.size ?? 0);
    }
    if (total > limits.maxTotalBytes) {
      throw attachmentIdsError(
        `These files add up to ${formatBytes(total)}; the files of one message can be at most ${formatBytes(limits.maxTotalBytes)} together.`,
      );
    }
    await this.repository.attach(m, ids, target, now);
  }

  async forTicket(ticketId: number): Promise<TicketAttachments> {
    const result: TicketAttachments = { request: [], byMessage: new Map() };
    for (const row of await this.repository.forTicket(ticketId)) {
      const dto = toDto(row, ticketId, this.config.attachments.types);
      if (row.message_id === null) result.request.push(dto);
      else result.byMessage.set(row.message_id, [...(result.byMessage.get(row.message_id) ?? []), dto]);
    }
    return result;
  }

  async forMessage(ticketId: number, messageId: number): Promise<MessageAttachmentDto[]> {
    return (await this.repository.forMessage(messageId)).map((row) =>
      toDto(row, ticketId, this.config.attachments.types),
    );
  }

  /**
   * A file of a ticket the customer may see, streamed: a portal file from MySQL while its bytes are
   * here, anything else from HubSpot through the API (HubSpot's signed URL never leaves the server).
   * Any other ticket (TicketVisibility, the rule every endpoint asks), attachment or state is the
   * same 404.
   */
  async download(
    customerId: string,
    ticketLocalId: string,
    attachmentId: string,
  ): Promise<AttachmentDownload> {
    const ticket = await this.visibility.visibleTicket(customerId, ticketLocalId);
    const row = UUID.test(attachmentId) ? await this.repository.byId(attachmentId.toLowerCase()) : undefined;
    if (!row || row.ticket_id !== ticket.id || row.state === 'staged' || row.state === 'receiving') {
      throw attachmentNotFound();
    }
    const contentType = servedType(row.content_type, this.config.attachments.types, row.origin === 'portal');
    const base = { name: row.name, contentType, inline: isInlineImage(contentType) };
    if (row.origin === 'portal' && STORED_STATES.includes(row.state) && (await this.store.has(row.id))) {
      const size = Number(row.size ?? 0);
      return { ...base, size, stream: this.store.read(row.id, size) };
    }
    if (row.hubspot_file_id === null) throw attachmentNotFound();
    let file;
    try {
      file = await this.port.fileDownload(row.hubspot_file_id);
    } catch (error) {
      if (error instanceof HubSpotError && error.retryable) {
        throw new AppError(
          ErrorCode.DEPENDENCY_UNAVAILABLE,
          "This file is kept in support's system, which is not answering right now. Try again in a minute.",
          { retryAfterSeconds: 30, cause: error },
        );
      }
      throw error;
    }
    if (!file) {
      throw new AppError(
        ErrorCode.NOT_FOUND,
        'This file was removed by support and can no longer be downloaded.',
      );
    }
    return { ...base, size: file.size, stream: file.stream };
  }
}

/** What a download is served as: the stored type, or a plain download for anything a browser could run. */
function servedType(type: string, allowed: readonly string[], sniffed: boolean): string {
  // Portal files were checked against the allowed list on upload; support's files were not.
  if (sniffed || isAllowed(type, allowed)) return type;
  return 'application/octet-stream';
}

function toDto(row: AttachmentRow, ticketId: number, allowed: readonly string[]): MessageAttachmentDto {
  return {
    id: row.id,
    name: row.name,
    size: row.size === null ? null : Number(row.size),
    contentType: row.content_type,
    downloadPath: `${TICKETS_PATH}/${ticketId}/attachments/${row.id}`,
    inline: isInlineImage(servedType(row.content_type, allowed, row.origin === 'portal')),
  };
}

/**
 * The files of some messages of one ticket, by message id (the live event stream sends messages with
 * their files). A plain function over the repository, for readers outside this module's DI.
 */
export async function messageAttachments(
  repository: AttachmentsRepository,
  ticketId: number,
  messageIds: readonly number[],
  allowed: readonly string[],
): Promise<Map<number, MessageAttachmentDto[]>> {
  const byMessage = new Map<number, MessageAttachmentDto[]>();
  for (const row of await repository.ofMessages(ticketId, messageIds)) {
    const id = Number(row.message_id);
    byMessage.set(id, [...(byMessage.get(id) ?? []), toDto(row, ticketId, allowed)]);
  }
  return byMessage;
}

export function attachmentNotFound(): AppError {
  return new AppError(
    ErrorCode.NOT_FOUND,
    'There is no such file on this ticket. Open the ticket again and use the link next to the file.',
  );
}
