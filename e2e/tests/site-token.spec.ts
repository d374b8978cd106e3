// Issue 15: sign-in through the host site. A host site of its own (support/host-site.ts) knows its
// visitor and signs a short-lived token for them with the secret the API was started with, as
// docs/embedding.md shows. The visitor lands in the portal signed in, without a password.
import { expect, test, type Page, type Request } from '@playwright/test';
import { apiOrigin, DEMO_VISITOR, useHostSite, type HostSite } from '../support/host-site';
import { expectSignedInBySite, portal, waitForTickets } from '../support/portal';

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
  const hostSite = useHostSite();
  let shop: HostSite;

  test.beforeEach(() => {
    shop = hostSite();
    shop.visitor = { ...DEMO_VISITOR };
    shop.secret = process.env.E2E_SITE_TOKEN_SECRET!;
    shop.minted = [];
  });
  test('should land the site’s visitor in the portal signed in, with their tickets and no password', async ({
    page,
  }) => {
    const calls = authCalls(page);

    await page.goto(`${shop.url}/support`);

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

    await page.goto(`${shop.url}/callback`);

    await expect(portal(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expectSignedInBySite(page, 'Sam Site');
    expect(shop.minted).toHaveLength(1);
  });

  test('should show the API’s reason and the normal sign-in form when the site’s token is refused', async ({
    page,
  }) => {
    shop.secret = 'not-the-secret-the-portal-was-given';

    await page.goto(`${shop.url}/support`);

    await expect(portal(page).getByRole('alert')).toContainText(
      "Signing in through this website failed: the token's signature does not match",
    );
    await expect(portal(page).getByLabel('Password', { exact: true })).toBeVisible();
  });
});
