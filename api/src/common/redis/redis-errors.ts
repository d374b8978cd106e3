import { Logger } from '@nestjs/common';

interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

// Redis clients emit an 'error' on every failed reconnect; without a listener they print raw stack
// traces. One structured warning per client every 10 s is enough to see an outage.
export function logRedisErrors(emitter: ErrorEmitter, name: string): void {
  const logger = new Logger('Redis');
  let last = 0;
  emitter.on('error', (error: Error) => {
    const now = Date.now();
    if (now - last < 10_000) return;
    last = now;
    logger.warn({ msg: 'Redis unreachable', client: name, error: error.message });
  });
}
