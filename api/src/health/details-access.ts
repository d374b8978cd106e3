import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config';

/**
 * Who may read /metrics and the details of /health (error texts, queue depths, stream state):
 * with METRICS_TOKEN set, whoever sends it as a bearer token; without it, only callers on this host
 * (loopback) that did not come through a proxy, so `npm start`, the benches and a local Prometheus
 * work without setup while nothing internal is public by default.
 */
export type DetailsAccess = 'granted' | 'missing-token' | 'wrong-token' | 'not-local';

export function detailsAccess(
  config: Pick<AppConfig, 'metricsToken'>,
  request: Pick<FastifyRequest, 'ip' | 'headers'>,
): DetailsAccess {
  const expected = config.metricsToken;
  if (expected !== undefined) {
    const header = request.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer +(\S+) *$/i.exec(header) : null;
    if (!match) return 'missing-token';
    return sameToken(match[1]!, expected) ? 'granted' : 'wrong-token';
  }
  // A proxy on this host makes every caller look local; what it forwarded is not local.
  const proxied = request.headers['x-forwarded-for'] !== undefined || request.headers.forwarded !== undefined;
  return isLoopback(request.ip) && !proxied ? 'granted' : 'not-local';
}

export function isLoopback(ip: string): boolean {
  const v4 = ip.startsWith('::ffff:') ? ip.slice(7) : ip;
  return v4.startsWith('127.') || ip === '::1';
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
