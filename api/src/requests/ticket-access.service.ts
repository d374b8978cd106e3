import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { type CustomerScope, CustomerScopeService } from '../customers/customer-scope.service';
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

  async maySee(customerId: string, row: VisibilityRow): Promise<boolean> {
    if (row.created_by_customer_id === customerId) return true;
    return visibleTo(customerId, await this.scopes.scopeFor(customerId), this.config.portalTicketScope, row);
  }
}

export type VisibilityRow = Pick<TicketRow, 'created_by_customer_id' | 'company_id' | 'contact_id'>;

/**
 * The visibility rule itself, for a customer whose scope is already known (the live event streams
 * hold it for as long as they are open): what they submitted, plus their company's tickets
 * (PORTAL_TICKET_SCOPE=company and a company known) or their contact's.
 */
export function visibleTo(
  customerId: string,
  scope: CustomerScope | null,
  mode: 'contact' | 'company',
  row: VisibilityRow,
): boolean {
  if (row.created_by_customer_id === customerId) return true;
  if (!scope) return false;
  if (mode === 'company' && scope.companyId !== null) return row.company_id === scope.companyId;
  return row.contact_id === scope.contactId;
}

/**
 * The one scope key (`company:<id>` or `contact:<id>`, as in change notices) whose tickets the
 * customer sees under `visibleTo`, besides their own submissions; null when not linked yet.
 */
export function visibleScopeKey(scope: CustomerScope | null, mode: 'contact' | 'company'): string | null {
  if (!scope) return null;
  if (mode === 'company' && scope.companyId !== null) return `company:${scope.companyId}`;
  return `contact:${scope.contactId}`;
}

export function notFound(): AppError {
  return new AppError(
    ErrorCode.TICKET_NOT_FOUND,
    'There is no such ticket in your account. Go back to your tickets and open it from the list.',
  );
}
