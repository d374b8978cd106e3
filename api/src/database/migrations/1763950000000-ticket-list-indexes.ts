import type { MigrationInterface, QueryRunner } from 'typeorm';

// Composite indexes for GET /tickets (ADR 0007): the scope column first (an equality), then the sort
// column, then id for the tie-break, so a page is an index walk with LIMIT in either direction rather
// than a filesort of the whole scope. The old single-column scope keys are prefixes of these and go.
const INDEXES: Array<[name: string, columns: string]> = [
  ['idx_tickets_company_activity', 'company_id, last_activity_at, id'],
  ['idx_tickets_contact_activity', 'contact_id, last_activity_at, id'],
  ['idx_tickets_company_created', 'company_id, created_at, id'],
  ['idx_tickets_contact_created', 'contact_id, created_at, id'],
  ['idx_tickets_company_closed', 'company_id, is_closed'],
  ['idx_tickets_contact_closed', 'contact_id, is_closed'],
  ['idx_tickets_company_owner', 'company_id, owner_name, id'],
  ['idx_tickets_company_subject', 'company_id, subject(100), id'],
  ['idx_tickets_company_stage', 'company_id, stage_order, id'],
  ['idx_tickets_company_requester', 'company_id, requester_name, id'],
  ['idx_tickets_company_hubspot', 'company_id, hubspot_id'],
  ['idx_tickets_created_by_customer', 'created_by_customer_id'],
];

export class TicketListIndexes1763950000000 implements MigrationInterface {
  name = 'TicketListIndexes1763950000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE tickets
        ${INDEXES.map(([name, columns]) => `ADD KEY ${name} (${columns})`).join(',\n        ')},
        DROP KEY idx_tickets_contact,
        DROP KEY idx_tickets_company`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE tickets
        ADD KEY idx_tickets_contact (contact_id),
        ADD KEY idx_tickets_company (company_id),
        ${INDEXES.map(([name]) => `DROP KEY ${name}`).join(',\n        ')}`,
    );
  }
}
