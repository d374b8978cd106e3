import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity({ name: 'pipelines' })
export class Pipeline {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  id!: string;

  @Column({ type: 'varchar', length: 200 })
  label!: string;

  @Column({ name: 'display_order', type: 'int' })
  displayOrder!: number;

  @Column({ type: 'boolean' })
  archived!: boolean;

  @Column({ name: 'updated_at', type: 'datetime', precision: 3 })
  updatedAt!: Date;
}
