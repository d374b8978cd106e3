// Every error the API returns carries one of these codes; the filter maps each to an HTTP status.
export enum ErrorCode {
  VALIDATION_FAILED = 'VALIDATION_FAILED',
  MALFORMED_REQUEST = 'MALFORMED_REQUEST',
  UNSUPPORTED_MEDIA_TYPE = 'UNSUPPORTED_MEDIA_TYPE',
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  NOT_FOUND = 'NOT_FOUND',
  TICKET_NOT_FOUND = 'TICKET_NOT_FOUND',
  IDEMPOTENCY_KEY_REUSED = 'IDEMPOTENCY_KEY_REUSED',
  METHOD_NOT_ALLOWED = 'METHOD_NOT_ALLOWED',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  INVALID_CREDENTIALS = 'INVALID_CREDENTIALS',
  ACCOUNT_UNCONFIRMED = 'ACCOUNT_UNCONFIRMED',
  ACCOUNT_LOCKED = 'ACCOUNT_LOCKED',
  RATE_LIMITED = 'RATE_LIMITED',
  TOKEN_INVALID = 'TOKEN_INVALID',
  TOKEN_EXPIRED = 'TOKEN_EXPIRED',
  WEAK_PASSWORD = 'WEAK_PASSWORD',
  ORIGIN_NOT_ALLOWED = 'ORIGIN_NOT_ALLOWED',
  FORBIDDEN = 'FORBIDDEN',
  LOGIN_METHOD_RETIRED = 'LOGIN_METHOD_RETIRED',
  LOGIN_METHOD_DISABLED = 'LOGIN_METHOD_DISABLED',
  SITE_TOKEN_INVALID = 'SITE_TOKEN_INVALID',
  DEPENDENCY_UNAVAILABLE = 'DEPENDENCY_UNAVAILABLE',
  SHUTTING_DOWN = 'SHUTTING_DOWN',
  INTERNAL = 'INTERNAL',
}

export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCode.VALIDATION_FAILED:
    case ErrorCode.MALFORMED_REQUEST:
    case ErrorCode.TOKEN_INVALID:
    case ErrorCode.TOKEN_EXPIRED:
    case ErrorCode.WEAK_PASSWORD:
      return 400;
    case ErrorCode.UNAUTHENTICATED:
    case ErrorCode.INVALID_CREDENTIALS:
    case ErrorCode.SITE_TOKEN_INVALID:
      return 401;
    case ErrorCode.ACCOUNT_UNCONFIRMED:
    case ErrorCode.ORIGIN_NOT_ALLOWED:
    case ErrorCode.FORBIDDEN:
    case ErrorCode.LOGIN_METHOD_DISABLED:
      return 403;
    case ErrorCode.NOT_FOUND:
    case ErrorCode.TICKET_NOT_FOUND:
      return 404;
    case ErrorCode.IDEMPOTENCY_KEY_REUSED:
      return 422;
    case ErrorCode.METHOD_NOT_ALLOWED:
      return 405;
    case ErrorCode.LOGIN_METHOD_RETIRED:
      return 410;
    case ErrorCode.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCode.UNSUPPORTED_MEDIA_TYPE:
      return 415;
    case ErrorCode.ACCOUNT_LOCKED:
    case ErrorCode.RATE_LIMITED:
      return 429;
    case ErrorCode.DEPENDENCY_UNAVAILABLE:
    case ErrorCode.SHUTTING_DOWN:
      return 503;
    case ErrorCode.INTERNAL:
      return 500;
  }
}

// Reason phrases for the `error` field, independent of Node's table so the body is stable.
export function reasonPhrase(status: number): string {
  const phrases: Record<number, string> = {
    400: 'Bad Request',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'Not Found',
    405: 'Method Not Allowed',
    406: 'Not Acceptable',
    408: 'Request Timeout',
    410: 'Gone',
    411: 'Length Required',
    413: 'Payload Too Large',
    414: 'URI Too Long',
    415: 'Unsupported Media Type',
    422: 'Unprocessable Entity',
    429: 'Too Many Requests',
    431: 'Request Header Fields Too Large',
    500: 'Internal Server Error',
    503: 'Service Unavailable',
  };
  return phrases[status] ?? (status >= 500 ? 'Internal Server Error' : 'Bad Request');
}
