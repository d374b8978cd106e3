import { Injectable } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { normalizeEmail, randomToken, sha256Hex } from '../common/crypto.util';
import { ContactLinkQueue } from '../customers/contact-link.queue';
import { CustomerDto } from '../customers/customer.dto';
import type { Customer } from '../customers/customer.entity';
import { CustomersService } from '../customers/customers.service';
import { MailJobName } from '../mail/mail-queue.constants';
import { MailQueue } from '../mail/mail-queue.service';
import { QueryFailedError } from 'typeorm';
import { ACCOUNT_GUARD, LOGIN_LOCK, THROTTLE_RULES } from './auth.constants';
import { PasswordHasher } from './password-hasher.service';
import { checkPassword } from './password-policy';
import { SessionService } from './session.service';
import { clientAddressKey, describeWait, type ThrottleRule, ThrottleService } from './throttle.service';
import { OneTimeTokenService } from './one-time-token.service';
import { type SiteIdentity, SiteTokenVerifier } from './site-token.verifier';

export interface ConfirmResult {
  customer: Customer;
  // True when the link confirmed the address without a password (the owner must choose one).
  choosePassword: boolean;
}

export interface LoginResult {
  accessToken: string;
  expiresAt: string;
  customer: CustomerDto;
}

// Lock and failures per (client address, account); the pause on an account; addresses that signed in.
const LOGIN_SCOPE = 'login-pair';
const ACCOUNT_SCOPE = 'login-account';
const KNOWN_ADDRESS_SCOPE = 'login-known';

export const INVALID_CREDENTIALS_MESSAGE =
  'The email or password is not correct. Check both and try again, or use Forgot password to set a new password.';

// Throttle keys use the email's hash: no address is written to Redis, and unknown emails count the same way.
function emailKey(email: string): string {
  return sha256Hex(normalizeEmail(email));
}

function isDuplicateEntry(error: unknown): boolean {
  return (
    error instanceof QueryFailedError && (error.driverError as { code?: string }).code === 'ER_DUP_ENTRY'
  );
}

function pairKey(ip: string, account: string): string {
  return sha256Hex(`${clientAddressKey(ip)}\n${account}`);
}

function addressLocked(seconds: number): AppError {
  return new AppError(
    ErrorCode.ACCOUNT_LOCKED,
    `Too many failed sign-in attempts for this email from your network. Try again in ${describeWait(seconds)}, or use Forgot password to set a new password.`,
    { retryAfterSeconds: seconds },
  );
}

@Injectable()
export class AuthService {
  constructor(
    private readonly customers: CustomersService,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly tokens: OneTimeTokenService,
    private readonly throttle: ThrottleService,
    private readonly mailQueue: MailQueue,
    private readonly contactLinks: ContactLinkQueue,
    private readonly siteTokens: SiteTokenVerifier,
  ) {}

  private async enforce(rules: Array<[ThrottleRule, string]>, what: string): Promise<void> {
    for (const [rule, subject] of rules) {
      const result = await this.throttle.hit(rule, subject);
      if (!result.allowed) {
        throw new AppError(
          ErrorCode.RATE_LIMITED,
          `Too many ${what} requests. Try again in ${describeWait(result.retryAfterSeconds)}.`,
          { retryAfterSeconds: result.retryAfterSeconds },
        );
      }
    }
  }

  private assertStrongPassword(password: string, email?: string): void {
    const problem = checkPassword(password, email);
    if (problem) {
      throw new AppError(ErrorCode.WEAK_PASSWORD, `password: ${problem}`, { fields: { password: problem } });
    }
  }

  // Same status, body and work (one argon2 hash, one queue write) whether or not the email is known.
  async register(email: string, password: string, ip: string): Promise<void> {
    // The strength estimate costs CPU and runs before the per-email limit (a refused password must
    // not use up someone's registrations), so it has its own looser per-IP limit.
    await this.enforce([[THROTTLE_RULES.registerAttemptsPerIp, clientAddressKey(ip)]], 'registration');
    this.assertStrongPassword(password, email);
    await this.enforce(
      [
        [THROTTLE_RULES.registerPerIp, clientAddressKey(ip)],
        [THROTTLE_RULES.registerPerEmail, emailKey(email)],
      ],
      'registration',
    );
    const passwordHash = await this.hasher.hash(password);
    await this.mailQueue.enqueue({
      name: MailJobName.Register,
      data: { email: normalizeEmail(email), passwordHash },
    });
  }

