import { isIP } from 'node:net';
import type {
  AttachmentLimits,
  DatabaseTarget,
  RateWindow,
  SiteTokenConfig,
  TicketScope,
  TrustProxy,
} from './app-config';
import { CONFIG_DEFAULTS, type ConfigName, DEFAULT_ATTACHMENT_TYPES } from './config-defaults';
import { Reader, tryUrl } from './config-reader';

// The settings that are more than a word or a number: database URL, origins, proxies, rate windows,
// byte sizes, attachment limits, the site-token sign-in, HubSpot stage ids and property names.

/**
 * A HubSpot contact property's internal name (lower-case letters, digits and _, as HubSpot creates
 * them), and only where it means something: company scope for some contacts only.
 */
export function parseCompanyScopeProperty(reader: Reader, scope: TicketScope): string | undefined {
  const value = reader.raw('PORTAL_COMPANY_SCOPE_PROPERTY');
  if (value === undefined) return undefined;
  if (!/^[a-z][a-z0-9_]{0,99}$/.test(value)) {
    reader.fail(
      'PORTAL_COMPANY_SCOPE_PROPERTY',
      "must be a HubSpot contact property's internal name (lower-case letters, digits and _, such as portal_admin), not its label",
      value,
    );
    return undefined;
  }
  if (scope !== 'company') {
    reader.fail(
      'PORTAL_COMPANY_SCOPE_PROPERTY',
      `only applies with PORTAL_TICKET_SCOPE=company (it chooses which contacts see their company's tickets); set PORTAL_TICKET_SCOPE=company or remove it`,
      value,
    );
    return undefined;
  }
  return value;
}

