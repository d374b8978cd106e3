// The ticket list as the guide describes it, on the demo page, against the live mirror of the emulator:
// the seven columns, search, the status filter, sorting every column both ways, Table View / Card View,
// and the whole state surviving a reload and moving with Back.
import { expect, test, type Locator } from '@playwright/test';
import { dataRows, portal, signInAsDemo, waitForTickets } from '../support/portal';

const COLUMNS = [
  'Ticket ID',
  'Status',
  'Subject',
  'Created',
  'Ticket Owner',
  'Last Activity',
  'Requested By',
];
const cellTexts = async (table: Locator, column: number): Promise<string[]> =>
  (
    await dataRows(table)
      .locator(`td:nth-child(${column + 1}), th:nth-child(${column + 1})`)
      .allInnerTexts()
  ).map((t) => t.trim());

test.describe('ticket list on the demo page', () => {
  test('should list, search, filter, sort every column both ways, switch views and keep its state', async ({
    page,
  }) => {
    test.setTimeout(120_000);
    await signInAsDemo(page);
    const table = await waitForTickets(page);
    const headers = table.getByRole('columnheader');
    await expect(headers).toHaveCount(COLUMNS.length);
    for (const [i, name] of COLUMNS.entries()) await expect(headers.nth(i)).toHaveAccessibleName(name);

    // Search by a ticket ID, with the # customers type.
    const firstId = (await cellTexts(table, 0))[0]!.replace(/\D/g, '');
    const search = portal(page).getByRole('searchbox', { name: 'Search tickets' });
    await search.fill(`#${firstId}`);
    await expect.poll(() => cellTexts(table, 0)).toEqual([expect.stringContaining(firstId)]);
    await search.fill('');
    await expect.poll(() => dataRows(table).count()).toBeGreaterThan(1);

    // Status: Closed shows only closed tickets.
    await portal(page)
      .getByRole('radio', { name: /^Closed/ })
      .check();
    await expect.poll(async () => new Set(await cellTexts(table, 1))).toEqual(new Set(['Closed']));

    // Every column sorts ascending, then descending. The header says so at once; the rows follow
    // with the API's answer.
    const idsInOrder = async (order: 'asc' | 'desc'): Promise<boolean> => {
      const ids = (await cellTexts(table, 0)).map((t) => Number(t.replace(/\D/g, '')));
      const sorted = [...ids].sort((a, b) => (order === 'asc' ? a - b : b - a));
      return ids.join() === sorted.join();
    };
    for (const name of COLUMNS) {
      const header = table.getByRole('columnheader', { name: new RegExp(`^${name}`) });
      await header.getByRole('button').click();
      await expect(header).toHaveAttribute('aria-sort', 'ascending');
      if (name === 'Ticket ID') await expect.poll(() => idsInOrder('asc')).toBe(true);
      await header.getByRole('button').click();
      await expect(header).toHaveAttribute('aria-sort', 'descending');
      if (name === 'Ticket ID') await expect.poll(() => idsInOrder('desc')).toBe(true);
    }

    // Card View, then a reload keeps view, filter and sort; Back returns to the Table View.
    await portal(page).getByRole('radio', { name: 'Card View' }).check();
    await expect(table).toHaveCount(0);
    await expect(portal(page).getByRole('list').first()).toBeVisible();
    expect(new URL(page.url()).searchParams.get('tp-view')).toBe('card');
    await page.reload();
    await expect(portal(page).getByRole('radio', { name: 'Card View' })).toBeChecked();
    await expect(portal(page).getByRole('radio', { name: /^Closed/ })).toBeChecked();
    await page.goBack();
    await expect(portal(page).getByRole('radio', { name: 'Table View' })).toBeChecked();
    await expect(portal(page).getByRole('table')).toBeVisible();
  });
});
