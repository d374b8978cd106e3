import { Inject, Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';
import { AppConfig } from '../config/app-config';

export type HasherConfig = Pick<AppConfig, 'argon2MemoryKib' | 'argon2TimeCost'>;

// argon2id; defaults are OWASP's baseline (19 MiB, 2 passes, 1 lane). A hash carries its own
// parameters, so changing them later still verifies older hashes.
@Injectable()
export class PasswordHasher {
  private dummyHash: Promise<string> | undefined;
  private readonly options: {
    algorithm: Algorithm;
    memoryCost: number;
    timeCost: number;
    parallelism: number;
  };

  constructor(@Inject(AppConfig) settings: HasherConfig) {
    this.options = {
      algorithm: Algorithm.Argon2id,
      memoryCost: settings.argon2MemoryKib,
      timeCost: settings.argon2TimeCost,
      parallelism: 1,
    };
  }

  hash(password: string): Promise<string> {
    return hash(password, this.options);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    try {
      return await verify(passwordHash, password);
    } catch {
      return false;
    }
  }

  // Unknown emails are checked against this hash so they cost the same time as known ones.
  async verifyAgainstDummy(password: string): Promise<false> {
    this.dummyHash ??= hash('not-a-real-password-but-same-cost', this.options);
    await this.verify(await this.dummyHash, password);
    return false;
  }
}
