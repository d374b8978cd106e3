import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { missingIds, placeholders, tuples } from './sql.util';

/** An `owners` row: a HubSpot owner (Ticket Owner). Archived owners stay so old tickets keep names. */
export interface OwnerRow {
  id: string;
  first_name: string | null;
  last_name: string | null;
  email: string | null;
  /** What tickets.owner_name shows: "First Last", else the email; null when HubSpot has neither. */
  display_name: string | null;
  archived: number;
  updated_at: Date;
}

const COLUMNS = ['id', 'first_name', 'last_name', 'email', 'display_name', 'archived', 'updated_at'] as const;

/** The one owner of the `owners` table. */
@Injectable()
export class OwnersRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Display names by id, read FOR UPDATE (a write compares them to tell renames). */
  async lockNames(
    m: EntityManager,
    ids: readonly string[],
    shared = false,
  ): Promise<Map<string, string | null>> {
    if (ids.length === 0) return new Map();
    const rows = await m.query<Array<Pick<OwnerRow, 'id' | 'display_name'>>>(
      `SELECT id, display_name FROM owners WHERE id IN (${placeholders(ids.length)}) ${shared ? 'LOCK IN SHARE MODE' : 'FOR UPDATE'}`,
      [...ids],
    );
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  async upsert(m: EntityManager, rows: readonly OwnerRow[]): Promise<void> {
    if (rows.length === 0) return;
    await m.query(
      `INSERT INTO owners (${COLUMNS.join(', ')}) VALUES ${tuples(rows.length, COLUMNS.length)} ` +
        'ON DUPLICATE KEY UPDATE first_name = VALUES(first_name), last_name = VALUES(last_name), email = VALUES(email), ' +
        'display_name = VALUES(display_name), archived = VALUES(archived), updated_at = VALUES(updated_at)',
      rows.flatMap((row) => COLUMNS.map((c) => row[c])),
    );
  }

  missing(ids: readonly string[]): Promise<string[]> {
    return missingIds(this.dataSource, 'owners', ids);
  }
}
