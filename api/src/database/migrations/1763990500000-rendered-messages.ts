import type { MigrationInterface, QueryRunner } from 'typeorm';

// What the portal shows of each message (sanitised HTML and readable text, capped), computed once
// when the mirror writes the message instead of on every view of its ticket. NULL for rows written
// before: those are rendered when read (linear and capped as well).
export class RenderedMessages1763990500000 implements MigrationInterface {
  name = 'RenderedMessages1763990500000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'ALTER TABLE ticket_messages ADD COLUMN shown_html MEDIUMTEXT NULL AFTER html_raw, ADD COLUMN shown_text MEDIUMTEXT NULL AFTER shown_html',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE ticket_messages DROP COLUMN shown_text, DROP COLUMN shown_html');
  }
}
