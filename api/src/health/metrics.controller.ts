import { timingSafeEqual } from 'node:crypto';
import { Controller, Get, Headers, Logger, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { renderOutboxMetrics } from '../requests/outbox-metrics';
import { SyncStatusService, renderSyncMetrics } from '../sync/sync-status.service';
import { HttpMetrics, renderProcessMetrics } from './http-metrics';

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

@ApiTags('health')
@Public()
@Controller('metrics')
export class MetricsController {
  private readonly logger = new Logger(MetricsController.name);

  constructor(
    private readonly config: AppConfig,
    private readonly http: HttpMetrics,
    private readonly sync: SyncStatusService,
    private readonly dataSource: DataSource,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Prometheus metrics (text format 0.0.4)',
    description: 'Needs "Authorization: Bearer <METRICS_TOKEN>" when METRICS_TOKEN is set; open otherwise.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Process, HTTP, sync and requests-outbox metrics' })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the bearer token does not match' })
  async metrics(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const expected = this.config.metricsToken;
    if (expected !== undefined) {
      const match = typeof authorization === 'string' ? /^Bearer +(\S+) *$/i.exec(authorization) : null;
      if (!match || !sameToken(match[1]!, expected)) {
        throw new AppError(
          ErrorCode.UNAUTHENTICATED,
          'Metrics need "Authorization: Bearer <METRICS_TOKEN>" with the token configured on the server.',
          { headers: { 'www-authenticate': 'Bearer realm="ticket-portal-metrics"' } },
        );
      }
    }
    let sync: string;
    try {
      sync = renderSyncMetrics(await this.sync.status());
    } catch (error) {
      // Database or Redis down: still answer with what is known; health reports the outage.
      this.logger.warn(`sync metrics unavailable: ${error instanceof Error ? error.message : String(error)}`);
      sync =
        '# HELP tp_sync_status_up 0 when the sync status could not be read.\n# TYPE tp_sync_status_up gauge\ntp_sync_status_up 0\n';
    }
    let outbox: string;
    try {
      outbox = await renderOutboxMetrics(this.dataSource);
    } catch (error) {
      this.logger.warn(
        `outbox metrics unavailable: ${error instanceof Error ? error.message : String(error)}`,
      );
      outbox = '';
    }
    void reply
      .header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
      .header('cache-control', 'no-store');
    return renderProcessMetrics() + this.http.render() + sync + outbox;
  }
}
