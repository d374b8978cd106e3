// Issue 15: a host site of its own — a small HTTP server, on the origin global-setup.ts put in
// PORTAL_ORIGINS (E2E_SHOP_PORT) — whose "backend" knows its visitor and signs a short-lived token for
// them with the secret the API was started with, as docs/embedding.md shows. Specs that sign in
// through the host site share it.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { test } from '@playwright/test';
import { SignJWT } from 'jose';
import { DEMO_EMAIL } from './portal';

export interface Visitor {
  email: string;
  name: string;
}

export interface HostSite {
  /** http://localhost:<E2E_SHOP_PORT> */
  url: string;
  /** Who is signed in to the site, unless a page names its visitor (`?email=…&name=…`). */
  visitor: Visitor;
  /** The secret its backend signs with (a test may give it a wrong one). */
  secret: string;
  /** Every token it signed, oldest first. */
  minted: string[];
  close(): Promise<void>;
}

/** The demo customer, signed in to the host site. */
export const DEMO_VISITOR: Readonly<Visitor> = { email: DEMO_EMAIL, name: 'Alex Morgan' };

/**
 * Call inside a test.describe: starts the host site before its tests and closes it after them.
 * Returns the running site (call it from a hook or test, not at the describe's top level).
 */
export function useHostSite(visitor: Visitor = DEMO_VISITOR): () => HostSite {
  let site: HostSite | undefined;
  test.beforeAll(async () => {
    site = await startHostSite({ ...visitor });
  });
  test.afterAll(async () => {
    await site?.close();
  });
  return () => site!;
}

export const apiOrigin = (): string => new URL(process.env.E2E_API_URL!).origin;

/** The host site's backend: signs a token for its signed-in visitor (docs/embedding.md, Node). */
export function mintToken(visitor: Visitor, secret: string): Promise<string> {
  return new SignJWT({ email: visitor.email, email_verified: true, name: visitor.name })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(process.env.E2E_SITE_TOKEN_ISSUER!)
    .setAudience(process.env.E2E_SITE_TOKEN_AUDIENCE!)
    .setIssuedAt()
    .setExpirationTime('5m')
    .setJti(randomUUID())
    .sign(new TextEncoder().encode(secret));
}

function hostPage(body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour Lights — Support</title></head>
<body><header>Harbour Lights Music</header><main>
<script type="module" src="${apiOrigin()}/widget/ticket-portal.js"></script>
${body}
</main></body></html>`;
}

/**
 * Starts the host site: /support renders the element with a fresh token, /callback sets
 * getSiteToken, which asks /portal-token. `?email=…&name=…` on a page (and the token it asks for)
 * names its visitor, as the site's own session would for two people in two browsers.
 */
export function startHostSite(visitor: Visitor): Promise<HostSite> {
  const site: HostSite = {
    url: `http://localhost:${process.env.E2E_SHOP_PORT}`,
    visitor,
    secret: process.env.E2E_SITE_TOKEN_SECRET!,
    minted: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const mint = async (who: Visitor): Promise<string> => {
    const token = await mintToken(who, site.secret);
    site.minted.push(token);
    return token;
  };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const email = url.searchParams.get('email');
    const who = email ? { email, name: url.searchParams.get('name') ?? email } : site.visitor;
    const html = (body: string) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(body));
    void (async () => {
      if (url.pathname === '/support') {
        html(`<ticket-portal api-url="${apiOrigin()}" site-token="${await mint(who)}"></ticket-portal>`);
      } else if (url.pathname === '/callback') {
        html(`<ticket-portal api-url="${apiOrigin()}"></ticket-portal>
<script>
  document.querySelector('ticket-portal').getSiteToken = async () => {
    const response = await fetch('/portal-token' + location.search, { credentials: 'same-origin' });
    return response.ok ? await response.text() : null;
  };
</script>`);
      } else if (url.pathname === '/portal-token') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(await mint(who));
      } else {
        res.writeHead(404).end('Not found');
      }
    })();
  });
  return new Promise((resolve) =>
    server.listen(Number(process.env.E2E_SHOP_PORT), '127.0.0.1', () => resolve(site)),
  );
}
