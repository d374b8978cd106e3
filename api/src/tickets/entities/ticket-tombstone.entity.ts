import { Column, Entity, PrimaryColumn } from 'typeorm';

// A HubSpot ticket id seen deleted (or merged away) by a read that started at `observedAt`. An
// upsert of a snapshot read before that moment is dropped, so a slow worker cannot bring it back.
@Entity({ name: 'ticket_tombstones' })
export class TicketTombstone {
  @PrimaryColumn({ name: 'hubspot_id', type: 'varchar', length: 32 })
  hubspotId!: string;

  @Column({ name: 'observed_at', type: 'datetime', precision: 3 })
  observedAt!: Date;
}
