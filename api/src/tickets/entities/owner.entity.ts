import { Column, Entity, PrimaryColumn } from 'typeorm';

// A HubSpot owner (Ticket Owner). Archived owners stay here so old tickets keep their names.
@Entity({ name: 'owners' })
export class Owner {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ name: 'first_name', type: 'varchar', length: 150, nullable: true })
  firstName!: string | null;

  @Column({ name: 'last_name', type: 'varchar', length: 150, nullable: true })
  lastName!: string | null;

  @Column({ type: 'varchar', length: 254, nullable: true })
  email!: string | null;

  // What tickets.owner_name shows: "First Last", else the email; null when HubSpot has neither.
  @Column({ name: 'display_name', type: 'varchar', length: 300, nullable: true })
  displayName!: string | null;

  @Column({ type: 'boolean' })
  archived!: boolean;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
