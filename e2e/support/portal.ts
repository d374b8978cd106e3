// What several specs do on the demo page: reach the widget and sign in as the demo customer.
import { expect, type Locator, type Page } from '@playwright/test';

export const DEMO_EMAIL = 'demo@example.com';
export const DEMO_PASSWORD = 'portal-demo-2026';

/** The widget; Playwright's locators pierce its shadow root. */
export const portal = (page: Page): Locator => page.locator('ticket-portal');

export const dataRows = (table: Locator): Locator => table.locator('tbody tr');

export async function signInAsDemo(page: Page): Promise<void> {
  await page.goto(process.env.E2E_DEMO_URL!);
  await signInDemoIn(portal(page));
}

/** Signs the demo customer in through the portal at `root` (on any host page). */
export async function signInDemoIn(root: Locator): Promise<void> {
  await root.getByLabel('Email', { exact: true }).fill(DEMO_EMAIL);
  await root.getByLabel('Password', { exact: true }).fill(DEMO_PASSWORD);
  await root.getByRole('button', { name: 'Sign in' }).click();
  await expect(root.getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/**
 * Waits until the demo customer's list has tickets: at start the worker mirrors HubSpot and links the
 * demo account to its contact in the background.
 */
export async function waitForTickets(page: Page, root = portal(page)): Promise<Locator> {
  const table = root.getByRole('table');
  await pollCountReloading(page, dataRows(table)).toBeGreaterThan(0);
  return table;
}

/**
 * Polls how many elements `locator` finds, reloading `page` while it finds none: what the worker
 * mirrors from HubSpot in the background shows after a reload. Up to 45 s; the caller asserts the count.
 */
export function pollCountReloading(page: Page, locator: Locator) {
  return expect.poll(
    async () => {
      const n = await locator.count();
      if (n === 0) await page.reload();
      return n;
    },
    { timeout: 45_000, intervals: [1000, 2000, 3000] },
  );
}

/** The portal on `page` shows `name` signed in, with no password anywhere: signed in by the host site. */
export async function expectSignedInBySite(page: Page, name: string): Promise<void> {
  await expect(portal(page).locator('[part="user"]')).toHaveText(`Signed in as ${name}`);
  await expect(portal(page).getByLabel('Password', { exact: true })).toHaveCount(0);
}
