// The HubSpot emulator's help desk console, as a support agent uses it in the specs.
import { expect, type Locator, type Page } from '@playwright/test';

/** Opens the console filtered to one ticket and on its detail, as an agent would; answers the detail. */
export async function openInConsole(agent: Page, hubspotId: string): Promise<Locator> {
  await agent.goto(`${process.env.E2E_EMULATOR_URL}/`);
  await agent.getByLabel('Search').fill(hubspotId);
  await agent.getByRole('button', { name: 'Find' }).click();
  await agent.locator(`tr.row[data-id="${hubspotId}"]`).click();
  const detail = agent.locator('#detail');
  await expect(detail.getByRole('heading', { level: 3 })).toContainText(`#${hubspotId}`);
  return detail;
}
