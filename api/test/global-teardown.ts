import { currentRun, removeRun } from './helpers/test-run';

// Drops the run's database(s) and deletes its Redis keys. A run that never gets here (killed) is
// cleaned up by a later run's setup once it is a day old.
export default async function globalTeardown(): Promise<void> {
  if (!process.env.TEST_RUN_ID) return;
  await removeRun(currentRun());
}
