// "Submit a New Request" and the ticket page, end to end on the demo page: the request is in the list
// at once, reaches HubSpot (the emulator) and takes its ticket ID; an agent's reply written in the
// help desk console shows on the ticket page — its hostile HTML inert; the customer answers, closes and
// reopens, and HubSpot sees each step.
import { expect, test } from '@playwright/test';
import { dataRows, portal, signInAsDemo, waitForTickets } from '../support/portal';
import { openInConsole } from '../support/console';

const HOSTILE =
  '<p>Fixed in <b>release 4.2</b>.</p>' +
  '<img src="x" onerror="window.__tpPwned = \'img\'">' +
  '<script>window.__tpPwned = "script"</script>' +
  '<a href="javascript:window.__tpPwned = \'link\'">details</a>' +
  '<p style="position:fixed;inset:0;background:red">covering the page</p>' +
  '<iframe src="javascript:parent.__tpPwned = \'iframe\'"></iframe>';

test.describe('requests on the demo page', () => {
  test('should submit a request that shows at once, reaches HubSpot, and carries the conversation', async ({
    page,
    context,
  }) => {
    test.setTimeout(180_000);
    await signInAsDemo(page);
    const table = await waitForTickets(page);
    const subject = `CSV export stops at 1,000 rows (${Date.now()})`;

    // Submit a Request → the form → Submit: the ticket page of the new request, at once.
    await portal(page).getByRole('button', { name: 'Submit a Request' }).click();
    await portal(page).getByLabel('Subject').fill(subject);
    await portal(page).getByLabel('Description').fill('The export of the catalogue ends after 1,000 rows.');
    const priority = portal(page).getByLabel(/^Priority/);
    if (await priority.count()) await priority.selectOption({ index: 1 });
    await portal(page).getByRole('button', { name: 'Submit', exact: true }).click();
    await expect(portal(page).getByLabel('Subject')).toHaveCount(0);
    await expect(portal(page).getByRole('heading', { name: subject })).toBeVisible();

    // In the list at once, then its HubSpot ticket ID appears on the ticket page without a reload.
    await portal(page)
      .getByRole('link', { name: /Back to your tickets/ })
      .click();
    const row = dataRows(table).filter({ hasText: subject });
    await expect(row).toHaveCount(1);
    await row.getByText(subject).click();
    await expect(portal(page).getByRole('heading', { name: subject })).toBeVisible();
    const idValue = portal(page)
      .locator('dt', { hasText: 'Ticket ID' })
      .locator('xpath=following-sibling::dd[1]');
    await expect(idValue).toHaveText(/^\s*#?\d+\s*$/, { timeout: 30_000 });
    const hubspotId = (await idValue.innerText()).replace(/\D/g, '');

    // HubSpot has it, from the demo contact; an agent answers in HTML with hostile parts.
    const agent = await context.newPage();
    let detail = await openInConsole(agent, hubspotId);
    await expect(detail).toContainText(subject);
    await expect(detail).toContainText('Alex Morgan');
    await detail.getByLabel('Reply to customer').fill(HOSTILE);
    await detail.getByLabel('Send as HTML').check();
    await detail.getByRole('button', { name: 'Send reply' }).click();
    await expect(agent.locator('#status')).toHaveText('Saved');

    // The reply shows on the open ticket page within seconds, formatted and inert.
    const conversation = portal(page).locator('[part~="conversation"]');
    const agentMessage = conversation.locator('[data-from="support"]').filter({ hasText: 'Fixed in' });
    await expect(agentMessage).toBeVisible({ timeout: 30_000 });
    await expect(agentMessage.locator('b', { hasText: 'release 4.2' })).toHaveCount(1);
    await expect(agentMessage.locator('script, img, iframe, [style], [onerror]')).toHaveCount(0);
    await expect(agentMessage.locator('a[href^="javascript:" i]')).toHaveCount(0);
    expect(
      // The e2e project has no DOM types: the page's global object is only named inside the browser.
      await page.evaluate(() => (globalThis as { __tpPwned?: string }).__tpPwned),
    ).toBeUndefined();

    // The customer answers: shown at once, then delivered to HubSpot once.
    const answer = `Thanks, that works for 2,000 rows too (${Date.now()}).`;
    await portal(page).getByLabel('Your reply').fill(answer);
    await portal(page).getByRole('button', { name: 'Send reply' }).click();
    const mine = conversation.locator('[data-from="customer"]').filter({ hasText: answer });
    await expect(mine).toHaveCount(1);
    await expect(mine.locator('[data-sync]')).toHaveCount(0, { timeout: 30_000 });
    detail = await openInConsole(agent, hubspotId);
    await expect(detail.locator('.msg').filter({ hasText: answer })).toHaveCount(1);

    // Close (with a confirmation), then reopen: the portal shows it at once, HubSpot follows.
    const status = portal(page)
      .locator('dt', { hasText: 'Status' })
      .locator('xpath=following-sibling::dd[1]');
    const openLabel = (await status.innerText()).trim();
    await portal(page).getByRole('button', { name: 'Close ticket' }).click();
    await portal(page).getByRole('group').getByRole('button', { name: 'Close ticket' }).click();
    await expect(status).toContainText('Closed');
    await expect(portal(page).getByRole('button', { name: 'Reopen ticket' })).toBeFocused();
    await expect
      .poll(async () => {
        detail = await openInConsole(agent, hubspotId);
        return detail.locator('#d-stage option:checked').innerText();
      })
      .toBe('Closed');
    await portal(page).getByRole('button', { name: 'Reopen ticket' }).click();
    await expect(status).toContainText(openLabel);
    await expect(status).not.toContainText('Closed');
    await expect
      .poll(async () => {
        detail = await openInConsole(agent, hubspotId);
        return detail.locator('#d-stage option:checked').innerText();
      })
      .not.toBe('Closed');

    // A reload keeps the ticket page (tp-ticket in the address); Back returns to the list.
    await page.reload();
    await expect(portal(page).getByRole('heading', { name: subject })).toBeVisible();
    await portal(page)
      .getByRole('link', { name: /Back to your tickets/ })
      .click();
    await expect(dataRows(table).filter({ hasText: subject })).toHaveCount(1);
  });
});
