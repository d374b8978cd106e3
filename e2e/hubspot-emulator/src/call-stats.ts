import { parseObjectType } from './associations-schema';

/** What `GET /_emulator/stats` answers: HubSpot API calls received since `since`. */
export interface CallStats {
  /** When counting started (emulator start or the last reset), ISO-8601. */
  since: string;
  /** Every HubSpot API call received, whatever its answer (429s and injected faults included). */
  total: number;
  /** Calls by HTTP status of the answer, e.g. `{ "200": 12, "429": 1 }`. */
  byStatus: Record<string, number>;
  /** Calls per method and route, e.g. `"POST /crm/v3/objects/tickets/batch/create": 3`. */
  calls: Record<string, number>;
  /** The same routes, by HTTP status of the answer. */
  statuses: Record<string, Record<string, number>>;
}

// Object-type segments are named in the key (tickets, contacts…): a benchmark cares which objects.
const TYPE_PARAMS = new Set(['objectType', 'toObjectType', 'fromObjectType', 'toType']);

/**
 * The key a call is counted under: its method and route, with object types filled in (as their
 * plural names, whatever alias was sent) and every other parameter left as `{name}`, e.g.
 * `GET /crm/v3/objects/tickets/{objectId}`.
 */
export function routeKey(method: string, pattern: string, params: Record<string, string>): string {
  const path = pattern
    .split('/')
    .map((seg) => {
      if (!seg.startsWith(':')) return seg;
      const name = seg.slice(1);
      if (!TYPE_PARAMS.has(name)) return `{${name}}`;
      const raw = params[name] ?? '';
      return parseObjectType(raw) ?? raw;
    })
    .join('/');
  return `${method} ${path}`;
}

/** Counts the HubSpot API calls the emulator answers, for benchmarks (`/_emulator/stats`). */
export class CallCounter {
  private since = Date.now();
  private total = 0;
  private readonly byStatus = new Map<string, number>();
  private readonly byRoute = new Map<string, Map<string, number>>();

  record(key: string, status: number): void {
    const s = String(status);
    this.total += 1;
    this.byStatus.set(s, (this.byStatus.get(s) ?? 0) + 1);
    let route = this.byRoute.get(key);
    if (!route) {
      route = new Map();
      this.byRoute.set(key, route);
    }
    route.set(s, (route.get(s) ?? 0) + 1);
  }

  snapshot(): CallStats {
    const keys = [...this.byRoute.keys()].sort();
    const count = (m: Map<string, number>): number => [...m.values()].reduce((a, b) => a + b, 0);
    return {
      since: new Date(this.since).toISOString(),
      total: this.total,
      byStatus: Object.fromEntries([...this.byStatus].sort()),
      calls: Object.fromEntries(keys.map((k) => [k, count(this.byRoute.get(k) as Map<string, number>)])),
      statuses: Object.fromEntries(
        keys.map((k) => [k, Object.fromEntries([...(this.byRoute.get(k) as Map<string, number>)].sort())]),
      ),
    };
  }

  reset(): void {
    this.since = Date.now();
    this.total = 0;
    this.byStatus.clear();
    this.byRoute.clear();
  }
}
