import { type AppConfig } from '../config/app-config';
import { loadConfigOrExit } from '../common/process.util';
import { ensureDatabase } from './create-database';
import { createDataSource } from './data-source';

export interface MigrationResult {
  applied: string[];
}

// Creates the database if missing and applies every pending migration, each in its own transaction.
export async function runMigrations(config: Pick<AppConfig, 'database'>): Promise<MigrationResult> {
  await ensureDatabase(config.database);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return { applied: applied.map((m) => m.name) };
  } finally {
    await dataSource.destroy();
  }
}

// Reverts the most recent migration (operators only; never part of start-up).
export async function revertLastMigration(config: Pick<AppConfig, 'database'>): Promise<void> {
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    await dataSource.undoLastMigration({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}

async function cli(): Promise<void> {
  const config = loadConfigOrExit('migrate');
  try {
    if (process.argv.includes('--revert')) {
      await revertLastMigration(config);
      process.stdout.write('Reverted the last migration.\n');
      return;
    }
    const { applied } = await runMigrations(config);
    process.stdout.write(
      applied.length === 0
        ? `Database ${config.database.database} is up to date.\n`
        : `Applied ${applied.length} migration(s) to ${config.database.database}: ${applied.join(', ')}\n`,
    );
  } catch (error) {
    process.stderr.write(`Migration failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.stderr.write(
      `Check that MySQL/MariaDB is running at ${config.database.host}:${config.database.port} (e.g. docker compose up -d mysql).\n`,
    );
    process.exit(1);
  }
}

if (require.main === module) void cli();
