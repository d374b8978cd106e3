import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { Customer } from '../customers/customer.entity';
import { type ChangeNotice, noticeTicket, ticketNotices } from '../events/change-notice';
import { RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { inTransaction } from '../repositories/sql.util';
import { type MessageRow, TicketMessagesRepository } from '../repositories/ticket-messages.repository';
import { TicketPeopleRequestsRepository } from '../repositories/ticket-people-requests.repository';
import { scopesOfRow, type TicketRow, TicketsRepository } from '../repositories/tickets.repository';
import { type TicketScope, TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import { TicketVisibility } from '../tickets/ticket-visibility.service';
import type { CreateReplyDto, CreateTicketDto } from './dto/create-ticket.dto';
import type { TicketDetailDto, TicketMessageDto } from './dto/ticket-detail.dto';
import { isDuplicateKey, keyReused, requestHash } from './idempotency';
import { MirrorStagesService } from './portal-stages.service';
import { targetStage } from './portal-stages';
import { RequestFieldsService } from './request-fields.service';
import { RequestOutboxQueue } from './request-outbox.queue';
import { TicketViewService, toMessage } from './ticket-view.service';

export interface Answer<T> {
  /** 201 for a new record, 200 when an Idempotency-Key replayed an earlier one. */
  created: boolean;
  body: T;
}

/**
 * What a customer does to tickets. Every change is one transaction that writes the row the customer
 * sees (visible at once) and an outbox row the worker delivers to HubSpot; the queue is told after the
 * commit (and the worker's relay catches anything that telling missed).
 */
@Injectable()
export class RequestsService {
  private readonly logger = new Logger(RequestsService.name);

  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
    private readonly tickets: TicketsRepository,
    private readonly messages: TicketMessagesRepository,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly access: TicketVisibility,
    private readonly view: TicketViewService,
    private readonly fields: RequestFieldsService,
    private readonly stages: MirrorStagesService,
    private readonly outbox: RequestOutboxQueue,
    private readonly versions: TicketScopeVersionService,
    private readonly attachments: AttachmentsService,
    private readonly peopleRequests: TicketPeopleRequestsRepository,
  ) {}

  async detail(customerId: string, localId: string): Promise<TicketDetailDto> {
    return this.view.detail(await this.access.visibleTicket(customerId, localId), { wait: true });
  }

  async submit(
    customerId: string,
    dto: CreateTicketDto,
    idempotencyKey?: string,
  ): Promise<Answer<TicketDetailDto>> {
    const input = {
      subject: dto.subject,
      description: dto.description,
      priority: dto.priority || null,
      category: dto.category || null,
    };
    const attachmentIds = dto.attachmentIds ?? [];
    const cc = [...new Set(dto.cc ?? [])];
    // Files and people in copy are part of what the key stands for; a request without any hashes as
    // it always did.
    const hash = requestHash('POST tickets', {
      ...input,
      ...(attachmentIds.length > 0 ? { attachmentIds } : {}),
      ...(cc.length > 0 ? { cc } : {}),
    });
    if (idempotencyKey) {
      const replay = await this.replayTicket(customerId, idempotencyKey, hash);
      if (replay) return replay;
    }
    await this.fields.validate(input);
    const customer = await this.customer(customerId);
    if (cc.includes(customer.email.toLowerCase())) {
      throw new AppError(
        ErrorCode.VALIDATION_FAILED,
        'cc: Leave your own email out — you are on the request already. List only colleagues to copy.',
        { fields: { cc: 'must not include your own email' } },
      );
    }
    const portal = await this.stages.portalStages();
    const stage = portal ? await this.stages.stage(portal.pipelineId, portal.newStageId) : null;
    const now = new Date();
    const requestKey = `tp-${randomUUID()}`;

    let ticketId: number;
    let outboxId: number;
    try {
      ({ ticketId, outboxId } = await inTransaction(this.dataSource, async (m) => {
        const id = await this.tickets.insertSubmitted(m, {
          subject: input.subject,
          content: input.description,
          pipelineId: portal?.pipelineId ?? null,
          stageId: portal?.newStageId ?? null,
          stageLabel: stage?.label ?? null,
          stageOrder: stage?.displayOrder ?? null,
          statusKind: stage?.kind ?? 'new',
          contactId: customer.hubspotContactId,
          requesterName: customer.name,
          requesterEmail: customer.email,
          companyId: customer.hubspotContactId ? customer.hubspotCompanyId : null,
          priority: input.priority,
          category: input.category,
          requestKey,
          customerId: customer.id,
          now,
        });
        await this.attachments.attach(m, customerId, attachmentIds, { ticketId: id, messageId: null }, now);
        // Delivered in the request's own outbox step (found or created as contacts, then associated).
        await this.peopleRequests.add(m, id, cc, 'add', customerId, now);
        const box = await this.outboxRows.add(m, 'create', id, null, null, now);
        if (idempotencyKey) {
          await this.outboxRows.rememberKey(m, customerId, idempotencyKey, hash, id, null, now);
        }
        return { ticketId: id, outboxId: box };
      }));
    } catch (error) {
      // The same key raced us and won: answer with what it made.
      if (idempotencyKey && isDuplicateKey(error)) {
        const replay = await this.replayTicket(customerId, idempotencyKey, hash);
        if (replay) return replay;
      }
      throw error;
    }
    const scope = {
      contactId: customer.hubspotContactId,
      companyId: customer.hubspotContactId ? customer.hubspotCompanyId : null,
    };
    await this.afterCommit(
      [outboxId],
      [scope],
      ticketNotices([noticeTicket(ticketId, [scope], customer.id)]),
    );
    const row = await this.row(ticketId);
    return { created: true, body: await this.view.detail(row) };
  }

  async reply(
    customerId: string,
    localId: string,
    dto: CreateReplyDto,
    idempotencyKey?: string,
  ): Promise<Answer<TicketMessageDto>> {
    const ticket = await this.access.visibleTicket(customerId, localId);
    const attachmentIds = dto.attachmentIds ?? [];
    const hash = requestHash(
      `POST tickets/${ticket.id}/replies`,
      attachmentIds.length > 0 ? { body: dto.body, attachmentIds } : { body: dto.body },
    );
    if (idempotencyKey) {
      const replay = await this.replayMessage(customerId, idempotencyKey, hash);
      if (replay) return replay;
    }
    const customer = await this.customer(customerId);
    const now = new Date();
    let messageId: number;
    let outboxId: number;
    try {
      ({ messageId, outboxId } = await inTransaction(this.dataSource, async (m) => {
        const id = await this.messages.insertReply(m, {
          ticketId: ticket.id,
          authorName: customer.name,
          authorEmail: customer.email,
          text: dto.body,
          requestKey: `tpr-${randomUUID()}`,
          customerId: customer.id,
          now,
        });
        await this.attachments.attach(
          m,
          customerId,
          attachmentIds,
          { ticketId: ticket.id, messageId: id },
          now,
        );
        await this.tickets.touchActivity(m, ticket.id, now);
        const box = await this.outboxRows.add(m, 'reply', ticket.id, id, null, now);
        if (idempotencyKey) {
          await this.outboxRows.rememberKey(m, customerId, idempotencyKey, hash, ticket.id, id, now);
        }
        return { messageId: id, outboxId: box };
      }));
    } catch (error) {
      if (idempotencyKey && isDuplicateKey(error)) {
        const replay = await this.replayMessage(customerId, idempotencyKey, hash);
        if (replay) return replay;
      }
      throw error;
    }
    await this.afterCommit([outboxId], scopesOfRow(ticket), [
      ...ticketNotices([changeOf(ticket)]),
      { k: 'm', t: changeOf(ticket), a: [messageId], r: 0 },
    ]);
    return {
      created: true,
      body: toMessage(await this.message(messageId), await this.attachments.forMessage(ticket.id, messageId)),
    };
  }

  /** Close or reopen: the row moves at once; HubSpot follows through the outbox. Idempotent. */
  async setState(customerId: string, localId: string, action: 'close' | 'reopen'): Promise<TicketDetailDto> {
    const visible = await this.access.visibleTicket(customerId, localId);
    if ((Number(visible.is_closed) === 1) === (action === 'close')) return this.view.detail(visible);
    const portal = await this.stages.portalStages();
    const target = targetStage(visible.pipeline_id, action, portal, await this.stages.pipelines());
    if (!target) {
      throw new AppError(
        ErrorCode.DEPENDENCY_UNAVAILABLE,
        `This ticket cannot be ${action === 'close' ? 'closed' : 'reopened'} from the portal right now: support's pipeline has no ${action === 'close' ? 'closed' : 'open'} stage the portal knows. Try again later or contact support.`,
        { retryAfterSeconds: 60 },
      );
    }
    const stage = await this.stages.stage(target.pipelineId, target.stageId);
    const now = new Date();
    const outboxId = await inTransaction(this.dataSource, async (m) => {
      const current = await this.tickets.find(visible.id, m, true);
      if (!current || (Number(current.is_closed) === 1) === (action === 'close')) return null;
      // Ahead of HubSpot, guarded against older snapshots (TicketsRepository.moveStage).
      await this.tickets.moveStage(m, visible.id, {
        pipelineId: target.pipelineId,
        stageId: target.stageId,
        stageLabel: stage?.label ?? (action === 'close' ? 'Closed' : 'Open'),
        stageOrder: stage?.displayOrder ?? null,
        statusKind: stage?.kind ?? (action === 'close' ? 'closed' : 'in_progress'),
        closed: action === 'close',
        now,
      });
      return this.outboxRows.add(m, 'stage', visible.id, null, target.stageId, now);
    });
    if (outboxId !== null) {
      await this.afterCommit([outboxId], scopesOfRow(visible), ticketNotices([changeOf(visible)]));
    }
    return this.view.detail(await this.row(visible.id));
  }

  /** Puts a refused creation, refused replies and a refused stage change back in the outbox. */
  async retry(customerId: string, localId: string): Promise<TicketDetailDto> {
    const visible = await this.access.visibleTicket(customerId, localId);
    const now = new Date();
    const retried = await inTransaction(this.dataSource, async (m) => {
      const ids = await this.outboxRows.retryFailed(m, visible.id, now);
      if (ids.length === 0) return { ids: [], messages: [] };
      await this.tickets.clearFailure(m, visible.id, now);
      return { ids, messages: await this.messages.retryFailed(m, visible.id, now) };
    });
    const { ids, messages } = retried;
    if (ids.length > 0) {
      const notices: ChangeNotice[] = ticketNotices([changeOf(visible)]);
      if (messages.length > 0) notices.push({ k: 'm', t: changeOf(visible), a: messages, r: 0 });
      await this.afterCommit(ids, scopesOfRow(visible), notices);
    }
    return this.view.detail(await this.row(visible.id));
  }

  /** `scopes`: every scope the ticket is in (scopesOfRow: its company and every contact on it). */
  async afterCommit(
    outboxIds: number[],
    scopes: readonly TicketScope[],
    notices: ChangeNotice[],
  ): Promise<void> {
    await this.outbox.enqueueQuietly(outboxIds);
    // Moves the list's scope versions and tells open portals (the customer's other tabs too).
    await this.versions.bump(scopes, notices).catch((error: unknown) => {
      this.logger.warn(
        `Could not bump the ticket scope version (${error instanceof Error ? error.message : String(error)})`,
      );
    });
  }

  private async replayTicket(
    customerId: string,
    key: string,
    hash: string,
  ): Promise<Answer<TicketDetailDto> | null> {
    const found = await this.outboxRows.findKey(customerId, key);
    if (!found) return null;
    if (found.body_hash !== hash || found.message_id !== null) throw keyReused();
    const row = await this.tickets.find(found.ticket_id);
    // The ticket went away since (deleted in HubSpot): nothing to replay, the key is spent.
    if (!row) throw keyReused();
    return { created: false, body: await this.view.detail(row) };
  }

  private async replayMessage(
    customerId: string,
    key: string,
    hash: string,
  ): Promise<Answer<TicketMessageDto> | null> {
    const found = await this.outboxRows.findKey(customerId, key);
    if (!found) return null;
    if (found.body_hash !== hash || found.message_id === null) throw keyReused();
    const row = await this.messages.find(found.message_id);
    if (!row) throw keyReused();
    return {
      created: false,
      body: toMessage(row, await this.attachments.forMessage(Number(row.ticket_id), Number(row.id))),
    };
  }

  private async customer(customerId: string): Promise<Customer> {
    const customer = await this.customers.findOneBy({ id: customerId });
    if (!customer) throw new AppError(ErrorCode.UNAUTHENTICATED, 'Your session has ended. Sign in again.');
    return customer;
  }

  private async row(id: number): Promise<TicketRow> {
    const row = await this.tickets.find(id);
    if (!row) throw new AppError(ErrorCode.TICKET_NOT_FOUND, 'This ticket no longer exists.');
    return row;
  }

  private async message(id: number): Promise<MessageRow> {
    return (await this.messages.find(id))!;
  }
}

/** A ticket row as a change notice names it. */
export function changeOf(row: TicketRow): ReturnType<typeof noticeTicket> {
  return noticeTicket(row.id, scopesOfRow(row), row.created_by_customer_id);
}
