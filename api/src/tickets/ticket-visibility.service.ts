import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { type CustomerScope, CustomerScopeService } from '../customers/customer-scope.service';
import { type Sql } from '../repositories/sql.util';
import { type TicketPlacement, type TicketRow, TicketsRepository } from '../repositories/tickets.repository';
import { type Involvement } from './dto/list-tickets.query.dto';

/**
 * The kind of a scope: `company_id` is an equality on the leading column of the list's composite
 * indexes; `contact_id` is every ticket the contact is on (ticket_contacts), see `scopeWhere`.
 */
export type ScopeColumn = 'company_id' | 'contact_id';

/**
 * The scope's tickets as a WHERE fragment over `tickets`. A company's tickets are an equality on
 * tickets.company_id (an index walk per sort, ADR 0007); a contact's are the tickets it is on as
 * requester or in copy: a walk of ticket_contacts(contact_id, …) joined to tickets by primary key
 * (MariaDB turns the IN into that semi-join), then a sort of those few rows (ADR 0007, amended).
 */
export function scopeWhere(column: ScopeColumn, value: string): Sql {
  return column === 'company_id'
    ? { text: 'company_id = ?', params: [value] }
    : { text: 'id IN (SELECT ticket_id FROM ticket_contacts WHERE contact_id = ?)', params: [value] };
}

/** The one set of tickets a linked customer sees besides their own submissions. */
export interface VisibleScope {
  column: ScopeColumn;
  value: string;
  /** `company:<id>` or `contact:<id>`: the key of change notices and scope versions. */
  key: string;
}

/** What the rule reads of a ticket row (`contact_ids`: every contact on it, ticket_contacts). */
export type VisibilityRow = Pick<TicketPlacement, 'created_by_customer_id' | 'company_id' | 'contact_ids'>;

/** Which of the customer's own submissions lie outside each scope the rule may choose (one probe each). */
export interface Strays {
  company: boolean;
  contact: boolean;
}

/**
 * Who may see a ticket: the one rule, in the two forms the endpoints need.
 *
 * The rule. A customer sees
 * 1. every ticket they submitted through the portal (`tickets.created_by_customer_id`), wherever it
 *    sits; and, once their account is linked to a HubSpot contact (customers.hubspot_contact_id),
 * 2. with PORTAL_TICKET_SCOPE=company and a primary company known — and, when the operator named a
 *    contact property (PORTAL_COMPANY_SCOPE_PROPERTY), only if that property is true on their contact
 *    (`customers.company_scope`, kept in step by sync) — every ticket of that company
 *    (`tickets.company_id`); otherwise every ticket their contact is on, as its requester or in copy
 *    (any row of `ticket_contacts`: HubSpot's ticket→contact associations).
 * Anything else — another customer's ticket, an unknown or malformed id — is the same 404.
 *
 * The list's involvement filter (`mine`, `cc`, `company`; ADR 0014) narrows that set, never widens
 * it: `listScope` ANDs its condition onto the rule's fragment, so the list, search and counts of a
 * filtered list are always a part of what the customer may see. `involvements` says which of them
 * the customer's rule offers.
 *
 * The forms. `listScope` is the SQL WHERE fragment GET /tickets pages, counts and searches with
 * (tickets-list.service); `visibleTo` is the per-row predicate for the ticket page, replies,
 * close/reopen/retry (`visibleTicket`) and the live events hub, which keeps each stream's link and
 * asks `visibleTo` per row. Both read `scopeOf`, so they cannot disagree.
 *
 * Performance (ADR 0007): the scope part is one indexed range (`scopeWhere`: the company's composite
 * indexes, or the contact's ticket_contacts rows); the customer's own submissions are OR-ed in only when some lie
 * outside that scope (`Strays`, probed in the list's one scope round trip), and such a scope is never
 * cached. A rule that adds tickets by other columns (every contact on a ticket, colleagues in copy,
 * operator-chosen rules) changes `scopeOf`, `listScope` and `visibleTo` here together, and must
 * keep that shape or say in ADR 0007 what replaces it.
 */
@Injectable()
export class TicketVisibility {
  constructor(
    private readonly config: AppConfig,
    private readonly links: CustomerScopeService,
    private readonly tickets: TicketsRepository,
  ) {}

  /** The scope whose tickets a customer with this link sees, besides their own; null when not linked. */
  scopeOf(link: CustomerScope | null): VisibleScope | null {
    if (!link) return null;
    const companyScope =
      this.config.portalTicketScope === 'company' &&
      link.companyId !== null &&
      (this.config.portalCompanyScopeProperty === undefined || link.companyScope);
    if (companyScope && link.companyId !== null) {
      return { column: 'company_id', value: link.companyId, key: `company:${link.companyId}` };
    }
    return { column: 'contact_id', value: link.contactId, key: `contact:${link.contactId}` };
  }

