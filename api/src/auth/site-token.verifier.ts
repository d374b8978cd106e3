import { Inject, Injectable, Logger } from '@nestjs/common';
import { isEmail } from 'class-validator';
import { Redis } from 'ioredis';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  type JWTPayload,
  jwtVerify,
  type JWTVerifyGetKey,
} from 'jose';
import { sha256Hex } from '../common/crypto.util';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { REDIS } from '../common/redis/redis.module';
import { AppConfig, type SiteTokenConfig } from '../config/app-config';

/** Clocks of the site and the portal may differ by this much (exp, nbf, iat). */
export const SITE_TOKEN_CLOCK_TOLERANCE_SECONDS = 30;
/** A site token is a bearer credential in a web page: it must die quickly. */
export const SITE_TOKEN_MAX_LIFETIME_SECONDS = 10 * 60;
export const SITE_TOKEN_MAX_LENGTH = 8192;

// The only algorithms each key source accepts. A secret verifies HS256 only and a JWKS RS256/ES256
// only, so a token signed with the site's public key as an HMAC secret, or with alg "none", never
// reaches a verification (jose checks the header's alg against this list first).
export const SITE_TOKEN_ALGORITHMS = { secret: ['HS256'], jwks: ['RS256', 'ES256'] } as const;

/** What a verified site token says about the visitor. */
export interface SiteIdentity {
  email: string;
  name: string | null;
}

const PREFIX = 'Signing in through this website failed';

function refused(detail: string): AppError {
  return new AppError(ErrorCode.SITE_TOKEN_INVALID, `${PREFIX}: ${detail}`);
}

function time(seconds: unknown): string {
  return typeof seconds === 'number' && Number.isFinite(seconds)
    ? new Date(seconds * 1000).toISOString()
    : String(seconds);
}

// Whether an error from a JWKS verification means the site's key set could not be read (not the
// token's fault: the caller may try again).
function isKeySetUnavailable(error: unknown): boolean {
  if (error instanceof errors.JWKSTimeout || error instanceof errors.JWKSInvalid) return true;
  // jose rethrows fetch's own errors (refused connection, DNS) and uses the base class for a non-200.
  return !(error instanceof errors.JOSEError) || error.constructor === errors.JOSEError;
}

/**
 * Verifies the short-lived JWT a host site mints for its signed-in visitor (POST auth/site-token)
 * with `jose`, and remembers its `jti` in Redis until it expires so it opens at most one session,
 * whichever API process sees it. See docs/embedding.md and ADR 0010.
 */
@Injectable()
export class SiteTokenVerifier {
  private readonly logger = new Logger(SiteTokenVerifier.name);
  private readonly settings: SiteTokenConfig | null;
  private readonly key: Uint8Array | JWTVerifyGetKey | null;

  constructor(
    config: AppConfig,
    @Inject(REDIS) private readonly redis: Redis,
  ) {
    this.settings = config.siteToken;
    if (this.settings?.kind === 'secret') this.key = new TextEncoder().encode(this.settings.secret);
    else if (this.settings?.kind === 'jwks') {
      // Cached for 10 minutes; an unknown kid refetches at most every 30 s (a key rotation is picked up
      // without letting a stream of made-up kids hammer the site). Per process, rebuilt from the URL.
      this.key = createRemoteJWKSet(new URL(this.settings.jwksUrl), {
        timeoutDuration: 5_000,
        cooldownDuration: 30_000,
        cacheMaxAge: 10 * 60_000,
      });
    } else this.key = null;
  }

  /** Throws LOGIN_METHOD_DISABLED (403) unless the operator configured site tokens. */
  assertEnabled(): void {
    if (!this.settings || !this.key) {
      throw new AppError(
        ErrorCode.LOGIN_METHOD_DISABLED,
        'Signing in through the host website is not set up on this portal: its operator sets SITE_TOKEN_SECRET or SITE_TOKEN_JWKS_URL with SITE_TOKEN_ISSUER and SITE_TOKEN_AUDIENCE to turn it on.',
      );
    }
  }

  /** Throws SITE_TOKEN_INVALID (401) saying what is wrong, or DEPENDENCY_UNAVAILABLE (503) when the JWKS cannot be read. */
  async verify(token: string, now = new Date()): Promise<SiteIdentity> {
    this.assertEnabled();
    const settings = this.settings!;
    const key = this.key!;
    const algorithms = [...SITE_TOKEN_ALGORITHMS[settings.kind]];
    let payload: JWTPayload;
    try {
      const options = {
        algorithms,
        issuer: settings.issuer,
        audience: settings.audience,
        clockTolerance: SITE_TOKEN_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['exp', 'jti', 'email', 'email_verified'],
        currentDate: now,
      };
      // Two calls rather than one union: jose types the key argument of each overload on its own.
      payload =
        key instanceof Uint8Array
          ? (await jwtVerify(token, key, options)).payload
          : (await jwtVerify(token, key, options)).payload;
    } catch (error) {
      throw this.explain(error, token, settings, algorithms);
    }
    const identity = this.checkClaims(payload, now);
    await this.spend(settings, payload, now);
    return identity;
  }

