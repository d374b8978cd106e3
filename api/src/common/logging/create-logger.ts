import { ConsoleLogger, type LogLevel as NestLogLevel } from '@nestjs/common';
import type { LogLevel } from '../../config/app-config';

const ORDER: LogLevel[] = ['error', 'warn', 'log', 'debug', 'verbose'];

// Structured JSON lines by default (LOG_FORMAT=pretty for humans). Nothing logs bodies or headers,
// so passwords and tokens never reach the log.
export function createLogger(level: LogLevel, format: 'json' | 'pretty', prefix: string): ConsoleLogger {
  const levels = ORDER.slice(0, ORDER.indexOf(level) + 1) as NestLogLevel[];
  levels.push('fatal');
  return new ConsoleLogger({
    json: format === 'json',
    logLevels: levels,
    prefix,
    colors: format === 'pretty',
  });
}
