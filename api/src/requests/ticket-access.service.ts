import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { CustomerScopeService } from '../customers/customer-scope.service';
import { TICKET_COLUMNS, type TicketRow } from './ticket-row';

/**
 * Whether a ticket is the customer's, with the list's rule: their company's (PORTAL_TICKET_SCOPE=company
 * and a company known) or their contact's, plus whatever they submitted themselves. Anything else —
 * another customer's ticket, an unknown or malformed id — is the same 404.
 */
@Injectable()
export class TicketAccessService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly scopes: CustomerScopeService,
    private readonly config: AppConfig,
  ) {}

  async visibleTicket(
    customerId: string,
    localId: string,
    manager?: EntityManager,
    lock = false,
  ): Promise<TicketRow> {
    if (!/^\d{1,10}$/.test(localId) || Number(localId) > 4294967295) throw notFound();
    const [row] = await (manager ?? this.dataSource).query<TicketRow[]>(
      `SELECT ${TICKET_COLUMNS} FROM tickets WHERE id = ?${lock ? ' FOR UPDATE' : ''}`,
      [Number(localId)],
    );
    if (!row || !(await this.maySee(customerId, row))) throw notFound();
    return row;
  }

  async maySee(
    customerId: string,
    row: Pick<TicketRow, 'created_by_customer_id' | 'company_id' | 'contact_id'>,
  ): Promise<boolean> {
    if (row.created_by_customer_id === customerId) return true;
    const scope = await this.scopes.scopeFor(customerId);
    if (!scope) return false;
    if (this.config.portalTicketScope === 'company' && scope.companyId !== null) {
      return row.company_id === scope.companyId;
    }
    return row.contact_id === scope.contactId;
  }
}

export function notFound(): AppError {
  return new AppError(
    ErrorCode.TICKET_NOT_FOUND,
    'There is no such ticket in your account. Go back to your tickets and open it from the list.',
  );
}
