import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
const HS_ID = 'VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin';

// Every contact HubSpot associates with a ticket (issue 15): the primary one is also
// tickets.contact_id (the requester the list shows), the others are people in copy. The contact
// scope is "tickets this contact is on", so the list walks (contact_id, …) here and joins tickets by
// their primary key (ADR 0007, amended). is_primary sits in the index for the list's
// "Mine / In copy" filter. Existing rows get their requester now; the others arrive with the next
// read of each ticket (webhook, reconcile, or a backfill run with --restart).
export class CreateTicketContacts1764015000000 implements MigrationInterface {
  name = 'CreateTicketContacts1764015000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ticket_contacts (
        ticket_id INT UNSIGNED NOT NULL,
        contact_id ${HS_ID} NOT NULL,
        is_primary TINYINT(1) NOT NULL DEFAULT 0,
        PRIMARY KEY (ticket_id, contact_id),
        KEY idx_ticket_contacts_contact (contact_id, is_primary, ticket_id),
        CONSTRAINT fk_ticket_contacts_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
      ) ${TABLE_OPTIONS}`);
    await queryRunner.query(
      'INSERT INTO ticket_contacts (ticket_id, contact_id, is_primary) SELECT id, contact_id, 1 FROM tickets WHERE contact_id IS NOT NULL',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ticket_contacts');
  }
}