  /** `scopeOf(link).key`, or null when not linked. */
  scopeKey(link: CustomerScope | null): string | null {
    return this.scopeOf(link)?.key ?? null;
  }

  /**
   * The involvement filters the customer's rule offers: their own requests always; tickets they are
   * in copy on once linked; their company's with company scope. The widget shows the filter only
   * when there is more than one.
   */
  involvements(link: CustomerScope | null): Involvement[] {
    const scope = this.scopeOf(link);
    if (!scope) return ['mine'];
    return scope.column === 'company_id' ? ['mine', 'cc', 'company'] : ['mine', 'cc'];
  }

  /**
   * The SQL form: the WHERE fragment over `tickets` of what the customer sees, and the scope when
   * it is that single equality (`cached`: only such scopes get cached counts and the search index).
   * With `involvement`, the fragment is that part of it (never cached); an involvement the rule does
   * not offer is an empty part.
   */
  listScope(
    customerId: string,
    link: CustomerScope | null,
    strays: Strays,
    involvement?: Involvement,
  ): { where: Sql; cached: VisibleScope | null } {
    const visible = this.visibleWhere(customerId, link, strays);
    if (!involvement) return visible;
    const part = this.involvementWhere(customerId, link, involvement);
    return {
      where: {
        text: `(${visible.where.text}) AND ${part.text}`,
        params: [...visible.where.params, ...part.params],
      },
      cached: null,
    };
  }

  private visibleWhere(
    customerId: string,
    link: CustomerScope | null,
    strays: Strays,
  ): { where: Sql; cached: VisibleScope | null } {
    const scope = this.scopeOf(link);
    if (!scope) return { where: { text: 'created_by_customer_id = ?', params: [customerId] }, cached: null };
    const outside = scope.column === 'company_id' ? strays.company : strays.contact;
    const where = scopeWhere(scope.column, scope.value);
    if (!outside) return { where, cached: scope };
    return {
      where: { text: `(${where.text} OR created_by_customer_id = ?)`, params: [...where.params, customerId] },
      cached: null,
    };
  }

  /**
   * `mine`: tickets the customer requested (submitted here, or their contact is HubSpot's primary
   * contact); `cc`: tickets their contact is on but not as requester; `company`: their company's.
   */
  private involvementWhere(customerId: string, link: CustomerScope | null, involvement: Involvement): Sql {
    if (!this.involvements(link).includes(involvement)) return { text: '1 = 0', params: [] };
    const onTicket = (primary: 0 | 1): string =>
      `id IN (SELECT ticket_id FROM ticket_contacts WHERE contact_id = ? AND is_primary = ${primary})`;
    switch (involvement) {
      case 'mine':
        // Both sides as id sets: `created_by_customer_id = ? OR id IN (…)` made MariaDB read every
        // row of the company's range for the counts (≈ 65 ms at 10,000 tickets); two materialized
        // id sets keep it on the index (≈ 17 ms; docs/benchmarks.md, list).
        return link
          ? {
              text: `(id IN (SELECT own.id FROM tickets own WHERE own.created_by_customer_id = ?) OR ${onTicket(1)})`,
              params: [customerId, link.contactId],
            }
          : { text: 'created_by_customer_id = ?', params: [customerId] };
      case 'cc':
        return { text: onTicket(0), params: [link!.contactId] };
      case 'company':
        return { text: 'company_id = ?', params: [link!.companyId] };
    }
  }

  /** The row form, for a customer whose link is already known (the live streams hold it). */
  visibleTo(customerId: string, link: CustomerScope | null, row: VisibilityRow): boolean {
    if (row.created_by_customer_id === customerId) return true;
    const scope = this.scopeOf(link);
    if (!scope) return false;
    return scope.column === 'company_id'
      ? row.company_id === scope.value
      : row.contact_ids.includes(scope.value);
  }

  /** The row form, reading the customer's link (which queues linking for a confirmed account). */
  async maySee(customerId: string, row: VisibilityRow): Promise<boolean> {
    if (row.created_by_customer_id === customerId) return true;
    return this.visibleTo(customerId, await this.links.scopeFor(customerId), row);
  }

  /** The ticket `localId` (our id, as the URL has it) if the customer may see it, else 404. */
  async visibleTicket(customerId: string, localId: string): Promise<TicketRow> {
    if (!/^\d{1,10}$/.test(localId) || Number(localId) > 4294967295) throw ticketNotFound();
    const row = await this.tickets.find(Number(localId));
    if (!row || !(await this.maySee(customerId, row))) throw ticketNotFound();
    return row;
  }
}

export function ticketNotFound(): AppError {
  return new AppError(
    ErrorCode.TICKET_NOT_FOUND,
    'There is no such ticket in your account. Go back to your tickets and open it from the list.',
  );
}
