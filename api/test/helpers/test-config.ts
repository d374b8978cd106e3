import { type AppConfig, loadConfig } from '../../src/config/app-config';
import { currentRun } from './test-run';

/** This run's database (ticket_portal_test_<run id>) and Redis (TEST_REDIS_URL). */
export const TEST_DATABASE_URL = currentRun().databaseUrl;
export const TEST_REDIS_URL = currentRun().redisUrl;
/** This run's QUEUE_PREFIX: `tpt<run id>`. */
export const TEST_QUEUE_PREFIX = currentRun().queuePrefix;
export const TEST_PORTAL_ORIGIN = 'http://portal.test:8080';

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: TEST_DATABASE_URL,
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: TEST_QUEUE_PREFIX,
    // Nothing listens there: suites without an emulator see HubSpot as down (fast refusals, no DNS).
    HUBSPOT_BASE_URL: 'http://127.0.0.1:9',
    HUBSPOT_ACCESS_TOKEN: 'emulator-token',
    PORTAL_URL: `${TEST_PORTAL_ORIGIN}/support/?utm_source=mail#old-fragment`,
    PORTAL_ORIGINS: `${TEST_PORTAL_ORIGIN},http://localhost:8080`,
    LOG_LEVEL: 'error',
    // Suites edit customers and sync state straight in MySQL and expect the next request to see it;
    // tickets-list-cache.integration-spec.ts covers the cache itself.
    TICKETS_SCOPE_CACHE_MS: '0',
    // Cheaper hashing keeps the suite fast; the production parameters are covered by a unit test.
    ARGON2_MEMORY_KIB: '4096',
    ARGON2_TIME_COST: '1',
    ...overrides,
  });
}
