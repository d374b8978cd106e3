// Keeps a child process running, as systemd or docker's restart policy would: when it exits without
// being asked to, it is started again after a delay that doubles (1 s, 2 s, 4 s … up to 30 s) and
// falls back to the first delay once a run has lasted a while. `npm start` supervises the API and the
// worker this way, so one crash does not end the whole demo.
import type { Child } from './processes';

export interface SuperviseOptions {
  /** First restart delay (default 1 s). */
  initialDelayMs?: number;
  /** Longest restart delay (default 30 s). */
  maxDelayMs?: number;
  /** A run that lasted this long counts as healthy: the next delay starts from the first again (30 s). */
  stableAfterMs?: number;
  /** Stop restarting after this many runs in a row that each ended before `stableAfterMs` (default 10). */
  maxQuickRestarts?: number;
  /** Where the restart lines go. */
  log: (line: string) => void;
}

export interface Supervised {
  name: string;
  /** The process running now (or the last one, while waiting to restart). */
  readonly current: Child;
  /** How many times it has been restarted. */
  readonly restarts: number;
  /** Settles when supervision ends: after stop(), or when it gives up (the last exit code). */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function supervise(name: string, start: () => Child, options: SuperviseOptions): Supervised {
  const initial = options.initialDelayMs ?? 1000;
  const max = options.maxDelayMs ?? 30_000;
  const stableAfter = options.stableAfterMs ?? 30_000;
  const maxQuick = options.maxQuickRestarts ?? 10;

  let current = start();
  let startedAt = Date.now();
  let restarts = 0;
  let quick = 0;
  let delay = initial;
  let stopping = false;
  let waiting: { timer: NodeJS.Timeout; resolve: () => void } | undefined;
  let finish!: (code: number | null) => void;
  const exited = new Promise<number | null>((resolve) => (finish = resolve));

  const watch = (child: Child): void => {
    void child.exited.then(async (code) => {
      if (stopping) return;
      const ranMs = Date.now() - startedAt;
      if (ranMs >= stableAfter) {
        quick = 0;
        delay = initial;
      }
      quick += 1;
      const how =
        child.process.signalCode !== null ? `signal ${child.process.signalCode}` : `exit ${String(code)}`;
      if (quick > maxQuick) {
        options.log(`${name} exited (${how}) after ${maxQuick} quick restarts in a row; giving up on it.`);
        finish(code);
        return;
      }
      options.log(
        `${name} exited unexpectedly (${how}) after ${(ranMs / 1000).toFixed(1)} s; restarting in ${delay < 1000 ? `${delay} ms` : `${(delay / 1000).toFixed(1)} s`} (restart #${restarts + 1}).`,
      );
      await new Promise<void>((resolve) => {
        waiting = { timer: setTimeout(resolve, delay), resolve };
      });
      waiting = undefined;
      if (stopping) return;
      delay = Math.min(delay * 2, max);
      restarts += 1;
      current = start();
      startedAt = Date.now();
      watch(current);
    });
  };
  watch(current);

  return {
    name,
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    exited,
    async stop() {
      if (stopping) return exited.then(() => undefined);
      stopping = true;
      if (waiting) {
        clearTimeout(waiting.timer);
        waiting.resolve();
      }
      await current.stop();
      finish(current.process.exitCode);
    },
  };
}
