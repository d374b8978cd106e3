import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { inTransaction, placeholders, type Queryable } from './sql.util';

/**
 * The HubSpot link of a portal account: the `customers` columns sync and the outbox write
 * (`hubspot_contact_id`, `hubspot_company_id`, `contact_linked_at`). The account's own columns
 * (email, password, confirmation) belong to the Customer entity (customers/customer.entity.ts), which
 * auth and customers read and write through TypeORM.
 */
export interface CustomerLinkRow {
  id: string;
  email: string;
  name: string | null;
  /** The HubSpot contact with the account's email; null until linked. */
  hubspot_contact_id: string | null;
  /** That contact's primary company (mirror `contacts.primary_company_id`), followed by sync. */
  hubspot_company_id: string | null;
  /** That contact's PORTAL_COMPANY_SCOPE_PROPERTY (mirror `contacts.company_scope`), followed by sync. */
  company_scope: number;
}

/** A linked account with its contact as the mirror has it (null columns: not mirrored). */
export interface LinkedAccount {
  id: string;
  contact_id: string;
  company_id: string | null;
  company_scope: number;
  mirrored: string | null;
  mirrored_company_id: string | null;
  mirrored_company_scope: number | null;
}

/** The one owner of the link columns of `customers`. */
@Injectable()
export class CustomerLinksRepository {
  constructor(private readonly dataSource: DataSource) {}

  async find(customerId: string, db: Queryable = this.dataSource): Promise<CustomerLinkRow | undefined> {
    const [row] = await db.query<CustomerLinkRow[]>(
      'SELECT id, email, name, hubspot_contact_id, hubspot_company_id, company_scope FROM customers WHERE id = ?',
      [customerId],
    );
    return row;
  }

  /**
   * Stores the link on an account that has none yet; false when it already had one. The company is
   * the mirrored contact's at the moment of the write when the mirror has the contact, else `companyId`.
   */
  async link(customerId: string, contactId: string, companyId: string | null, now: Date): Promise<boolean> {
    // It meets the mirror's contact writes (a burst's first batch links many accounts): a deadlock is run again.
    const result = await inTransaction(this.dataSource, (m) =>
      m.query<{ affectedRows: number }>(
        `UPDATE customers c LEFT JOIN contacts k ON k.id = ?
         SET c.hubspot_contact_id = ?, c.hubspot_company_id = IF(k.id IS NULL, ?, k.primary_company_id),
           c.company_scope = COALESCE(k.company_scope, 0), c.contact_linked_at = ?, c.updated_at = ?
         WHERE c.id = ? AND c.hubspot_contact_id IS NULL`,
        [contactId, contactId, companyId, now, now, customerId],
      ),
    );
    return Number(result.affectedRows ?? 0) > 0;
  }

  /** Accounts linked to these contacts, with the mirrored contact's company, FOR UPDATE. */
  async lockLinkedTo(m: EntityManager, contactIds: readonly string[]): Promise<LinkedAccount[]> {
    if (contactIds.length === 0) return [];
    return m.query<LinkedAccount[]>(
      `SELECT c.id, c.hubspot_contact_id AS contact_id, c.hubspot_company_id AS company_id,
         c.company_scope, k.id AS mirrored, k.primary_company_id AS mirrored_company_id,
         k.company_scope AS mirrored_company_scope
       FROM customers c LEFT JOIN contacts k ON k.id = c.hubspot_contact_id
       WHERE c.hubspot_contact_id IN (${placeholders(contactIds.length)}) FOR UPDATE`,
      [...contactIds],
    );
  }

  /** Ids of the accounts linked to these contacts, FOR UPDATE. */
  async lockIdsLinkedTo(m: EntityManager, contactIds: readonly string[]): Promise<string[]> {
    if (contactIds.length === 0) return [];
    const rows = await m.query<Array<{ id: string }>>(
      `SELECT id FROM customers WHERE hubspot_contact_id IN (${placeholders(contactIds.length)}) FOR UPDATE`,
      [...contactIds],
    );
    return rows.map((r) => r.id);
  }

  /** The company (and the company-scope flag) these accounts' contact has now. */
  async setCompany(
    m: EntityManager,
    customerIds: readonly string[],
    companyId: string | null,
    companyScope: boolean,
    now: Date,
  ): Promise<void> {
    await m.query(
      `UPDATE customers SET hubspot_company_id = ?, company_scope = ?, updated_at = ? WHERE id IN (${placeholders(customerIds.length)})`,
      [companyId, companyScope ? 1 : 0, now, ...customerIds],
    );
  }

  async unlink(m: EntityManager, customerIds: readonly string[], now: Date): Promise<void> {
    if (customerIds.length === 0) return;
    await m.query(
      'UPDATE customers SET hubspot_contact_id = NULL, hubspot_company_id = NULL, company_scope = 0, contact_linked_at = NULL, updated_at = ? ' +
        `WHERE id IN (${placeholders(customerIds.length)})`,
      [now, ...customerIds],
    );
  }

  /** Distinct linked contact ids after `after`, in order (the reconcile's association re-check). */
  async linkedContactIdsAfter(after: string, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      'SELECT DISTINCT hubspot_contact_id AS id FROM customers WHERE hubspot_contact_id > ? ' +
        'ORDER BY hubspot_contact_id LIMIT ?',
      [after, limit],
    );
    return rows.map((r) => r.id);
  }
}
