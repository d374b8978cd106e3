export { AppError, type AppErrorOptions, type ErrorBody } from './app-error';
export { ErrorCode, httpStatusFor } from './error-code.enum';
export { toErrorResponse, type ErrorResponse } from './error-response';
export { AppExceptionFilter } from './app-exception.filter';
