import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/public.decorator';
import { ErrorCode } from '../common/errors/error-code.enum';
import { HealthService, type HealthReport } from './health.service';

type HealthBody = HealthReport &
  Partial<{ statusCode: number; error: string; message: string; code: ErrorCode }>;

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Database and Redis status; 503 when one is down' })
  @ApiOkResponse({
    description:
      '{ status: "ok", checks: { database: {status, latencyMs}, redis: {status, latencyMs} }, sync: { status: "ok"|"degraded"|"unknown", syncedAt, healthy, streams, queues, pending } }. A HubSpot outage shows as sync.status "degraded", never as 503.',
  })
  @ApiServiceUnavailableResponse({ description: 'One dependency is down; the body names it' })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthBody> {
    const report = await this.health.check();
    void reply.header('cache-control', 'no-store');
    if (report.status === 'ok') return report;
    const down = (Object.keys(report.checks) as Array<keyof HealthReport['checks']>).filter(
      (name) => report.checks[name].status === 'down',
    );
    void reply.status(503);
    return {
      statusCode: 503,
      error: 'Service Unavailable',
      message: `Not ready: ${down.join(' and ')} ${down.length === 1 ? 'is' : 'are'} unreachable.`,
      code: ErrorCode.DEPENDENCY_UNAVAILABLE,
      ...report,
    };
  }
}
