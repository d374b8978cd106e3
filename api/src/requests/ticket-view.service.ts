import { Injectable, Logger } from '@nestjs/common';
import { SyncProducer } from '../sync/sync.producer';
import type { TicketDetailDto, TicketMessageDto } from './dto/ticket-detail.dto';
import { renderMessage } from './message-html';
import { RequestFieldsService } from './request-fields.service';
import { syncStateOf, toTicketListItem } from '../tickets/ticket-list-item.mapper';
import { type MessageRow, TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { type TicketRow } from '../repositories/tickets.repository';

/** A ticket's page: the list's fields, the description, the options and the conversation. */
@Injectable()
export class TicketViewService {
  private readonly logger = new Logger(TicketViewService.name);

  constructor(
    private readonly messages: TicketMessagesRepository,
    private readonly fields: RequestFieldsService,
    private readonly producer: SyncProducer,
  ) {}

  async detail(row: TicketRow): Promise<TicketDetailDto> {
    const [messages, priority, category] = await Promise.all([
      this.messages.ofTicket(row.id),
      this.fields.option('priority', row.priority),
      this.fields.option('category', row.category),
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
      messages: messages.map(toMessage),
    };
  }
}

export function toMessage(row: MessageRow): TicketMessageDto {
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
  };
}
