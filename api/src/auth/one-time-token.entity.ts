import { Column, Entity, PrimaryColumn } from 'typeorm';

export type OneTimeTokenPurpose = 'confirm' | 'reset';

// Confirmation and password-reset links. Single use; only the SHA-256 of the token is stored.
@Entity({ name: 'one_time_tokens' })
export class OneTimeToken {
  @PrimaryColumn({ type: 'char', length: 36 })
  id!: string;

  @Column({ name: 'customer_id', type: 'char', length: 36 })
  customerId!: string;

  @Column({ type: 'varchar', length: 16 })
  purpose!: OneTimeTokenPurpose;

  @Column({ name: 'token_hash', type: 'char', length: 64 })
  tokenHash!: string;

  // Confirmation links only: the argon2id hash of the password chosen at the registration this link was
  // mailed for. Confirming the link sets it; null means nobody can tell which password is the owner's.
  @Column({ name: 'pending_password_hash', type: 'varchar', length: 255, nullable: true })
  pendingPasswordHash!: string | null;

  @Column({ name: 'expires_at', type: 'datetime', precision: 3 })
  expiresAt!: Date;

  @Column({ name: 'used_at', type: 'datetime', precision: 3, nullable: true })
  usedAt!: Date | null;

  @Column({ name: 'created_at', type: 'datetime', precision: 3 })
  createdAt!: Date;
}
