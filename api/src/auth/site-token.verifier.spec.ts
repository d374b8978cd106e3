import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { Redis } from 'ioredis';
import { generateKeyPair, SignJWT } from 'jose';
import { AppError } from '../common/errors/app-error';
import { loadConfig } from '../config/app-config';
import { SiteTokenVerifier } from './site-token.verifier';

// The refusals that need no database: the token matrix itself is tested through HTTP in
// test/site-token.integration-spec.ts.

const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/1';
const site = { SITE_TOKEN_ISSUER: 'https://shop.example.com', SITE_TOKEN_AUDIENCE: 'portal' };

async function refusal(verifier: SiteTokenVerifier, token: string): Promise<AppError> {
  try {
    await verifier.verify(token);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('the token was accepted');
}

describe(SiteTokenVerifier.name, () => {
  let redis: Redis;
  let server: Server;
  let answer: (res: import('node:http').ServerResponse) => void;
  let token: string;

  beforeAll(async () => {
    // The 503 cases log a warning by design; keep the test output readable.
    Logger.overrideLogger(false);
    redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: true });
    server = createServer((_req, res) => answer(res));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { privateKey } = await generateKeyPair('RS256');
    const now = Math.floor(Date.now() / 1000);
    token = await new SignJWT({ email: 'a@example.com', email_verified: true, jti: 'j1' })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuer(site.SITE_TOKEN_ISSUER)
      .setAudience(site.SITE_TOKEN_AUDIENCE)
      .setExpirationTime(now + 60)
      .sign(privateKey);
  });

  afterAll(async () => {
    redis.disconnect();
    await new Promise((resolve) => server.close(resolve));
  });

  const verifierFor = (jwksUrl: string) =>
    new SiteTokenVerifier(
      loadConfig({ HUBSPOT_ACCESS_TOKEN: 't', ...site, SITE_TOKEN_JWKS_URL: jwksUrl }),
      redis,
    );

  it('should answer 403 LOGIN_METHOD_DISABLED when the operator set no site-token key', async () => {
    const verifier = new SiteTokenVerifier(loadConfig({ HUBSPOT_ACCESS_TOKEN: 't' }), redis);
    const error = await refusal(verifier, token);
    expect(error).toMatchObject({ code: 'LOGIN_METHOD_DISABLED', status: 403 });
    expect(error.message).toMatch(/SITE_TOKEN_SECRET or SITE_TOKEN_JWKS_URL/);
  });

  it("should answer 503 when the site's JWKS cannot be read, never 401 or 500", async () => {
    answer = (res) => res.writeHead(500).end('down');
    const { port } = server.address() as AddressInfo;
    const broken = await refusal(verifierFor(`http://127.0.0.1:${port}/jwks.json`), token);
    expect(broken).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE', status: 503 });
    expect(broken.message).toMatch(/could not fetch the website's signing keys \(SITE_TOKEN_JWKS_URL\)/);

    answer = (res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"keys": 3}');
    const invalid = await refusal(verifierFor(`http://127.0.0.1:${port}/bad.json`), token);
    expect(invalid).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });

    // Nothing listens on port 9 (discard): a refused connection.
    const refused = await refusal(verifierFor('http://127.0.0.1:9/jwks.json'), token);
    expect(refused).toMatchObject({ code: 'DEPENDENCY_UNAVAILABLE' });
  });
});
