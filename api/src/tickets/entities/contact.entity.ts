import { Column, Entity, PrimaryColumn } from 'typeorm';

// A HubSpot contact, mirrored as far as access and "Requested By" need it.
@Entity({ name: 'contacts' })
export class Contact {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  // Lower-cased, so a customer's confirmed email finds its contact with a plain equality.
  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  @Column({ name: 'first_name', type: 'varchar', length: 150, nullable: true })
  firstName!: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 150, nullable: true })
  lastName!: string | null;

  // "First Last", null when HubSpot has no name (the list then shows the email).
  @Column({ name: 'display_name', type: 'varchar', length: 300, nullable: true })
  displayName!: string | null;

  @Column({ name: 'primary_company_id', type: 'varchar', length: 32, nullable: true })
  primaryCompanyId!: string | null;

  // When the read that wrote this row started: an older read never overwrites it (the primary
  // company decides what the contact's customers see).
  @Column({ name: 'read_at', type: 'datetime', precision: 3, nullable: true })
  readAt!: Date | null;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
