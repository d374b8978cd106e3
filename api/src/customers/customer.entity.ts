import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'customers' })
export class Customer {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  // Stored trimmed and lower-cased; the unique index makes the comparison case-insensitive by construction.
  @Column({ type: 'varchar', length: 254 })
  email!: string;

  @Column({ name: 'password_hash', type: 'varchar', length: 255 })
  passwordHash!: string;

  @Column({ type: 'varchar', length: 200, nullable: true })
  name!: string | null;

  @Column({ name: 'confirmed_at', type: 'datetime', precision: 3, nullable: true })
  confirmedAt!: Date | null;

  // The HubSpot contact with the same email (set by the worker's link-contact job), and its primary company.
  @Column({ name: 'hubspot_contact_id', type: 'varchar', length: 32, nullable: true })
  hubspotContactId!: string | null;

  @Column({ name: 'hubspot_company_id', type: 'varchar', length: 32, nullable: true })
  hubspotCompanyId!: string | null;

  // The contact's PORTAL_COMPANY_SCOPE_PROPERTY as the mirror has it (false when the setting is off).
  @Column({ name: 'company_scope', type: 'boolean', default: false })
  companyScope!: boolean;

  @Column({ name: 'contact_linked_at', type: 'datetime', precision: 3, nullable: true })
  contactLinkedAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
