import type { MigrationInterface, QueryRunner } from 'typeorm';

const TABLE_OPTIONS = 'ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci';
// HubSpot ids are decimal strings; ascii keeps their indexes small.
const HS_ID = 'VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin';

// The HubSpot mirror (issue 4). The list's sort/search indexes are added by the list's own
// migration after measuring; the keys here are the ones sync itself looks rows up by.
export class CreateTicketMirror1763940000000 implements MigrationInterface {
  name = 'CreateTicketMirror1763940000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE owners (
        id ${HS_ID} NOT NULL,
        first_name VARCHAR(150) NULL,
        last_name VARCHAR(150) NULL,
        email VARCHAR(254) NULL,
        display_name VARCHAR(300) NULL,
        archived TINYINT(1) NOT NULL DEFAULT 0,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id)
      ) ${TABLE_OPTIONS}`);
    await queryRunner.query(`
      CREATE TABLE pipelines (
        id ${HS_ID} NOT NULL,
        label VARCHAR(200) NOT NULL,
        display_order INT NOT NULL DEFAULT 0,
        archived TINYINT(1) NOT NULL DEFAULT 0,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id)
      ) ${TABLE_OPTIONS}`);
    await queryRunner.query(`
      CREATE TABLE pipeline_stages (
        pipeline_id ${HS_ID} NOT NULL,
        id ${HS_ID} NOT NULL,
        label VARCHAR(200) NOT NULL,
        display_order INT NOT NULL DEFAULT 0,
        ticket_state VARCHAR(8) NOT NULL,
        archived TINYINT(1) NOT NULL DEFAULT 0,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (pipeline_id, id)
      ) ${TABLE_OPTIONS}`);
    await queryRunner.query(`
      CREATE TABLE companies (
        id ${HS_ID} NOT NULL,
        name VARCHAR(300) NULL,
        domain VARCHAR(253) NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id)
      ) ${TABLE_OPTIONS}`);
    // Account linking finds a contact by (lower-cased) email.
    await queryRunner.query(`
      CREATE TABLE contacts (
        id ${HS_ID} NOT NULL,
        email VARCHAR(254) NULL,
        first_name VARCHAR(150) NULL,
        last_name VARCHAR(150) NULL,
        display_name VARCHAR(300) NULL,
        primary_company_id ${HS_ID} NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        KEY idx_contacts_email (email),
        KEY idx_contacts_primary_company (primary_company_id)
      ) ${TABLE_OPTIONS}`);
    // owner/contact/stage keys serve the refresh of the copied names when an owner, a contact or a
    // stage changes; company_id serves company-scope lookups until the list adds its own indexes.
    await queryRunner.query(`
      CREATE TABLE tickets (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT,
        hubspot_id ${HS_ID} NULL,
        subject VARCHAR(500) NOT NULL,
        content MEDIUMTEXT NULL,
        pipeline_id ${HS_ID} NULL,
        stage_id ${HS_ID} NULL,
        stage_label VARCHAR(200) NULL,
        stage_order INT NULL,
        is_closed TINYINT(1) NOT NULL DEFAULT 0,
        owner_id ${HS_ID} NULL,
        owner_name VARCHAR(300) NULL,
        contact_id ${HS_ID} NULL,
        requester_name VARCHAR(300) NULL,
        requester_email VARCHAR(254) NULL,
        company_id ${HS_ID} NULL,
        priority VARCHAR(100) NULL,
        category VARCHAR(100) NULL,
        created_at DATETIME(3) NOT NULL,
        last_activity_at DATETIME(3) NOT NULL,
        closed_at DATETIME(3) NULL,
        hs_lastmodified_at DATETIME(3) NULL,
        sync_state VARCHAR(16) NOT NULL DEFAULT 'synced',
        sync_error VARCHAR(1000) NULL,
        request_key VARCHAR(191) CHARACTER SET ascii COLLATE ascii_bin NULL,
        created_by_customer_id CHAR(36) NULL,
        mirrored_at DATETIME(3) NULL,
        conversation_synced_at DATETIME(3) NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_tickets_hubspot_id (hubspot_id),
        UNIQUE KEY uq_tickets_request_key (request_key),
        KEY idx_tickets_owner (owner_id),
        KEY idx_tickets_contact (contact_id),
        KEY idx_tickets_company (company_id),
        KEY idx_tickets_stage (pipeline_id, stage_id),
        KEY idx_tickets_sync_state (sync_state)
      ) ${TABLE_OPTIONS}`);
    await queryRunner.query(`
      CREATE TABLE ticket_messages (
        id INT UNSIGNED NOT NULL AUTO_INCREMENT,
        hubspot_id ${HS_ID} NULL,
        ticket_id INT UNSIGNED NOT NULL,
        direction VARCHAR(8) NOT NULL,
        author_name VARCHAR(300) NULL,
        author_email VARCHAR(254) NULL,
        subject VARCHAR(500) NULL,
        text MEDIUMTEXT NULL,
        html_raw MEDIUMTEXT NULL,
        created_at DATETIME(3) NOT NULL,
        request_key VARCHAR(191) CHARACTER SET ascii COLLATE ascii_bin NULL,
        sync_state VARCHAR(16) NOT NULL DEFAULT 'synced',
        sync_error VARCHAR(1000) NULL,
        created_by_customer_id CHAR(36) NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (id),
        UNIQUE KEY uq_ticket_messages_hubspot_id (hubspot_id),
        UNIQUE KEY uq_ticket_messages_request_key (request_key),
        KEY idx_ticket_messages_ticket_created (ticket_id, created_at),
        CONSTRAINT fk_ticket_messages_ticket FOREIGN KEY (ticket_id) REFERENCES tickets (id) ON DELETE CASCADE
      ) ${TABLE_OPTIONS}`);
    await queryRunner.query(`
      CREATE TABLE ticket_tombstones (
        hubspot_id ${HS_ID} NOT NULL,
        observed_at DATETIME(3) NOT NULL,
        PRIMARY KEY (hubspot_id),
        KEY idx_ticket_tombstones_observed (observed_at)
      ) ${TABLE_OPTIONS}`);
    await queryRunner.query(`
      CREATE TABLE sync_state (
        stream VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
        watermark_ms BIGINT NULL,
        resume_cursor VARCHAR(1000) NULL,
        items BIGINT NOT NULL DEFAULT 0,
        last_success_at DATETIME(3) NULL,
        last_error VARCHAR(1000) NULL,
        last_error_at DATETIME(3) NULL,
        failure_count INT NOT NULL DEFAULT 0,
        lag_ms BIGINT NULL,
        started_at DATETIME(3) NULL,
        completed_at DATETIME(3) NULL,
        updated_at DATETIME(3) NOT NULL,
        PRIMARY KEY (stream)
      ) ${TABLE_OPTIONS}`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE sync_state');
    await queryRunner.query('DROP TABLE ticket_tombstones');
    await queryRunner.query('DROP TABLE ticket_messages');
    await queryRunner.query('DROP TABLE tickets');
    await queryRunner.query('DROP TABLE contacts');
    await queryRunner.query('DROP TABLE companies');
    await queryRunner.query('DROP TABLE pipeline_stages');
    await queryRunner.query('DROP TABLE pipelines');
    await queryRunner.query('DROP TABLE owners');
  }
}