export function parseDatabaseUrl(value: string): DatabaseTarget | undefined {
  const url = tryUrl(value);
  if (!url || (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') || !url.hostname) return undefined;
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  // The name is interpolated into CREATE DATABASE, so it must be a plain identifier.
  if (!/^[A-Za-z0-9_]{1,64}$/.test(database)) return undefined;
  const port = url.port === '' ? 3306 : Number(url.port);
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port,
    username: decodeURIComponent(url.username) || 'root',
    password: decodeURIComponent(url.password),
    database,
  };
}

/**
 * PORTAL_AWAITING_STAGE_IDS: unset = every stage labelled "Waiting on contact/customer" (null here,
 * resolved against HubSpot's pipelines); `none` = no open stage counts; else comma-separated stage ids.
 */
export function parseAwaitingStages(reader: Reader): string[] | null {
  const value = reader.raw('PORTAL_AWAITING_STAGE_IDS');
  if (value === undefined) return null;
  if (value.toLowerCase() === 'none') return [];
  const ids = value
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  if (ids.length === 0 || ids.some((id) => !/^[A-Za-z0-9_-]{1,32}$/.test(id))) {
    reader.fail(
      'PORTAL_AWAITING_STAGE_IDS',
      'must be comma-separated HubSpot stage ids (letters, digits, _ or -, up to 32 each), or none, or unset',
      value,
    );
    return null;
  }
  return [...new Set(ids)];
}

export function parseOrigins(reader: Reader, value: string): string[] {
  const origins: string[] = [];
  for (const part of value
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const url = tryUrl(part);
    const isOrigin =
      url !== undefined &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      url.origin === part.replace(/\/$/, '').toLowerCase();
    if (!isOrigin) {
      reader.fail(
        'PORTAL_ORIGINS',
        'must be a comma-separated list of origins such as https://www.example.com or http://localhost:8080 (scheme, host and port only, no path, no *)',
        part,
      );
      continue;
    }
    origins.push(url.origin);
  }
  if (origins.length === 0 && reader.problems.every((p) => !p.startsWith('PORTAL_ORIGINS'))) {
    reader.fail('PORTAL_ORIGINS', 'must list at least one origin', value);
  }
  return origins;
}

// proxy-addr's names for address ranges (Fastify passes a trustProxy list to it).
const PROXY_RANGE_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

function isProxyAddress(part: string): boolean {
  if (PROXY_RANGE_NAMES.includes(part)) return true;
  const [address, prefix, extra] = part.split('/');
  const family = isIP(address ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  // A /0 range trusts every address, which is TRUST_PROXY=true under another name.
  return /^\d{1,3}$/.test(prefix) && Number(prefix) >= 1 && Number(prefix) <= (family === 4 ? 32 : 128);
}

// `true` is refused: Fastify would then believe the left-most X-Forwarded-For entry, which the client
// writes, so every client could pick the address the per-IP limits count.
export function parseTrustProxy(reader: Reader): TrustProxy {
  const value = reader.withDefault('TRUST_PROXY');
  const hint =
    'set the number of proxies in front of the API (usually 1: the load balancer) or their IP addresses/CIDR ranges, comma-separated (for example 10.0.0.0/8), or false when clients connect directly';
  if (value === 'true') {
    reader.fail(
      'TRUST_PROXY',
      `true would let any client choose its own IP address with X-Forwarded-For; ${hint}`,
      value,
    );
    return false;
  }
  if (value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value) && Number(value) <= 32) return Number(value);
  const parts = value.split(',').map((p) => p.trim());
  if (parts.every(isProxyAddress)) return parts;
  reader.fail('TRUST_PROXY', hint, value);
  return false;
}

const WINDOW_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

// "10/10m,30/1h": at most 10 in any 10-minute window and 30 in any hour; "off": no limit.
export function parseRateWindows(reader: Reader, name: ConfigName): RateWindow[] {
  const value = reader.withDefault(name);
  if (value.toLowerCase() === 'off') return [];
  const windows: RateWindow[] = [];
  for (const part of value.split(',').map((p) => p.trim())) {
    const match = /^(\d{1,7})\/(\d{1,4})([smhd])$/.exec(part);
    const limit = Number(match?.[1]);
    const windowSeconds = Number(match?.[2]) * (WINDOW_UNITS[match?.[3] ?? ''] ?? 0);
    if (!match || limit < 1 || windowSeconds < 1 || windowSeconds > 7 * 86400) {
      reader.fail(
        name,
        'must be off, or comma-separated limits such as 10/10m,30/1h (a count per window of s, m, h or d, up to 7 days)',
        value,
      );
      return parseRateWindows(new Reader({}), name);
    }
    windows.push({ limit, windowSeconds });
  }
  return windows;
}

/** Bytes, as a whole number or with a unit: `26214400`, `25MB`, `512KB`, `1GB` (1 MB = 1,048,576 bytes). */
export function parseByteSize(value: string): number | undefined {
  const match = /^(\d+)\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?$/i.exec(value.trim());
  if (!match) return undefined;
  const unit = (match[2] ?? 'b').toLowerCase()[0];
  const factor = unit === 'k' ? 1024 : unit === 'm' ? 1024 ** 2 : unit === 'g' ? 1024 ** 3 : 1;
  return Number(match[1]) * factor;
}

const MAX_ATTACHMENT_BYTES = 100 * 1024 ** 2;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/([a-z0-9][a-z0-9!#$&^_.+-]{0,126}|\*)$/;

export function parseAttachmentLimits(r: Reader): AttachmentLimits {
  const bytes = (name: 'ATTACHMENTS_MAX_BYTES' | 'ATTACHMENTS_MAX_TOTAL_BYTES'): number => {
    const raw = r.withDefault(name);
    const value = parseByteSize(raw);
    if (value === undefined || value < 1 || value > MAX_ATTACHMENT_BYTES) {
      r.fail(name, 'must be a size from 1 byte to 100MB, in bytes or with a unit such as 512KB or 25MB', raw);
      return parseByteSize(CONFIG_DEFAULTS[name])!;
    }
    return value;
  };
  const maxBytes = bytes('ATTACHMENTS_MAX_BYTES');
  let maxTotalBytes = bytes('ATTACHMENTS_MAX_TOTAL_BYTES');
  if (maxTotalBytes < maxBytes) {
    if (r.raw('ATTACHMENTS_MAX_TOTAL_BYTES') !== undefined) {
      r.fail(
        'ATTACHMENTS_MAX_TOTAL_BYTES',
        'must be at least ATTACHMENTS_MAX_BYTES (one file has to fit in a message)',
        r.raw('ATTACHMENTS_MAX_TOTAL_BYTES'),
      );
    }
    // Only ATTACHMENTS_MAX_BYTES was raised: the total follows it.
    maxTotalBytes = maxBytes;
  }
  const typesRaw = r.withDefault('ATTACHMENTS_TYPES');
  const types = [
    ...new Set(
      typesRaw
        .split(',')
        .map((t) => t.trim().toLowerCase())
        .filter(Boolean),
    ),
  ];
  const badTypes = types.filter((t) => !MEDIA_TYPE.test(t));
  if (types.length === 0 || badTypes.length > 0) {
    r.fail(
      'ATTACHMENTS_TYPES',
      'must be a comma-separated list of media types such as application/pdf or image/* (no */*)',
      badTypes.length > 0 ? badTypes.join(',') : typesRaw,
    );
  }
  return {
    maxFiles: r.int('ATTACHMENTS_MAX_FILES', 1, 100),
    maxBytes,
    maxTotalBytes,
    types: badTypes.length > 0 || types.length === 0 ? [...DEFAULT_ATTACHMENT_TYPES] : types,
    stagedTtlHours: r.int('ATTACHMENTS_STAGED_TTL_HOURS', 1, 720),
  };
}

// An HS256 secret shorter than its 256-bit hash can be guessed offline from one token it signed.
export const SITE_TOKEN_SECRET_MIN_BYTES = 32;
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

export function parseSiteToken(reader: Reader): SiteTokenConfig | null {
  const secret = reader.raw('SITE_TOKEN_SECRET');
  const jwksRaw = reader.raw('SITE_TOKEN_JWKS_URL');
  const issuer = reader.raw('SITE_TOKEN_ISSUER');
  const audience = reader.raw('SITE_TOKEN_AUDIENCE');
  if (secret === undefined && jwksRaw === undefined) {
    for (const [name, value] of [
      ['SITE_TOKEN_ISSUER', issuer],
      ['SITE_TOKEN_AUDIENCE', audience],
    ] as const) {
      if (value !== undefined) {
        reader.fail(
          name,
          'only means something with SITE_TOKEN_SECRET (HS256) or SITE_TOKEN_JWKS_URL (RS256/ES256): set one of them too, or unset this',
          value,
        );
      }
    }
    return null;
  }
  const before = reader.problems.length;
  if (secret !== undefined && jwksRaw !== undefined) {
    reader.fail(
      'SITE_TOKEN_JWKS_URL',
      'set SITE_TOKEN_SECRET (HS256) or SITE_TOKEN_JWKS_URL (RS256/ES256), not both: each token is checked against one kind of key',
      jwksRaw,
    );
  }
  if (secret !== undefined && Buffer.byteLength(secret, 'utf8') < SITE_TOKEN_SECRET_MIN_BYTES) {
    reader.fail(
      'SITE_TOKEN_SECRET',
      `must be at least ${SITE_TOKEN_SECRET_MIN_BYTES} bytes of random text (for example the output of \`openssl rand -base64 32\`): a shorter secret can be guessed offline from one signed token`,
      '(hidden)',
    );
  }
  let jwksUrl: string | undefined;
  if (jwksRaw !== undefined) {
    const url = tryUrl(jwksRaw);
    // Keys fetched over plain HTTP could be swapped on the way; loopback is allowed for development.
    const ok =
      url !== undefined &&
      (url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname)));
    if (!ok) {
      reader.fail(
        'SITE_TOKEN_JWKS_URL',
        "must be the https:// URL of the site's JSON Web Key Set, e.g. https://www.example.com/.well-known/jwks.json (http:// only for localhost)",
        jwksRaw,
      );
    } else jwksUrl = url.href;
  }
  for (const [name, value, example] of [
    ['SITE_TOKEN_ISSUER', issuer, 'https://www.example.com'],
    ['SITE_TOKEN_AUDIENCE', audience, 'ticket-portal'],
  ] as const) {
    if (value === undefined) {
      reader.fail(
        name,
        `is required with SITE_TOKEN_SECRET or SITE_TOKEN_JWKS_URL: the exact ${name === 'SITE_TOKEN_ISSUER' ? '"iss"' : '"aud"'} the site puts in its tokens, e.g. ${example}`,
        value,
      );
    } else if (value.length > 255) {
      reader.fail(name, 'must be at most 255 characters', value);
    }
  }
  if (reader.problems.length > before || issuer === undefined || audience === undefined) return null;
  return jwksUrl !== undefined
    ? { kind: 'jwks', jwksUrl, issuer, audience }
    : { kind: 'secret', secret: secret!, issuer, audience };
}
