import { Column, Entity, PrimaryColumn } from 'typeorm';

export type TicketState = 'OPEN' | 'CLOSED';

// A ticket status. `ticketState` (HubSpot's metadata.ticketState) decides open/closed.
@Entity({ name: 'pipeline_stages' })
export class PipelineStage {
  @PrimaryColumn({ name: 'pipeline_id', type: 'varchar', length: 32 })
  pipelineId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  label!: string;

  @Column({ name: 'display_order', type: 'int' })
  displayOrder!: number;

  @Column({ name: 'ticket_state', type: 'varchar', length: 8 })
  ticketState!: TicketState;

  // Stages HubSpot no longer lists keep their label for tickets still pointing at them.
  @Column({ type: 'boolean' })
  archived!: boolean;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
