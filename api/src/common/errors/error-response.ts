import { HttpException } from '@nestjs/common';
import { AppError, type ErrorBody } from './app-error';
import { type Dependency, outageOf } from '../logging/outage-log';
import { ErrorCode, reasonPhrase } from './error-code.enum';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
  // true when the cause is ours (a bug or an outage), so it must be logged with its stack
  unexpected: boolean;
  // set when MySQL or Redis being unreachable caused it: logged once per outage, not per request
  outage?: Dependency;
}

interface FastifyLikeError {
  code?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_EMPTY_JSON_BODY:
    'The request body is empty but Content-Type says JSON. Send a JSON object, or leave out the Content-Type header.',
  FST_ERR_CTP_INVALID_JSON_BODY: 'The request body is not valid JSON. Check its quotes, commas and brackets.',
  FST_ERR_CTP_BODY_TOO_LARGE: 'The request body is too large. Send less data.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE:
    'Send the request body as JSON, with the header Content-Type: application/json.',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH:
    'The Content-Length header does not match the body. Send the body again.',
  FST_ERR_CTP_INVALID_TYPE: 'The Content-Type header is not valid. Use Content-Type: application/json.',
  FST_ERR_BAD_URL: 'The address is not valid. Check it for stray % signs or unusual characters.',
  FST_ERR_ASYNC_CONSTRAINT: 'The request could not be routed. Check the address and headers.',
};

function body(status: number, code: ErrorCode, message: string, fields?: Record<string, string>): ErrorBody {
  const result: ErrorBody = { statusCode: status, error: reasonPhrase(status), message, code };
  if (fields && Object.keys(fields).length > 0) result.fields = fields;
  return result;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 401) return ErrorCode.UNAUTHENTICATED;
  if (status === 403) return ErrorCode.FORBIDDEN;
  if (status === 404) return ErrorCode.NOT_FOUND;
  if (status === 405) return ErrorCode.METHOD_NOT_ALLOWED;
  if (status === 410) return ErrorCode.LOGIN_METHOD_RETIRED;
  if (status === 413) return ErrorCode.PAYLOAD_TOO_LARGE;
  if (status === 415) return ErrorCode.UNSUPPORTED_MEDIA_TYPE;
  if (status === 429) return ErrorCode.RATE_LIMITED;
  if (status === 503) return ErrorCode.DEPENDENCY_UNAVAILABLE;
  if (status >= 500) return ErrorCode.INTERNAL;
  return ErrorCode.MALFORMED_REQUEST;
}

function httpExceptionMessage(exception: HttpException): string {
  const response = exception.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join(' ');
  if (typeof message === 'string') return message;
  return exception.message;
}

// Turns anything thrown while serving a request into the one error shape the API speaks.
export function toErrorResponse(exception: unknown, method = 'GET', url = '/'): ErrorResponse {
  if (exception instanceof AppError) {
    const headers: Record<string, string> = { ...(exception.options.headers ?? {}) };
    if (exception.options.retryAfterSeconds !== undefined) {
      headers['retry-after'] = String(Math.max(1, Math.ceil(exception.options.retryAfterSeconds)));
    }
    return {
      status: exception.status,
      body: body(exception.status, exception.code, exception.message, exception.options.fields),
      headers,
      unexpected:
        exception.status >= 500 &&
        exception.code !== ErrorCode.DEPENDENCY_UNAVAILABLE &&
        exception.code !== ErrorCode.SHUTTING_DOWN,
    };
  }

  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    let message = httpExceptionMessage(exception);
    if (status === 404 && /^Cannot [A-Z]+ /.test(message)) {
      const path = url.split('?')[0] ?? url;
      message = `There is no ${method} ${path.length > 200 ? `${path.slice(0, 200)}…` : path} here. Check the address and the method; the API is described at /api/docs.`;
    }
    // Fastify's JSON parser errors reach us wrapped as a BadRequestException.
    if (status === 400 && /JSON/i.test(message)) message = FASTIFY_MESSAGES['FST_ERR_CTP_INVALID_JSON_BODY']!;
    if (status === 413) message = FASTIFY_MESSAGES['FST_ERR_CTP_BODY_TOO_LARGE']!;
    if (status === 415) message = FASTIFY_MESSAGES['FST_ERR_CTP_INVALID_MEDIA_TYPE']!;
    if (status >= 500) message = 'Something went wrong on our side. Try again in a moment.';
    return {
      status,
      body: body(status, codeForStatus(status), message),
      headers: {},
      unexpected: status >= 500,
    };
  }

  const fastifyError = exception as FastifyLikeError | null;
  if (
    fastifyError &&
    typeof fastifyError === 'object' &&
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    const status = fastifyError.statusCode;
    const fastifyCode = typeof fastifyError.code === 'string' ? fastifyError.code : '';
    const known = FASTIFY_MESSAGES[fastifyCode];
    let message = known;
    if (!message) {
      // Errors from the JSON parser carry no FST code but do carry a 400 status.
      message =
        status === 400
          ? 'The request could not be read. Send a JSON object with Content-Type: application/json.'
          : reasonPhrase(status);
    }
    return { status, body: body(status, codeForStatus(status), message), headers: {}, unexpected: false };
  }

  // MySQL or Redis being down is our outage, not the client's mistake and not a bug: 503, retry later.
  const outage = outageOf(exception);
  if (outage) {
    return {
      outage,
      status: 503,
      body: body(
        503,
        ErrorCode.DEPENDENCY_UNAVAILABLE,
        'The service is temporarily unavailable. Try again in a minute; if it keeps happening, contact support.',
      ),
      headers: { 'retry-after': '30' },
      unexpected: true,
    };
  }

  return {
    status: 500,
    body: body(500, ErrorCode.INTERNAL, 'Something went wrong on our side. Try again in a moment.'),
    headers: {},
    unexpected: true,
  };
}
