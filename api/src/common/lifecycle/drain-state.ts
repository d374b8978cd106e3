import { Global, Injectable, Logger, Module } from '@nestjs/common';

export type DrainListener = () => void | Promise<void>;

/**
 * Whether this process is shutting down, shared by everything that must act before the listener closes.
 * `/health` answers 503 "draining" from the moment it is set, so a load balancer stops sending new
 * requests; long-lived responses (the SSE streams of `GET tickets/events`) register with `onDrain` to end with a
 * retry hint, so the browser reconnects through the balancer to another process.
 */
@Injectable()
export class DrainState {
  private readonly logger = new Logger(DrainState.name);
  private readonly listeners = new Set<DrainListener>();
  private started = false;

  get draining(): boolean {
    return this.started;
  }

  /** Runs `listener` when draining starts (at once if it already has); returns the unregister function. */
  onDrain(listener: DrainListener): () => void {
    if (this.started) {
      void this.run(listener);
      return () => undefined;
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async startDraining(): Promise<void> {
    if (this.started) return;
    this.started = true;
    const listeners = [...this.listeners];
    this.listeners.clear();
    await Promise.all(listeners.map((listener) => this.run(listener)));
  }

  private async run(listener: DrainListener): Promise<void> {
    try {
      await listener();
    } catch (error) {
      this.logger.warn(`a drain listener failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

@Global()
@Module({ providers: [DrainState], exports: [DrainState] })
export class LifecycleModule {}
