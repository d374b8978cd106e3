import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
const HS_ID = 'VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin';

// Portal requests (issue 6). `request_outbox` rows are written in the same transaction as the
// ticket or message row they deliver, so a commit always leaves something for the worker to send;
// `idempotency_keys` remembers what a client's Idempotency-Key produced.
export class CreateRequestOutbox1763970000000 implements MigrationInterface {
  name = 'CreateRequestOutbox1763970000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE request_outbox (
        id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT,
        kind VARCHAR(16) NOT NULL,
        ticket_id INT UNSIGNED NOT NULL,
        message_id INT UNSIGNED NULL,
        target_stage_id ${HS_ID} NULL,
        state VARCHAR(16) NOT NULL DEFAULT 'pending',
        attempts INT UNSIGNED NOT NULL DEFAULT 0,
        last_error VARCHAR(1000) NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        done_at DATETIME(3) NULL,
        PRIMARY KEY (id),
        KEY idx_request_outbox_state (state, id),
        KEY idx_request_outbox_ticket (ticket_id, kind, state),
        CONSTRAINT fk_request_outbox_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
      ) ${TABLE_OPTIONS}`);
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT,
        customer_id CHAR(36) NOT NULL,
        idem_key VARCHAR(100) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        body_hash CHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        ticket_id INT UNSIGNED NOT NULL,
        message_id INT UNSIGNED NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_idempotency_keys_customer_key (customer_id, idem_key),
        KEY idx_idempotency_keys_created (created_at)
      ) ${TABLE_OPTIONS}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE idempotency_keys');
    await queryRunner.query('DROP TABLE request_outbox');
  }
}
