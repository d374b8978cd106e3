import 'reflect-metadata';
import { createHttpApp } from './app-factory';
import { loadConfigOrExit, onShutdownSignal } from './common/process.util';

async function main(): Promise<void> {
  const config = loadConfigOrExit('The API');
  const handle = await createHttpApp(config, {
    // The guard has logged the conflict; stop as on SIGTERM, then exit non-zero.
    onDeploymentConflict: () => {
      void handle.close().finally(() => process.exit(1));
    },
  });
  process.stdout.write(
    `${JSON.stringify({ level: 'log', msg: 'API listening', url: handle.url, docs: `${handle.url}/api/docs` })}\n`,
  );
  // Drain, then finish in-flight requests; the deadline leaves a few seconds for MySQL/Redis to close.
  onShutdownSignal(() => handle.shutdown(), config.shutdownDelayMs + config.shutdownTimeoutMs + 5000);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The API could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
