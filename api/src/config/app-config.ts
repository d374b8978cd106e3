// One validated configuration object for both processes. `loadConfig` is pure so tests can feed it any
// environment; each bad or missing variable yields one line that names it and what is accepted.

import { DEFAULT_QUEUE_PREFIX, QUEUE_PREFIX_PATTERN } from '../queues/redis-keys';
import { parseStatusLabels, type StatusLabelRules } from '../tickets/ticket-status';
import { CONFIG_DEFAULTS } from './config-defaults';
import {
  parseAttachmentLimits,
  parseAwaitingStages,
  parseCompanyScopeProperty,
  parseDatabaseUrl,
  parseOrigins,
  parseRateWindows,
  parseSiteToken,
  parseTrustProxy,
} from './config-parsers';
import { type Env, Reader, tryUrl, wholeNumberIn } from './config-reader';

// The defaults and the parsers of structured settings live beside this file; these names stay
// importable from here.
export { CONFIG_DEFAULTS, DEFAULT_ATTACHMENT_TYPES } from './config-defaults';
export { parseByteSize, parseDatabaseUrl, SITE_TOKEN_SECRET_MIN_BYTES } from './config-parsers';

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

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
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
