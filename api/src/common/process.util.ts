import { ConfigError, loadConfig, type AppConfig } from '../config/app-config';

// Loads the config or stops the process with one line per problem.
export function loadConfigOrExit(processName: string): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${processName} cannot start, the configuration is not valid:\n`);
      for (const problem of error.problems) process.stderr.write(`${problem}\n`);
      process.exit(1);
    }
    throw error;
  }
}

// Runs the graceful stop once on SIGTERM/SIGINT. `deadlineMs` bounds it: a stop that hangs (e.g. on a
// database that does not answer) still ends the process, so a supervisor can start a fresh one.
export function onShutdownSignal(close: () => Promise<void>, deadlineMs?: number): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal} received, shutting down\n`);
    if (deadlineMs !== undefined) {
      setTimeout(() => {
        process.stderr.write(`shutdown did not finish within ${deadlineMs} ms; exiting\n`);
        process.exit(1);
      }, deadlineMs).unref();
    }
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}
