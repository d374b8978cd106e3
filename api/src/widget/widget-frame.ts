import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { toErrorResponse } from '../common/errors/error-response';

// GET /widget/frame: the page the widget's iframe mode shows (ADR 0013). A site's <ticket-portal
// mode="iframe"> frames it, naming its own origin and its settings in the query; the page loads the
// widget bundle from this origin (Subresource Integrity from the build's integrity.json) and renders
// <ticket-portal mode="frame">, which keeps the session in this origin's storage and talks to the
// site's element through postMessage only. Only the pages of PORTAL_ORIGINS may frame it.

export const FRAME_ROUTE = '/widget/frame';

/** The widget's own sentence (widget/src/internal/messages.ts), for a site not in PORTAL_ORIGINS. */
const NOT_SET_UP =
  "This page is not set up for the customer portal, so you can't sign in here. Please let the company know.";

// The frame's body has no margin: the site's element sizes the frame to the portal's own height.
const STYLE =
  'html,body{margin:0;padding:0;background:transparent}p{margin:1em;font:1em system-ui,sans-serif}';
const STYLE_HASH = `'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`;

interface Integrity {
  files: Record<string, string>;
  firstRender: string[];
}

/** The element's settings as the frame URL carries them (all but `origin` optional). */
interface FrameSettings {
  origin: string;
  attributes: Array<[string, string]>;
}

const escapeHtml = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

// [query name, what it accepts, what to fix]: the attributes of <ticket-portal> a frame passes on.
const SETTINGS: Array<[string, (value: string) => boolean, string]> = [
  ['theme', (v) => ['auto', 'light', 'dark'].includes(v), 'use auto, light or dark'],
  ['locale', (v) => /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/.test(v), 'use a BCP 47 tag such as en-GB'],
  ['view', (v) => v === 'table' || v === 'card', 'use table or card'],
  [
    'page-size',
    (v) => /^\d{1,3}$/.test(v) && Number(v) >= 1 && Number(v) <= 100,
    'use a whole number from 1 to 100',
  ],
  ['address', (v) => v === 'off' || v === 'on', 'use on or off'],
  [
    'support-url',
    (v) => v.length <= 2000 && /^(https?:\/\/|mailto:)\S+$/i.test(v),
    'use an http(s) or mailto: link',
  ],
  [
    'company-name',
    (v) => v.length <= 200 && [...v].every((c) => c >= ' '),
    'use at most 200 characters, on one line',
  ],
];

/** The host page's origin as an origin (scheme://host[:port]), else null. */
function originOf(value: string): string | null {
  try {
    const url = new URL(value);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
    return url.origin === value.toLowerCase() ? url.origin : null;
  } catch {
    return null;
  }
}

function readSettings(query: Record<string, unknown>): FrameSettings {
  const problems: Record<string, string> = {};
  const text = (name: string): string | undefined => {
    const value = query[name];
    if (value === undefined) return undefined;
    if (typeof value !== 'string') {
      problems[name] = 'give it once';
      return undefined;
    }
    return value;
  };
  const rawOrigin = text('origin');
  const origin = rawOrigin === undefined ? null : originOf(rawOrigin);
  if (!origin) {
    problems.origin =
      "give the origin of the page that shows the frame, e.g. https://www.example.com (the site's element does)";
  }
  const attributes: Array<[string, string]> = [];
  for (const [name, accepts, fix] of SETTINGS) {
    const value = text(name);
    if (value === undefined || value === '') continue;
    if (!accepts(value)) problems[name] = fix;
    else if (name !== 'address' || value === 'off') attributes.push([name, value]);
  }
  const names = Object.keys(problems);
  if (names.length > 0) {
    throw new AppError(
      ErrorCode.VALIDATION_FAILED,
      names.map((name) => `${name}: ${problems[name]}.`).join(' '),
      { fields: problems },
    );
  }
  return { origin: origin!, attributes };
}

