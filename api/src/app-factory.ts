import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fastifyCompress from '@fastify/compress';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import { type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { registerBullBoard } from './admin/bull-board';
import { DOWNLOAD_ROUTE, UPLOAD_ROUTE } from './attachments/attachments.controller';
import { registerMultipart, skipCompression } from './attachments/multipart';
import { ThrottleService } from './auth/throttle.service';
import { AppModule } from './app.module';
import { AppError } from './common/errors/app-error';
import { AppExceptionFilter } from './common/errors/app-exception.filter';
import { ErrorCode } from './common/errors/error-code.enum';
import { toErrorResponse } from './common/errors/error-response';
import { DrainState } from './common/lifecycle/drain-state';
import { createLogger } from './common/logging/create-logger';
import { isPageOriginAllowed } from './common/http/page-origin';
import { createValidationPipe } from './common/validation';
import {
  claimDeploymentAtStart,
  type DeploymentConflictError,
  DeploymentGuard,
} from './queues/deployment-guard';
import { HttpMetrics } from './health/http-metrics';
import { API_PREFIX, createOpenApiDocument } from './openapi';

export { API_PREFIX };
import type { AppConfig } from './config/app-config';
import { registerWidgetAssets, WIDGET_DIST } from './widget/widget-assets';
import { registerWidgetFrame } from './widget/widget-frame';

export interface HttpAppOptions {
  logger?: LoggerService | false;
  /** Another deployment claimed this QUEUE_PREFIX after a Redis restart (main.ts exits). */
  onDeploymentConflict?: (error: DeploymentConflictError) => void;
  // Serve widget/dist from another directory (tests).
  widgetDistDir?: string;
}

export interface HttpAppHandle {
  app: NestFastifyApplication;
  port: number;
  // e.g. http://127.0.0.1:3000 (no trailing slash)
  url: string;
  widgetServed: boolean;
  /** Closes at once: stops listening, waits for in-flight requests, then closes MySQL/Redis. */
  close(): Promise<void>;
  /**
   * The graceful stop (SIGTERM): `/health` answers 503 "draining" and every response closes its
   * connection for SHUTDOWN_DELAY_SECONDS, so a load balancer moves traffic away while nothing is refused;
   * then the listener closes, in-flight requests finish (at most SHUTDOWN_TIMEOUT_SECONDS) and it closes.
   */
  shutdown(): Promise<void>;
}

function sendError(reply: FastifyReply, error: unknown, request: FastifyRequest): void {
  const response = toErrorResponse(error, request.method, request.url);
  void reply.status(response.status).headers(response.headers).send(response.body);
}

// Builds and starts the HTTP API on config.port (0 picks a free port).
export async function createHttpApp(config: AppConfig, options: HttpAppOptions = {}): Promise<HttpAppHandle> {
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat, 'ticket-portal-api');
  // Mails and deliveries this API queues would be run by another deployment's worker otherwise.
  await claimDeploymentAtStart(config);
  const adapter = new FastifyAdapter({
    bodyLimit: config.bodyLimitBytes,
    trustProxy: config.trustProxy,
    logger: false,
    genReqId: () => randomUUID(),
    routerOptions: { maxParamLength: 200 },
    return503OnClosing: true,
    frameworkErrors: (error: Error, request: FastifyRequest, reply: FastifyReply) =>
      sendError(reply, error, request),
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), adapter, {
    logger,
    abortOnError: false,
    // The HubSpot webhook signature is computed over the exact bytes received.
    rawBody: true,
  });
  const fastify = app.getHttpAdapter().getInstance();
  const drain = app.get(DrainState);
  const healthPath = `/${API_PREFIX}/health`;

  // While draining, the health check fails first (the balancer's signal), and every answer closes its
  // connection so no idle keep-alive connection is left to race against the listener closing.
  fastify.addHook('onRequest', (request, reply, done) => {
    if (drain.draining && request.url.split('?')[0] === healthPath) {
      const response = toErrorResponse(
        new AppError(
          ErrorCode.SHUTTING_DOWN,
          'Draining: this API process is shutting down. A load balancer should send requests to another one.',
          { retryAfterSeconds: 1 },
        ),
        request.method,
        request.url,
      );
      void reply
        .status(response.status)
        .headers({ ...response.headers, 'cache-control': 'no-store' })
        .send({ ...response.body, status: 'draining' });
      return;
    }
    done();
  });
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    if (drain.draining) void reply.header('connection', 'close');
    done(null, payload);
  });

  app.setGlobalPrefix(API_PREFIX);
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalFilters(new AppExceptionFilter());

  await app.register(fastifyHelmet, {
    // Module scripts and API answers are read cross-origin on purpose; CORS decides who may read them.
    crossOriginResourcePolicy: { policy: 'cross-origin' },
    crossOriginEmbedderPolicy: false,
    // The demo and docker-compose run over plain http; upgrading would break the docs UI there.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });

  // File uploads (POST attachments) only; every other route keeps answering 415 to a non-JSON body.
  await registerMultipart(fastify, `/${API_PREFIX}/${UPLOAD_ROUTE}`);
  // Downloads (GET tickets/:id/attachments/:attachmentId) go out as they are stored, never through the
  // compressor below, whatever their type (an operator may allow application/json): a file keeps
  // its Content-Length (the widget's progress, a stalled download is seen as one), most allowed
  // types are compressed already, and a 25 MB stream would cost a compressor's CPU for nothing.
  // This hook runs before the compressor's, which reads each route's `compress` as the route is added.
  skipCompression(fastify, `/${API_PREFIX}/${DOWNLOAD_ROUTE}`);

  // JSON answers above 1 KB go out compressed (a page of the ticket list shrinks about 8×). Only JSON:
  // the widget's files are compressed at build time (widget-assets.ts, registered after this, as the
  // plugin requires), and the event stream (GET tickets/events) writes to the socket itself, never
  // through this hook, so no event waits in a compressor's buffer. Brotli at quality 4 and gzip cost
  // little CPU per answer; request bodies are never inflated (the webhook signs the exact bytes, and
  // a multipart upload is read as sent).
  await app.register(fastifyCompress, {
    global: true,
    globalDecompression: false,
    encodings: ['br', 'gzip'],
    threshold: 1024,
    customTypes: /^application\/(?:[\w.+-]+\+)?json(?:;|$)/,
  });

  const allowed = new Set(config.portalOrigins);
  await app.register(fastifyCors, {
    origin: (origin: string | undefined, callback: (error: Error | null, allow: boolean) => void) =>
      callback(null, origin !== undefined && allowed.has(origin)),
    methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'Last-Event-ID', 'Idempotency-Key'],
    exposedHeaders: ['Retry-After', 'WWW-Authenticate'],
    credentials: false,
    maxAge: 600,
    strictPreflight: true,
  });

  // A browser on a page that is not in PORTAL_ORIGINS is refused outright, not just left unreadable.
  // Except GET portal: any page may read it (PortalController), so that the widget on a page nobody
  // added can say "not set up for the portal" instead of "can't reach" (a CORS refusal hides all).
  const portalPath = `/${API_PREFIX}/portal`;
  fastify.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (
      typeof origin === 'string' &&
      request.url.startsWith(`/${API_PREFIX}`) &&
      !isPageOriginAllowed(allowed, request) &&
      !((request.method === 'GET' || request.method === 'HEAD') && request.url.split('?')[0] === portalPath)
    ) {
      sendError(
        reply,
        new AppError(
          ErrorCode.ORIGIN_NOT_ALLOWED,
          `Pages on ${origin.slice(0, 200)} may not use this portal API. The site owner can add this origin to PORTAL_ORIGINS.`,
        ),
        request,
      );
      return;
    }
    done();
  });

  const httpLogger = createLogger(config.logLevel, config.logFormat, 'ticket-portal-api');
  const httpMetrics = app.get(HttpMetrics);
  fastify.addHook('onResponse', (request, reply, done) => {
    // The route pattern, not the raw URL: query strings could carry anything.
    httpMetrics.record(
      request.method,
      request.routeOptions.url ?? '(unmatched)',
      reply.statusCode,
      reply.elapsedTime,
    );
    httpLogger.log(
      {
        msg: 'request',
        reqId: request.id,
        method: request.method,
        route: request.routeOptions.url ?? '(unmatched)',
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'Http',
    );
    done();
  });

  const document = createOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });

  const widgetServed = await registerWidgetAssets(fastify, options.widgetDistDir);
  // The iframe mode's page (ADR 0013), which only PORTAL_ORIGINS may frame.
  if (widgetServed) registerWidgetFrame(fastify, config.portalOrigins, options.widgetDistDir ?? WIDGET_DIST);
  // Operators only: mounted when BULL_BOARD_USER/BULL_BOARD_PASSWORD are set, else a plain 404.
  await registerBullBoard(fastify, config, app.get(ThrottleService));

  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  let closing: Promise<void> | undefined;
  // The HTTP server closes before Nest's shutdown hooks, which would otherwise close MySQL, Redis and
  // the queues under requests still being answered.
  const close = (timeoutMs = config.shutdownTimeoutMs): Promise<void> =>
    (closing ??= (async () => {
      // Long-lived answers (event streams) end first, with a retry hint, instead of holding the close.
      await drain.startDraining();
      const server = app.getHttpServer();
      const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
      try {
        await fastify.close();
      } finally {
        clearTimeout(timer);
      }
      await app.close();
    })());
  if (options.onDeploymentConflict) {
    const onConflict = options.onDeploymentConflict;
    app.get(DeploymentGuard).onConflict((error) => onConflict(error));
  }
  return {
    app,
    port: address.port,
    url,
    widgetServed,
    close: () => close(),
    shutdown: async () => {
      await drain.startDraining();
      if (config.shutdownDelayMs > 0) await new Promise((r) => setTimeout(r, config.shutdownDelayMs));
      await close();
    },
  };
}
