// The prefix of every Redis key the API and worker use (queues, caches, counters, pub/sub channels,
// the change stream), and the one helper that builds those keys. No imports: `scripts/` uses it too.

/** QUEUE_PREFIX when unset. */
export const DEFAULT_QUEUE_PREFIX = 'tp';

/**
 * Letters, digits, `_` and `-`, optionally wrapped in one pair of braces: `{tp}` is a Redis Cluster
 * hash tag, which puts every key of the deployment in one slot (BullMQ's scripts and our MULTIs touch
 * several keys at once, which a cluster only allows within a slot). No `:` (BullMQ splits on it).
 */
export const QUEUE_PREFIX_PATTERN = /^(?:\{[A-Za-z0-9_-]{1,30}\}|[A-Za-z0-9_-]{1,32})$/;

/**
 * Builds `<prefix>:<part>:<part>…`. BullMQ gets the bare `prefix` (its keys are
 * `<prefix>:<queue>:…`); everything else asks `key(…)`, so two deployments with different
 * QUEUE_PREFIX values never read or delete each other's keys on one Redis.
 */
export class RedisKeys {
  constructor(readonly prefix: string = DEFAULT_QUEUE_PREFIX) {
    if (!QUEUE_PREFIX_PATTERN.test(prefix)) {
      throw new Error(`Redis key prefix "${prefix}" is not valid (see QUEUE_PREFIX_PATTERN)`);
    }
  }

  key(...parts: Array<string | number>): string {
    return [this.prefix, ...parts].join(':');
  }

  /** `<prefix>:` — for options that take a prefix ending in a separator. */
  get base(): string {
    return `${this.prefix}:`;
  }

  /** SCAN/KEYS pattern of this deployment's keys under `parts` (all of them without). */
  pattern(...parts: Array<string | number>): string {
    // Braces are plain characters in Redis glob patterns; the prefix has no * ? [ ] \.
    return `${this.key(...parts)}:*`;
  }
}
