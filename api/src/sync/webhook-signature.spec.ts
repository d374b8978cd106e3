import { createHmac } from 'node:crypto';
import { normaliseSignedUri, signedUriFor, signHubSpotV3, verifyHubSpotV3 } from './webhook-signature';

const SECRET = 'emulator-secret';
const URI = 'https://portal.example.com/api/v1/webhooks/hubspot';
const BODY = '[{"eventId":1,"subscriptionType":"ticket.creation","objectId":7,"occurredAt":1700000000000}]';
const NOW = 1_700_000_000_000;

function independentSignature(secret: string, source: string): string {
  return createHmac('sha256', secret).update(source, 'utf8').digest('base64');
}

describe('verifyHubSpotV3', () => {
  const signed = (overrides: Partial<Parameters<typeof verifyHubSpotV3>[1]> = {}) => ({
    method: 'POST',
    uri: URI,
    rawBody: Buffer.from(BODY),
    timestamp: String(NOW - 1000),
    signature: independentSignature(SECRET, `POST${URI}${BODY}${NOW - 1000}`),
    ...overrides,
  });

  it('should accept a signature computed as HubSpot documents it', () => {
    expect(verifyHubSpotV3(SECRET, signed(), 300_000, NOW)).toEqual({ ok: true });
  });

  it('should refuse when one byte of the body differs', () => {
    const check = verifyHubSpotV3(
      SECRET,
      signed({ rawBody: Buffer.from(BODY.replace('7', '8')) }),
      300_000,
      NOW,
    );
    expect(check).toMatchObject({ ok: false, reason: 'mismatch' });
  });

  it('should refuse when the URI HubSpot signed is not the one we compute', () => {
    const check = verifyHubSpotV3(
      SECRET,
      signed({ uri: 'http://portal.example.com/api/v1/webhooks/hubspot' }),
      300_000,
      NOW,
    );
    expect(check.reason).toBe('mismatch');
  });

  it('should refuse a timestamp older than the window, even with a valid signature', () => {
    const old = String(NOW - 300_001);
    const check = verifyHubSpotV3(
      SECRET,
      signed({ timestamp: old, signature: independentSignature(SECRET, `POST${URI}${BODY}${old}`) }),
      300_000,
      NOW,
    );
    expect(check.reason).toBe('stale-timestamp');
  });

  it('should refuse missing headers, a wrong secret and an unset secret', () => {
    expect(verifyHubSpotV3(SECRET, signed({ signature: undefined }), 300_000, NOW).reason).toBe('missing');
    expect(verifyHubSpotV3('other', signed(), 300_000, NOW).reason).toBe('mismatch');
    expect(verifyHubSpotV3(undefined, signed(), 300_000, NOW).reason).toBe('not-configured');
    expect(verifyHubSpotV3(SECRET, signed({ signature: 'short' }), 300_000, NOW).reason).toBe('mismatch');
  });

  it('should sign what it verifies', () => {
    const ts = String(NOW);
    const signature = signHubSpotV3(SECRET, 'POST', URI, BODY, ts);
    expect(signature).toBe(independentSignature(SECRET, `POST${URI}${BODY}${ts}`));
  });
});

describe('signedUriFor', () => {
  it('should complete a configured origin with the request path and query', () => {
    expect(
      signedUriFor('https://api.example.com', {
        protocol: 'http',
        host: '10.0.0.5:3000',
        url: '/api/v1/webhooks/hubspot?x=1',
      }),
    ).toBe('https://api.example.com/api/v1/webhooks/hubspot?x=1');
  });

  it('should use a configured full URL as is', () => {
    expect(
      signedUriFor('https://api.example.com/hooks/hs', {
        protocol: 'http',
        host: 'x',
        url: '/api/v1/webhooks/hubspot',
      }),
    ).toBe('https://api.example.com/hooks/hs');
  });

  it("should fall back to the request's own scheme and host", () => {
    expect(
      signedUriFor(undefined, {
        protocol: 'https',
        host: 'portal.example.com',
        url: '/api/v1/webhooks/hubspot',
      }),
    ).toBe(URI);
  });

  it('should decode only the escapes HubSpot decodes', () => {
    expect(normaliseSignedUri('https://x/a%3Ab%2Fc%20d?e=%40')).toBe('https://x/a:b/c%20d?e=@');
  });
});
