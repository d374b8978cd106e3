import { Logger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';
import { outageLog, outageOf } from '../common/logging/outage-log';

/**
 * TypeORM's error logging without the flood: a query that fails because MySQL is unreachable goes
 * to the outage log (one line per outage); any other failed query is logged once, without its
 * parameters (they can hold personal data). Migrations and warnings are logged as usual.
 */
export class QueryLogger implements TypeOrmLogger {
  private readonly logger = new Logger('MySQL');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    if (typeof error !== 'string' && outageOf(error) === 'MySQL') {
      outageLog.failed('MySQL', error);
      return;
    }
    const message = typeof error === 'string' ? error : error.message;
    this.logger.error({ msg: 'query failed', error: message, query: query.slice(0, 300) });
  }

  logQuerySlow(): void {}

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    this.logger.log(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn(message);
    else this.logger.log(message);
  }
}
