import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 10: a registration no longer writes the account's password. Each confirmation link keeps the
// password of the registration it was mailed for, and confirming that link sets it (auth.service.ts).
export class ConfirmTokenPasswords1763980100000 implements MigrationInterface {
  name = 'ConfirmTokenPasswords1763980100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE one_time_tokens ADD COLUMN pending_password_hash VARCHAR(255) NULL AFTER token_hash',
    );
    // Links already mailed keep working as before: they confirm with the account's current password.
    await queryRunner.query(
      `UPDATE one_time_tokens t JOIN customers c ON c.id = t.customer_id
          SET t.pending_password_hash = c.password_hash
        WHERE t.purpose = 'confirm' AND t.used_at IS NULL AND c.confirmed_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE one_time_tokens DROP COLUMN pending_password_hash');
  }
}
