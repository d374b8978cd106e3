import { type IncomingMessage } from 'node:http';
import { badRequest } from './errors';

export interface Ctx {
  req: IncomingMessage;
  method: string;
  path: string;
  query: URLSearchParams;
  params: Record<string, string>;
  body: unknown;
  rawBody: string;
  /** The request body's bytes (multipart uploads). */
  rawBuffer: Buffer;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw text with its own content type (the console page). */
  text?: string;
  /** Raw bytes with their own content type (file downloads). */
  binary?: Buffer;
  contentType?: string;
}

export type Handler = (ctx: Ctx) => Reply | Promise<Reply>;

export type RouteKind = 'api' | 'search' | 'admin' | 'public';

export interface Route {
  method: string;
  /** The pattern it was added with, e.g. `/crm/v3/objects/:objectType/batch/read`. */
  pattern: string;
  parts: string[];
  handler: Handler;
  kind: RouteKind;
}

/** A small router: `:name` segments become params; a trailing slash is ignored. */
export class Router {
  private readonly routes: Route[] = [];

  add(method: string, pattern: string, handler: Handler, kind: RouteKind = 'api'): void {
    this.routes.push({ method, pattern, parts: split(pattern), handler, kind });
  }

  match(
    method: string,
    path: string,
  ): { route?: Route; params: Record<string, string>; methodMismatch: boolean } {
    const segs = split(path);
    let methodMismatch = false;
    for (const r of this.routes) {
      if (r.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length; i++) {
        const p = r.parts[i] as string;
        const s = segs[i] as string;
        if (p.startsWith(':')) {
          try {
            params[p.slice(1)] = decodeURIComponent(s);
          } catch {
            ok = false;
            break;
          }
        } else if (p !== s) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (r.method !== method) {
        methodMismatch = true;
        continue;
      }
      return { route: r, params, methodMismatch: false };
    }
    return { params: {}, methodMismatch };
  }
}

function split(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): Reply => ({
  status,
  body,
  ...(headers ? { headers } : {}),
});

/** Repeated (`?properties=a&properties=b`) and comma-separated (`?properties=a,b`) forms. */
export function listParam(query: URLSearchParams, name: string): string[] | undefined {
  const all = query.getAll(name);
  if (all.length === 0) return undefined;
  return all
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function boolParam(query: URLSearchParams, name: string): boolean {
  const v = query.get(name);
  if (v === null || v === '') return false;
  if (v === 'true' || v === 'false') return v === 'true';
  throw badRequest(`Query parameter "${name}" must be true or false, got "${v}".`);
}

export function intParam(
  query: URLSearchParams,
  name: string,
  dflt: number,
  min: number,
  max: number,
): number {
  const v = query.get(name);
  if (v === null || v === '') return dflt;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min) {
    throw badRequest(`Query parameter "${name}" must be an integer of at least ${min}, got "${v}".`);
  }
  return Math.min(n, max);
}

/** The fields of a multipart/form-data body (built-in WHATWG parser), or a 400 naming the problem. */
export async function multipartBody(ctx: Ctx): Promise<FormData> {
  const type = ctx.req.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw badRequest(`Send the file as multipart/form-data (got Content-Type "${type || 'none'}").`);
  }
  try {
    return await new Response(ctx.rawBuffer, { headers: { 'content-type': type } }).formData();
  } catch (e) {
    throw badRequest(`The multipart body could not be read: ${(e as Error).message}`);
  }
}

export function objectBody(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null || typeof b !== 'object' || Array.isArray(b)) {
    throw badRequest('Invalid input JSON: the request body must be a JSON object.');
  }
  return b as Record<string, unknown>;
}

/** The `inputs` array of a batch request, with HubSpot's limit. */
export function batchInputs(ctx: Ctx, max: number): unknown[] {
  const inputs = objectBody(ctx).inputs;
  if (!Array.isArray(inputs)) throw badRequest('Invalid input JSON: "inputs" must be an array.');
  if (inputs.length > max) {
    throw badRequest(
      `The maximum number of inputs supported in a batch request is ${max}. Please reduce the number of items and try again (got ${inputs.length}).`,
    );
  }
  return inputs;
}
