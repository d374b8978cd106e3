import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type CryptoKey,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type JWK,
  type JWTPayload,
  SignJWT,
  UnsecuredJWT,
} from 'jose';
import { THROTTLE_RULES } from '../src/auth/auth.constants';
import { type Emulator, startEmulator } from '@ticket-portal/hubspot-emulator';
import {
  GOOD_PASSWORD,
  linkToken,
  login,
  type LoginBody,
  registerConfirmed,
  emptyRun,
  startTestStack,
  type TestStack,
  uniqueEmail,
  waitForIdleQueue,
} from './helpers/test-stack';
import { waitFor } from './helpers/wait-for';

// Issue 15: sign-in through the host site. The site's backend signs a short-lived JWT for its visitor;
// POST auth/site-token verifies it with jose and opens an ordinary session. Every refusal in the
// issue's matrix is tested here, each one checked to open nothing (no account, no session).

const ISSUER = 'https://shop.example.com';
const AUDIENCE = 'ticket-portal-test';
const SECRET = 'shop-and-portal-share-this-secret-0123456789';
const encoder = new TextEncoder();

type Signer = { alg: 'HS256'; key: Uint8Array } | { alg: 'RS256' | 'ES256'; key: CryptoKey; kid?: string };

function claims(email: string, extra: JWTPayload = {}): JWTPayload {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    iat: now,
    exp: now + 5 * 60,
    jti: randomUUID(),
    email,
    email_verified: true,
    ...extra,
  };
}

function sign(payload: JWTPayload, signer: Signer): Promise<string> {
  const header = signer.alg === 'HS256' ? { alg: signer.alg } : { alg: signer.alg, kid: signer.kid };
  return new SignJWT(payload).setProtectedHeader({ ...header, typ: 'JWT' }).sign(signer.key);
}

/** Claims with any of them removed (undefined) or replaced. */
function without(payload: JWTPayload, ...names: string[]): JWTPayload {
  const copy = { ...payload };
  for (const name of names) delete copy[name];
  return copy;
}

interface ErrorBody {
  code: string;
  message: string;
}

async function count(stack: TestStack, table: 'customers' | 'sessions', email?: string): Promise<number> {
  const [rows] = await stack.db.query(
    table === 'customers' && email
      ? 'SELECT COUNT(*) AS n FROM customers WHERE email = ?'
      : `SELECT COUNT(*) AS n FROM ${table}`,
    email ? [email] : [],
  );
  return Number((rows as Array<{ n: number }>)[0]!.n);
}

function siteSignIn(stack: TestStack, token: unknown, headers: Record<string, string> = {}) {
  return stack.request<LoginBody & ErrorBody>('POST', '/api/v1/auth/site-token', {
    body: { token },
    headers,
  });
}

/** Sends the token and checks it was refused with the message asked for, and that nothing was opened. */
async function expectRefused(stack: TestStack, token: string, email: string, message: RegExp) {
  const sessionsBefore = await count(stack, 'sessions');
  const customersBefore = await count(stack, 'customers', email);
  const response = await siteSignIn(stack, token);
  expect({ status: response.status, code: response.body.code }).toEqual({
    status: 401,
    code: 'SITE_TOKEN_INVALID',
  });
  expect(response.body.message).toMatch(/^Signing in through this website failed: /);
  expect(response.body.message).toMatch(message);
  expect(response.body).not.toHaveProperty('accessToken');
  expect(await count(stack, 'sessions')).toBe(sessionsBefore);
  expect(await count(stack, 'customers', email)).toBe(customersBefore);
}

