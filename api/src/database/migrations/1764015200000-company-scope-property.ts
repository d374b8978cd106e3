import type { MigrationInterface, QueryRunner } from 'typeorm';

// Company scope for some contacts only (issue 15, ADR 0014): the value of the operator's contact
// property (PORTAL_COMPANY_SCOPE_PROPERTY) as the mirror last read it, and on each linked account the
// copy its scope is decided by, which sync keeps in step as it does hubspot_company_id.
export class CompanyScopeProperty1764015200000 implements MigrationInterface {
  name = 'CompanyScopeProperty1764015200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE contacts ADD COLUMN company_scope TINYINT(1) NOT NULL DEFAULT 0');
    await queryRunner.query('ALTER TABLE customers ADD COLUMN company_scope TINYINT(1) NOT NULL DEFAULT 0');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE customers DROP COLUMN company_scope');
    await queryRunner.query('ALTER TABLE contacts DROP COLUMN company_scope');
  }
}
