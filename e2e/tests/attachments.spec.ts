// Attachments both ways (issue 13), end to end on the demo page: the customer submits a request with a
// pasted screenshot and a PDF chosen in the file picker; HubSpot (the emulator) gets both, and the
// agent sees them in the help desk console; the agent replies with a file; the customer sees it in
// the conversation and downloads it through the API.
import { expect, test } from '@playwright/test';
import { portal, signInAsDemo, waitForTickets } from '../support/portal';
import { openInConsole } from '../support/console';

/** A small PDF the API's content sniffer recognises as one. */
const PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n' +
    '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n' +
    'trailer << /Root 1 0 R >>\n%%EOF\n',
);

// Runs in the page (the e2e project has no DOM types, so it is a string): a 40×30 PNG drawn on a
// canvas, put on the clipboard as a screenshot tool does.
const COPY_SCREENSHOT = `(async () => {
  const canvas = document.createElement('canvas');
  canvas.width = 40;
  canvas.height = 30;
  const context = canvas.getContext('2d');
  context.fillStyle = '#1d4ed8';
  context.fillRect(0, 0, 40, 30);
  const png = await new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  await navigator.clipboard.write([new ClipboardItem({ 'image/png': png })]);
})()`;

test.describe('attachments on the demo page', () => {
  test('should send a pasted screenshot and a PDF with a request, and download the file support replies with', async ({
    page,
    context,
  }) => {
    test.setTimeout(180_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], {
      origin: new URL(process.env.E2E_DEMO_URL!).origin,
    });
    await signInAsDemo(page);
    await waitForTickets(page);
    const subject = `Royalty report renders blank (${Date.now()})`;

    await portal(page).getByRole('button', { name: 'Submit a Request' }).click();
    await portal(page).getByLabel('Subject').fill(subject);
    const description = portal(page).getByLabel('Description');
    await description.fill('The Q3 report opens blank; a screenshot and the exported PDF are attached.');
    const picker = portal(page).locator('[part~="file-picker"]');
    await expect(picker).toContainText('Up to 10 files, 25 MB each and 50 MB in total');

    // A screenshot pasted into the description, with Ctrl+V.
    await page.evaluate(COPY_SCREENSHOT);
    await description.focus();
    await page.keyboard.press('Control+V');
    // The PDF through Attach files and the system's file picker.
    const chooser = page.waitForEvent('filechooser');
    await picker.getByRole('button', { name: 'Attach files' }).click();
    await (await chooser).setFiles({ name: 'q3-report.pdf', mimeType: 'application/pdf', buffer: PDF });

    const files = picker.locator('[part~="file"]');
    await expect(files).toHaveCount(2);
    await expect(files.filter({ hasText: /^\s*screenshot-/ })).toHaveCount(1);
    await expect(files.filter({ hasText: 'q3-report.pdf' })).toContainText('PDF document');
    await expect(picker.locator('[part~="file"][data-state="done"]')).toHaveCount(2, { timeout: 20_000 });
    const screenshotName = (await files.first().locator('.file__name').innerText()).trim();
    expect(screenshotName).toMatch(/^screenshot-\d{4}-\d{2}-\d{2}-\d{6}\.png$/);

    await portal(page).getByRole('button', { name: 'Submit', exact: true }).click();
    await expect(portal(page).getByRole('heading', { name: subject })).toBeVisible();

    // The ticket page lists both with the request; the screenshot previews as an image.
    const requestFiles = portal(page).getByRole('list', { name: 'Files sent with the request' });
    await expect(requestFiles.getByRole('listitem')).toHaveCount(2);
    await expect(requestFiles).toContainText('q3-report.pdf');
    await expect(requestFiles).toContainText(screenshotName);
    const preview = requestFiles.locator('[part~="attachment-preview"]');
    await expect(preview).toHaveCount(1);
    await expect
      .poll(() => preview.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth))
      .toBe(40);

    // HubSpot has the ticket, and the agent sees both files in the console.
    const idValue = portal(page)
      .locator('dt', { hasText: 'Ticket ID' })
      .locator('xpath=following-sibling::dd[1]');
    await expect(idValue).toHaveText(/^\s*#?\d+\s*$/, { timeout: 30_000 });
    const hubspotId = (await idValue.innerText()).replace(/\D/g, '');
    const agent = await context.newPage();
    let detail = await openInConsole(agent, hubspotId);
    await expect
      .poll(
        async () => {
          detail = await openInConsole(agent, hubspotId);
          return detail.locator('.files a').allInnerTexts();
        },
        { timeout: 30_000 },
      )
      .toEqual(expect.arrayContaining(['q3-report.pdf', screenshotName]));

    // The agent replies with a file.
    const answer = `The report renders again after the fix (${Date.now()}).`;
    const steps = Buffer.from('1. Open Reports\n2. Choose Q3\n3. Export\n');
    await detail.getByLabel('Reply to customer').fill(answer);
    await detail
      .locator('#d-reply-files')
      .setInputFiles({ name: 'fix-steps.txt', mimeType: 'text/plain', buffer: steps });
    await detail.getByRole('button', { name: 'Send reply' }).click();
    await expect(agent.locator('#status')).toHaveText('Saved');

    // The customer sees it in the conversation with the file, and downloads it through the API.
    const reply = portal(page).locator('[data-from="support"]').filter({ hasText: answer });
    await expect(reply).toBeVisible({ timeout: 30_000 });
    const file = reply.locator('[part~="attachment"]');
    await expect(file).toContainText('fix-steps.txt');
    await expect(file).toContainText('Text file');
    const download = page.waitForEvent('download');
    await file.getByRole('button', { name: /^Download fix-steps\.txt/ }).click();
    const saved = await download;
    expect(saved.suggestedFilename()).toBe('fix-steps.txt');
    const path = await saved.path();
    const { readFile } = await import('node:fs/promises');
    expect(await readFile(path)).toEqual(steps);
  });
});