/** The page's policy: this origin's scripts only, and only the sites of PORTAL_ORIGINS may frame it. */
function policy(frameAncestors: string): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "connect-src 'self'",
    `style-src ${STYLE_HASH}`,
    // Attachment previews: blob: URLs of what the API sent (data: when blob: is refused).
    "img-src 'self' blob: data:",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
    `frame-ancestors ${frameAncestors}`,
    "require-trusted-types-for 'script'",
    'trusted-types lit-html ticket-portal',
  ].join('; ');
}

function page(body: string, head = ''): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex"><title>Customer portal</title><style>${STYLE}</style>
${head}</head><body>${body}</body></html>
`;
}

/**
 * The portal's page, for a frame on a site in PORTAL_ORIGINS. The entry keeps its name from release
 * to release and is cached for 5 minutes, so it is asked for under this build's hash (`?v=`): a page
 * with the new hashes never meets a cached old file, which its integrity check would refuse.
 */
function portalPage(settings: FrameSettings, integrity: Integrity): string {
  const [entry, ...shared] = integrity.firstRender;
  const hashOf = (file: string): string => escapeHtml(integrity.files[file] ?? '');
  const version = createHash('sha256')
    .update(hashOf(entry ?? ''))
    .digest('hex')
    .slice(0, 12);
  const head = [
    ...shared.map(
      (file) => `<link rel="modulepreload" href="${escapeHtml(file)}" integrity="${hashOf(file)}">`,
    ),
    `<script type="module" src="${escapeHtml(entry ?? '')}?v=${version}" integrity="${hashOf(entry ?? '')}"></script>`,
  ].join('\n');
  const attributes = settings.attributes.map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join('');
  return page(
    `<ticket-portal mode="frame" host-origin="${escapeHtml(settings.origin)}"${attributes}></ticket-portal>`,
    head,
  );
}

/**
 * Registers GET /widget/frame when the widget is built (its integrity.json names the files); false
 * when it is not. integrity.json is read again for each page, so a rebuild shows at once.
 */
export function registerWidgetFrame(
  fastify: FastifyInstance,
  portalOrigins: readonly string[],
  distDir: string,
): boolean {
  const integrityFile = join(distDir, 'integrity.json');
  if (!existsSync(integrityFile)) return false;
  const allowed = new Set(portalOrigins);
  const frameAncestors = portalOrigins.length > 0 ? portalOrigins.join(' ') : "'none'";
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': policy(frameAncestors),
    // The page names this build's files by hash: ask again each time (it is small), never keep an old one.
    'cache-control': 'no-cache',
  };
  let lastIntegrity = JSON.parse(readFileSync(integrityFile, 'utf8')) as Integrity;
  // The last good copy while a build rewrites the file.
  const readIntegrity = async (): Promise<Integrity> => {
    try {
      lastIntegrity = JSON.parse(await readFile(integrityFile, 'utf8')) as Integrity;
    } catch {
      // keep the last one
    }
    return lastIntegrity;
  };
  const send = (reply: FastifyReply, status: number, html: string): void => {
    void reply.status(status).headers(headers).send(html);
  };
  // helmet's X-Frame-Options (SAMEORIGIN) would refuse every site, and its default policy the page's
  // own: on this route only, frame-ancestors above decides who may frame it. Its other headers stay.
  const helmet = { frameguard: false, contentSecurityPolicy: false } as const;
  fastify.get(FRAME_ROUTE, { helmet }, async (request: FastifyRequest, reply: FastifyReply) => {
    let settings: FrameSettings;
    try {
      settings = readSettings(request.query as Record<string, unknown>);
    } catch (error) {
      const response = toErrorResponse(error, request.method, request.url);
      void reply.status(response.status).header('cache-control', 'no-store').send(response.body);
      return;
    }
    if (!allowed.has(settings.origin)) {
      // The browser shows this only where the framing site is allowed yet names another origin; a
      // site not in PORTAL_ORIGINS cannot frame the page at all, and its element says why itself.
      send(reply, 403, page(`<p role="alert">${escapeHtml(NOT_SET_UP)}</p>`));
      return;
    }
    send(reply, 200, portalPage(settings, await readIntegrity()));
  });
  return true;
}
