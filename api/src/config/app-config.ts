// One validated configuration object for both processes. `loadConfig` is pure so tests can feed it any
// environment; each bad or missing variable yields one line that names it and what is accepted.

import { isIP } from 'node:net';
import { DEFAULT_QUEUE_PREFIX, QUEUE_PREFIX_PATTERN } from '../queues/redis-keys';
import { parseStatusLabels, type StatusLabelRules } from '../tickets/ticket-status';

export type TicketScope = 'contact' | 'company';
// false, a hop count, or proxy addresses/ranges; never true (see parseTrustProxy).
export type TrustProxy = false | number | string[];
export type LogFormat = 'json' | 'pretty';
export type LogLevel = 'error' | 'warn' | 'log' | 'debug' | 'verbose';
export const REQUEST_FIELDS = ['priority', 'category'] as const;
export type RequestField = (typeof REQUEST_FIELDS)[number];

/** At most `limit` hits per fixed window of `windowSeconds`. */
export interface RateWindow {
  limit: number;
  windowSeconds: number;
}

/** Ticket writes (issue 10): per customer for each kind, and per client address for all of them. */
export interface TicketLimits {
  submit: RateWindow[];
  reply: RateWindow[];
  /** close, reopen and retry */
  change: RateWindow[];
  perIp: RateWindow[];
}

/**
 * Sign-in through the host site (issue 15, ADR 0010): how its short-lived tokens are verified. One key
 * source only, so a token can never pick the kind of key it is checked against (HS/RS confusion).
 */
export type SiteTokenConfig =
  | { kind: 'secret'; secret: string; issuer: string; audience: string }
  | { kind: 'jwks'; jwksUrl: string; issuer: string; audience: string };

export interface DatabaseTarget {
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
}

export class AppConfig {
  port!: number;
  host!: string;
  databaseUrl!: string;
  database!: DatabaseTarget;
  redisUrl!: string;
  /** Prefix of every Redis key (queues, caches, pub/sub); one per deployment sharing a Redis. */
  queuePrefix!: string;
  hubspotBaseUrl!: string;
  hubspotAccessToken!: string;
  hubspotClientSecret!: string | undefined;
  smtpUrl!: string;
  mailFrom!: string;
  portalUrl!: string;
  portalOrigins!: string[];
  portalTicketScope!: TicketScope;
  /**
   * PORTAL_COMPANY_SCOPE_PROPERTY: with PORTAL_TICKET_SCOPE=company, only contacts whose HubSpot
   * property of this name is true see their company's tickets; the others see their own (issue 15).
   */
  portalCompanyScopeProperty!: string | undefined;
  /** How long an API process reuses a signed-in customer's ticket scope (and syncedAt); 0 = never. */
  ticketsScopeCacheMs!: number;
  /** Seconds between keep-alive comments on open event streams (GET tickets/events). */
  eventsHeartbeatSeconds!: number;
  /** How long GET tickets/:id waits for a conversation never read before (ms); 0 = answer at once. */
  conversationWaitMs!: number;
  syncPollSeconds!: number;
  /** Outbox rows of one kind delivered per HubSpot batch call (DELIVERY_BATCH_SIZE; 1 = one call per record). */
  deliveryBatchSize!: number;
  /** How long a delivery gathers more rows during a burst before its batch goes out (ms). */
  deliveryBatchWindowMs!: number;
  demoPort!: number;
  emulatorPort!: number;
  // optional extras (documented in the README)
  supportEmail!: string | undefined;
  // Portal requests (issue 6): the "Need help?" contact and where submitted tickets go in HubSpot.
  supportUrl!: string | undefined;
  supportName!: string;
  portalPipelineId!: string | undefined;
  portalNewStageId!: string | undefined;
  portalClosedStageId!: string | undefined;
  portalReopenStageId!: string | undefined;
  /** Where a customer's reply moves a ticket that waited on the customer or was closed (issue 13). */
  portalReplyStageId!: string | undefined;
  /** Stages that wait on the customer (closed stages always count); null = by label, [] = none. */
  portalAwaitingStageIds!: string[] | null;
  /** A task for the ticket owner on every customer reply and reopen (PORTAL_REPLY_TASKS). */
  portalReplyTasks!: boolean;
  /** HubSpot account (portal) id and app host, for links to tickets in task notes; none = no link. */
  hubspotPortalId!: string | undefined;
  hubspotAppUrl!: string;
  portalRequestFields!: RequestField[];
  /** PORTAL_STATUS_LABELS: what customers read per HubSpot stage (tickets/ticket-status.ts). */
  portalStatusLabels!: StatusLabelRules;
  tokenTtlHours!: number;
  rememberTtlDays!: number;
  bullBoardUser!: string | undefined;
  bullBoardPassword!: string | undefined;
  webhookPublicUrl!: string | undefined;
  // GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>" when set; open when unset.
  metricsToken!: string | undefined;
  trustProxy!: TrustProxy;
  // Sized for a person, not a script; `off` (an empty list) for benchmarks and load tests.
  ticketLimits!: TicketLimits;
  /** Site-token sign-in (POST auth/site-token); null when neither SITE_TOKEN_SECRET nor SITE_TOKEN_JWKS_URL is set. */
  siteToken!: SiteTokenConfig | null;
  /** PASSWORD_LOGIN: false turns off register, confirm, sign-in and reset with a password. */
  passwordLogin!: boolean;
  logLevel!: LogLevel;
  logFormat!: LogFormat;
  bodyLimitBytes!: number;
  argon2MemoryKib!: number;
  argon2TimeCost!: number;
  // Graceful shutdown: how long /health answers 503 "draining" before the listener closes (so a load
  // balancer takes the process out first), and the bound on finishing in-flight requests / running jobs.
  shutdownDelayMs!: number;
  shutdownTimeoutMs!: number;
  /** Attachments (issue 13): files per message, bytes per file and per message, allowed media types. */
  attachments!: AttachmentLimits;
}

