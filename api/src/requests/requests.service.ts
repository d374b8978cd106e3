import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, type EntityManager, Repository } from 'typeorm';
import { AttachmentsService } from '../attachments/attachments.service';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { Customer } from '../customers/customer.entity';
import { type ChangeNotice, noticeTicket, ticketNotices } from '../events/change-notice';
import { inTransaction } from '../sync/db.util';
import { TicketScopeVersionService } from '../tickets/ticket-scope-version.service';
import type { CreateReplyDto, CreateTicketDto } from './dto/create-ticket.dto';
import type { TicketDetailDto, TicketMessageDto } from './dto/ticket-detail.dto';
import { isDuplicateKey, keyReused, requestHash } from './idempotency';
import { MirrorStagesService } from './portal-stages.service';
import { targetStage } from './portal-stages';
import { RequestFieldsService } from './request-fields.service';
import { RequestOutboxQueue } from './request-outbox.queue';
import { TicketAccessService } from './ticket-access.service';
import { MESSAGE_COLUMNS, type MessageRow, TICKET_COLUMNS, type TicketRow } from './ticket-row';
import { TicketViewService, toMessage } from './ticket-view.service';

export interface Answer<T> {
  /** 201 for a new record, 200 when an Idempotency-Key replayed an earlier one. */
  created: boolean;
  body: T;
}