describe('POST auth/site-token with an HS256 secret (password sign-in on)', () => {
  let emulator: Emulator;
  let stack: TestStack;
  const hs: Signer = { alg: 'HS256', key: encoder.encode(SECRET) };

  beforeAll(async () => {
    // Every suite of a run shares its database: start from empty tables, as useTestStack does.
    await emptyRun();
    emulator = await startEmulator({ port: 0, seed: { tickets: 5, seed: 15 } });
    stack = await startTestStack({
      HUBSPOT_BASE_URL: emulator.url,
      HUBSPOT_ACCESS_TOKEN: emulator.accessToken,
      HUBSPOT_CLIENT_SECRET: emulator.clientSecret,
      SYNC_POLL_SECONDS: '3600',
      SITE_TOKEN_SECRET: SECRET,
      SITE_TOKEN_ISSUER: ISSUER,
      SITE_TOKEN_AUDIENCE: AUDIENCE,
    });
  });

  afterAll(async () => {
    await stack?.close();
    await emulator?.close();
  });

  beforeEach(async () => {
    await waitForIdleQueue(stack);
    await stack.reset();
  });

  it('should open a session for a new email, creating a confirmed account linked to its HubSpot contact', async () => {
    const contact = [...emulator.store.records.contacts.values()].find((c) => !c.archived && c.props.email)!;
    const email = contact.props.email!.toLowerCase();
    const response = await siteSignIn(stack, await sign(claims(email, { name: 'Robin Site' }), hs));
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      accessToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      customer: { email, name: 'Robin Site', confirmedAt: expect.any(String) },
    });
    // An ordinary session: 12 hours like a password sign-in without Remember me.
    const hours = (Date.parse(response.body.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(11.9);
    expect(hours).toBeLessThanOrEqual(12);
    const me = await stack.request('GET', '/api/v1/me', { token: response.body.accessToken });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ email });

    // The worker links the account to the contact with the same email.
    const linked = await waitFor(
      'contact link',
      async () => {
        const [rows] = await stack.db.query('SELECT hubspot_contact_id FROM customers WHERE email = ?', [
          email,
        ]);
        return (rows as Array<{ hubspot_contact_id: string | null }>)[0]?.hubspot_contact_id ?? null;
      },
      (id) => id !== null,
    );
    expect(linked).toBe(contact.id);
  });

  it('should sign an existing password account in without changing its password', async () => {
    const { email } = await registerConfirmed(stack);
    const byPassword = await login(stack, email, GOOD_PASSWORD);
    const bySite = await siteSignIn(stack, await sign(claims(email.toUpperCase()), hs));
    expect(bySite.status).toBe(200);
    expect(bySite.body.customer.id).toBe(byPassword.body.customer.id);
    expect((await login(stack, email, GOOD_PASSWORD)).status).toBe(200);
  });

  it("should confirm a pending registration without making the registration's password usable", async () => {
    // Anyone can register any address: the pending registration's password may be someone else's.
    const email = uniqueEmail('pending');
    await stack.request('POST', '/api/v1/auth/register', { body: { email, password: GOOD_PASSWORD } });
    const mail = await stack.mail.waitFor({ to: email, subject: /Confirm/ }, 10_000);
    const response = await siteSignIn(stack, await sign(claims(email), hs));
    expect(response.status).toBe(200);
    expect(response.body.customer.confirmedAt).not.toBeNull();
    expect((await login(stack, email, GOOD_PASSWORD)).body.code).toBe('INVALID_CREDENTIALS');
    const confirm = await stack.request('POST', '/api/v1/auth/confirm', {
      body: { token: linkToken(mail, 'confirm') },
    });
    expect(confirm.body.code).toBe('TOKEN_INVALID');
    expect((await login(stack, email, GOOD_PASSWORD)).body.code).toBe('INVALID_CREDENTIALS');
  });

  it('should open one account when two tabs sign in for a new email at once', async () => {
    const email = uniqueEmail('tabs');
    const [a, b] = await Promise.all([
      siteSignIn(stack, await sign(claims(email), hs)),
      siteSignIn(stack, await sign(claims(email), hs)),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body.customer.id).toBe(b.body.customer.id);
    expect(await count(stack, 'customers', email)).toBe(1);
  });

  it('should refuse a token signed with another secret', async () => {
    const email = uniqueEmail('forged');
    const forged = await sign(claims(email), { alg: 'HS256', key: encoder.encode(`${SECRET}-not`) });
    await expectRefused(
      stack,
      forged,
      email,
      /signature does not match the shared secret \(SITE_TOKEN_SECRET\)/,
    );
  });

  it('should refuse alg "none", whatever the claims', async () => {
    const email = uniqueEmail('none');
    const unsigned = new UnsecuredJWT(claims(email)).encode();
    await expectRefused(stack, unsigned, email, /signed with "none", but this portal accepts only HS256/);
    // The same with a signature part left in, and with the header's alg spelled differently.
    const [, payload] = unsigned.split('.');
    const header = Buffer.from(JSON.stringify({ alg: 'None', typ: 'JWT' })).toString('base64url');
    await expectRefused(stack, `${header}.${payload}.c2ln`, email, /signed with "None"/);
  });

  it('should refuse an RS256 or ES256 token when the portal holds an HS256 secret', async () => {
    const email = uniqueEmail('rsa');
    for (const alg of ['RS256', 'ES256'] as const) {
      const { privateKey } = await generateKeyPair(alg);
      const token = await sign(claims(email), { alg, key: privateKey });
      await expectRefused(
        stack,
        token,
        email,
        new RegExp(`signed with "${alg}", but this portal accepts only HS256`),
      );
    }
  });

  it('should refuse a wrong audience or issuer, naming the expected value', async () => {
    const email = uniqueEmail('aud');
    await expectRefused(
      stack,
      await sign(claims(email, { aud: 'another-portal' }), hs),
      email,
      /"aud" is "another-portal", but this portal expects "ticket-portal-test" \(SITE_TOKEN_AUDIENCE\)/,
    );
    await expectRefused(
      stack,
      await sign(claims(email, { iss: 'https://evil.example.com' }), hs),
      email,
      /"iss" is "https:\/\/evil.example.com", but this portal expects "https:\/\/shop.example.com" \(SITE_TOKEN_ISSUER\)/,
    );
  });

  it('should refuse an expired token and one not valid yet, allowing 30 seconds of clock skew', async () => {
    const email = uniqueEmail('time');
    const now = Math.floor(Date.now() / 1000);
    await expectRefused(
      stack,
      await sign(claims(email, { iat: now - 300, exp: now - 60 }), hs),
      email,
      /the token expired at .*make a new token for each sign-in/,
    );
    await expectRefused(
      stack,
      await sign(claims(email, { nbf: now + 120 }), hs),
      email,
      /not valid before .* \("nbf"\)/,
    );
    await expectRefused(
      stack,
      await sign(claims(email, { iat: now + 120, exp: now + 300 }), hs),
      email,
      /"iat" is in the future/,
    );
    // Within the tolerance: the site's clock 20 seconds behind or ahead.
    const skewed = await siteSignIn(stack, await sign(claims(email, { iat: now - 300, exp: now - 20 }), hs));
    expect(skewed.status).toBe(200);
    const early = await siteSignIn(stack, await sign(claims(email, { nbf: now + 20 }), hs));
    expect(early.status).toBe(200);
  });

  it('should refuse a token that lives longer than 10 minutes', async () => {
    const email = uniqueEmail('long');
    const now = Math.floor(Date.now() / 1000);
    const message = /lives too long .* at most 10 minutes/;
    await expectRefused(stack, await sign(claims(email, { exp: now + 11 * 60 }), hs), email, message);
    await expectRefused(
      stack,
      await sign(without(claims(email, { exp: now + 11 * 60 }), 'iat'), hs),
      email,
      message,
    );
    // exp within 10 minutes of now, but an iat long before: it was minted to live too long.
    await expectRefused(
      stack,
      await sign(claims(email, { iat: now - 600, exp: now + 60 }), hs),
      email,
      message,
    );
    const tenMinutes = await siteSignIn(stack, await sign(claims(email, { exp: now + 10 * 60 }), hs));
    expect(tenMinutes.status).toBe(200);
  });

  it('should refuse a replayed jti, and a token without one', async () => {
    const email = uniqueEmail('replay');
    const token = await sign(claims(email), hs);
    expect((await siteSignIn(stack, token)).status).toBe(200);
    await expectRefused(stack, token, email, /this token was used already \("jti" seen before\)/);
    // The same jti in a new token is the same replay.
    const jti = randomUUID();
    expect((await siteSignIn(stack, await sign(claims(email, { jti }), hs))).status).toBe(200);
    await expectRefused(stack, await sign(claims(email, { jti }), hs), email, /used already/);
    // Remembered in Redis until the token expires (plus the skew), so every API process sees it.
    const ttl = await stack.redis.pttl((await stack.redis.keys(stack.keys.pattern('site-jti')))[0]!);
    expect(ttl).toBeGreaterThan(4 * 60_000);
    expect(ttl).toBeLessThanOrEqual(5 * 60_000 + 30_000);
    await expectRefused(stack, await sign(without(claims(email), 'jti'), hs), email, /has no "jti" claim/);
    await expectRefused(
      stack,
      await sign(claims(email, { jti: 42 as unknown as string }), hs),
      email,
      /"jti" must be a unique string/,
    );
  });

  it('should refuse an email the site has not verified, and a missing or malformed email', async () => {
    const email = uniqueEmail('unverified');
    const message = /has not verified this email address \("email_verified" is not true\)/;
    await expectRefused(stack, await sign(claims(email, { email_verified: false }), hs), email, message);
    await expectRefused(stack, await sign(claims(email, { email_verified: 'true' }), hs), email, message);
    await expectRefused(
      stack,
      await sign(without(claims(email), 'email_verified'), hs),
      email,
      /has no "email_verified" claim/,
    );
    await expectRefused(
      stack,
      await sign(without(claims(email), 'email'), hs),
      email,
      /has no "email" claim/,
    );
    await expectRefused(
      stack,
      await sign(claims('not-an-address'), hs),
      'not-an-address',
      /"email" is not an email address/,
    );
    await expectRefused(stack, await sign(claims(email, { name: 42 }), hs), email, /"name" must be text/);
  });

  it('should refuse what is not a JWT with 401, and a missing token with 400', async () => {
    await expectRefused(stack, 'not.a.jwt', 'x@example.com', /not a signed JWT/);
    await expectRefused(stack, 'eyJhbGciOiJIUzI1NiJ9', 'x@example.com', /not a signed JWT/);
    const missing = await stack.request<ErrorBody>('POST', '/api/v1/auth/site-token', { body: {} });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'VALIDATION_FAILED' });
    const long = await siteSignIn(stack, 'a'.repeat(9000));
    expect(long.status).toBe(400);
    expect(long.body.message).toMatch(/at most 8192 characters/);
    expect((await siteSignIn(stack, 12)).status).toBe(400);
  });

  it('should limit site-token sign-ins per IP address', async () => {
    const limit = THROTTLE_RULES.siteTokenPerIp.limit;
    for (let i = 0; i < limit; i++) expect((await siteSignIn(stack, 'not.a.jwt')).status).toBe(401);
    const valid = await sign(claims(uniqueEmail('limited')), hs);
    const blocked = await siteSignIn(stack, valid);
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'RATE_LIMITED' });
    expect(blocked.body.message).toMatch(/Too many sign-in requests. Try again in \d+ minutes/);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('should tell the widget that both sign-in methods are on', async () => {
    const portal = await stack.request('GET', '/api/v1/portal');
    expect(portal.body).toMatchObject({ signIn: { password: true, siteToken: true } });
  });
});

