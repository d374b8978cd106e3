import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import type { MessageAttachmentDto } from '../attachments/dto/attachment.dto';
import { SyncProducer } from '../sync/sync.producer';
import type { TicketDetailDto, TicketMessageDto } from './dto/ticket-detail.dto';
import { renderMessage } from './message-html';
import { RequestFieldsService } from './request-fields.service';
import { syncStateOf, toTicketListItem } from '../tickets/ticket-list-item.mapper';
import { MESSAGE_COLUMNS, type MessageRow, type TicketRow } from './ticket-row';

/** A ticket's page: the list's fields, the description, the options and the conversation. */
@Injectable()
export class TicketViewService {
  private readonly logger = new Logger(TicketViewService.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly fields: RequestFieldsService,
    private readonly producer: SyncProducer,
    private readonly attachments: AttachmentsService,
  ) {}

  async detail(row: TicketRow): Promise<TicketDetailDto> {
    const [messages, priority, category, files] = await Promise.all([
      this.dataSource.query<MessageRow[]>(
        `SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE ticket_id = ? ORDER BY created_at, id`,
        [row.id],
      ),
      this.fields.option('priority', row.priority),
      this.fields.option('category', row.category),
      this.attachments.forTicket(row.id),
    ]);
    // Conversations are read lazily: a ticket whose conversation was never read gets it queued.
    if (row.hubspot_id !== null && row.conversation_synced_at === null) {
      await this.producer.refreshConversation(row.hubspot_id).catch((error: unknown) => {
        this.logger.warn(
          `Could not queue the conversation of ticket ${row.hubspot_id} (${error instanceof Error ? error.message : String(error)})`,
        );
      });
    }
    return {
      ...toTicketListItem(row),
      description: row.content,
      priority,
      category,
      closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
      syncError: row.sync_state === 'failed' ? row.sync_error : null,
      attachments: files.request,
      messages: messages.map((m) => toMessage(m, files.byMessage.get(Number(m.id)))),
    };
  }
}

export function toMessage(row: MessageRow, attachments: MessageAttachmentDto[] = []): TicketMessageDto {
  // Rendered when the mirror wrote it; rows from before that (and the portal's own replies) here.
  const { html, text } =
    row.shown_html !== null && row.shown_text !== null
      ? { html: row.shown_html, text: row.shown_text }
      : renderMessage(row.text, row.html_raw);
  return {
    id: String(row.id),
    from: row.direction === 'customer' ? 'customer' : 'support',
    author: { name: row.author_name, email: row.author_email },
    sentAt: new Date(row.created_at).toISOString(),
    html,
    text,
    syncState: syncStateOf(row.sync_state),
    syncError: row.sync_state === 'failed' ? row.sync_error : null,
    attachments,
  };
}
