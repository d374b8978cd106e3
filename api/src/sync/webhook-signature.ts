import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureFailure = 'not-configured' | 'missing' | 'stale-timestamp' | 'mismatch';

export interface SignatureCheck {
  ok: boolean;
  reason?: SignatureFailure;
  /** A sentence for the 401 body and the log. */
  message?: string;
}

export interface SignedRequest {
  method: string;
  /** The full URL HubSpot called: scheme + host + path + query. */
  uri: string;
  rawBody: Buffer | string;
  signature: string | undefined;
  timestamp: string | undefined;
}

// HubSpot percent-decodes these characters of the URI before signing (reference §7.3).
const DECODED_ESCAPES: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

export function normaliseSignedUri(uri: string): string {
  return uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (m) => DECODED_ESCAPES[m.toUpperCase()] ?? m,
  );
}

/** base64(HMAC-SHA256(secret, method + uri + body + timestamp)): X-HubSpot-Signature-v3. */
export function signHubSpotV3(
  secret: string,
  method: string,
  uri: string,
  rawBody: Buffer | string,
  timestamp: string,
): string {
  const hmac = createHmac('sha256', secret);
  hmac.update(method.toUpperCase() + normaliseSignedUri(uri));
  hmac.update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody);
  hmac.update(timestamp);
  return hmac.digest('base64');
}

/** Checks X-HubSpot-Signature-v3 and its timestamp (constant-time comparison). */
export function verifyHubSpotV3(
  secret: string | undefined,
  request: SignedRequest,
  maxAgeMs: number,
  now: number = Date.now(),
): SignatureCheck {
  if (secret === undefined || secret === '') {
    return {
      ok: false,
      reason: 'not-configured',
      message:
        'Webhook signatures cannot be verified: set HUBSPOT_CLIENT_SECRET to the HubSpot app client secret',
    };
  }
  if (!request.signature || !request.timestamp) {
    return {
      ok: false,
      reason: 'missing',
      message: 'X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp headers are required',
    };
  }
  const timestampMs = /^\d{1,16}$/.test(request.timestamp) ? Number(request.timestamp) : NaN;
  // A timestamp from the future beyond the same window is as suspicious as an old one.
  if (!Number.isFinite(timestampMs) || Math.abs(now - timestampMs) > maxAgeMs) {
    return {
      ok: false,
      reason: 'stale-timestamp',
      message: 'X-HubSpot-Request-Timestamp is missing, malformed or more than 5 minutes away from now',
    };
  }
  const expected = Buffer.from(
    signHubSpotV3(secret, request.method, request.uri, request.rawBody, request.timestamp),
  );
  const given = Buffer.from(request.signature);
  // timingSafeEqual needs equal lengths; comparing against itself keeps the time independent of the input.
  const sameLength = expected.length === given.length;
  const equal = timingSafeEqual(expected, sameLength ? given : expected) && sameLength;
  return equal
    ? { ok: true }
    : { ok: false, reason: 'mismatch', message: 'X-HubSpot-Signature-v3 does not match the request' };
}

/**
 * The URI HubSpot signed: WEBHOOK_PUBLIC_URL when configured (a bare origin is completed with the
 * request's path and query), else the request's own scheme and host.
 */
export function signedUriFor(
  publicUrl: string | undefined,
  request: { protocol: string; host: string; url: string },
): string {
  if (publicUrl !== undefined && publicUrl !== '') {
    const configured = new URL(publicUrl);
    if (configured.pathname === '/' && configured.search === '') {
      return `${configured.origin}${request.url}`;
    }
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    return configured.search === '' ? `${publicUrl}${query}` : publicUrl;
  }
  return `${request.protocol}://${request.host}${request.url}`;
}
