// Programmatic entry points for the launcher (scripts/start.ts), e2e suites and tests.
export { createHttpApp, API_PREFIX, type HttpAppHandle, type HttpAppOptions } from './app-factory';
export { createWorker, type WorkerHandle } from './worker-factory';
export { runMigrations, revertLastMigration, type MigrationResult } from './database/migrate';
export { ensureDatabase } from './database/create-database';
export { createAccount, type CreateAccountInput, type CreateAccountResult } from './cli/create-account';
export { loadConfig, AppConfig, ConfigError, CONFIG_DEFAULTS } from './config/app-config';
export { buildActionLink } from './mail/mail-links';
export { ErrorCode } from './common/errors/error-code.enum';
export { buildOpenApiDocument } from './openapi';
