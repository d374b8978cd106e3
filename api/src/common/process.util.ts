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

export function onShutdownSignal(close: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal} received, shutting down\n`);
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
