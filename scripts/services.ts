// `npm run services`: makes sure the MySQL/MariaDB and Redis that DATABASE_URL and REDIS_URL name are
// answering (starting a local server that is installed but stopped), then exits. `npm start` and
// `npm test` do the same by themselves; this is for running the API or a single suite by hand.
import { ensureServices, MissingServiceError } from './lib/services';

ensureServices({
  databaseUrl: process.env.DATABASE_URL ?? 'mysql://root@127.0.0.1:3306/ticket_portal',
  redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
})
  .then(() => console.log('[services] MySQL/MariaDB and Redis are answering.'))
  .catch((err: unknown) => {
    console.error(err instanceof MissingServiceError ? err.message : err);
    process.exit(1);
  });