interface KeyRow {
  body_hash: string;
  ticket_id: number;
  message_id: number | null;
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
    private readonly access: TicketAccessService,
    private readonly view: TicketViewService,
    private readonly fields: RequestFieldsService,
    private readonly stages: MirrorStagesService,
    private readonly outbox: RequestOutboxQueue,
    private readonly versions: TicketScopeVersionService,
    private readonly attachments: AttachmentsService,
  ) {}

  async detail(customerId: string, localId: string): Promise<TicketDetailDto> {
    return this.view.detail(await this.access.visibleTicket(customerId, localId));
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
    // Files are part of what the key stands for; a request without any hashes as it always did.
    const hash = requestHash('POST tickets', attachmentIds.length > 0 ? { ...input, attachmentIds } : input);
    if (idempotencyKey) {
      const replay = await this.replayTicket(customerId, idempotencyKey, hash);
      if (replay) return replay;
    }
    await this.fields.validate(input);
    const customer = await this.customer(customerId);
    const portal = await this.stages.portalStages();
    const stage = portal ? await this.stages.stage(portal.pipelineId, portal.newStageId) : null;
    const now = new Date();
    const requestKey = `tp-${randomUUID()}`;

    let ticketId: number;
    let outboxId: number;
    try {
      ({ ticketId, outboxId } = await inTransaction(this.dataSource, async (m) => {
        const inserted = await m.query<{ insertId: number }>(
          `INSERT INTO tickets (subject, content, pipeline_id, stage_id, stage_label, stage_order, is_closed,
             contact_id, requester_name, requester_email, company_id, priority, category, created_at,
             last_activity_at, sync_state, request_key, created_by_customer_id, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
          [
            input.subject,
            input.description,
            portal?.pipelineId ?? null,
            portal?.newStageId ?? null,
            stage?.label ?? null,
            stage?.displayOrder ?? null,
            customer.hubspotContactId,
            customer.name,
            customer.email,
            customer.hubspotContactId ? customer.hubspotCompanyId : null,
            input.priority,
            input.category,
            now,
            now,
            requestKey,
            customer.id,
            now,
          ],
        );
        const id = inserted.insertId;
        await this.attachments.attach(m, customerId, attachmentIds, { ticketId: id, messageId: null }, now);
        const box = await this.addOutbox(m, 'create', id, null, null, now);
        if (idempotencyKey) await this.rememberKey(m, customerId, idempotencyKey, hash, id, null, now);
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
    await this.afterCommit([outboxId], scope, ticketNotices([noticeTicket(ticketId, [scope], customer.id)]));
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
        const inserted = await m.query<{ insertId: number }>(
          `INSERT INTO ticket_messages (ticket_id, direction, author_name, author_email, text, html_raw, created_at,
             request_key, sync_state, created_by_customer_id, updated_at)
           VALUES (?, 'customer', ?, ?, ?, NULL, ?, ?, 'pending', ?, ?)`,
          [ticket.id, customer.name, customer.email, dto.body, now, `tpr-${randomUUID()}`, customer.id, now],
        );
        await this.attachments.attach(
          m,
          customerId,
          attachmentIds,
          { ticketId: ticket.id, messageId: inserted.insertId },
          now,
        );
        await m.query(
          'UPDATE tickets SET last_activity_at = GREATEST(last_activity_at, ?), updated_at = ? WHERE id = ?',
          [now, now, ticket.id],
        );
        const box = await this.addOutbox(m, 'reply', ticket.id, inserted.insertId, null, now);
        if (idempotencyKey) {
          await this.rememberKey(m, customerId, idempotencyKey, hash, ticket.id, inserted.insertId, now);
        }
        return { messageId: inserted.insertId, outboxId: box };
      }));
    } catch (error) {
      if (idempotencyKey && isDuplicateKey(error)) {
        const replay = await this.replayMessage(customerId, idempotencyKey, hash);
        if (replay) return replay;
      }
      throw error;
    }
    await this.afterCommit([outboxId], ticket, [
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
      const [current] = await m.query<TicketRow[]>(
        `SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = ? FOR UPDATE`,
        [visible.id],
      );
      if (!current || (Number(current.is_closed) === 1) === (action === 'close')) return null;
      // hs_lastmodified_at = now: HubSpot snapshots read before HubSpot has the change are older than
      // this and are skipped by the mirror's guard, so the ticket does not flip back meanwhile.
      await m.query(
        `UPDATE tickets SET pipeline_id = ?, stage_id = ?, stage_label = COALESCE(?, stage_label), stage_order = ?,
           is_closed = ?, closed_at = ?, hs_lastmodified_at = ?, last_activity_at = GREATEST(last_activity_at, ?), updated_at = ?
         WHERE id = ?`,
        [
          target.pipelineId,
          target.stageId,
          stage?.label ?? (action === 'close' ? 'Closed' : 'Open'),
          stage?.displayOrder ?? null,
          action === 'close' ? 1 : 0,
          action === 'close' ? now : null,
          now,
          now,
          now,
          visible.id,
        ],
      );
      return this.addOutbox(m, 'stage', visible.id, null, target.stageId, now);
    });
    if (outboxId !== null) await this.afterCommit([outboxId], visible, ticketNotices([changeOf(visible)]));
    return this.view.detail(await this.row(visible.id));
  }

  /** Puts a refused creation, refused replies and a refused stage change back in the outbox. */
  async retry(customerId: string, localId: string): Promise<TicketDetailDto> {
    const visible = await this.access.visibleTicket(customerId, localId);
    const now = new Date();
    const retried = await inTransaction(this.dataSource, async (m) => {
      const failed = await m.query<Array<{ id: number }>>(
        "SELECT id FROM request_outbox WHERE ticket_id = ? AND state = 'failed' FOR UPDATE",
        [visible.id],
      );
      if (failed.length === 0) return { ids: [], messages: [] };
      await m.query(
        `UPDATE request_outbox SET state = 'pending', last_error = NULL, updated_at = ? WHERE id IN (${failed.map(() => '?').join(', ')})`,
        [now, ...failed.map((f) => f.id)],
      );
      await m.query(
        "UPDATE tickets SET sync_state = IF(hubspot_id IS NULL, 'pending', 'synced'), sync_error = NULL, updated_at = ? WHERE id = ? AND sync_state = 'failed'",
        [now, visible.id],
      );
      const messages = await m.query<Array<{ id: number }>>(
        "SELECT id FROM ticket_messages WHERE ticket_id = ? AND sync_state = 'failed' AND hubspot_id IS NULL FOR UPDATE",
        [visible.id],
      );
      await m.query(
        "UPDATE ticket_messages SET sync_state = 'pending', sync_error = NULL, updated_at = ? WHERE ticket_id = ? AND sync_state = 'failed' AND hubspot_id IS NULL",
        [now, visible.id],
      );
      return { ids: failed.map((f) => f.id), messages: messages.map((r) => Number(r.id)) };
    });
    const { ids, messages } = retried;
    if (ids.length > 0) {
      const notices: ChangeNotice[] = ticketNotices([changeOf(visible)]);
      if (messages.length > 0) notices.push({ k: 'm', t: changeOf(visible), a: messages, r: 0 });
      await this.afterCommit(ids, visible, notices);
    }
    return this.view.detail(await this.row(visible.id));
  }

  private async afterCommit(
    outboxIds: number[],
    scope: {
      contactId?: string | null;
      companyId?: string | null;
      contact_id?: string | null;
      company_id?: string | null;
    },
    notices: ChangeNotice[],
  ): Promise<void> {
    await this.outbox.enqueueQuietly(outboxIds);
    const contactId = scope.contactId ?? scope.contact_id ?? null;
    const companyId = scope.companyId ?? scope.company_id ?? null;
    // Moves the list's scope versions and tells open portals (the customer's other tabs too).
    await this.versions.bump([{ contactId, companyId }], notices).catch((error: unknown) => {
      this.logger.warn(
        `Could not bump the ticket scope version (${error instanceof Error ? error.message : String(error)})`,
      );
    });
  }

  private async addOutbox(
    m: EntityManager,
    kind: 'create' | 'reply' | 'stage',
    ticketId: number,
    messageId: number | null,
    stageId: string | null,
    now: Date,
  ): Promise<number> {
    const res = await m.query<{ insertId: number }>(
      `INSERT INTO request_outbox (kind, ticket_id, message_id, target_stage_id, state, created_at, updated_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?)`,
      [kind, ticketId, messageId, stageId, now, now],
    );
    return res.insertId;
  }

  private async rememberKey(
    m: EntityManager,
    customerId: string,
    key: string,
    hash: string,
    ticketId: number,
    messageId: number | null,
    now: Date,
  ): Promise<void> {
    await m.query(
      'INSERT INTO idempotency_keys (customer_id, idem_key, body_hash, ticket_id, message_id, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      [customerId, key, hash, ticketId, messageId, now],
    );
  }

  private async findKey(customerId: string, key: string): Promise<KeyRow | undefined> {
    const [row] = await this.dataSource.query<KeyRow[]>(
      'SELECT body_hash, ticket_id, message_id FROM idempotency_keys WHERE customer_id = ? AND idem_key = ?',
      [customerId, key],
    );
    return row;
  }

  private async replayTicket(
    customerId: string,
    key: string,
    hash: string,
  ): Promise<Answer<TicketDetailDto> | null> {
    const found = await this.findKey(customerId, key);
    if (!found) return null;
    if (found.body_hash !== hash || found.message_id !== null) throw keyReused();
    const [row] = await this.dataSource.query<TicketRow[]>(
      `SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = ?`,
      [found.ticket_id],
    );
    // The ticket went away since (deleted in HubSpot): nothing to replay, the key is spent.
    if (!row) throw keyReused();
    return { created: false, body: await this.view.detail(row) };
  }

  private async replayMessage(
    customerId: string,
    key: string,
    hash: string,
  ): Promise<Answer<TicketMessageDto> | null> {
    const found = await this.findKey(customerId, key);
    if (!found) return null;
    if (found.body_hash !== hash || found.message_id === null) throw keyReused();
    const [row] = await this.dataSource.query<MessageRow[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE id = ?`,
      [found.message_id],
    );
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
    const [row] = await this.dataSource.query<TicketRow[]>(
      `SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = ?`,
      [id],
    );
    if (!row) throw new AppError(ErrorCode.TICKET_NOT_FOUND, 'This ticket no longer exists.');
    return row;
  }

  private async message(id: number): Promise<MessageRow> {
    const [row] = await this.dataSource.query<MessageRow[]>(
      `SELECT ${MESSAGE_COLUMNS} FROM ticket_messages WHERE id = ?`,
      [id],
    );
    return row!;
  }
}

/** A ticket row as a change notice names it. */
function changeOf(row: TicketRow): ReturnType<typeof noticeTicket> {
  return noticeTicket(
    row.id,
    [{ contactId: row.contact_id, companyId: row.company_id }],
    row.created_by_customer_id,
  );
}
