import { DEFAULT_QUEUE_PREFIX } from '../queues/redis-keys';

// Every setting's default, in one place (docs/operations.md lists them with their meaning).

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
  DELIVERY_BATCH_WINDOW_MS: '1000',
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

/** A setting that has a default. */
export type ConfigName = keyof typeof CONFIG_DEFAULTS;
