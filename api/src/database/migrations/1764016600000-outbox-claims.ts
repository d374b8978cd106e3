import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 16: the worker delivers outbox rows in batches. A batch claims its rows for a while
// (`claim_id`, `claimed_until`, renewed while the batch works) so that the rows' own jobs and other
// workers leave them alone; a worker that dies mid-batch leaves a claim that simply runs out.
export class OutboxClaims1764016600000 implements MigrationInterface {
  name = 'OutboxClaims1764016600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE request_outbox ADD COLUMN claim_id CHAR(36) CHARACTER SET ascii NULL AFTER follow_up, ADD COLUMN claimed_until DATETIME(3) NULL AFTER claim_id, ADD KEY idx_request_outbox_claim (claim_id)',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE request_outbox DROP KEY idx_request_outbox_claim, DROP COLUMN claimed_until, DROP COLUMN claim_id',
    );
  }
}
