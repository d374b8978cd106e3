import type { MigrationInterface, QueryRunner } from 'typeorm';

// Issue 13: a reply's delivery goes on after its email (the stage move, the owner's task), and a
// reopen's adds a task. `follow_up` (JSON) records each step HubSpot has done, committed as it is done,
// and the key of a reopen's task, so a retry after a crash repeats nothing and decides nothing again.
export class OutboxFollowUps1764014000000 implements MigrationInterface {
  name = 'OutboxFollowUps1764014000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE request_outbox ADD COLUMN follow_up VARCHAR(2000) NULL AFTER target_stage_id',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE request_outbox DROP COLUMN follow_up');
  }
}
