import { Injectable, Logger } from '@nestjs/common';
import { AttachmentsService } from '../attachments/attachments.service';
import type { MessageAttachmentDto } from '../attachments/dto/attachment.dto';
import { AppConfig } from '../config/app-config';
import { SyncProducer } from '../sync/sync.producer';
import { shownConversation } from './conversation';
import type { TicketDetailDto, TicketMessageDto, TicketPersonDto } from './dto/ticket-detail.dto';
import { renderMessage } from './message-html';
import { RequestFieldsService } from './request-fields.service';
import { syncStateOf, toTicketListItem } from '../tickets/ticket-list-item.mapper';
import { type MessageRow, TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { TicketPeopleRequestsRepository } from '../repositories/ticket-people-requests.repository';
import { type TicketRow, TicketsRepository } from '../repositories/tickets.repository';

/** A ticket's page: the list's fields, the description, the options and the conversation. */
@Injectable()
export class TicketViewService {
  private readonly logger = new Logger(TicketViewService.name);

  constructor(
    private readonly messages: TicketMessagesRepository,
    private readonly tickets: TicketsRepository,
    private readonly fields: RequestFieldsService,
    private readonly producer: SyncProducer,
    private readonly config: AppConfig,
    private readonly attachments: AttachmentsService,
    private readonly peopleRequests: TicketPeopleRequestsRepository,
  ) {}

  /**
   * `wait`: the customer is opening the page, so a conversation never read before is worth a short
   * wait (CONVERSATION_WAIT_MS) — the page then shows it rather than a loading state. Writes answer
   * at once.
   */
  async detail(row: TicketRow, options: { wait?: boolean } = {}): Promise<TicketDetailDto> {
    // Conversations are read lazily: a ticket whose conversation was never read gets it queued.
    let conversationState: TicketDetailDto['conversationState'] = 'loaded';
    if (row.hubspot_id !== null && row.conversation_synced_at === null) {
      const queued = await this.producer.refreshConversation(row.hubspot_id).then(
        () => true,
        (error: unknown) => {
          this.logger.warn(
            `Could not queue the conversation of ticket ${row.hubspot_id} (${error instanceof Error ? error.message : String(error)})`,
          );
          return false;
        },
      );
      const read = queued && options.wait === true && (await this.conversationRead(row.id));
      if (!read) conversationState = 'loading';
    }
    const [messages, priority, category, files, people] = await Promise.all([
      this.messages.ofTicket(row.id),
      this.fields.option('priority', row.priority),
      this.fields.option('category', row.category),
      this.attachments.forTicket(row.id),
      this.people(row.id),
    ]);
    return {
      ...toTicketListItem(row),
      description: row.content,
      priority,
      category,
      closedAt: row.closed_at ? new Date(row.closed_at).toISOString() : null,
      syncError: row.sync_state === 'failed' ? row.sync_error : null,
      attachments: files.request,
      // A first message that only repeats the description is left out, unless it carries files.
      messages: shownConversation(messages, row.content, (m) =>
        hasFiles(files.byMessage.get(Number(m.id))),
      ).map((m) => toMessage(m, files.byMessage.get(Number(m.id)))),
      conversationState,
      people,
    };
  }

  /**
   * The people on the ticket as HubSpot has them (mirrored), with the portal's requests not
   * delivered yet applied: a colleague added shows as pending, one removed is gone at once.
   */
  async people(ticketId: number): Promise<TicketPersonDto[]> {
    const [mirrored, pending] = await Promise.all([
      this.tickets.people(ticketId),
      this.peopleRequests.pending(ticketId),
    ]);
    const last = new Map<string, 'add' | 'remove'>();
    for (const request of pending) last.set(request.email, request.action);
    const people: TicketPersonDto[] = mirrored
      .map((p) => ({
        name: p.display_name,
        email: p.email,
        role: Number(p.is_primary) === 1 ? ('requester' as const) : ('cc' as const),
        syncState: 'synced' as const,
      }))
      .filter((p) => p.role === 'requester' || p.email === null || last.get(p.email) !== 'remove');
    for (const [email, action] of last) {
      if (action === 'add' && !people.some((p) => p.email === email)) {
        people.push({ name: null, email, role: 'cc', syncState: 'pending' });
      }
    }
    return people;
  }

  /**
   * Whether the queued conversation refresh finished within CONVERSATION_WAIT_MS. The worker that runs
   * it may be any process, so the row is read again (quickly at first, then every 200 ms) rather than
   * waiting on something only this process would hear.
   */
  private async conversationRead(ticketId: number | string): Promise<boolean> {
    const deadline = Date.now() + this.config.conversationWaitMs;
    for (let pause = 50; Date.now() < deadline; pause = Math.min(pause * 2, 200)) {
      await new Promise((resolve) =>
        setTimeout(resolve, Math.min(pause, Math.max(deadline - Date.now(), 0))),
      );
      if (await this.tickets.conversationWasRead(ticketId)) return true;
    }
    return false;
  }
}

const hasFiles = (files: readonly MessageAttachmentDto[] | undefined): boolean => (files?.length ?? 0) > 0;

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
