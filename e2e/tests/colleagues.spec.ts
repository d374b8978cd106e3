// Issue 15, "Who sees what": on a host page whose own backend signs the visitor's token
// (support/host-site.ts), the visitor lands signed in with no password, sees their tickets, submits a
// request with a colleague in copy, and the colleague — signing in on the same site in another
// browser — sees it, with the people on it.
import { expect, test } from '@playwright/test';
import { useHostSite } from '../support/host-site';
import { expectSignedInBySite, pollCountReloading, portal, waitForTickets } from '../support/portal';

test.describe('a colleague in copy', () => {
  const hostSite = useHostSite();

  test('should see the request the site’s visitor put them in copy on, once signed in', async ({
    page,
    browser,
  }) => {
    const shop = hostSite();
    const colleague = `robin.${Date.now()}@example.com`;
    const subject = `Royalty split for the spring tour ${Date.now()}`;

    // The visitor: signed in by the site, no password, their tickets.
    await page.goto(`${shop.url}/support`);
    await expectSignedInBySite(page, 'Alex Morgan');
    await waitForTickets(page);

    // A request with the colleague in copy.
    await portal(page).getByRole('button', { name: 'Submit a Request' }).click();
    await portal(page).getByLabel('Subject').fill(subject);
    await portal(page).getByLabel('Description').fill('Robin handles the splits: please keep them posted.');
    await portal(page).getByLabel('Colleagues in copy').fill(colleague);
    await portal(page).getByRole('button', { name: 'Submit', exact: true }).click();
    await expect(portal(page).getByRole('heading', { name: subject })).toBeVisible();
    const people = portal(page).locator('[part~="people"]');
    await expect(people.locator('[part~="person"]').first()).toContainText('Requester');
    await expect(people.locator('[part~="person"]').nth(1)).toContainText(colleague);

    // The colleague, in a browser of their own, signed in by the same site as themselves.
    const context = await browser.newContext();
    try {
      const other = await context.newPage();
      await other.goto(`${shop.url}/support?email=${encodeURIComponent(colleague)}&name=Robin%20Hale`);
      await expectSignedInBySite(other, 'Robin Hale');
      // HubSpot learns the colleague from the request's delivery; their account is linked to that
      // contact in the background: the list shows the request once both have happened.
      const request = portal(other).getByRole('button', { name: subject });
      await pollCountReloading(other, request).toBe(1);
      await request.click();
      await expect(portal(other).getByRole('heading', { name: subject })).toBeVisible();
      const theirPeople = portal(other).locator('[part~="people"]');
      await expect(theirPeople.locator('[part~="person"]').first()).toContainText('Alex Morgan');
      await expect(theirPeople.locator('[part~="person"]').first()).toContainText('Requester');
      const them = theirPeople.locator('[part~="person"]').nth(1);
      await expect(them).toContainText(colleague);
      await expect(them).toContainText('(you)');

      // Their list's Show filter (their rule offers more than their own tickets): In copy has it.
      await portal(other)
        .getByRole('link', { name: /Back to your tickets/ })
        .click();
      await portal(other).getByLabel('Show').selectOption({ label: 'In copy' });
      await expect(other).toHaveURL(/tp-involvement=cc/);
      await expect(portal(other).getByRole('button', { name: subject })).toBeVisible();
    } finally {
      await context.close();
    }

    // Later, the visitor adds another colleague and takes the first one off, from the People block.
    const later = `lee.${Date.now()}@example.com`;
    await people.getByLabel('Add a colleague').fill(later);
    await people.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(people.locator('[part~="person"]').nth(2)).toContainText(later);
    const person = (email: string) => people.locator('[part~="person"]', { hasText: email });
    await person(colleague)
      .getByRole('button', { name: /^Remove / })
      .click();
    await expect(person(colleague)).toHaveCount(0);
    // Both changes reach HubSpot and come back through the mirror: a fresh read agrees, with the
    // added colleague no longer "Adding…".
    await expect
      .poll(
        async () => {
          await page.reload();
          await expect(people).toBeVisible();
          const added = person(later);
          const pending = (await added.count()) === 1 && (await added.innerText()).includes('Adding…');
          return `${await person(colleague).count()} ${await added.count()} ${pending}`;
        },
        { timeout: 45_000, intervals: [1000, 2000, 3000] },
      )
      .toBe('0 1 false');
  });
});
