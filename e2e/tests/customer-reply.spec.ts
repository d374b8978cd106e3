// Issue 13, "replies that support cannot miss": support waits on the customer (the ticket is in
// "Waiting on contact", with an owner); the customer answers on the demo page; the help desk console
// shows the ticket back in "New" and an open task for its owner. With E2E_DOC_SCREENSHOTS=1 the
// console's view is saved as docs/images/agent-view-customer-reply.png (docs/requests.md).
import path from 'node:path';
import { expect, test } from '@playwright/test';
import {
  dataRows,
  pollCountReloading,
  portal,
  signInAsDemo,
  waitForTickets,
  DEMO_EMAIL,
} from '../support/portal';
import { openInConsole } from '../support/console';

const DOC_SCREENSHOT = path.resolve(__dirname, '../../docs/images/agent-view-customer-reply.png');

test.describe('a customer reply surfaces in the help desk', () => {
  test('should move the ticket support was waiting on and give its owner a task', async ({
    page,
    context,
  }) => {
    test.setTimeout(180_000);
    const subject = `Cue sheet for the spring campaign (${Date.now()})`;

    // Support opens a ticket for the demo contact, takes it, asks a question and waits.
    const agent = await context.newPage();
    await agent.setViewportSize({ width: 1280, height: 860 });
    await agent.goto(`${process.env.E2E_EMULATOR_URL}/`);
    await agent.getByText('Create a ticket').click();
    await agent.getByLabel('Subject').fill(subject);
    const demoContact = await agent
      .locator('#c-contact option')
      .filter({ hasText: DEMO_EMAIL })
      .first()
      .getAttribute('value');
    expect(demoContact).toBeTruthy();
    await agent.locator('#c-contact').selectOption(demoContact ?? '');
    await agent.getByLabel('Description').fill('Which tracks are in the spring campaign edit?');
    await agent.getByRole('button', { name: 'Create', exact: true }).click();
    await expect(agent.locator('#status')).toHaveText(/^Created #\d+$/);
    const hubspotId = (await agent.locator('#status').innerText()).replace(/\D/g, '');
    let detail = agent.locator('#detail');
    await expect(detail.getByRole('heading', { level: 3 })).toContainText(`#${hubspotId}`);
    await detail.locator('#d-owner').selectOption({ index: 1 });
    const ownerName = (await detail.locator('#d-owner option:checked').innerText()).trim();
    // Each action re-renders the ticket and then the list: wait for the list before the next one.
    const listRow = agent.locator(`tr.row[data-id="${hubspotId}"]`);
    await detail.getByRole('button', { name: 'Assign' }).click();
    await expect(listRow).toContainText(ownerName);
    await detail.locator('#d-stage').selectOption({ label: 'Waiting on contact' });
    await detail.getByRole('button', { name: 'Move' }).click();
    await expect(listRow).toContainText('Waiting on contact');
    await expect(detail.locator('#d-stage-now')).toContainText('Waiting on contact');
    await detail.getByLabel('Reply to customer').fill('Could you send us the cue sheet for the edit?');
    await detail.getByRole('button', { name: 'Send reply' }).click();
    await expect(detail.locator('.msg.agent')).toContainText('Could you send us the cue sheet');
    await expect(detail.getByRole('heading', { name: 'Tasks (0 open)' })).toBeVisible();

    // The customer finds it in the portal and answers.
    await signInAsDemo(page);
    const table = await waitForTickets(page);
    const row = dataRows(table).filter({ hasText: subject });
    await pollCountReloading(page, row).toBe(1);
    await row.getByText(subject).click();
    await expect(portal(page).getByRole('heading', { name: subject })).toBeVisible();
    const answer = 'Attached is the cue sheet: tracks 2, 5 and 9.\nTrack 5 is the 30-second cut.';
    await portal(page).getByLabel('Your reply').fill(answer);
    await portal(page).getByRole('button', { name: 'Send reply' }).click();
    const mine = portal(page)
      .locator('[part~="conversation"] [data-from="customer"]')
      .filter({ hasText: 'Attached is the cue sheet' });
    await expect(mine).toHaveCount(1);
    await expect(mine.locator('[data-sync]')).toHaveCount(0, { timeout: 30_000 });

    // The agent's console: back in "New", one open task for the owner, quoting the reply.
    await expect
      .poll(
        async () => {
          detail = await openInConsole(agent, hubspotId);
          return [
            (await detail.locator('#d-stage-now').innerText()).trim(),
            await detail.locator('.task:not(.done)').count(),
          ];
        },
        { timeout: 30_000, intervals: [500, 1000, 2000] },
      )
      .toEqual(['Status: New open', 1]);
    const task = detail.locator('.task:not(.done)');
    await expect(task.locator('strong')).toHaveText(`Customer replied: ${subject}`);
    await expect(task.locator('.meta')).toContainText(ownerName);
    await expect(task.locator('.task-body')).toContainText('Alex Morgan replied in the portal:');
    await expect(task.locator('.task-body')).toContainText('Track 5 is the 30-second cut.');
    await expect(task.locator('.task-body')).toContainText(
      'The ticket was waiting on the customer ("Waiting on contact"); it is now in "New".',
    );
    await expect(agent.locator(`tr.row[data-id="${hubspotId}"]`)).toContainText('New');
    // The customer's message is in the conversation once (the task only quotes it).
    await expect(detail.locator('.msg').filter({ hasText: 'Track 5 is the 30-second cut.' })).toHaveCount(1);

    await agent.screenshot({ path: test.info().outputPath('agent-view-customer-reply.png') });
    if (process.env.E2E_DOC_SCREENSHOTS === '1') await agent.screenshot({ path: DOC_SCREENSHOT });
  });
});
