import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { HsMessage } from '../hubspot/hubspot.types';
import { type AttachmentRow, type AttachmentsRepository } from '../repositories/attachments.repository';
import { type TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { isRequestFilesKey } from './attachment-delivery.service';
import { normalizeMediaType } from './attachment-types';

/** A conversation without the email that carries a portal request's own files (shown with the request). */
export function conversationMessages(messages: readonly HsMessage[]): HsMessage[] {
  return messages.filter((msg) => !isRequestFilesKey(msg.requestKey));
}

/**
 * Mirrors the files on a ticket's HubSpot messages (support's replies, emails from the customer) as
 * `origin = 'hubspot'` rows, inside the transaction that writes the messages, so a message and its
 * files are seen together. Files the portal uploaded itself already have their rows and are skipped.
 */
export async function mirrorConversationFiles(
  m: EntityManager,
  repositories: { attachments: AttachmentsRepository; messages: TicketMessagesRepository },
  ticketId: number,
  messages: readonly HsMessage[],
): Promise<void> {
  const { attachments } = repositories;
  const existing = await attachments.mirroredOf(m, ticketId);
  const withFiles = messages.filter((msg) => msg.attachments.length > 0);
  if (withFiles.length === 0 && existing.length === 0) return;

  const localIds = await repositories.messages.localIds(
    m,
    ticketId,
    withFiles.map((msg) => msg.id),
  );
  const ours = await attachments.portalFileIds(
    m,
    withFiles.flatMap((msg) => msg.attachments.map((a) => a.fileId)),
  );

  const wanted = new Map<
    string,
    { messageId: number; position: number; file: HsMessage['attachments'][number] }
  >();
  for (const msg of withFiles) {
    const messageId = localIds.get(msg.id);
    if (messageId === undefined) continue;
    msg.attachments.forEach((file, position) => {
      if (!ours.has(file.fileId)) wanted.set(`${messageId}|${file.fileId}`, { messageId, position, file });
    });
  }
  const have = new Map<string, AttachmentRow>(
    existing.map((row) => [`${row.message_id}|${row.hubspot_file_id}`, row]),
  );

  const gone = existing
    .filter((row) => !wanted.has(`${row.message_id}|${row.hubspot_file_id}`))
    .map((r) => r.id);
  await attachments.deleteIds(gone, m);
  const now = new Date();
  for (const [key, { messageId, position, file }] of wanted) {
    const name = file.name.slice(0, 255);
    const contentType = normalizeMediaType(file.contentType) ?? 'application/octet-stream';
    const row = have.get(key);
    if (row) {
      if (
        row.name !== name ||
        row.content_type !== contentType ||
        (row.size === null ? null : Number(row.size)) !== file.size ||
        Number(row.position) !== position
      ) {
        await attachments.updateMirrored(m, row.id, { name, contentType, size: file.size, position });
      }
      continue;
    }
    await attachments.insertMirrored(m, randomUUID(), {
      ticketId,
      messageId,
      position,
      name,
      contentType,
      size: file.size,
      hubspotFileId: file.fileId,
      now,
    });
  }
}
