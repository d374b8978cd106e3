import { Task, TaskStatus } from '@lit/task';
import type { PortalScreen } from './portal-screen.js';

export interface FormTaskOptions<A, R> {
  run: (args: A, signal: AbortSignal) => Promise<R>;
  done: (result: R, args: A) => void;
  /** Return true when the error was shown another way (e.g. tied to a field). */
  failed?: (error: unknown, args: A) => boolean;
}

/**
 * One form submission as a @lit/task: aborted when the screen goes away, ignored while one is
 * already under way, and re-runnable with the same values from the Retry button.
 */
export class FormTask<A, R> {
  private readonly task: Task<[A], R>;
  private last: A | undefined;

  constructor(
    private readonly host: PortalScreen,
    options: FormTaskOptions<A, R>,
  ) {
    this.task = new Task<[A], R>(host, {
      autoRun: false,
      task: ([args], { signal }) => options.run(args, signal),
      onComplete: (result) => {
        if (this.last !== undefined) options.done(result, this.last);
      },
      onError: (error) => {
        if (this.last !== undefined && options.failed?.(error, this.last)) return;
        if (host.showApiFieldErrors(error)) return;
        host.showProblem(error, () => this.retry());
      },
    });
  }

  get pending(): boolean {
    return this.task.status === TaskStatus.PENDING;
  }

  submit(args: A): void {
    if (this.pending) return;
    this.last = args;
    this.host.clearProblem();
    this.host.clearFieldErrors();
    void this.task.run([args]);
  }

  retry(): void {
    if (this.last !== undefined) this.submit(this.last);
  }

  abort(): void {
    this.task.abort();
  }
}
