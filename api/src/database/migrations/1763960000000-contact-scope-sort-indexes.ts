import type { MigrationInterface, QueryRunner } from 'typeorm';

// PORTAL_TICKET_SCOPE=contact (ADR 0007): the owner sort walks (contact_id, owner_name, id) as the
// company scope walks its twin, and a Ticket ID search in SQL is one lookup inside the contact's
// tickets. The other sorts that SQL can only filesort (Ticket ID as a number, status, subject,
// requester) are answered from the scope's in-process index, so no index is added for them: each
// would only make mirror writes heavier.
const INDEXES: Array<[name: string, columns: string]> = [
  ['idx_tickets_contact_owner', 'contact_id, owner_name, id'],
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
