import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import { type LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { registerBullBoard } from './admin/bull-board';
import { ThrottleService } from './auth/throttle.service';
import { AppModule } from './app.module';
import { AppError } from './common/errors/app-error';
import { AppExceptionFilter } from './common/errors/app-exception.filter';
import { ErrorCode } from './common/errors/error-code.enum';
import { toErrorResponse } from './common/errors/error-response';
import { createLogger } from './common/logging/create-logger';
import { createValidationPipe } from './common/validation';
import { HttpMetrics } from './health/http-metrics';
import { API_PREFIX, createOpenApiDocument } from './openapi';

export { API_PREFIX };
import type { AppConfig } from './config/app-config';
import { registerWidgetAssets } from './widget/widget-assets';

export interface HttpAppOptions {
  logger?: LoggerService | false;
  // Serve widget/dist from another directory (tests).
  widgetDistDir?: string;
}

export interface HttpAppHandle {
  app: NestFastifyApplication;
  port: number;
  // e.g. http://127.0.0.1:3000 (no trailing slash)
  url: string;
  widgetServed: boolean;
  close(): Promise<void>;
}

function sendError(reply: FastifyReply, error: unknown, request: FastifyRequest): void {
  const response = toErrorResponse(error, request.method, request.url);
  void reply.status(response.status).headers(response.headers).send(response.body);
}

// Builds and starts the HTTP API on config.port (0 picks a free port).
export async function createHttpApp(config: AppConfig, options: HttpAppOptions = {}): Promise<HttpAppHandle> {
  const logger = options.logger ?? createLogger(config.logLevel, config.logFormat, 'ticket-portal-api');
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
  fastify.addHook('onRequest', (request, reply, done) => {
    const origin = request.headers.origin;
    if (
      typeof origin === 'string' &&
      request.url.startsWith(`/${API_PREFIX}`) &&
      !allowed.has(origin) &&
      origin !== `${request.protocol}://${request.host}`
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
  // Operators only: mounted when BULL_BOARD_USER/BULL_BOARD_PASSWORD are set, else a plain 404.
  await registerBullBoard(fastify, config, app.get(ThrottleService));

  await app.listen({ port: config.port, host: config.host });
  const address = app.getHttpServer().address() as AddressInfo;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
  let closed = false;
  return {
    app,
    port: address.port,
    url,
    widgetServed,
    close: async () => {
      if (closed) return;
      closed = true;
      await app.close();
    },
  };
}