  async resendConfirmation(email: string, ip: string): Promise<void> {
    await this.enforce(
      [
        [THROTTLE_RULES.resendPerIp, clientAddressKey(ip)],
        [THROTTLE_RULES.resendPerEmail, emailKey(email)],
      ],
      'confirmation email',
    );
    await this.mailQueue.enqueue({
      name: MailJobName.ResendConfirmation,
      data: { email: normalizeEmail(email) },
    });
  }

  async forgotPassword(email: string, ip: string): Promise<void> {
    await this.enforce(
      [
        [THROTTLE_RULES.forgotPerIp, clientAddressKey(ip)],
        [THROTTLE_RULES.forgotPerEmail, emailKey(email)],
      ],
      'password reset',
    );
    await this.mailQueue.enqueue({
      name: MailJobName.ForgotPassword,
      data: { email: normalizeEmail(email) },
    });
  }

  // The first link used confirms the account with the password of the registration it was mailed for
  // (using it retires every other confirmation link). A link that carries no password (a resend after
  // several registrations) confirms the address with an unusable password: the owner picks one with
  // Forgot password, so nobody else's registration can decide it.
  async confirmEmail(token: string, ip: string): Promise<ConfirmResult> {
    await this.enforce([[THROTTLE_RULES.tokenPerIp, clientAddressKey(ip)]], 'link');
    const row = await this.tokens.consume(token, 'confirm');
    const customer = await this.customers.findById(row.customerId);
    if (!customer) {
      throw new AppError(
        ErrorCode.TOKEN_INVALID,
        'This confirmation link belongs to an account that no longer exists.',
      );
    }
    const passwordHash = row.pendingPasswordHash ?? (await this.hasher.hash(randomToken()));
    const confirmedNow = await this.customers.markConfirmed(customer.id, new Date(), passwordHash);
    // The address is proven now: link it to its HubSpot contact in the worker.
    await this.contactLinks.enqueueQuietly(customer.id);
    return { customer, choosePassword: confirmedNow && row.pendingPasswordHash === null };
  }

  // The reset mail proves the person owns the address, so an unconfirmed account is confirmed too.
  async resetPassword(token: string, password: string, ip: string): Promise<Customer> {
    await this.enforce([[THROTTLE_RULES.tokenPerIp, clientAddressKey(ip)]], 'link');
    this.assertStrongPassword(password);
    const pending = await this.tokens.peek(token, 'reset');
    const owner = await this.customers.findById(pending.customerId);
    if (!owner) {
      throw new AppError(
        ErrorCode.TOKEN_INVALID,
        'This password reset link belongs to an account that no longer exists.',
      );
    }
    this.assertStrongPassword(password, owner.email);
    const passwordHash = await this.hasher.hash(password);
    await this.tokens.consume(token, 'reset');
    const now = new Date();
    // The reset proves the mailbox; confirmation links still out there must not set another password.
    await this.tokens.retireAll(owner.id, 'confirm', now);
    await this.customers.update(owner.id, { passwordHash, confirmedAt: owner.confirmedAt ?? now });
    await this.sessions.revokeAll(owner.id, now);
    // The reset proves the mailbox: lift the pause on the account and this address's lock.
    const account = emailKey(owner.email);
    await this.throttle.clearHits(ACCOUNT_GUARD.rule, account);
    await this.throttle.unlock(ACCOUNT_SCOPE, account);
    await this.throttle.clearFailures(LOGIN_SCOPE, pairKey(ip, account), true);
    if (!owner.hubspotContactId) await this.contactLinks.enqueueQuietly(owner.id);
    return { ...owner, passwordHash, confirmedAt: owner.confirmedAt ?? now };
  }

