import { ConfigError, loadConfig, parseDatabaseUrl } from './app-config';

const required = { HUBSPOT_ACCESS_TOKEN: 'emulator-token' };

function problemsOf(env: Record<string, string | undefined>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe(loadConfig.name, () => {
  it('should apply the documented defaults when only the required variable is set', () => {
    const config = loadConfig(required);
    expect(config).toMatchObject({
      port: 3000,
      databaseUrl: 'mysql://root@127.0.0.1:3306/ticket_portal',
      database: { host: '127.0.0.1', port: 3306, username: 'root', password: '', database: 'ticket_portal' },
      redisUrl: 'redis://127.0.0.1:6379',
      hubspotBaseUrl: 'https://api.hubapi.com',
      hubspotAccessToken: 'emulator-token',
      smtpUrl: 'smtp://127.0.0.1:1025',
      mailFrom: 'Ticket Portal <no-reply@localhost>',
      portalUrl: 'http://localhost:8080/',
      portalOrigins: ['http://localhost:8080', 'http://127.0.0.1:8080'],
      portalTicketScope: 'company',
      syncPollSeconds: 60,
      demoPort: 8080,
      emulatorPort: 8090,
      tokenTtlHours: 12,
      rememberTtlDays: 30,
      trustProxy: false,
      logFormat: 'json',
      argon2MemoryKib: 19456,
      argon2TimeCost: 2,
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('should stop with one line naming HUBSPOT_ACCESS_TOKEN when it is missing or blank', () => {
    expect(problemsOf({})).toEqual([
      expect.stringMatching(/^HUBSPOT_ACCESS_TOKEN: is required.*it is not set/),
    ]);
    expect(problemsOf({ HUBSPOT_ACCESS_TOKEN: '   ' })).toHaveLength(1);
  });

  it('should report every bad variable, one line each, saying what is accepted', () => {
    const problems = problemsOf({
      ...required,
      PORT: 'eighty',
      DATABASE_URL: 'postgres://localhost/db',
      REDIS_URL: 'http://localhost:6379',
      HUBSPOT_BASE_URL: 'ftp://hub',
      SMTP_URL: 'localhost:25',
      MAIL_FROM: 'nobody',
      PORTAL_URL: 'not a url',
      PORTAL_ORIGINS: 'https://ok.example,https://bad.example/path,*',
      PORTAL_TICKET_SCOPE: 'everyone',
      SYNC_POLL_SECONDS: '1',
      TRUST_PROXY: 'maybe',
    });
    const names = problems.map((p) => p.split(':')[0]);
    expect(names).toEqual([
      'PORT',
      'DATABASE_URL',
      'REDIS_URL',
      'HUBSPOT_BASE_URL',
      'SMTP_URL',
      'MAIL_FROM',
      'PORTAL_URL',
      'PORTAL_ORIGINS',
      'PORTAL_ORIGINS',
      'PORTAL_TICKET_SCOPE',
      'SYNC_POLL_SECONDS',
      'TRUST_PROXY',
    ]);
    expect(problems[0]).toBe('PORT: must be a whole number from 0 to 65535 (got "eighty")');
    expect(problems[9]).toBe('PORTAL_TICKET_SCOPE: must be one of contact, company (got "everyone")');
    expect(problems.every((p) => !p.includes('\n'))).toBe(true);
  });

  it('should take QUEUE_PREFIX as the prefix of every Redis key, tp by default, braces for Redis Cluster', () => {
    expect(loadConfig(required).queuePrefix).toBe('tp');
    expect(loadConfig({ ...required, QUEUE_PREFIX: 'shop-eu' }).queuePrefix).toBe('shop-eu');
    expect(loadConfig({ ...required, QUEUE_PREFIX: '{tp}' }).queuePrefix).toBe('{tp}');
    for (const value of ['tp:', 'a b', '{tp', 'tp}', '{a}{b}', 'x'.repeat(33)]) {
      expect(problemsOf({ ...required, QUEUE_PREFIX: value })).toEqual([
        expect.stringMatching(/^QUEUE_PREFIX: must be 1 to 32 letters, digits, _ or -.*\{tp\}/),
      ]);
    }
  });

  it('should take DELIVERY_BATCH_SIZE 1 to 100 (100 by default) and DELIVERY_BATCH_WINDOW_MS 0 to 5000', () => {
    expect(loadConfig(required)).toMatchObject({ deliveryBatchSize: 100, deliveryBatchWindowMs: 1000 });
    expect(
      loadConfig({ ...required, DELIVERY_BATCH_SIZE: '1', DELIVERY_BATCH_WINDOW_MS: '0' }),
    ).toMatchObject({
      deliveryBatchSize: 1,
      deliveryBatchWindowMs: 0,
    });
    for (const value of ['0', '101', 'ten', '2.5']) {
      expect(problemsOf({ ...required, DELIVERY_BATCH_SIZE: value })).toEqual([
        expect.stringMatching(
          /^DELIVERY_BATCH_SIZE: must be a whole number from 1 to 100: .*at most 100 records/,
        ),
      ]);
    }
    expect(problemsOf({ ...required, DELIVERY_BATCH_WINDOW_MS: '60000' })).toEqual([
      expect.stringMatching(
        /^DELIVERY_BATCH_WINDOW_MS: must be a whole number from 0 to 5000: .*\(got "60000"\)$/,
      ),
    ]);
  });

  it('should normalise origins and accept a trailing slash', () => {
    const config = loadConfig({
      ...required,
      PORTAL_ORIGINS: ' https://Pages.Example.com/ , http://localhost:5173',
    });
    expect(config.portalOrigins).toEqual(['https://pages.example.com', 'http://localhost:5173']);
  });

  it('should parse TRUST_PROXY as false, a hop count or a list of addresses', () => {
    expect(loadConfig({ ...required, TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ ...required, TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ ...required, TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
    expect(loadConfig({ ...required, TRUST_PROXY: 'loopback,fd00::/8' }).trustProxy).toEqual([
      'loopback',
      'fd00::/8',
    ]);
  });

  // Issue 10: with true, Fastify believes the client's own X-Forwarded-For, so a client could pick
  // the address the per-IP limits count.
  it('should refuse TRUST_PROXY=true and ranges that trust every address, saying what to set', () => {
    expect(problemsOf({ ...required, TRUST_PROXY: 'true' })).toEqual([
      expect.stringMatching(/^TRUST_PROXY: true would let any client choose its own IP address.*usually 1/),
    ]);
    for (const value of [
      '0.0.0.0/0',
      '::/0',
      '10.0.0.300',
      '10.0.0.0/33',
      'proxy.example.com',
      '1.2.3.4/8/1',
    ]) {
      expect(problemsOf({ ...required, TRUST_PROXY: value })).toEqual([
        expect.stringMatching(/^TRUST_PROXY: /),
      ]);
    }
  });

  it('should read the ticket write limits, with person-sized defaults and off', () => {
    expect(loadConfig(required).ticketLimits).toEqual({
      submit: [
        { limit: 10, windowSeconds: 600 },
        { limit: 30, windowSeconds: 3600 },
      ],
      reply: [
        { limit: 30, windowSeconds: 600 },
        { limit: 100, windowSeconds: 3600 },
      ],
      change: [
        { limit: 30, windowSeconds: 600 },
        { limit: 100, windowSeconds: 3600 },
      ],
      perIp: [
        { limit: 120, windowSeconds: 600 },
        { limit: 600, windowSeconds: 3600 },
      ],
    });
    const config = loadConfig({
      ...required,
      TICKET_SUBMIT_LIMITS: 'OFF',
      TICKET_REPLY_LIMITS: ' 5/30s, 50/1d ',
    });
    expect(config.ticketLimits.submit).toEqual([]);
    expect(config.ticketLimits.reply).toEqual([
      { limit: 5, windowSeconds: 30 },
      { limit: 50, windowSeconds: 86400 },
    ]);
    for (const value of ['10', '10/10', '0/1m', '10/0m', '10/8d', 'ten/1h', '10/1h;5/1m']) {
      expect(problemsOf({ ...required, TICKET_IP_LIMITS: value })).toEqual([
        expect.stringMatching(
          /^TICKET_IP_LIMITS: must be off, or comma-separated limits such as 10\/10m,30\/1h/,
        ),
      ]);
    }
  });

  it('should read the graceful-shutdown delay and timeout in seconds, defaulting to 5 and 25', () => {
    expect(loadConfig(required)).toMatchObject({ shutdownDelayMs: 5000, shutdownTimeoutMs: 25_000 });
    expect(
      loadConfig({ ...required, SHUTDOWN_DELAY_SECONDS: '0', SHUTDOWN_TIMEOUT_SECONDS: '60' }),
    ).toMatchObject({ shutdownDelayMs: 0, shutdownTimeoutMs: 60_000 });
    expect(problemsOf({ ...required, SHUTDOWN_DELAY_SECONDS: '2.5', SHUTDOWN_TIMEOUT_SECONDS: '0' })).toEqual(
      [
        'SHUTDOWN_DELAY_SECONDS: must be a whole number from 0 to 120 (got "2.5")',
        'SHUTDOWN_TIMEOUT_SECONDS: must be a whole number from 1 to 600 (got "0")',
      ],
    );
  });

  it('should require BULL_BOARD_USER and BULL_BOARD_PASSWORD together', () => {
    expect(problemsOf({ ...required, BULL_BOARD_USER: 'ops' })).toEqual([
      expect.stringMatching(/^BULL_BOARD_PASSWORD: /),
    ]);
    expect(problemsOf({ ...required, BULL_BOARD_USER: 'ops', BULL_BOARD_PASSWORD: 'secret' })).toEqual([]);
  });
});

describe('portal request settings', () => {
  it('should default to no pipeline ids, priority and category, and the name Support', () => {
    expect(loadConfig(required)).toMatchObject({
      portalPipelineId: undefined,
      portalNewStageId: undefined,
      portalClosedStageId: undefined,
      portalReopenStageId: undefined,
      portalRequestFields: ['priority', 'category'],
      supportName: 'Support',
      supportUrl: undefined,
    });
  });

  it('should read the ids, the fields (empty = none) and the support contact', () => {
    expect(
      loadConfig({
        ...required,
        PORTAL_PIPELINE_ID: '0',
        PORTAL_NEW_STAGE_ID: '1',
        PORTAL_CLOSED_STAGE_ID: '4',
        PORTAL_REOPEN_STAGE_ID: '3',
        PORTAL_REQUEST_FIELDS: 'category',
        SUPPORT_URL: 'https://help.example.com/',
        SUPPORT_NAME: 'Synchtank Support',
      }),
    ).toMatchObject({
      portalPipelineId: '0',
      portalNewStageId: '1',
      portalClosedStageId: '4',
      portalReopenStageId: '3',
      portalRequestFields: ['category'],
      supportUrl: 'https://help.example.com/',
      supportName: 'Synchtank Support',
    });
    expect(loadConfig({ ...required, PORTAL_REQUEST_FIELDS: '' }).portalRequestFields).toEqual([]);
  });

  it('should name each bad portal variable', () => {
    const problems = problemsOf({
      ...required,
      PORTAL_NEW_STAGE_ID: 'stage one',
      PORTAL_REQUEST_FIELDS: 'priority,severity',
      SUPPORT_URL: 'ftp://x',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'PORTAL_NEW_STAGE_ID',
      'PORTAL_REQUEST_FIELDS',
      'SUPPORT_URL',
    ]);
    expect(problems.find((p) => p.startsWith('PORTAL_REQUEST_FIELDS'))).toContain('priority, category');
  });
});

describe('customer reply settings (issue 13)', () => {
  it('should default to the label rule, tasks on and no HubSpot link', () => {
    expect(loadConfig(required)).toMatchObject({
      portalReplyStageId: undefined,
      portalAwaitingStageIds: null,
      portalReplyTasks: true,
      hubspotPortalId: undefined,
      hubspotAppUrl: 'https://app.hubspot.com',
    });
  });

  it('should read the stages, none, tasks off and the account id', () => {
    expect(
      loadConfig({
        ...required,
        PORTAL_REPLY_STAGE_ID: '3',
        PORTAL_AWAITING_STAGE_IDS: ' 2, 17 ,2',
        PORTAL_REPLY_TASKS: 'off',
        HUBSPOT_PORTAL_ID: '62515',
        HUBSPOT_APP_URL: 'https://app-eu1.hubspot.com/',
      }),
    ).toMatchObject({
      portalReplyStageId: '3',
      portalAwaitingStageIds: ['2', '17'],
      portalReplyTasks: false,
      hubspotPortalId: '62515',
      hubspotAppUrl: 'https://app-eu1.hubspot.com',
    });
    expect(loadConfig({ ...required, PORTAL_AWAITING_STAGE_IDS: 'none' }).portalAwaitingStageIds).toEqual([]);
  });

  it('should name each bad reply variable', () => {
    const problems = problemsOf({
      ...required,
      PORTAL_REPLY_STAGE_ID: 'stage one',
      PORTAL_AWAITING_STAGE_IDS: '2,waiting on contact',
      PORTAL_REPLY_TASKS: 'yes',
      HUBSPOT_PORTAL_ID: 'acme',
    });
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual([
      'HUBSPOT_PORTAL_ID',
      'PORTAL_AWAITING_STAGE_IDS',
      'PORTAL_REPLY_STAGE_ID',
      'PORTAL_REPLY_TASKS',
    ]);
    expect(problems.find((p) => p.startsWith('PORTAL_REPLY_TASKS'))).toContain('on, off');
  });
});

describe('sign-in settings (site tokens, PASSWORD_LOGIN)', () => {
  const SECRET = 'k'.repeat(32);
  const site = { SITE_TOKEN_ISSUER: 'https://www.example.com', SITE_TOKEN_AUDIENCE: 'ticket-portal' };

  it('should keep password sign-in on and site tokens off by default', () => {
    expect(loadConfig(required)).toMatchObject({ passwordLogin: true, siteToken: null });
  });

  it('should read an HS256 secret or a JWKS URL with the issuer and audience', () => {
    expect(loadConfig({ ...required, ...site, SITE_TOKEN_SECRET: SECRET }).siteToken).toEqual({
      kind: 'secret',
      secret: SECRET,
      issuer: 'https://www.example.com',
      audience: 'ticket-portal',
    });
    expect(
      loadConfig({
        ...required,
        ...site,
        SITE_TOKEN_JWKS_URL: 'https://www.example.com/.well-known/jwks.json',
        PASSWORD_LOGIN: 'off',
      }),
    ).toMatchObject({
      siteToken: { kind: 'jwks', jwksUrl: 'https://www.example.com/.well-known/jwks.json' },
      passwordLogin: false,
    });
    // Loopback keys over plain HTTP, for development and tests.
    expect(
      loadConfig({ ...required, ...site, SITE_TOKEN_JWKS_URL: 'http://127.0.0.1:4000/jwks.json' }).siteToken,
    ).toMatchObject({ kind: 'jwks' });
  });

  it('should refuse a secret shorter than 32 bytes without printing it', () => {
    const problems = problemsOf({ ...required, ...site, SITE_TOKEN_SECRET: 'short-but-secret' });
    expect(problems).toEqual([expect.stringMatching(/^SITE_TOKEN_SECRET: must be at least 32 bytes/)]);
    expect(problems[0]).not.toContain('short-but-secret');
  });

  it('should require the issuer and audience with a secret or a JWKS URL', () => {
    expect(problemsOf({ ...required, SITE_TOKEN_SECRET: SECRET })).toEqual([
      expect.stringMatching(/^SITE_TOKEN_ISSUER: is required with SITE_TOKEN_SECRET or SITE_TOKEN_JWKS_URL/),
      expect.stringMatching(/^SITE_TOKEN_AUDIENCE: is required/),
    ]);
  });

  it('should refuse an issuer or audience without a key, both keys at once, and a JWKS over plain HTTP', () => {
    expect(problemsOf({ ...required, ...site }).map((p) => p.split(':')[0])).toEqual([
      'SITE_TOKEN_ISSUER',
      'SITE_TOKEN_AUDIENCE',
    ]);
    expect(
      problemsOf({
        ...required,
        ...site,
        SITE_TOKEN_SECRET: SECRET,
        SITE_TOKEN_JWKS_URL: 'https://www.example.com/jwks.json',
      }),
    ).toEqual([
      expect.stringMatching(
        /^SITE_TOKEN_JWKS_URL: set SITE_TOKEN_SECRET .* or SITE_TOKEN_JWKS_URL .*, not both/,
      ),
    ]);
    expect(
      problemsOf({ ...required, ...site, SITE_TOKEN_JWKS_URL: 'http://keys.example.com/jwks.json' }),
    ).toEqual([expect.stringMatching(/^SITE_TOKEN_JWKS_URL: must be the https:\/\/ URL/)]);
  });

  it('should refuse PASSWORD_LOGIN=off without site tokens, as nobody could sign in', () => {
    expect(problemsOf({ ...required, PASSWORD_LOGIN: 'off' })).toEqual([
      expect.stringMatching(/^PASSWORD_LOGIN: off would leave no way to sign in: set SITE_TOKEN_SECRET/),
    ]);
    expect(problemsOf({ ...required, PASSWORD_LOGIN: 'maybe' })).toEqual([
      expect.stringMatching(/^PASSWORD_LOGIN: must be one of on, off/),
    ]);
    expect(problemsOf({ ...required, ...site, SITE_TOKEN_SECRET: SECRET, PASSWORD_LOGIN: 'off' })).toEqual(
      [],
    );
  });
});

describe(parseDatabaseUrl.name, () => {
  it('should decode credentials and default the port', () => {
    expect(parseDatabaseUrl('mysql://app:p%40ss@db.internal/ticket_portal')).toEqual({
      host: 'db.internal',
      port: 3306,
      username: 'app',
      password: 'p@ss',
      database: 'ticket_portal',
    });
  });

  it('should refuse a database name that is not a plain identifier', () => {
    expect(parseDatabaseUrl('mysql://root@localhost/ticket`portal')).toBeUndefined();
    expect(parseDatabaseUrl('mysql://root@localhost/')).toBeUndefined();
  });
});

describe('attachment settings', () => {
  it('should read the attachment limits: defaults, sizes with units, and one line per bad value', () => {
    expect(loadConfig(required).attachments).toEqual({
      maxFiles: 10,
      maxBytes: 25 * 1024 * 1024,
      maxTotalBytes: 50 * 1024 * 1024,
      types: expect.arrayContaining(['image/png', 'application/pdf', 'text/csv', 'application/zip']),
      stagedTtlHours: 24,
    });
    expect(loadConfig(required).attachments.types).not.toEqual(
      expect.arrayContaining(['text/html', 'image/svg+xml']),
    );
    const custom = loadConfig({
      ...required,
      ATTACHMENTS_MAX_FILES: '3',
      ATTACHMENTS_MAX_BYTES: '512KB',
      ATTACHMENTS_TYPES: 'Application/PDF, image/*',
    }).attachments;
    expect(custom).toMatchObject({
      maxFiles: 3,
      maxBytes: 512 * 1024,
      types: ['application/pdf', 'image/*'],
    });
    // Raising only the per-file size raises the per-message total with it.
    expect(loadConfig({ ...required, ATTACHMENTS_MAX_BYTES: '80MB' }).attachments.maxTotalBytes).toBe(
      80 * 1024 * 1024,
    );
    expect(
      problemsOf({
        ...required,
        ATTACHMENTS_MAX_FILES: '0',
        ATTACHMENTS_MAX_BYTES: '1TB',
        ATTACHMENTS_TYPES: 'pdf,*/*',
      }),
    ).toEqual([
      expect.stringMatching(/^ATTACHMENTS_MAX_BYTES: must be a size from 1 byte to 100MB/),
      expect.stringMatching(
        /^ATTACHMENTS_TYPES: must be a comma-separated list of media types .*got "pdf,\*\/\*"/,
      ),
      expect.stringMatching(/^ATTACHMENTS_MAX_FILES: must be a whole number from 1 to 100/),
    ]);
    expect(
      problemsOf({ ...required, ATTACHMENTS_MAX_BYTES: '10MB', ATTACHMENTS_MAX_TOTAL_BYTES: '5MB' }),
    ).toEqual([
      expect.stringMatching(/^ATTACHMENTS_MAX_TOTAL_BYTES: must be at least ATTACHMENTS_MAX_BYTES/),
    ]);
  });
});

describe('visibility settings (PORTAL_COMPANY_SCOPE_PROPERTY)', () => {
  it('should leave company scope to every contact when the property is not set', () => {
    expect(loadConfig(required).portalCompanyScopeProperty).toBeUndefined();
  });

  it('should read a contact property name with company scope', () => {
    expect(
      loadConfig({
        ...required,
        PORTAL_TICKET_SCOPE: 'company',
        PORTAL_COMPANY_SCOPE_PROPERTY: 'portal_admin',
      }).portalCompanyScopeProperty,
    ).toBe('portal_admin');
  });

  it('should refuse a label instead of an internal name, and the property with contact scope', () => {
    expect(problemsOf({ ...required, PORTAL_COMPANY_SCOPE_PROPERTY: 'Portal admin' })).toEqual([
      expect.stringMatching(
        /^PORTAL_COMPANY_SCOPE_PROPERTY: must be a HubSpot contact property's internal name/,
      ),
    ]);
    expect(
      problemsOf({
        ...required,
        PORTAL_TICKET_SCOPE: 'contact',
        PORTAL_COMPANY_SCOPE_PROPERTY: 'portal_admin',
      }),
    ).toEqual([
      expect.stringMatching(/^PORTAL_COMPANY_SCOPE_PROPERTY: only applies with PORTAL_TICKET_SCOPE=company/),
    ]);
  });
});
