import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
const HS_ID = 'VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin';
const UUID = 'CHAR(36) CHARACTER SET ascii COLLATE ascii_bin';

// Attachments (issue 13, ADR 0011). One row per file, whichever side it came from:
// - origin 'portal': a customer's upload. Its bytes live in attachment_chunks (1 MiB rows) from the
//   upload until the message it went with is in HubSpot, so every API and worker process can read
//   them and a request accepted while HubSpot is down keeps its files. state: receiving (upload
//   under way) → staged (uploaded, not used yet) → attached (on a request or reply, waiting for the
//   worker) → uploaded (in HubSpot's file manager: hubspot_file_id, committed before it is used) →
//   sent (on its email in HubSpot; the chunks are dropped and downloads come from HubSpot).
// - origin 'hubspot': a file on a message mirrored from HubSpot (support's replies); metadata only.
// message_id NULL with a ticket_id: the files of the request itself (its first message).
export class CreateAttachments1764000000000 implements MigrationInterface {
  name = 'CreateAttachments1764000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE attachments (
        id ${UUID} NOT NULL,
        origin VARCHAR(8) NOT NULL,
        state VARCHAR(10) NOT NULL,
        customer_id CHAR(36) NULL,
        ticket_id INT UNSIGNED NULL,
        message_id INT UNSIGNED NULL,
        position SMALLINT UNSIGNED NOT NULL DEFAULT 0,
        name VARCHAR(255) NOT NULL,
        content_type VARCHAR(255) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        size BIGINT UNSIGNED NULL,
        sha256 CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NULL,
        hubspot_file_id ${HS_ID} NULL,
        created_at DATETIME(3) NOT NULL,
        attached_at DATETIME(3) NULL,
        uploaded_at DATETIME(3) NULL,
        sent_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        KEY idx_attachments_ticket (ticket_id, message_id, position),
        KEY idx_attachments_message (message_id),
        KEY idx_attachments_customer_state (customer_id, state),
        KEY idx_attachments_state_created (state, created_at),
        KEY idx_attachments_hubspot_file (hubspot_file_id),
        CONSTRAINT fk_attachments_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE,
        CONSTRAINT fk_attachments_message FOREIGN KEY (message_id) REFERENCES ticket_messages (id) ON DELETE CASCADE
      ) ${TABLE_OPTIONS}`);
    await queryRunner.query(`
      CREATE TABLE attachment_chunks (
        attachment_id ${UUID} NOT NULL,
        seq INT UNSIGNED NOT NULL,
        data MEDIUMBLOB NOT NULL,
        PRIMARY KEY (attachment_id, seq),
        CONSTRAINT fk_attachment_chunks_attachment FOREIGN KEY (attachment_id) REFERENCES attachments (id) ON DELETE CASCADE
      ) ${TABLE_OPTIONS}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE attachment_chunks');
    await queryRunner.query('DROP TABLE attachments');
  }
}
