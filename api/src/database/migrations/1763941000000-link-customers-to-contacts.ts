import type { MigrationInterface, QueryRunner } from 'typeorm';

// Accounts remember the HubSpot contact (and its primary company) they were linked to on confirmation.
// Same column type as tickets.contact_id / company_id so scope lookups compare like with like.
const HS_ID = 'VARCHAR(32) CHARACTER SET ascii COLLATE ascii_bin';

export class LinkCustomersToContacts1763941000000 implements MigrationInterface {
  name = 'LinkCustomersToContacts1763941000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE customers
        ADD COLUMN hubspot_contact_id ${HS_ID} NULL,
        ADD COLUMN hubspot_company_id ${HS_ID} NULL,
        ADD COLUMN contact_linked_at DATETIME(3) NULL,
        ADD KEY idx_customers_hubspot_contact (hubspot_contact_id),
        ADD KEY idx_customers_hubspot_company (hubspot_company_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE customers
        DROP KEY idx_customers_hubspot_company,
        DROP KEY idx_customers_hubspot_contact,
        DROP COLUMN contact_linked_at,
        DROP COLUMN hubspot_company_id,
        DROP COLUMN hubspot_contact_id`,
    );
  }
}