  // Called by the passport-local strategy. Unknown emails cost one argon2 verification like known ones,
  // and are throttled and locked exactly like them.
  async verifyCredentials(email: string, password: string, ip: string): Promise<Customer> {
    const account = emailKey(email);
    const pair = pairKey(ip, account);
    const lockedFor = await this.throttle.lockedFor(LOGIN_SCOPE, pair);
    if (lockedFor > 0) throw addressLocked(lockedFor);
    await this.enforce(
      [
        [THROTTLE_RULES.loginPerIp, clientAddressKey(ip)],
        [THROTTLE_RULES.loginPerPair, pair],
      ],
      'sign-in',
    );
    const guardedFor = await this.throttle.lockedFor(ACCOUNT_SCOPE, account);
    if (guardedFor > 0 && !(await this.throttle.remembers(KNOWN_ADDRESS_SCOPE, pair))) {
      throw new AppError(
        ErrorCode.ACCOUNT_LOCKED,
        `Signing in to this account is paused after many failed attempts from different places. Use Forgot password to set a new password (that ends the pause at once), or try again in ${describeWait(guardedFor)}.`,
        { retryAfterSeconds: guardedFor },
      );
    }
    const customer = await this.customers.findByEmail(email);
    const valid = customer
      ? await this.hasher.verify(customer.passwordHash, password)
      : await this.hasher.verifyAgainstDummy(password);
    if (!customer || !valid) {
      const failures = await this.throttle.hit(ACCOUNT_GUARD.rule, account);
      if (!failures.allowed) await this.throttle.lock(ACCOUNT_SCOPE, account, ACCOUNT_GUARD.lockSeconds);
      const locked = await this.throttle.recordFailure(LOGIN_SCOPE, pair, LOGIN_LOCK);
      if (locked) throw addressLocked(LOGIN_LOCK.lockSeconds);
      throw new AppError(ErrorCode.INVALID_CREDENTIALS, INVALID_CREDENTIALS_MESSAGE);
    }
    // The owner's password, from an address allowed to try: the failures before it did not matter.
    await this.throttle.clearFailures(LOGIN_SCOPE, pair);
    await this.throttle.clearHits(ACCOUNT_GUARD.rule, account);
    if (guardedFor > 0) await this.throttle.unlock(ACCOUNT_SCOPE, account);
    await this.throttle.remember(KNOWN_ADDRESS_SCOPE, pair, ACCOUNT_GUARD.knownAddressSeconds);
    // Only someone who knows the password learns that the account waits for confirmation.
    if (customer.confirmedAt === null) {
      throw new AppError(
        ErrorCode.ACCOUNT_UNCONFIRMED,
        'Your email address is not confirmed yet. Open the link in the confirmation email we sent you, or ask us to send it again.',
      );
    }
    return customer;
  }

  async login(customer: Customer, remember: boolean): Promise<LoginResult> {
    const session = await this.sessions.issue(customer.id, remember);
    return {
      accessToken: session.accessToken,
      expiresAt: session.expiresAt.toISOString(),
      customer: CustomerDto.from(customer),
    };
  }

  // Sign-in through the host site (ADR 0010): its backend vouches for the visitor's verified email
  // with a short-lived signed token, and the visitor gets an ordinary session, without a password.
  async signInWithSiteToken(token: string, ip: string): Promise<LoginResult> {
    this.siteTokens.assertEnabled();
    await this.enforce([[THROTTLE_RULES.siteTokenPerIp, clientAddressKey(ip)]], 'sign-in');
    const identity = await this.siteTokens.verify(token);
    const customer = await this.openSiteAccount(identity);
    return this.login(customer, false);
  }

  // The site has verified the address, which is what a confirmation link proves: a new address gets a
  // confirmed account, an unconfirmed one is confirmed. Neither gets a usable password (the owner can
  // choose one with Forgot password where password sign-in is on).
  private async openSiteAccount(identity: SiteIdentity): Promise<Customer> {
    const now = new Date();
    let customer = await this.customers.findByEmail(identity.email);
    if (!customer) {
      const passwordHash = await this.hasher.hash(randomToken());
      try {
        customer = await this.customers.create({
          email: identity.email,
          passwordHash,
          name: identity.name,
          confirmedAt: now,
        });
      } catch (error) {
        // Two tabs signing in at once: the other request created it.
        if (!isDuplicateEntry(error)) throw error;
        customer = await this.customers.findByEmail(identity.email);
        if (!customer) throw error;
      }
    }
    if (customer.confirmedAt === null) {
      // A pending registration's password (perhaps typed by someone else) must not become usable,
      // and its confirmation links must not set one later.
      const passwordHash = await this.hasher.hash(randomToken());
      await this.customers.markConfirmed(customer.id, now, passwordHash);
      await this.tokens.retireAll(customer.id, 'confirm', now);
      customer = { ...customer, confirmedAt: now, passwordHash };
    }
    if (identity.name !== null && identity.name !== customer.name) {
      // The site knows its visitor's name better than a registration that never asked for one.
      await this.customers.update(customer.id, { name: identity.name });
      customer = { ...customer, name: identity.name };
    }
    if (!customer.hubspotContactId) await this.contactLinks.enqueueQuietly(customer.id);
    return customer;
  }

  async logout(tokenHash: string): Promise<void> {
    await this.sessions.revoke(tokenHash);
  }
}