describe('POST auth/site-token with a JWKS (RS256/ES256), password sign-in off', () => {
  let stack: TestStack;
  let jwksServer: Server;
  let jwksFetches = 0;
  let rsa: { privateKey: CryptoKey; publicKey: CryptoKey };
  let ec: { privateKey: CryptoKey; publicKey: CryptoKey };
  let rs: Signer;
  let es: Signer;

  beforeAll(async () => {
    rsa = await generateKeyPair('RS256');
    ec = await generateKeyPair('ES256');
    rs = { alg: 'RS256', key: rsa.privateKey, kid: 'shop-rsa-1' };
    es = { alg: 'ES256', key: ec.privateKey, kid: 'shop-ec-1' };
    const keys: JWK[] = [
      { ...(await exportJWK(rsa.publicKey)), kid: 'shop-rsa-1', alg: 'RS256', use: 'sig' },
      { ...(await exportJWK(ec.publicKey)), kid: 'shop-ec-1', alg: 'ES256', use: 'sig' },
    ];
    // The site's JWKS URL, served locally.
    jwksServer = createServer((_req, res) => {
      jwksFetches += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    stack = await startTestStack({
      SITE_TOKEN_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
      SITE_TOKEN_ISSUER: ISSUER,
      SITE_TOKEN_AUDIENCE: AUDIENCE,
      PASSWORD_LOGIN: 'off',
    });
  });

  afterAll(async () => {
    await stack?.close();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  beforeEach(async () => {
    await waitForIdleQueue(stack);
    await stack.reset();
  });

  it('should accept RS256 and ES256 tokens signed with keys the site publishes, fetching the keys once', async () => {
    const email = uniqueEmail('jwks');
    const first = await siteSignIn(stack, await sign(claims(email), rs));
    expect(first.status).toBe(200);
    const second = await siteSignIn(stack, await sign(claims(email), es));
    expect(second.status).toBe(200);
    expect(second.body.customer.id).toBe(first.body.customer.id);
    expect(jwksFetches).toBe(1);
  });

  it('should refuse an HS256 token signed with the public key as its secret (key confusion)', async () => {
    const email = uniqueEmail('confused');
    const pem = await exportSPKI(rsa.publicKey);
    const jwk = JSON.stringify(await exportJWK(rsa.publicKey));
    for (const secret of [pem, jwk]) {
      const token = await sign(claims(email), { alg: 'HS256', key: encoder.encode(secret) });
      await expectRefused(
        stack,
        token,
        email,
        /signed with "HS256", but this portal accepts only RS256 or ES256/,
      );
    }
    await expectRefused(stack, new UnsecuredJWT(claims(email)).encode(), email, /signed with "none"/);
  });

  it('should refuse a token signed with a key the site does not publish', async () => {
    const email = uniqueEmail('stranger');
    const stranger = await generateKeyPair('RS256');
    await expectRefused(
      stack,
      await sign(claims(email), { alg: 'RS256', key: stranger.privateKey, kid: 'shop-rsa-1' }),
      email,
      /signature does not match the keys at SITE_TOKEN_JWKS_URL/,
    );
    await expectRefused(
      stack,
      await sign(claims(email), { alg: 'RS256', key: stranger.privateKey, kid: 'made-up' }),
      email,
      /no key at SITE_TOKEN_JWKS_URL matches the token's header/,
    );
    // The EC key's kid on an RS256 token: no key of that kind under that name.
    await expectRefused(
      stack,
      await sign(claims(email), { alg: 'RS256', key: rsa.privateKey, kid: 'shop-ec-1' }),
      email,
      /no key at SITE_TOKEN_JWKS_URL matches/,
    );
  });

  it('should refuse the password routes with 403 LOGIN_METHOD_DISABLED naming the setting', async () => {
    const email = uniqueEmail('off');
    const routes: Array<[string, unknown]> = [
      ['auth/login', { email, password: GOOD_PASSWORD }],
      ['auth/register', { email, password: GOOD_PASSWORD }],
      ['auth/confirm', { token: 'A'.repeat(43) }],
      ['auth/confirm/resend', { email }],
      ['auth/password/forgot', { email }],
      ['auth/password/reset', { token: 'A'.repeat(43), password: GOOD_PASSWORD }],
      // Even an invalid body: the method is off, whatever is sent.
      ['auth/login', {}],
    ];
    for (const [path, body] of routes) {
      const response = await stack.request<ErrorBody>('POST', `/api/v1/${path}`, { body });
      expect({ path, status: response.status, code: response.body.code }).toEqual({
        path,
        status: 403,
        code: 'LOGIN_METHOD_DISABLED',
      });
      expect(response.body.message).toMatch(/password is turned off for this portal \(PASSWORD_LOGIN=off\)/);
    }
    await waitForIdleQueue(stack);
    expect(stack.mail.messages()).toHaveLength(0);
    expect((await siteSignIn(stack, await sign(claims(email), rs))).status).toBe(200);
  });

  it('should tell the widget that only site tokens are on', async () => {
    const portal = await stack.request('GET', '/api/v1/portal');
    expect(portal.body).toMatchObject({ signIn: { password: false, siteToken: true } });
  });
});
