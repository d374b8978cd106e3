export interface FaultOptions {
  /** Extra delay added to every HubSpot API response, in ms. */
  latencyMs: number;
  /** Random extra delay on top of latencyMs (uniform 0..jitterMs). */
  jitterMs: number;
  /** Share of API requests (0..1) answered with one of `errorStatuses` instead. */
  errorRate: number;
  errorStatuses: number[];
  /** Epoch ms until which every API request gets a 503 (a full outage). 0 = none. */
  outageUntil: number;
  /** How long a write takes to reach search results, in ms. */
  searchLagMs: number;
}

export interface FaultPatch extends Partial<FaultOptions> {
  /** Convenience: start an outage of this many seconds from now (0 ends it). */
  outageSeconds?: number;
}

export const NO_FAULTS: FaultOptions = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorStatuses: [500, 502, 503],
  outageUntil: 0,
  searchLagMs: 0,
};

/** Validates a patch from the admin endpoint or the programmatic API; throws a readable message. */
export function applyFaultPatch(current: FaultOptions, patch: FaultPatch, now: number): FaultOptions {
  const next = { ...current };
  const num = (key: string, v: unknown, min: number, max: number): number => {
    if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) {
      throw new Error(`${key} must be a number from ${min} to ${max}`);
    }
    return v;
  };
  if (patch.latencyMs !== undefined) next.latencyMs = num('latencyMs', patch.latencyMs, 0, 120_000);
  if (patch.jitterMs !== undefined) next.jitterMs = num('jitterMs', patch.jitterMs, 0, 120_000);
  if (patch.errorRate !== undefined) next.errorRate = num('errorRate', patch.errorRate, 0, 1);
  if (patch.searchLagMs !== undefined) next.searchLagMs = num('searchLagMs', patch.searchLagMs, 0, 3_600_000);
  if (patch.outageUntil !== undefined) {
    next.outageUntil = num('outageUntil', patch.outageUntil, 0, Number.MAX_SAFE_INTEGER);
  }
  if (patch.outageSeconds !== undefined) {
    const s = num('outageSeconds', patch.outageSeconds, 0, 86_400);
    next.outageUntil = s === 0 ? 0 : now + s * 1000;
  }
  if (patch.errorStatuses !== undefined) {
    const list: unknown = patch.errorStatuses;
    if (
      !Array.isArray(list) ||
      list.length === 0 ||
      !list.every((s) => Number.isInteger(s) && s >= 500 && s <= 599)
    ) {
      throw new Error('errorStatuses must be a non-empty list of 5xx status codes, e.g. [500, 502, 503]');
    }
    next.errorStatuses = list as number[];
  }
  return next;
}

export const FAULT_KEYS = new Set([
  'latencyMs',
  'jitterMs',
  'errorRate',
  'errorStatuses',
  'outageUntil',
  'outageSeconds',
  'searchLagMs',
]);
