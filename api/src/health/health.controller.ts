import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/public.decorator';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { detailsAccess } from './details-access';
import { HealthService, type HealthReport } from './health.service';

type ErrorFields = Partial<{ statusCode: number; error: string; message: string; code: ErrorCode }>;
/** What anyone may see: up or not, and whether sync is behind. No error texts, no internals. */
type PublicHealth = { status: 'ok' | 'degraded' | 'error' } & ErrorFields;
type HealthBody = (HealthReport & ErrorFields) | PublicHealth;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthService,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Database and Redis status; 503 when one is down',
    description:
      'Public callers get only { status }. The details (checks, sync streams with their errors, queues) need "Authorization: Bearer <METRICS_TOKEN>", or, when METRICS_TOKEN is unset, a request from this host (loopback, not proxied).',
  })
  @ApiOkResponse({
    description:
      'Public: { status: "ok" | "degraded" } ("degraded": HubSpot sync is failing or behind). With access: { status: "ok", checks: { database: {status, latencyMs}, redis: {status, latencyMs} }, sync: { status: "ok"|"degraded"|"unknown", syncedAt, healthy, streams, queues, pending } }. A HubSpot outage never gives 503.',
  })
  @ApiServiceUnavailableResponse({
    description: 'MySQL or Redis is down; with access the body names which',
  })
  async check(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthBody> {
    const report = await this.health.check();
    const details = detailsAccess(this.config, request) === 'granted';
    void reply.header('cache-control', 'no-store');
    if (report.status === 'ok') {
      if (details) return report;
      return { status: report.sync.status === 'ok' ? 'ok' : 'degraded' };
    }
    const down = (Object.keys(report.checks) as Array<keyof HealthReport['checks']>).filter(
      (name) => report.checks[name].status === 'down',
    );
    void reply.status(503);
    const error = {
      statusCode: 503,
      error: 'Service Unavailable',
      code: ErrorCode.DEPENDENCY_UNAVAILABLE,
    };
    if (!details) {
      return { ...error, message: 'Not ready: a dependency is unreachable.', status: 'error' };
    }
    return {
      ...error,
      message: `Not ready: ${down.join(' and ')} ${down.length === 1 ? 'is' : 'are'} unreachable.`,
      ...report,
    };
  }
}
