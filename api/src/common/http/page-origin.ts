import type { FastifyRequest } from 'fastify';

/**
 * Whether the page a browser request comes from may use the portal: no Origin header (not a page's
 * script: curl, a server, a same-origin GET), the API's own origin (its docs UI), or one of
 * PORTAL_ORIGINS. Exact match: another port or scheme is another origin.
 */
export function isPageOriginAllowed(allowed: ReadonlySet<string>, request: FastifyRequest): boolean {
  const origin = request.headers.origin;
  if (typeof origin !== 'string') return true;
  return allowed.has(origin) || origin === `${request.protocol}://${request.host}`;
}
