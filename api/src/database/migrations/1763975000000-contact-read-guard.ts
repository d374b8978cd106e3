import type { MigrationInterface, QueryRunner } from 'typeorm';

// A contact's primary company decides which tickets its customers see, so a slow read of a contact
// must never overwrite a newer one (a webhook refresh racing the reconcile or an account link).
// HubSpot does not reliably move a contact's lastmodifieddate when only its associations change, so
// the guard is when our read started. NULL: written before this column existed (any read wins).
export class ContactReadGuard1763975000000 implements MigrationInterface {
  name = 'ContactReadGuard1763975000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE contacts ADD COLUMN read_at DATETIME(3) NULL');
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE contacts DROP COLUMN read_at');
  }
}
