// Issue 15: sign-in through the host site. A host site of its own — a small HTTP server in this test,
// on an origin global-setup.ts put in PORTAL_ORIGINS — knows its visitor and signs a short-lived token
// for them with the secret the API was started with, as docs/embedding.md shows. The visitor lands in
// the portal signed in, without a password.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { expect, test, type Page, type Request } from '@playwright/test';
import { SignJWT } from 'jose';
import { DEMO_EMAIL, portal, waitForTickets } from '../support/portal';

const shopUrl = (): string => `http://localhost:${process.env.E2E_SHOP_PORT}`;
const apiOrigin = (): string => new URL(process.env.E2E_API_URL!).origin;

/** The host site's backend: signs a token for its signed-in visitor (docs/embedding.md, Node). */
function mintToken(email: string, name: string, secret: string): Promise<string> {
  return new SignJWT({ email, email_verified: true, name })
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

/** Who is signed in to the host site, and the secret its backend signs with (set by each test). */
const shop = { visitor: { email: DEMO_EMAIL, name: 'Alex Morgan' }, secret: '', minted: [] as string[] };

/**
 * The host site: /support renders the element with a fresh token, /callback sets getSiteToken,
 * which asks /portal-token.
 */
function startShop(): Promise<Server> {
  const mint = async () => {
    const token = await mintToken(shop.visitor.email, shop.visitor.name, shop.secret);
    shop.minted.push(token);
    return token;
  };
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const html = (body: string) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(hostPage(body));
    void (async () => {
      if (path === '/support') {
        html(`<ticket-portal api-url="${apiOrigin()}" site-token="${await mint()}"></ticket-portal>`);
      } else if (path === '/callback') {
        html(`<ticket-portal api-url="${apiOrigin()}"></ticket-portal>
<script>
  document.querySelector('ticket-portal').getSiteToken = async () => {
    const response = await fetch('/portal-token', { credentials: 'same-origin' });
    return response.ok ? await response.text() : null;
  };
</script>`);
      } else if (path === '/portal-token') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end(await mint());
      } else {
        res.writeHead(404).end('Not found');
      }
    })();
  });
  return new Promise((resolve) =>
    server.listen(Number(process.env.E2E_SHOP_PORT), '127.0.0.1', () => resolve(server)),
  );
}

/** Every call the page makes to the API's auth routes. */
function authCalls(page: Page): string[] {
  const calls: string[] = [];
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    if (url.origin === apiOrigin() && url.pathname.startsWith('/api/v1/auth/')) {
      calls.push(`${request.method()} ${url.pathname}`);
    }
  });
  return calls;
}

test.describe('sign-in through the host site', () => {
  let server: Server;

  test.beforeAll(async () => {
    server = await startShop();
  });

  test.afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  test.beforeEach(() => {
    shop.visitor = { email: DEMO_EMAIL, name: 'Alex Morgan' };
    shop.secret = process.env.E2E_SITE_TOKEN_SECRET!;
    shop.minted = [];
  });
  test('should land the site’s visitor in the portal signed in, with their tickets and no password', async ({
    page,
  }) => {
    const calls = authCalls(page);

    await page.goto(`${shopUrl()}/support`);

    await expect(portal(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(portal(page).locator('[part="user"]')).toHaveText('Signed in as Alex Morgan');
    // The demo contact's tickets (the list reloads the page until the worker has mirrored them; each
    // reload renders a new token, and the saved session of the same visitor is kept).
    const table = await waitForTickets(page);
    await expect(table.locator('tbody tr').first()).toBeVisible();
    // Never a password, never a sign-in form.
    await expect(portal(page).getByLabel('Password', { exact: true })).toHaveCount(0);
    expect(calls).not.toContain('POST /api/v1/auth/login');
    expect(calls.filter((c) => c === 'POST /api/v1/auth/site-token')).toHaveLength(1);
    expect(shop.minted.length).toBeGreaterThanOrEqual(1);

    // A reload keeps the tab's session: no second sign-in.
    await page.reload();
    await expect(portal(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
    expect(calls.filter((c) => c === 'POST /api/v1/auth/site-token')).toHaveLength(1);
  });

  test('should create, confirm and sign in a visitor the portal has never seen, through getSiteToken', async ({
    page,
  }) => {
    const email = `site.${Date.now()}@example.com`;
    shop.visitor = { email, name: 'Sam Site' };

    await page.goto(`${shopUrl()}/callback`);

    await expect(portal(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(portal(page).locator('[part="user"]')).toHaveText('Signed in as Sam Site');
    expect(shop.minted).toHaveLength(1);
    await expect(portal(page).getByLabel('Password', { exact: true })).toHaveCount(0);
  });

  test('should show the API’s reason and the normal sign-in form when the site’s token is refused', async ({
    page,
  }) => {
    shop.secret = 'not-the-secret-the-portal-was-given';

    await page.goto(`${shopUrl()}/support`);

    await expect(portal(page).getByRole('alert')).toContainText(
      "Signing in through this website failed: the token's signature does not match",
    );
    await expect(portal(page).getByLabel('Password', { exact: true })).toBeVisible();
  });
});
