import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthCoreModule } from '../auth/auth-core.module';
import { SessionService } from '../auth/session.service';
import { normalizeEmail } from '../common/crypto.util';
import { loadConfigOrExit } from '../common/process.util';
import type { AppConfig } from '../config/app-config';
import { CoreModule } from '../core.module';
import { CustomersService } from '../customers/customers.service';

const USAGE = 'Usage: npm run account:sign-out -w api -- --email customer@example.com\n';

export interface SignOutAccountResult {
  /** Whether an account has that email. */
  found: boolean;
  /** Sessions that were open and are now revoked. */
  sessions: number;
}

@Module({})
class SignOutAccountModule {
  static forRoot(config: AppConfig): DynamicModule {
    return { module: SignOutAccountModule, imports: [CoreModule.forRoot(config), AuthCoreModule] };
  }
}

/**
 * Signs an account out everywhere, at once: the sessions are revoked in MySQL, marked invalid in
 * Redis and announced on the revocation channel that every API process listens to (the path a
 * password reset takes), so no process keeps trusting a cached validation and open event streams
 * close. Deleting session rows by hand in SQL does none of that: cached validations would stay
 * good for up to a minute.
 */
export async function signOutAccount(config: AppConfig, email: string): Promise<SignOutAccountResult> {
  const app = await NestFactory.createApplicationContext(SignOutAccountModule.forRoot(config), {
    logger: false,
  });
  try {
    const customer = await app.get(CustomersService).findByEmail(normalizeEmail(email));
    if (!customer) return { found: false, sessions: 0 };
    return { found: true, sessions: await app.get(SessionService).revokeAll(customer.id) };
  } finally {
    await app.close();
  }
}

async function cli(): Promise<void> {
  let email: string | undefined;
  try {
    ({
      values: { email },
    } = parseArgs({ options: { email: { type: 'string' } }, strict: true }));
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${USAGE}`);
    process.exit(2);
  }
  if (!email) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const config = loadConfigOrExit('account:sign-out');
  try {
    const result = await signOutAccount(config, email);
    if (!result.found) {
      process.stderr.write(`No account has the email ${email}.\n`);
      process.exit(1);
    }
    process.stdout.write(`Signed ${email} out of ${result.sessions} session(s) in every API process.\n`);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
}

if (require.main === module) void cli();
