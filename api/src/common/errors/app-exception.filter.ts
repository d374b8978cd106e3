import { type ArgumentsHost, Catch, type ExceptionFilter, Logger } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type OutageLog, outageLog } from '../logging/outage-log';
import { toErrorResponse } from './error-response';

// The one filter: every error leaves the API as { statusCode, error, message, code }.
@Catch()
export class AppExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  // The process's outage log (not injected: the filter is also created with `new`).
  private readonly outages: OutageLog = outageLog;

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const request = http.getRequest<FastifyRequest>();
    const reply = http.getResponse<FastifyReply>();
    const response = toErrorResponse(exception, request.method, request.url);
    if (response.outage) {
      // One line when the outage starts and one when it ends, not one per request.
      this.outages.failed(response.outage, exception, 'requests failed with 503');
    } else if (response.unexpected) {
      this.logger.error(
        { msg: 'request failed', method: request.method, path: request.routeOptions.url ?? 'unknown' },
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (reply.sent) return;
    void reply.status(response.status).headers(response.headers).send(response.body);
  }
}
