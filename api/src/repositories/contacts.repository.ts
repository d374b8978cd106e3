import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { missingIds, placeholders, tuples } from './sql.util';

/**
 * A `contacts` row: a HubSpot contact, mirrored as far as access and "Requested By" need it.
 */
export interface ContactRow {
  id: string;
  /** Lower-cased, so a customer's confirmed email finds its contact with a plain equality. */
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  /** "First Last", null when HubSpot has no name (the list then shows the email). */
  display_name: string | null;
  /** The company the contact's customers see (PORTAL_TICKET_SCOPE=company). */
  primary_company_id: string | null;
  /** 1 when the contact's PORTAL_COMPANY_SCOPE_PROPERTY is true (its customers may see the company's tickets). */
  company_scope: number;
  /**
   * When the read that wrote this row started: an older read never overwrites it (the primary
   * company decides what the contact's customers see).
   */
  read_at: Date | null;
  updated_at: Date;
}

/** What a write decides on, read FOR UPDATE. */
export type LockedContact = Pick<
  ContactRow,
  'id' | 'display_name' | 'email' | 'primary_company_id' | 'read_at'
>;

const COLUMNS = [
  'id',
  'email',
  'first_name',
  'last_name',
  'display_name',
  'primary_company_id',
  'company_scope',
  'read_at',
  'updated_at',
] as const;

/** The one owner of the `contacts` table. */
@Injectable()
export class ContactsRepository {
  constructor(private readonly dataSource: DataSource) {}

  async lock(m: EntityManager, ids: readonly string[]): Promise<LockedContact[]> {
    if (ids.length === 0) return [];
    return m.query<LockedContact[]>(
      `SELECT id, display_name, email, primary_company_id, read_at FROM contacts WHERE id IN (${placeholders(ids.length)}) FOR UPDATE`,
      [...ids],
    );
  }

  async upsert(m: EntityManager, rows: readonly ContactRow[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO contacts (${COLUMNS.join(', ')}) VALUES ${tuples(rows.length, COLUMNS.length)} ` +
        'ON DUPLICATE KEY UPDATE email = VALUES(email), first_name = VALUES(first_name), last_name = VALUES(last_name), ' +
        'display_name = VALUES(display_name), primary_company_id = VALUES(primary_company_id), company_scope = VALUES(company_scope), read_at = VALUES(read_at), updated_at = VALUES(updated_at)',
      rows.flatMap((row) => COLUMNS.map((c) => row[c])),
    );
  }

  async setPrimaryCompany(
    m: EntityManager,
    id: string,
    companyId: string | null,
    readAt: Date,
    now: Date,
  ): Promise<void> {
    await m.query('UPDATE contacts SET primary_company_id = ?, read_at = ?, updated_at = ? WHERE id = ?', [
      companyId,
      readAt,
      now,
      id,
    ]);
  }

  async delete(m: EntityManager, ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    await m.query(`DELETE FROM contacts WHERE id IN (${placeholders(ids.length)})`, [...ids]);
  }

  /**
   * Names and emails to copy onto tickets, read with shared locks: a concurrent rename either commits
   * first (and the copy is the new name) or waits for the copy (and then rewrites it itself).
   */
  async lockNames(
    m: EntityManager,
    ids: readonly string[],
  ): Promise<Map<string, { name: string | null; email: string | null }>> {
    const out = new Map<string, { name: string | null; email: string | null }>();
    if (ids.length === 0) return out;
    const rows = await m.query<Array<Pick<ContactRow, 'id' | 'display_name' | 'email'>>>(
      `SELECT id, display_name, email FROM contacts WHERE id IN (${placeholders(ids.length)}) LOCK IN SHARE MODE`,
      [...ids],
    );
    for (const r of rows) out.set(r.id, { name: r.display_name, email: r.email });
    return out;
  }

  /** The mirrored contact with this (lower-cased) email; the oldest id when HubSpot has duplicates. */
  async findByEmail(email: string): Promise<Pick<ContactRow, 'id' | 'primary_company_id'> | undefined> {
    const [row] = await this.dataSource.query<Array<Pick<ContactRow, 'id' | 'primary_company_id'>>>(
      'SELECT id, primary_company_id FROM contacts WHERE email = ? ORDER BY CHAR_LENGTH(id), id LIMIT 1',
      [email],
    );
    return row;
  }

  /** Ids after `afterId` in id order (the reconcile walks every mirrored contact in pages). */
  async idsAfter(afterId: string, limit: number): Promise<string[]> {
    const rows = await this.dataSource.query<Array<{ id: string }>>(
      'SELECT id FROM contacts WHERE id > ? ORDER BY id LIMIT ?',
      [afterId, limit],
    );
    return rows.map((r) => r.id);
  }

  missing(ids: readonly string[]): Promise<string[]> {
    return missingIds(this.dataSource, 'contacts', ids);
  }
}
