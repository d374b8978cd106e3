import { outageLog } from '../logging/outage-log';

interface ErrorEmitter {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

// Redis clients emit an 'error' on every failed reconnect; without a listener they print raw stack
// traces. The outage log writes one line when Redis goes and one when it is back (its PING probe).
export function logRedisErrors(emitter: ErrorEmitter, _name: string): void {
  emitter.on('error', (error: Error) => outageLog.failed('Redis', error));
}
