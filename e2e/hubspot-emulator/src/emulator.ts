import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo } from 'node:net';
import { CallCounter, routeKey, type CallStats } from './call-stats';
import { consolePage } from './console-page';
import { DEFAULT_ACCESS_TOKEN, DEFAULT_CLIENT_SECRET } from './constants';
import { badRequest, HubSpotError } from './errors';
import { applyFaultPatch, FAULT_KEYS, NO_FAULTS, type FaultOptions, type FaultPatch } from './faults';
import { json, objectBody, Router, type Ctx, type Reply } from './http';
import { MAX_UPLOAD_BYTES } from './files';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimitOptions } from './rate-limiter';
import { registerAssociationRoutes } from './routes/associations.routes';
import { registerConversationRoutes } from './routes/conversations.routes';
import { registerCrmBatchRoutes } from './routes/crm-batch.routes';
import { registerCrmObjectRoutes } from './routes/crm-objects.routes';
import { registerFileRoutes } from './routes/files.routes';
import { registerOwnerRoutes } from './routes/owners.routes';
import { registerPipelineRoutes } from './routes/pipelines.routes';
import { registerPropertyRoutes } from './routes/properties.routes';
import { registerStaffRoutes } from './routes/staff.routes';
import { seedStore, type SeedOptions, type SeedResult } from './seed';
import { StaffActions } from './staff';
import { loadState, saveState } from './state-file';
import { Store } from './store';
import {
  DEFAULT_WEBHOOK_OPTIONS,
  WebhookDispatcher,
  type DeliveryRecord,
  type WebhookOptions,
  type WebhookSwitches,
} from './webhooks';

export interface EmulatorOptions {
  /** 0 picks a free port (default). */
  port?: number;
  host?: string;
  /** Bearer token the API must send (default 'emulator-token'). */
  accessToken?: string;
  /** Client secret that signs webhooks (default 'emulator-secret'). */
  clientSecret?: string;
  /** Where webhooks go; none are sent without one. */
  webhookUrl?: string;
  /** Demo data at start (default 200 tickets); false for an empty portal (pipelines only). */
  seed?: SeedOptions | false;
  /** JSON file the state is loaded from (instead of seeding) and saved to. */
  stateFile?: string;
  rateLimit?: Partial<RateLimitOptions>;
  faults?: FaultPatch;
  webhooks?: Partial<Omit<WebhookOptions, 'url' | 'clientSecret' | 'switches'>> & {
    switches?: Partial<WebhookSwitches>;
  };
  /** Randomness for faults and webhook switches (pass a seeded one for deterministic tests). */
  random?: () => number;
  /** Request log lines; silent by default. */
  log?: (line: string) => void;
}

export interface Emulator {
  /** Base URL for the SDK's basePath (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly consoleUrl: string;
  readonly accessToken: string;
  readonly clientSecret: string;
  readonly store: Store;
  readonly staff: StaffActions;
  readonly faults: FaultOptions;
  readonly rateLimits: RateLimitOptions;
  readonly webhookLog: readonly DeliveryRecord[];
  setWebhookUrl(url: string | undefined): void;
  setFaults(patch: FaultPatch): FaultOptions;
  clearFaults(): FaultOptions;
  setWebhookSwitches(patch: Partial<WebhookSwitches>): WebhookSwitches;
  setRateLimits(patch: Partial<RateLimitOptions>): RateLimitOptions;
  /** Forgets past requests, so the next one starts a fresh window. */
  resetRateLimits(): void;
  /** HubSpot API calls received per route and status since start or the last resetStats(). */
  stats(): CallStats;
  resetStats(): void;
  /** Delivers every pending webhook now and waits for the requests to finish. */
  flushWebhooks(): Promise<void>;
  seed(options: SeedOptions): SeedResult;
  saveState(): void;
  close(): Promise<void>;
}