  private explain(error: unknown, token: string, settings: SiteTokenConfig, algorithms: string[]): AppError {
    const keyName =
      settings.kind === 'secret'
        ? 'the shared secret (SITE_TOKEN_SECRET)'
        : 'the keys at SITE_TOKEN_JWKS_URL';
    if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported) {
      let alg = 'an unknown algorithm';
      try {
        alg = JSON.stringify(decodeProtectedHeader(token).alg ?? 'none');
      } catch {
        // the header could not be read: keep the generic wording
      }
      return refused(
        `the token is signed with ${alg}, but this portal accepts only ${algorithms.join(' or ')} tokens, verified with ${keyName}.`,
      );
    }
    if (error instanceof errors.JWSSignatureVerificationFailed) {
      return refused(`the token's signature does not match ${keyName}.`);
    }
    if (error instanceof errors.JWKSNoMatchingKey) {
      return refused(
        `no key at SITE_TOKEN_JWKS_URL matches the token's header (its "kid" and "alg"); the site must sign with a key it publishes there.`,
      );
    }
    if (error instanceof errors.JWKSMultipleMatchingKeys) {
      return refused(
        `several keys at SITE_TOKEN_JWKS_URL match the token; give each key a "kid" and put it in the token's header.`,
      );
    }
    if (error instanceof errors.JWTExpired) {
      return refused(
        `the token expired at ${time(error.payload.exp)}. The website must make a new token for each sign-in; reload the page to try again.`,
      );
    }
    if (error instanceof errors.JWTClaimValidationFailed) {
      return refused(this.describeClaim(error, settings));
    }
    if (error instanceof errors.JWSInvalid || error instanceof errors.JWTInvalid) {
      return refused(
        'the token is not a signed JWT (three base64url parts separated by dots, with a JSON header and claims).',
      );
    }
    if (settings.kind === 'jwks' && isKeySetUnavailable(error)) {
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Could not read the site's JWKS at ${settings.jwksUrl}: ${reason}`);
      return new AppError(
        ErrorCode.DEPENDENCY_UNAVAILABLE,
        "The portal could not fetch the website's signing keys (SITE_TOKEN_JWKS_URL) to check the sign-in token. Try again in a minute.",
        { retryAfterSeconds: 30, cause: error },
      );
    }
    if (error instanceof errors.JOSEError) {
      return refused(`the token could not be verified (${error.message}).`);
    }
    throw error;
  }

  private describeClaim(
    error: InstanceType<typeof errors.JWTClaimValidationFailed>,
    settings: SiteTokenConfig,
  ): string {
    const { claim, reason, payload } = error;
    if (reason === 'missing') {
      return `the token has no "${claim}" claim; the website must include iss, aud, exp, jti, email and email_verified.`;
    }
    switch (claim) {
      case 'iss':
        return `the token's "iss" is ${JSON.stringify(payload.iss)}, but this portal expects ${JSON.stringify(settings.issuer)} (SITE_TOKEN_ISSUER).`;
      case 'aud':
        return `the token's "aud" is ${JSON.stringify(payload.aud)}, but this portal expects ${JSON.stringify(settings.audience)} (SITE_TOKEN_AUDIENCE).`;
      case 'nbf':
        return `the token is not valid before ${time(payload.nbf)} ("nbf"). Check the website's clock.`;
      case 'iat':
        return `the token's "iat" is in the future (${time(payload.iat)}). Check the website's clock.`;
      default:
        return `the token's "${claim}" claim is not valid (${error.message}).`;
    }
  }

  private checkClaims(payload: JWTPayload, now: Date): SiteIdentity {
    const nowSeconds = now.getTime() / 1000;
    const exp = payload.exp!;
    const tolerance = SITE_TOKEN_CLOCK_TOLERANCE_SECONDS;
    const max = SITE_TOKEN_MAX_LIFETIME_SECONDS;
    if (payload.iat !== undefined && payload.iat > nowSeconds + tolerance) {
      throw refused(`the token's "iat" is in the future (${time(payload.iat)}). Check the website's clock.`);
    }
    if (exp - nowSeconds > max + tolerance || (payload.iat !== undefined && exp - payload.iat > max)) {
      throw refused(
        `the token lives too long (exp ${time(exp)}): a site token may be valid for at most ${max / 60} minutes.`,
      );
    }
    if (typeof payload.jti !== 'string' || payload.jti.length === 0 || payload.jti.length > 255) {
      throw refused('the token\'s "jti" must be a unique string of 1–255 characters (e.g. a random UUID).');
    }
    const email = payload.email;
    if (typeof email !== 'string' || email.length > 254 || /\p{Cs}/u.test(email) || !isEmail(email.trim())) {
      throw refused('the token\'s "email" is not an email address.');
    }
    if (payload.email_verified !== true) {
      throw refused(
        'the website has not verified this email address ("email_verified" is not true), so it cannot be used to open the portal account.',
      );
    }
    let name: string | null = null;
    if (payload.name !== undefined && payload.name !== null) {
      if (
        typeof payload.name !== 'string' ||
        payload.name.trim().length > 200 ||
        /\p{Cs}/u.test(payload.name)
      ) {
        throw refused('the token\'s "name" must be text of at most 200 characters.');
      }
      name = payload.name.trim() || null;
    }
    return { email: email.trim().toLowerCase(), name };
  }

  // The first use of a jti wins in every API process; the record lives until the token could no
  // longer pass the exp check anyway.
  private async spend(settings: SiteTokenConfig, payload: JWTPayload, now: Date): Promise<void> {
    const key = `tp:site-jti:${sha256Hex(`${settings.issuer}\n${String(payload.jti)}`)}`;
    const ttlMs = Math.max(
      1000,
      Math.ceil((payload.exp! + SITE_TOKEN_CLOCK_TOLERANCE_SECONDS) * 1000 - now.getTime()),
    );
    const first = await this.redis.set(key, '1', 'PX', ttlMs, 'NX');
    if (first === null) {
      throw refused(
        'this token was used already ("jti" seen before). The website must make a new token for each sign-in; reload the page to try again.',
      );
    }
  }
}
