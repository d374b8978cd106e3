import 'reflect-metadata';
import { parseDatabaseUrl } from '../src/config/app-config';
import { runMigrations } from '../src/database/migrate';
import { newRunId, removeStaleRuns, testRun } from './helpers/test-run';

// A fresh, migrated database and a Redis key prefix of this run's own (helpers/test-run.ts); the
// suites empty its tables and keys before they start (useTestStack), never anybody else's.
export default async function globalSetup(): Promise<void> {
  await removeStaleRuns();
  const run = testRun(newRunId());
  // Jest runs the suites in this process (--runInBand) or in workers forked after this: both see it.
  process.env.TEST_RUN_ID = run.id;
  await runMigrations({ database: parseDatabaseUrl(run.databaseUrl)! });
}
