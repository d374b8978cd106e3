import type { MigrationInterface, QueryRunner } from 'typeorm';

// PORTAL_TICKET_SCOPE=contact sorts by owner, subject, status and requester as index walks too
// (ADR 0007): the contact-scope twins of the company-scope indexes of 1763950000000, plus the
// Ticket ID lookup inside a contact's tickets.
const INDEXES: Array<[name: string, columns: string]> = [
  ['idx_tickets_contact_owner', 'contact_id, owner_name, id'],
  ['idx_tickets_contact_subject', 'contact_id, subject(100), id'],
  ['idx_tickets_contact_stage', 'contact_id, stage_order, id'],
  ['idx_tickets_contact_requester', 'contact_id, requester_name, id'],
  ['idx_tickets_contact_hubspot', 'contact_id, hubspot_id'],
];

export class ContactScopeSortIndexes1763960000000 implements MigrationInterface {
  name = 'ContactScopeSortIndexes1763960000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE tickets ${INDEXES.map(([name, columns]) => `ADD KEY ${name} (${columns})`).join(', ')}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE tickets ${INDEXES.map(([name]) => `DROP KEY ${name}`).join(', ')}`);
  }
}
