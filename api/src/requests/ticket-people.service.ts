import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { Customer } from '../customers/customer.entity';
import { ticketNotices } from '../events/change-notice';
import { RequestOutboxRepository } from '../repositories/request-outbox.repository';
import { inTransaction } from '../repositories/sql.util';
import {
  type PeopleAction,
  TicketPeopleRequestsRepository,
} from '../repositories/ticket-people-requests.repository';
import { scopesOfRow, TicketsRepository } from '../repositories/tickets.repository';
import { TicketVisibility } from '../tickets/ticket-visibility.service';
import { CC_MAX } from './dto/create-ticket.dto';
import type { TicketDetailDto } from './dto/ticket-detail.dto';
import { changeOf, RequestsService } from './requests.service';
import { TicketViewService } from './ticket-view.service';

/**
 * Colleagues in copy on a ticket, added or removed by a customer who may see it (POST/DELETE
 * tickets/:id/people). Like every customer change: one transaction writes the request (shown on the
 * ticket page at once as pending) and an outbox row; the worker finds or creates the contact in
 * HubSpot and associates it with the ticket (or takes it off), and the mirror follows.
 */
@Injectable()
export class TicketPeopleService {
  constructor(
    private readonly dataSource: DataSource,
    @InjectRepository(Customer) private readonly customers: Repository<Customer>,
    private readonly tickets: TicketsRepository,
    private readonly peopleRequests: TicketPeopleRequestsRepository,
    private readonly outboxRows: RequestOutboxRepository,
    private readonly access: TicketVisibility,
    private readonly view: TicketViewService,
    private readonly requests: RequestsService,
  ) {}

  async add(customerId: string, localId: string, email: string): Promise<TicketDetailDto> {
    const visible = await this.access.visibleTicket(customerId, localId);
    const customer = await this.customers.findOneBy({ id: customerId });
    if (customer && customer.email.toLowerCase() === email) {
      throw new AppError(
        ErrorCode.VALIDATION_FAILED,
        'email: That is your own email — you can see this ticket already. Enter a colleague’s email.',
        { fields: { email: 'must not be your own email' } },
      );
    }
    const people = await this.view.people(visible.id);
    if (people.some((p) => p.email === email)) return this.view.detail(visible);
    if (people.filter((p) => p.role === 'cc').length >= CC_MAX) {
      throw new AppError(
        ErrorCode.VALIDATION_FAILED,
        `email: This ticket has ${CC_MAX} colleagues in copy already, the most the portal adds. Remove one first.`,
        { fields: { email: `at most ${CC_MAX} colleagues in copy` } },
      );
    }
    return this.request(customerId, visible.id, email, 'add');
  }

  async remove(customerId: string, localId: string, email: string): Promise<TicketDetailDto> {
    const visible = await this.access.visibleTicket(customerId, localId);
    const target = (await this.view.people(visible.id)).find((p) => p.email === email);
    // Nobody by that email on the ticket: nothing to do (DELETE is idempotent).
    if (!target) return this.view.detail(visible);
    if (target.role === 'requester') {
      throw new AppError(
        ErrorCode.VALIDATION_FAILED,
        'email: The requester stays on their ticket. Only colleagues in copy can be removed.',
        { fields: { email: 'is the ticket’s requester' } },
      );
    }
    return this.request(customerId, visible.id, email, 'remove');
  }

  private async request(
    customerId: string,
    ticketId: number,
    email: string,
    action: PeopleAction,
  ): Promise<TicketDetailDto> {
    const now = new Date();
    const outboxId = await inTransaction(this.dataSource, async (m) => {
      await this.peopleRequests.add(m, ticketId, [email], action, customerId, now);
      return this.outboxRows.add(m, 'people', ticketId, null, null, now);
    });
    const row = (await this.tickets.find(ticketId))!;
    await this.requests.afterCommit([outboxId], scopesOfRow(row), ticketNotices([changeOf(row)]));
    return this.view.detail(row);
  }
}

export function emailParam(value: string): string {
  const email = decodeURIComponent(value).trim().toLowerCase();
  if (email.length === 0 || email.length > 254 || !/^[^\s@]+@[^\s@]+$/.test(email)) {
    throw new AppError(
      ErrorCode.VALIDATION_FAILED,
      'email: Put the colleague’s email address in the path, such as /tickets/123/people/sam%40example.com.',
      { fields: { email: 'must be an email address' } },
    );
  }
  return email;
}
