import 'reflect-metadata';
import { loadConfigOrExit, onShutdownSignal } from './common/process.util';
import { QUEUE_NAMES } from './queues/queue.constants';
import { createWorker } from './worker-factory';

async function main(): Promise<void> {
  const config = loadConfigOrExit('The worker');
  const handle = await createWorker(config, {
    // The guard has logged the conflict; the worker has stopped taking jobs.
    onDeploymentConflict: () => process.exit(1),
  });
  process.stdout.write(
    `${JSON.stringify({ level: 'log', msg: 'worker started', queues: QUEUE_NAMES, queuePrefix: config.queuePrefix })}\n`,
  );
  // Stop taking jobs and let running ones finish (bounded by SHUTDOWN_TIMEOUT_SECONDS).
  onShutdownSignal(() => handle.shutdown(), config.shutdownTimeoutMs + 5000);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The worker could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
