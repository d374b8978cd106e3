import { Controller, Get, Logger, Req, Res } from '@nestjs/common';
import {
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/public.decorator';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { renderOutboxMetrics } from '../requests/outbox-metrics';
import { SyncStatusService, renderSyncMetrics } from '../sync/sync-status.service';
import { detailsAccess } from './details-access';
import { HttpMetrics, renderProcessMetrics } from './http-metrics';

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
    description:
      'Needs "Authorization: Bearer <METRICS_TOKEN>" when METRICS_TOKEN is set; without it, only requests from this host (loopback, not proxied) are served.',
  })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Process, HTTP, sync and requests-outbox metrics' })
  @ApiUnauthorizedResponse({ description: 'METRICS_TOKEN is set and the bearer token does not match' })
  @ApiForbiddenResponse({ description: 'METRICS_TOKEN is unset and the request is not from this host' })
  async metrics(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const access = detailsAccess(this.config, request);
    if (access === 'not-local') {
      throw new AppError(
        ErrorCode.FORBIDDEN,
        'Metrics are served only to this host while METRICS_TOKEN is unset. Set METRICS_TOKEN on the server and send "Authorization: Bearer <METRICS_TOKEN>".',
      );
    }
    if (access !== 'granted') {
      throw new AppError(
        ErrorCode.UNAUTHENTICATED,
        'Metrics need "Authorization: Bearer <METRICS_TOKEN>" with the token configured on the server.',
        { headers: { 'www-authenticate': 'Bearer realm="ticket-portal-metrics"' } },
      );
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
