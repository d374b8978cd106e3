import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { missingIds, tuples } from './sql.util';

/** A `companies` row: a HubSpot company, mirrored for its name. */
export interface CompanyRow {
  id: string;
  name: string | null;
  domain: string | null;
  updated_at: Date;
}

/** The one owner of the `companies` table. */
@Injectable()
export class CompaniesRepository {
  constructor(private readonly dataSource: DataSource) {}

  async upsert(rows: readonly CompanyRow[]): Promise<void> {
    if (rows.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO companies (id, name, domain, updated_at) VALUES ${tuples(rows.length, 4)} ` +
        'ON DUPLICATE KEY UPDATE name = VALUES(name), domain = VALUES(domain), updated_at = VALUES(updated_at)',
      rows.flatMap((c) => [c.id, c.name, c.domain, c.updated_at]),
    );
  }

  missing(ids: readonly string[]): Promise<string[]> {
    return missingIds(this.dataSource, 'companies', ids);
  }
}
