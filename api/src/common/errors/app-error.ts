import { ErrorCode, httpStatusFor } from './error-code.enum';

export interface AppErrorOptions {
  // Per-field messages for validation errors, so a form can put each one next to its field.
  fields?: Record<string, string>;
  // Seconds until the caller may retry (sent as the Retry-After header).
  retryAfterSeconds?: number;
  headers?: Record<string, string>;
  cause?: unknown;
}

export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.status = httpStatusFor(code);
  }
}

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code: ErrorCode;
  fields?: Record<string, string>;
}
