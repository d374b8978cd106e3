import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';

// Colleagues a customer puts in copy (issue 15): asked for by email with a new request or later on
// its page, and delivered to HubSpot by the outbox (found or created as contacts, associated with the
// ticket). Until then the ticket page shows them as pending; afterwards ticket_contacts has them.
export class CreateTicketPeopleRequests1764015100000 implements MigrationInterface {
  name = 'CreateTicketPeopleRequests1764015100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE ticket_people_requests (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT,
        ticket_id INT UNSIGNED NOT NULL,
        email VARCHAR(254) NOT NULL,
        action VARCHAR(8) NOT NULL,
        state VARCHAR(16) NOT NULL DEFAULT 'pending',
        error VARCHAR(1000) NULL,
        created_by_customer_id CHAR(36) NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY idx_ticket_people_requests_ticket (ticket_id, state, id),
        CONSTRAINT fk_ticket_people_requests_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
      ) ${TABLE_OPTIONS}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE ticket_people_requests');
  }
}
