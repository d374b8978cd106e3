import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { HsMessage } from '../hubspot/hubspot.types';
import { isRequestFilesKey } from './attachment-delivery.service';
import { type AttachmentRow, AttachmentRepository } from './attachment.repository';
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
  ticketId: number,
  messages: readonly HsMessage[],
): Promise<void> {
  const repository = new AttachmentRepository(m.connection);
  const existing = await repository.mirroredOf(m, ticketId);
  const withFiles = messages.filter((msg) => msg.attachments.length > 0);
  if (withFiles.length === 0 && existing.length === 0) return;

  const localIds = new Map<string, number>();
  if (withFiles.length > 0) {
    const rows = await m.query<Array<{ id: number; hubspot_id: string }>>(
      `SELECT id, hubspot_id FROM ticket_messages WHERE ticket_id = ? AND hubspot_id IN (${withFiles.map(() => '?').join(', ')})`,
      [ticketId, ...withFiles.map((msg) => msg.id)],
    );
    for (const row of rows) localIds.set(row.hubspot_id, Number(row.id));
  }
  const ours = await repository.portalFileIds(
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
  if (gone.length > 0) {
    await m.query(`DELETE FROM attachments WHERE id IN (${gone.map(() => '?').join(', ')})`, gone);
  }
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
        await m.query(
          'UPDATE attachments SET name = ?, content_type = ?, size = ?, position = ? WHERE id = ?',
          [name, contentType, file.size, position, row.id],
        );
      }
      continue;
    }
    await m.query(
      `INSERT INTO attachments (id, origin, state, ticket_id, message_id, position, name, content_type, size, hubspot_file_id, created_at)
       VALUES (?, 'hubspot', 'mirrored', ?, ?, ?, ?, ?, ?, ?, ?)`,
      [randomUUID(), ticketId, messageId, position, name, contentType, file.size, file.fileId, now],
    );
  }
}