export interface AttachmentLimits {
  maxFiles: number;
  maxBytes: number;
  maxTotalBytes: number;
  /** Exact media types (`application/pdf`) and families (`image/*`) a customer may attach. */
  types: string[];
  /** Hours an uploaded file waits to be attached to a request or reply before it is deleted. */
  stagedTtlHours: number;
}

/**
 * Common images, PDF, plain text and CSV, office documents (Microsoft and OpenDocument) and zip.
 * HTML, SVG, scripts and executables are not on it: the portal hands these files to browsers.
 */
export const DEFAULT_ATTACHMENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/heic',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/msword',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.ms-powerpoint',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/rtf',
  'application/zip',
] as const;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const CONFIG_DEFAULTS = {
  PORT: '3000',
  HOST: '0.0.0.0',
  DATABASE_URL: 'mysql://root@127.0.0.1:3306/ticket_portal',
  REDIS_URL: 'redis://127.0.0.1:6379',
  QUEUE_PREFIX: DEFAULT_QUEUE_PREFIX,
  HUBSPOT_BASE_URL: 'https://api.hubapi.com',
  SMTP_URL: 'smtp://127.0.0.1:1025',
  MAIL_FROM: 'Ticket Portal <no-reply@localhost>',
  PORTAL_URL: 'http://localhost:8080/',
  PORTAL_ORIGINS: 'http://localhost:8080,http://127.0.0.1:8080',
  PORTAL_TICKET_SCOPE: 'company',
  PORTAL_REPLY_TASKS: 'on',
  HUBSPOT_APP_URL: 'https://app.hubspot.com',
  SYNC_POLL_SECONDS: '60',
  TICKETS_SCOPE_CACHE_MS: '2000',
  EVENTS_HEARTBEAT_SECONDS: '15',
  CONVERSATION_WAIT_MS: '2500',
  DELIVERY_BATCH_SIZE: '100',
  DELIVERY_BATCH_WINDOW_MS: '500',
  DEMO_PORT: '8080',
  EMULATOR_PORT: '8090',
  TOKEN_TTL_HOURS: '12',
  REMEMBER_TTL_DAYS: '30',
  TRUST_PROXY: 'false',
  TICKET_SUBMIT_LIMITS: '10/10m,30/1h',
  TICKET_REPLY_LIMITS: '30/10m,100/1h',
  TICKET_CHANGE_LIMITS: '30/10m,100/1h',
  TICKET_IP_LIMITS: '120/10m,600/1h',
  PASSWORD_LOGIN: 'on',
  LOG_LEVEL: 'log',
  LOG_FORMAT: 'json',
  BODY_LIMIT_KB: '100',
  ARGON2_MEMORY_KIB: '19456',
  ARGON2_TIME_COST: '2',
  SHUTDOWN_DELAY_SECONDS: '5',
  SHUTDOWN_TIMEOUT_SECONDS: '25',
  ATTACHMENTS_MAX_FILES: '10',
  ATTACHMENTS_MAX_BYTES: '25MB',
  ATTACHMENTS_MAX_TOTAL_BYTES: '50MB',
  ATTACHMENTS_TYPES: DEFAULT_ATTACHMENT_TYPES.join(','),
  ATTACHMENTS_STAGED_TTL_HOURS: '24',
} as const;

