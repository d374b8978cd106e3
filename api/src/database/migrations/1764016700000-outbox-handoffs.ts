import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 16: a batch reads HubSpot by key before creating only what an earlier attempt may have sent.
// `handoffs` counts the deliveries that took the row towards HubSpot (a batch's claim, a per-record
// delivery): a row claimed for the first time cannot exist in HubSpot yet, so its batch read is
// skipped. Rows not done at the upgrade count as handed off: nobody knows what they reached. Replies
// get 1,000 (PRE_REPLY_KEY_HANDOFFS): an email an earlier attempt logged lacks the new unique reply
// key property, so only the per-record look-up (the ticket's emails, by the key in the headers) finds it.
export class OutboxHandoffs1764016700000 implements MigrationInterface {
  name = 'OutboxHandoffs1764016700000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE request_outbox ADD COLUMN handoffs INT UNSIGNED NOT NULL DEFAULT 0 AFTER claimed_until',
    );
    await queryRunner.query(
      "UPDATE request_outbox SET handoffs = IF(kind = 'reply', 1000, 1) WHERE state <> 'done'",
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE request_outbox DROP COLUMN handoffs');
  }
}
