// The whole account story on the demo page, in real Chromium, with the API on another origin:
// register → mail → confirm → sign in → reload → sign out → forgot → mail → reset → old session
// rejected → sign in with the new password; plus a wrong password, an unknown email and an unconfirmed account.
import { expect, test, type Page } from '@playwright/test';
import { countMail, portalLink, waitForMail } from '../support/mail';

const demoUrl = (): string => process.env.E2E_DEMO_URL!;
const portal = (page: Page) => page.locator('ticket-portal');
// Sign in says "Email"; Register and Forgot password follow the guide's "Enter your email address".
const emailField = (page: Page) => portal(page).getByLabel(/^Email( address)?$/);

async function signIn(page: Page, email: string, password: string, remember = true): Promise<void> {
  await emailField(page).fill(email);
  await portal(page).getByLabel('Password', { exact: true }).fill(password);
  const rememberBox = portal(page).getByLabel('Remember me');
  if ((await rememberBox.isChecked()) !== remember) await rememberBox.click();
  await portal(page).getByRole('button', { name: 'Sign in' }).click();
}

test.describe('customer accounts on the demo page', () => {
  test('should register, confirm, sign in, survive a reload, sign out, reset the password and revoke old sessions', async ({
    browser,
  }) => {
    const email = `e2e.${Date.now()}@example.com`;
    const firstPassword = 'Blue-harbour-lights-42';
    const newPassword = 'Quiet-river-songbook-77';

    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(demoUrl());
    // The API runs on another origin than the page.
    expect(new URL(process.env.E2E_API_URL!).origin).not.toBe(new URL(page.url()).origin);

    // Register here → email, password, confirm password.
    await portal(page).getByRole('link', { name: 'Register here' }).click();
    await emailField(page).fill(email);
    await portal(page).getByLabel('Password', { exact: true }).fill(firstPassword);
    await portal(page).getByLabel('Confirm password').fill(firstPassword);
    await portal(page)
      .getByRole('button', { name: /register/i })
      .click();
    await expect(portal(page).getByRole('heading', { name: /check your inbox/i })).toBeVisible();

    // Open the mail and follow the link: the fragment is consumed and removed from the address bar.
    const confirmMail = await waitForMail(email, /confirm/i);
    const confirmLink = portalLink(confirmMail);
    expect(confirmLink).toContain('#tp-action=confirm');
    await page.goto(confirmLink);
    await expect(
      portal(page)
        .getByText(/confirmed/i)
        .first(),
    ).toBeVisible();
    await expect.poll(() => page.url()).not.toContain('tp-token');

    // Sign in, then reload: still signed in.
    await signIn(page, email, firstPassword);
    await expect(portal(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(portal(page).getByText(email)).toBeVisible();
    await page.reload();
    await expect(portal(page).getByRole('button', { name: 'Sign out' })).toBeVisible();

    // Sign out.
    await portal(page).getByRole('button', { name: 'Sign out' }).click();
    await expect(portal(page).getByRole('button', { name: 'Sign in' })).toBeVisible();

    // A second browser keeps a session open; the reset must revoke it.
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    await otherPage.goto(demoUrl());
    await signIn(otherPage, email, firstPassword);
    await expect(portal(otherPage).getByRole('button', { name: 'Sign out' })).toBeVisible();

    // Forgot password → mail → reset.
    const before = await countMail(email);
    await portal(page).getByRole('link', { name: 'Forgot password' }).click();
    await emailField(page).fill(email);
    await portal(page)
      .getByRole('button', { name: /send|reset/i })
      .click();
    await expect(portal(page).getByRole('heading', { name: /check your inbox/i })).toBeVisible();
    const resetMail = await waitForMail(email, /reset/i, before);
    await page.goto(portalLink(resetMail));
    await portal(page).getByLabel('New password', { exact: true }).fill(newPassword);
    await portal(page)
      .getByLabel(/confirm (new )?password/i)
      .fill(newPassword);
    await portal(page)
      .getByRole('button', { name: /reset|save|set/i })
      .click();
    await expect(
      portal(page)
        .getByText(/password (has been|was) (reset|changed)|new password is set/i)
        .first(),
    ).toBeVisible();
    await expect.poll(() => page.url()).not.toContain('tp-token');

    // The other browser's session is gone: it returns to Sign in with a message, without a reload
    // (its live stream is closed by the revocation; without one, its next request gets a 401).
    await expect(portal(otherPage).getByRole('button', { name: 'Sign in' })).toBeVisible({ timeout: 20_000 });
    await expect(portal(otherPage).getByText(/session has expired|sign in again/i)).toBeVisible();

    // The old password no longer works; the new one does.
    await signIn(page, email, firstPassword);
    await expect(
      portal(page)
        .getByRole('alert')
        .filter({ hasText: /not correct|incorrect/i }),
    ).toBeVisible();
    await portal(page).getByLabel('Password', { exact: true }).fill(newPassword);
    await portal(page).getByRole('button', { name: 'Sign in' }).click();
    await expect(portal(page).getByRole('button', { name: 'Sign out' })).toBeVisible();

    await context.close();
    await other.close();
  });

  test('should answer a wrong password and an unknown email the same way', async ({ page }) => {
    await page.goto(demoUrl());
    await signIn(page, 'demo@example.com', 'definitely-not-the-password');
    const wrong = portal(page).getByRole('alert');
    await expect(wrong).toBeVisible();
    const wrongText = await wrong.innerText();

    await signIn(page, `nobody.${Date.now()}@example.com`, 'definitely-not-the-password');
    await expect(portal(page).getByRole('alert')).toHaveText(wrongText);
  });

  test('should refuse an unconfirmed account and offer the confirmation mail again', async ({ page }) => {
    const email = `unconfirmed.${Date.now()}@example.com`;
    const password = 'Paper-lantern-melody-19';
    await page.goto(demoUrl());
    await portal(page).getByRole('link', { name: 'Register here' }).click();
    await emailField(page).fill(email);
    await portal(page).getByLabel('Password', { exact: true }).fill(password);
    await portal(page).getByLabel('Confirm password').fill(password);
    await portal(page)
      .getByRole('button', { name: /register/i })
      .click();
    await waitForMail(email, /confirm/i);

    await page.goto(demoUrl());
    await signIn(page, email, password);
    // Refused as unconfirmed, the visitor lands on Check your inbox, which says why and can resend.
    await expect(portal(page).getByRole('heading', { name: /check your inbox/i })).toBeVisible();
    await expect(
      portal(page)
        .getByText(/confirm/i)
        .first(),
    ).toBeVisible();
    const before = await countMail(email);
    await portal(page)
      .getByRole('button', { name: /resend|send .*again/i })
      .click();
    await waitForMail(email, /confirm/i, before);
  });

  test('should sign the demo customer in', async ({ page }) => {
    await page.goto(demoUrl());
    await signIn(page, 'demo@example.com', 'portal-demo-2026', false);
    await expect(portal(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
  });
});
