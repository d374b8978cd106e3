import { Column, Entity, PrimaryColumn } from 'typeorm';

// An access token. Only the SHA-256 of the bearer value is stored.
@Entity({ name: 'sessions' })
export class Session {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'customer_id', type: 'char', length: 36 })
  customerId!: string;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  @Column({ type: 'boolean' })
  remember!: boolean;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'revoked_at', type: 'datetime', precision: 3, nullable: true })
  revokedAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