type Env = Record<string, string | undefined>;

/**
 * A HubSpot contact property's internal name (lower-case letters, digits and _, as HubSpot creates
 * them), and only where it means something: company scope for some contacts only.
 */
function parseCompanyScopeProperty(reader: Reader, scope: TicketScope): string | undefined {
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

class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    const trimmed = value.trim();
    return trimmed === '' ? undefined : trimmed;
  }

  withDefault(name: keyof typeof CONFIG_DEFAULTS): string {
    return this.raw(name) ?? CONFIG_DEFAULTS[name];
  }

  fail(name: string, accepted: string, got: string | undefined): void {
    const shown = got === undefined ? 'it is not set' : `got ${JSON.stringify(truncate(got))}`;
    this.problems.push(`${name}: ${accepted} (${shown})`);
  }

  int(name: keyof typeof CONFIG_DEFAULTS, min: number, max: number): number {
    const value = this.withDefault(name);
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      this.fail(name, `must be a whole number from ${min} to ${max}`, value);
      return Number(CONFIG_DEFAULTS[name]);
    }
    return Number(value);
  }

  httpUrl(name: string, value: string | undefined, required = true): string | undefined {
    if (value === undefined) {
      if (required) this.fail(name, 'must be an http:// or https:// URL', value);
      return undefined;
    }
    const url = tryUrl(value);
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
      this.fail(name, 'must be an http:// or https:// URL', value);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(name: keyof typeof CONFIG_DEFAULTS, allowed: readonly T[]): T {
    const value = this.withDefault(name);
    if (!(allowed as readonly string[]).includes(value)) {
      this.fail(name, `must be one of ${allowed.join(', ')}`, value);
      return CONFIG_DEFAULTS[name] as T;
    }
    return value as T;
  }
}

function truncate(value: string): string {
  return value.length > 80 ? `${value.slice(0, 77)}...` : value;
}

function tryUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
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
/** A whole number in [min, max]; a bad value is one problem naming the range and what the setting is for. */
function wholeNumberIn(
  reader: Reader,
  name: keyof typeof CONFIG_DEFAULTS,
  min: number,
  max: number,
  what: string,
): number {
  const value = reader.withDefault(name);
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    reader.fail(name, `must be a whole number from ${min} to ${max}: ${what}`, value);
    return Number(CONFIG_DEFAULTS[name]);
  }
  return Number(value);
}

