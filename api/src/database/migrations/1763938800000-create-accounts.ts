import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAccounts1763938800000 implements MigrationInterface {
  name = 'CreateAccounts1763938800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE customers (
        id CHAR(36) NOT NULL,
        email VARCHAR(254) NOT NULL,
        password_hash VARCHAR(255) NOT NULL,
        name VARCHAR(200) NULL,
        confirmed_at DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_customers_email (email)
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    // Bearer checks look sessions up by token hash; "sign out everywhere" scans by customer.
    await queryRunner.query(`
      CREATE TABLE sessions (
        id CHAR(36) NOT NULL,
        customer_id CHAR(36) NOT NULL,
        token_hash CHAR(64) NOT NULL,
        remember TINYINT(1) NOT NULL DEFAULT 0,
        expires_at DATETIME(3) NOT NULL,
        revoked_at DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_sessions_token_hash (token_hash),
        KEY idx_sessions_customer_revoked (customer_id, revoked_at),
        KEY idx_sessions_expires_at (expires_at),
        CONSTRAINT fk_sessions_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
    await queryRunner.query(`
      CREATE TABLE one_time_tokens (
        id CHAR(36) NOT NULL,
        customer_id CHAR(36) NOT NULL,
        purpose VARCHAR(16) NOT NULL,
        token_hash CHAR(64) NOT NULL,
        expires_at DATETIME(3) NOT NULL,
        used_at DATETIME(3) NULL,
        created_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_one_time_tokens_token_hash (token_hash),
        KEY idx_one_time_tokens_customer_purpose (customer_id, purpose, used_at),
        KEY idx_one_time_tokens_expires_at (expires_at),
        CONSTRAINT fk_one_time_tokens_customer FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE
      ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE one_time_tokens');
    await queryRunner.query('DROP TABLE sessions');
    await queryRunner.query('DROP TABLE customers');
  }
}
