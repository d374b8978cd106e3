import { BadRequestException, NotFoundException } from '@nestjs/common';
import { AppError } from './app-error';
import { ErrorCode, httpStatusFor } from './error-code.enum';
import { toErrorResponse } from './error-response';

describe(toErrorResponse.name, () => {
  it('should map an AppError to its status, code and Retry-After header', () => {
    const response = toErrorResponse(
      new AppError(ErrorCode.RATE_LIMITED, 'Slow down.', { retryAfterSeconds: 12.2 }),
    );
    expect(response.status).toBe(429);
    expect(response.body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'Slow down.',
      code: 'RATE_LIMITED',
    });
    expect(response.headers).toEqual({ 'retry-after': '13' });
    expect(response.unexpected).toBe(false);
  });

  it('should keep per-field messages of validation errors', () => {
    const response = toErrorResponse(
      new AppError(ErrorCode.VALIDATION_FAILED, 'email: bad', {
        fields: { email: 'Enter a valid email address.' },
      }),
    );
    expect(response.body.fields).toEqual({ email: 'Enter a valid email address.' });
  });

  it('should explain an unknown route with its method and path', () => {
    const response = toErrorResponse(
      new NotFoundException('Cannot DELETE /api/v1/x'),
      'DELETE',
      '/api/v1/x?y=1',
    );
    expect(response.body.code).toBe(ErrorCode.NOT_FOUND);
    expect(response.body.message).toMatch(/^There is no DELETE \/api\/v1\/x here/);
  });

  it('should replace a JSON parser message with one that says what to fix', () => {
    const response = toErrorResponse(new BadRequestException('Unexpected token } in JSON at position 3'));
    expect(response.body.message).toBe(
      'The request body is not valid JSON. Check its quotes, commas and brackets.',
    );
  });

  it('should translate Fastify client errors and keep their status', () => {
    const error = Object.assign(new Error('Unsupported Media Type: application/xml'), {
      statusCode: 415,
      code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE',
    });
    const response = toErrorResponse(error);
    expect(response.status).toBe(415);
    expect(response.body.code).toBe(ErrorCode.UNSUPPORTED_MEDIA_TYPE);
  });

  it('should hide the details of an unexpected error and flag it for the log', () => {
    const response = toErrorResponse(new TypeError('secret internals'));
    expect(response.status).toBe(500);
    expect(response.body.message).not.toContain('secret');
    expect(response.unexpected).toBe(true);
  });

  it('should answer 503 with Retry-After when MySQL or Redis is unreachable', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:3306'), { code: 'ECONNREFUSED' });
    const wrapped = Object.assign(new Error('Query failed'), { driverError: refused });
    for (const error of [
      refused,
      wrapped,
      Object.assign(new Error('x'), { name: 'MaxRetriesPerRequestError' }),
    ]) {
      const response = toErrorResponse(error);
      expect(response.status).toBe(503);
      expect(response.body.code).toBe(ErrorCode.DEPENDENCY_UNAVAILABLE);
      expect(response.headers['retry-after']).toBe('30');
    }
  });

  it('should give every code an HTTP status', () => {
    for (const code of Object.values(ErrorCode)) expect(httpStatusFor(code)).toBeGreaterThanOrEqual(400);
  });
});