const MAX_BODY = 5 * 1024 * 1024;
// Multipart uploads carry the file itself (plus the form's own overhead).
const MAX_MULTIPART_BODY = MAX_UPLOAD_BYTES + 64 * 1024;

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > max) {
        reject(new HubSpotError(413, 'VALIDATION_ERROR', `The request body is larger than ${max} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const isMultipart = (req: IncomingMessage): boolean =>
  /^multipart\/form-data/i.test(req.headers['content-type'] ?? '');

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export async function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const accessToken = options.accessToken ?? DEFAULT_ACCESS_TOKEN;
  const clientSecret = options.clientSecret ?? DEFAULT_CLIENT_SECRET;
  const random = options.random ?? Math.random;
  const log = options.log;
  const consoleKey = randomBytes(18).toString('base64url');
  const store = new Store();
  const limiter = new RateLimiter({ ...DEFAULT_RATE_LIMITS, ...options.rateLimit });
  const calls = new CallCounter();
  let faults: FaultOptions = applyFaultPatch(NO_FAULTS, options.faults ?? {}, Date.now());
  store.searchLagMs = faults.searchLagMs;
  const { switches, ...webhookRest } = options.webhooks ?? {};
  const webhooks = new WebhookDispatcher(
    {
      ...DEFAULT_WEBHOOK_OPTIONS,
      ...webhookRest,
      switches: { ...DEFAULT_WEBHOOK_OPTIONS.switches },
      url: undefined,
      clientSecret,
    },
    random,
  );
  if (switches) webhooks.setSwitches(switches);
  if (options.webhookUrl) webhooks.setUrl(options.webhookUrl);
  store.onChange((e) => webhooks.handle(e));
  const staff = new StaffActions(store);

  const loaded = options.stateFile ? loadState(store, options.stateFile) : false;
  if (!loaded && options.seed !== false) seedStore(store, options.seed ?? { tickets: 200 });

  let baseUrl = '';
  const router = new Router();
  registerCrmObjectRoutes(router, store, () => baseUrl);
  registerCrmBatchRoutes(router, store);
  registerPipelineRoutes(router, store);
  registerOwnerRoutes(router, store, () => baseUrl);
  registerAssociationRoutes(router, store);
  registerPropertyRoutes(router, store);
  registerConversationRoutes(router, store, () => baseUrl);
  registerFileRoutes(router, store, () => baseUrl);
  registerStaffRoutes(router, store, staff, () => baseUrl);

  const setFaults = (patch: FaultPatch): FaultOptions => {
    faults = applyFaultPatch(faults, patch, Date.now());
    store.searchLagMs = faults.searchLagMs;
    return faults;
  };
  const adminError = (e: unknown): never => {
    throw badRequest((e as Error).message);
  };

  // ---- admin endpoints (emulator control; not HubSpot paths) ----
  router.add(
    'GET',
    '/_emulator/health',
    () => json(200, { ok: true, tickets: store.records.tickets.size }),
    'public',
  );
  router.add('GET', '/_emulator/faults', () => json(200, faults), 'admin');
  const faultHandler = (ctx: Ctx): Reply => {
    const b = objectBody(ctx);
    const unknown = Object.keys(b).filter((k) => !FAULT_KEYS.has(k));
    if (unknown.length > 0) {
      throw badRequest(
        `Unknown fault switch(es): ${unknown.join(', ')}. Known: ${[...FAULT_KEYS].join(', ')}.`,
      );
    }
    try {
      return json(200, setFaults(b));
    } catch (e) {
      return adminError(e);
    }
  };
  router.add('PUT', '/_emulator/faults', faultHandler, 'admin');
  router.add('PATCH', '/_emulator/faults', faultHandler, 'admin');
  router.add('POST', '/_emulator/faults', faultHandler, 'admin');
  router.add('DELETE', '/_emulator/faults', () => json(200, setFaults({ ...NO_FAULTS })), 'admin');

  const webhookState = () => ({
    url: webhooks.options.url ?? null,
    switches: webhooks.options.switches,
    properties: webhooks.options.properties,
    pending: webhooks.pendingCount,
    stats: webhooks.stats,
    recentDeliveries: webhooks.log.slice(-50),
  });
  router.add('GET', '/_emulator/webhooks', () => json(200, webhookState()), 'admin');
  const webhookHandler = (ctx: Ctx): Reply => {
    const b = objectBody(ctx);
    try {
      if ('url' in b) {
        if (b.url !== null && typeof b.url !== 'string') throw new Error('url must be a string or null');
        webhooks.setUrl(b.url ?? undefined);
      }
      const { url: _url, properties, ...sw } = b;
      if (properties !== undefined) {
        const ok =
          properties === '*' || (Array.isArray(properties) && properties.every((p) => typeof p === 'string'));
        if (!ok) throw new Error('properties must be "*" or a list of ticket property names');
        webhooks.options.properties = properties;
      }
      const known = new Set(['dropRate', 'duplicateRate', 'delayMs', 'reorder']);
      const unknown = Object.keys(sw).filter((k) => !known.has(k));
      if (unknown.length > 0) {
        throw new Error(
          `Unknown webhook switch(es): ${unknown.join(', ')}. Known: url, properties, ${[...known].join(', ')}.`,
        );
      }
      webhooks.setSwitches(sw);
    } catch (e) {
      adminError(e);
    }
    return json(200, webhookState());
  };
  router.add('PUT', '/_emulator/webhooks', webhookHandler, 'admin');
  router.add('PATCH', '/_emulator/webhooks', webhookHandler, 'admin');
  router.add('POST', '/_emulator/webhooks', webhookHandler, 'admin');
  router.add(
    'POST',
    '/_emulator/webhooks/flush',
    async () => {
      await webhooks.flush();
      return json(200, webhookState());
    },
    'admin',
  );

  router.add('GET', '/_emulator/rate-limits', () => json(200, limiter.options), 'admin');
  const rateHandler = (ctx: Ctx): Reply => {
    const b = objectBody(ctx);
    const patch: Partial<RateLimitOptions> = {};
    for (const [k, v] of Object.entries(b)) {
      if (k === 'disabled') {
        if (typeof v !== 'boolean') throw badRequest('disabled must be true or false.');
        patch.disabled = v;
      } else if (k in DEFAULT_RATE_LIMITS) {
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) {
          throw badRequest(`${k} must be a positive integer.`);
        }
        (patch as Record<string, number>)[k] = v;
      } else {
        throw badRequest(
          `Unknown rate-limit setting ${k}. Known: ${Object.keys(DEFAULT_RATE_LIMITS).join(', ')}.`,
        );
      }
    }
    limiter.configure(patch);
    limiter.reset();
    return json(200, limiter.options);
  };
  router.add('PUT', '/_emulator/rate-limits', rateHandler, 'admin');
  router.add('PATCH', '/_emulator/rate-limits', rateHandler, 'admin');

  router.add(
    'POST',
    '/_emulator/seed',
    (ctx) => {
      const b = objectBody(ctx);
      const tickets = Number(b.tickets);
      if (!Number.isInteger(tickets) || tickets < 0 || tickets > 2_000_000) {
        throw badRequest('tickets must be an integer from 0 to 2000000.');
      }
      const seed = b.seed === undefined ? undefined : Number(b.seed);
      if (seed !== undefined && !Number.isInteger(seed)) throw badRequest('seed must be an integer.');
      return json(200, seedStore(store, { tickets, ...(seed !== undefined ? { seed } : {}) }));
    },
    'admin',
  );

  router.add('GET', '/_emulator/stats', () => json(200, calls.snapshot()), 'admin');
  router.add(
    'DELETE',
    '/_emulator/stats',
    () => {
      calls.reset();
      return json(200, calls.snapshot());
    },
    'admin',
  );

  router.add('GET', '/favicon.ico', () => ({ status: 204 }), 'public');
  router.add(
    'GET',
    '/',
    () => ({ status: 200, text: consolePage(consoleKey), contentType: 'text/html; charset=utf-8' }),
    'public',
  );
  router.add(
    'GET',
    '/console',
    () => ({ status: 200, text: consolePage(consoleKey), contentType: 'text/html; charset=utf-8' }),
    'public',
  );

  // ---- the request pipeline ----
  const send = (res: ServerResponse, reply: Reply, extraHeaders: Record<string, string> = {}): void => {
    const headers: Record<string, string> = {
      'X-HubSpot-Correlation-Id': randomUUID(),
      ...extraHeaders,
      ...reply.headers,
    };
    if (reply.binary !== undefined) {
      headers['Content-Type'] = reply.contentType ?? 'application/octet-stream';
      headers['Content-Length'] = String(reply.binary.length);
      headers['X-Content-Type-Options'] = 'nosniff';
      res.writeHead(reply.status, headers).end(reply.binary);
    } else if (reply.text !== undefined) {
      headers['Content-Type'] = reply.contentType ?? 'text/plain; charset=utf-8';
      headers['Content-Security-Policy'] =
        "default-src 'self'; script-src 'unsafe-inline' 'self'; style-src 'unsafe-inline' 'self'";
      headers['X-Frame-Options'] = 'DENY';
      res.writeHead(reply.status, headers).end(reply.text);
    } else if (reply.body !== undefined && reply.status !== 204) {
      headers['Content-Type'] = 'application/json;charset=utf-8';
      res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
    } else {
      res.writeHead(reply.status, headers).end();
    }
  };

  const errorReply = (e: unknown): Reply => {
    if (e instanceof HubSpotError) return json(e.status, e.toBody());
    log?.(`internal error: ${(e as Error).stack ?? String(e)}`);
    return json(500, new HubSpotError(500, 'INTERNAL_ERROR', 'internal error').toBody());
  };

  const authorised = (req: IncomingMessage, allowConsoleKey: boolean): boolean => {
    const auth = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(auth);
    if (m && safeEqual(m[1]?.trim() ?? '', accessToken)) return true;
    const key = req.headers['x-emulator-console-key'];
    return allowConsoleKey && typeof key === 'string' && safeEqual(key, consoleKey);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    // A basePath with a trailing slash makes the SDK request `//crm/…`; HubSpot's edge tolerates it.
    const url = new URL((req.url ?? '/').replace(/^\/{2,}/, '/'), 'http://emulator.local');
    const method = (req.method ?? 'GET').toUpperCase();
    const { route, params, methodMismatch } = router.match(method, url.pathname);
    let extra: Record<string, string> = {};
    let reply: Reply;
    try {
      if (!route) {
        throw methodMismatch
          ? new HubSpotError(405, 'VALIDATION_ERROR', `Method ${method} is not allowed on ${url.pathname}.`)
          : new HubSpotError(
              404,
              'OBJECT_NOT_FOUND',
              `Unable to route ${method} ${url.pathname}: no such HubSpot endpoint in the emulator.`,
            );
      }
      const isApi = route.kind === 'api' || route.kind === 'search';
      if (isApi) {
        const delay = faults.latencyMs + (faults.jitterMs > 0 ? Math.floor(random() * faults.jitterMs) : 0);
        if (delay > 0) await sleep(delay);
        if (faults.outageUntil > Date.now()) {
          throw new HubSpotError(
            503,
            'SERVICE_UNAVAILABLE',
            'HubSpot is temporarily unavailable (emulated outage). Retry later.',
          );
        }
      }
      if (route.kind !== 'public' && !authorised(req, route.kind === 'admin')) {
        extra = { 'X-HubSpot-Auth-Failure': '401 Unauthorized' };
        throw new HubSpotError(
          401,
          'INVALID_AUTHENTICATION',
          'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview',
        );
      }
      if (isApi) {
        if (faults.errorRate > 0 && random() < faults.errorRate) {
          const status = faults.errorStatuses[Math.floor(random() * faults.errorStatuses.length)] ?? 500;
          throw new HubSpotError(
            status,
            'INTERNAL_ERROR',
            `Emulated server error (HTTP ${status}). Retry the request.`,
          );
        }
        const decision = limiter.check(route.kind === 'search');
        extra = decision.headers;
        if (!decision.allowed) {
          calls.record(routeKey(method, route.pattern, params), 429);
          send(res, json(429, decision.body), extra);
          return;
        }
      }
      const multipart = isMultipart(req);
      const rawBuffer =
        method === 'GET' || method === 'HEAD'
          ? Buffer.alloc(0)
          : await readBody(req, multipart ? MAX_MULTIPART_BODY : MAX_BODY);
      // A multipart body is the route's to parse (file uploads); everything else is JSON.
      const rawBody = multipart ? '' : rawBuffer.toString('utf8');
      let body: unknown;
      if (rawBody.trim() !== '') {
        try {
          body = JSON.parse(rawBody);
        } catch (e) {
          throw badRequest(`Invalid input JSON: ${(e as Error).message}`);
        }
      }
      reply = await route.handler({
        req,
        method,
        path: url.pathname,
        query: url.searchParams,
        params,
        body,
        rawBody,
        rawBuffer,
      });
    } catch (e) {
      reply = errorReply(e);
    }
    if (route && (route.kind === 'api' || route.kind === 'search')) {
      calls.record(routeKey(method, route.pattern, params), reply.status);
    }
    send(res, reply, extra);
    log?.(`${method} ${url.pathname}${url.search} ${reply.status} ${Date.now() - started}ms`);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      log?.(`unhandled: ${String(e)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 5_000;
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

  let savedVersion = store.version;
  const saver = options.stateFile
    ? setInterval(() => {
        if (store.version !== savedVersion) {
          savedVersion = store.version;
          saveState(store, options.stateFile as string);
        }
      }, 2_000)
    : undefined;
  saver?.unref();

  const emulator: Emulator = {
    url: baseUrl,
    port,
    consoleUrl: `${baseUrl}/`,
    accessToken,
    clientSecret,
    store,
    staff,
    get faults() {
      return faults;
    },
    get rateLimits() {
      return limiter.options;
    },
    get webhookLog() {
      return webhooks.log;
    },
    setWebhookUrl: (u) => webhooks.setUrl(u),
    setFaults,
    clearFaults: () => setFaults({ ...NO_FAULTS }),
    setWebhookSwitches: (p) => webhooks.setSwitches(p),
    setRateLimits: (p) => {
      limiter.configure(p);
      limiter.reset();
      return limiter.options;
    },
    resetRateLimits: () => limiter.reset(),
    stats: () => calls.snapshot(),
    resetStats: () => calls.reset(),
    flushWebhooks: () => webhooks.flush(),
    seed: (o) => seedStore(store, o),
    saveState: () => {
      if (options.stateFile) saveState(store, options.stateFile);
    },
    close: async () => {
      if (saver) clearInterval(saver);
      if (options.stateFile && store.version !== savedVersion) saveState(store, options.stateFile);
      webhooks.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return emulator;
}
