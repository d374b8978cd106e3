import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 13: what customers read as a ticket's status. Each stage keeps HubSpot's label and gains the
// customer's label and kind (tickets/ticket-status.ts, PORTAL_STATUS_LABELS); tickets copy both, so
// the list sorts and searches on the label customers see and filters on the kind without joins
// (ADR 0007). Rows written before stay NULL until the worker's next pipeline refresh (every
// reconcile) fills them; meanwhile a NULL kind reads from is_closed.
//
// Indexes: "Awaiting your reply" (status=awaiting) walks (scope, status_kind, last_activity_at, id),
// the default order, as an index range; the grouped counts gain the kind, so
// (scope, is_closed, status_kind) replaces (scope, is_closed) and stays an index-only count. Owners
// are looked up by email to name support's messages.
const KIND_INDEXES: Array<[name: string, columns: string]> = [
  ['idx_tickets_company_kind_activity', 'company_id, status_kind, last_activity_at, id'],
  ['idx_tickets_contact_kind_activity', 'contact_id, status_kind, last_activity_at, id'],
];

export class TicketStatusKinds1764013000000 implements MigrationInterface {
  name = 'TicketStatusKinds1764013000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE pipeline_stages
        ADD COLUMN shown_label VARCHAR(200) NULL AFTER label,
        ADD COLUMN status_kind VARCHAR(20) NULL AFTER shown_label`,
    );
    await queryRunner.query(
      `ALTER TABLE tickets
        ADD COLUMN status_kind VARCHAR(20) NULL AFTER is_closed,
        ${KIND_INDEXES.map(([name, columns]) => `ADD KEY ${name} (${columns})`).join(',\n        ')},
        DROP KEY idx_tickets_company_closed,
        ADD KEY idx_tickets_company_closed (company_id, is_closed, status_kind),
        DROP KEY idx_tickets_contact_closed,
        ADD KEY idx_tickets_contact_closed (contact_id, is_closed, status_kind)`,
    );
    await queryRunner.query('ALTER TABLE owners ADD KEY idx_owners_email (email)');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE owners DROP KEY idx_owners_email');
    await queryRunner.query(
      `ALTER TABLE tickets
        ${KIND_INDEXES.map(([name]) => `DROP KEY ${name}`).join(',\n        ')},
        DROP KEY idx_tickets_company_closed,
        ADD KEY idx_tickets_company_closed (company_id, is_closed),
        DROP KEY idx_tickets_contact_closed,
        ADD KEY idx_tickets_contact_closed (contact_id, is_closed),
        DROP COLUMN status_kind`,
    );
    await queryRunner.query('ALTER TABLE pipeline_stages DROP COLUMN status_kind, DROP COLUMN shown_label');
  }
}