function parseAwaitingStages(reader: Reader): string[] | null {
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

function parseOrigins(reader: Reader, value: string): string[] {
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
function parseTrustProxy(reader: Reader): TrustProxy {
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
function parseRateWindows(reader: Reader, name: keyof typeof CONFIG_DEFAULTS): RateWindow[] {
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

function parseAttachmentLimits(r: Reader): AttachmentLimits {
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

function parseSiteToken(reader: Reader): SiteTokenConfig | null {
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

export function loadConfig(env: Env = process.env): AppConfig {
  const r = new Reader(env);
  const config = new AppConfig();

  config.port = r.int('PORT', 0, 65535);
  config.host = r.withDefault('HOST');
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(config.host)) {
    r.fail('HOST', 'must be an interface address or host name such as 0.0.0.0, 127.0.0.1 or ::', config.host);
  }
  config.databaseUrl = r.withDefault('DATABASE_URL');
  const database = parseDatabaseUrl(config.databaseUrl);
  if (!database) {
    r.fail(
      'DATABASE_URL',
      'must look like mysql://user:password@host:3306/database_name (database name: letters, digits and _)',
      config.databaseUrl,
    );
  }
  config.database = database ?? parseDatabaseUrl(CONFIG_DEFAULTS.DATABASE_URL)!;

  config.redisUrl = r.withDefault('REDIS_URL');
  const redis = tryUrl(config.redisUrl);
  if (!redis || (redis.protocol !== 'redis:' && redis.protocol !== 'rediss:') || !redis.hostname) {
    r.fail('REDIS_URL', 'must look like redis://host:6379 or rediss://host:6380/0', config.redisUrl);
  }
  config.queuePrefix = r.withDefault('QUEUE_PREFIX');
  if (!QUEUE_PREFIX_PATTERN.test(config.queuePrefix)) {
    r.fail(
      'QUEUE_PREFIX',
      'must be 1 to 32 letters, digits, _ or -, optionally in braces for Redis Cluster (for example tp, shop-eu or {tp}); no ":"',
      config.queuePrefix,
    );
    config.queuePrefix = DEFAULT_QUEUE_PREFIX;
  }

  config.hubspotBaseUrl = (
    r.httpUrl('HUBSPOT_BASE_URL', r.withDefault('HUBSPOT_BASE_URL')) ?? CONFIG_DEFAULTS.HUBSPOT_BASE_URL
  ).replace(/\/+$/, '');
  const token = r.raw('HUBSPOT_ACCESS_TOKEN');
  if (token === undefined) {
    r.fail(
      'HUBSPOT_ACCESS_TOKEN',
      "is required: a HubSpot private-app access token (use 'emulator-token' with the local emulator)",
      token,
    );
  }
  config.hubspotAccessToken = token ?? '';
  config.hubspotClientSecret = r.raw('HUBSPOT_CLIENT_SECRET');

  config.smtpUrl = r.withDefault('SMTP_URL');
  const smtp = tryUrl(config.smtpUrl);
  if (!smtp || (smtp.protocol !== 'smtp:' && smtp.protocol !== 'smtps:') || !smtp.hostname) {
    r.fail('SMTP_URL', 'must look like smtp://user:password@host:587 or smtps://host:465', config.smtpUrl);
  }

  config.mailFrom = r.withDefault('MAIL_FROM');
  if (!/^([^<>@]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/.test(config.mailFrom)) {
    r.fail(
      'MAIL_FROM',
      'must be an address such as no-reply@example.com or "Support <no-reply@example.com>"',
      config.mailFrom,
    );
  }

  config.portalUrl = r.httpUrl('PORTAL_URL', r.withDefault('PORTAL_URL')) ?? CONFIG_DEFAULTS.PORTAL_URL;
  config.portalOrigins = parseOrigins(r, r.withDefault('PORTAL_ORIGINS'));
  config.portalTicketScope = r.oneOf('PORTAL_TICKET_SCOPE', ['contact', 'company'] as const);
  config.portalCompanyScopeProperty = parseCompanyScopeProperty(r, config.portalTicketScope);
  config.ticketsScopeCacheMs = r.int('TICKETS_SCOPE_CACHE_MS', 0, 60_000);
  config.eventsHeartbeatSeconds = r.int('EVENTS_HEARTBEAT_SECONDS', 1, 300);
  config.conversationWaitMs = r.int('CONVERSATION_WAIT_MS', 0, 10_000);
  config.syncPollSeconds = r.int('SYNC_POLL_SECONDS', 5, 86400);
  config.deliveryBatchSize = wholeNumberIn(
    r,
    'DELIVERY_BATCH_SIZE',
    1,
    100,
    "outbox rows per HubSpot batch call: HubSpot's batch endpoints take at most 100 records, and 1 delivers each record with its own calls",
  );
  config.deliveryBatchWindowMs = wholeNumberIn(
    r,
    'DELIVERY_BATCH_WINDOW_MS',
    0,
    5000,
    'milliseconds a delivery gathers more rows during a burst (a lone request never waits); 0 sends what is due at once',
  );
  config.demoPort = r.int('DEMO_PORT', 0, 65535);
  config.emulatorPort = r.int('EMULATOR_PORT', 0, 65535);

  const supportEmail = r.raw('SUPPORT_EMAIL');
  if (supportEmail !== undefined && !/^[^\s<>@]+@[^\s<>@]+$/.test(supportEmail)) {
    r.fail('SUPPORT_EMAIL', 'must be an email address such as support@example.com', supportEmail);
  }
  config.supportEmail = supportEmail;
  config.supportUrl = r.httpUrl('SUPPORT_URL', r.raw('SUPPORT_URL'), false);
  const supportName = r.raw('SUPPORT_NAME') ?? 'Support';
  if (supportName.length > 100) r.fail('SUPPORT_NAME', 'must be at most 100 characters', supportName);
  config.supportName = supportName;
  // HubSpot ids only here; whether they exist in HubSpot is checked by the worker at start.
  for (const [name, key] of [
    ['PORTAL_PIPELINE_ID', 'portalPipelineId'],
    ['PORTAL_NEW_STAGE_ID', 'portalNewStageId'],
    ['PORTAL_CLOSED_STAGE_ID', 'portalClosedStageId'],
    ['PORTAL_REOPEN_STAGE_ID', 'portalReopenStageId'],
    ['PORTAL_REPLY_STAGE_ID', 'portalReplyStageId'],
  ] as const) {
    const value = r.raw(name);
    if (value !== undefined && !/^[A-Za-z0-9_-]{1,32}$/.test(value)) {
      r.fail(
        name,
        'must be a HubSpot pipeline or stage id (letters, digits, _ or -, up to 32), or unset',
        value,
      );
    }
    config[key] = value;
  }
  config.portalAwaitingStageIds = parseAwaitingStages(r);
  config.portalReplyTasks = r.oneOf('PORTAL_REPLY_TASKS', ['on', 'off'] as const) === 'on';
  const hubspotPortalId = r.raw('HUBSPOT_PORTAL_ID');
  if (hubspotPortalId !== undefined && !/^\d{1,15}$/.test(hubspotPortalId)) {
    r.fail(
      'HUBSPOT_PORTAL_ID',
      "must be your HubSpot account's id (digits, shown in HubSpot's account menu), or unset",
      hubspotPortalId,
    );
  }
  config.hubspotPortalId = hubspotPortalId;
  config.hubspotAppUrl = (
    r.httpUrl('HUBSPOT_APP_URL', r.withDefault('HUBSPOT_APP_URL')) ?? CONFIG_DEFAULTS.HUBSPOT_APP_URL
  ).replace(/\/+$/, '');
  const fieldsRaw = env.PORTAL_REQUEST_FIELDS;
  const fieldNames =
    fieldsRaw === undefined
      ? [...REQUEST_FIELDS]
      : fieldsRaw
          .split(',')
          .map((f) => f.trim())
          .filter(Boolean);
  const unknownFields = fieldNames.filter((f) => !(REQUEST_FIELDS as readonly string[]).includes(f));
  if (unknownFields.length > 0) {
    r.fail(
      'PORTAL_REQUEST_FIELDS',
      `must be a comma-separated list of ${REQUEST_FIELDS.join(', ')} (or empty for none)`,
      fieldsRaw,
    );
  }
  config.portalRequestFields = [...new Set(fieldNames)].filter((f): f is RequestField =>
    (REQUEST_FIELDS as readonly string[]).includes(f),
  );
  const statusLabels = parseStatusLabels(env.PORTAL_STATUS_LABELS);
  if (statusLabels.ok) config.portalStatusLabels = statusLabels.rules;
  else {
    for (const problem of statusLabels.problems) {
      r.fail('PORTAL_STATUS_LABELS', problem, env.PORTAL_STATUS_LABELS);
    }
    config.portalStatusLabels = new Map();
  }
  config.tokenTtlHours = r.int('TOKEN_TTL_HOURS', 1, 720);
  config.rememberTtlDays = r.int('REMEMBER_TTL_DAYS', 1, 365);
  config.bullBoardUser = r.raw('BULL_BOARD_USER');
  config.bullBoardPassword = r.raw('BULL_BOARD_PASSWORD');
  if ((config.bullBoardUser === undefined) !== (config.bullBoardPassword === undefined)) {
    r.fail('BULL_BOARD_PASSWORD', 'BULL_BOARD_USER and BULL_BOARD_PASSWORD must be set together', undefined);
  }
  config.webhookPublicUrl = r.httpUrl('WEBHOOK_PUBLIC_URL', r.raw('WEBHOOK_PUBLIC_URL'), false);
  const metricsToken = r.raw('METRICS_TOKEN');
  if (metricsToken !== undefined && (metricsToken.length < 16 || /\s/.test(metricsToken))) {
    r.fail('METRICS_TOKEN', 'must be at least 16 characters without spaces', '(hidden)');
  }
  config.metricsToken = metricsToken;
  config.trustProxy = parseTrustProxy(r);
  config.ticketLimits = {
    submit: parseRateWindows(r, 'TICKET_SUBMIT_LIMITS'),
    reply: parseRateWindows(r, 'TICKET_REPLY_LIMITS'),
    change: parseRateWindows(r, 'TICKET_CHANGE_LIMITS'),
    perIp: parseRateWindows(r, 'TICKET_IP_LIMITS'),
  };
  config.siteToken = parseSiteToken(r);
  config.passwordLogin = r.oneOf('PASSWORD_LOGIN', ['on', 'off'] as const) === 'on';
  if (
    !config.passwordLogin &&
    r.raw('SITE_TOKEN_SECRET') === undefined &&
    r.raw('SITE_TOKEN_JWKS_URL') === undefined
  ) {
    r.fail(
      'PASSWORD_LOGIN',
      'off would leave no way to sign in: set SITE_TOKEN_SECRET or SITE_TOKEN_JWKS_URL (sign-in through the host site) too, or keep PASSWORD_LOGIN=on',
      'off',
    );
  }
  config.logLevel = r.oneOf('LOG_LEVEL', ['error', 'warn', 'log', 'debug', 'verbose'] as const);
  config.logFormat = r.oneOf('LOG_FORMAT', ['json', 'pretty'] as const);
  config.bodyLimitBytes = r.int('BODY_LIMIT_KB', 1, 10240) * 1024;
  // OWASP's argon2id baseline by default; tests lower it to save CPU, strong hosts may raise it.
  config.argon2MemoryKib = r.int('ARGON2_MEMORY_KIB', 1024, 1048576);
  config.argon2TimeCost = r.int('ARGON2_TIME_COST', 1, 10);
  config.shutdownDelayMs = r.int('SHUTDOWN_DELAY_SECONDS', 0, 120) * 1000;
  config.shutdownTimeoutMs = r.int('SHUTDOWN_TIMEOUT_SECONDS', 1, 600) * 1000;

  config.attachments = parseAttachmentLimits(r);

  if (r.problems.length > 0) throw new ConfigError(r.problems);
  return Object.freeze(config);
}
