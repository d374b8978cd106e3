// Issue 12, live portal: two people of the same company keep the portal open — the customer on the
// list, a colleague on a ticket's page — while a support agent works in HubSpot (the emulator's staff
// API, what its console calls): a new owner, another stage, a reply, a new ticket for the company.
// Both portals show each change without a reload. And a ticket opened for the first time shows the
// conversation support already had with the customer, never "No messages yet".
import { expect, test, type Locator, type Page } from '@playwright/test';
import { waitForMail, portalLink } from '../support/mail';
import { DEMO_EMAIL, dataRows, portal, signInAsDemo, waitForTickets } from '../support/portal';
import { statusOf } from '../../api/src/tickets/ticket-status';

const PASSWORD = 'lantern-harbour-violet-42';

interface Contact {
  id: string;
  name: string;
  email: string;
  companyId: string | null;
  company: string;
}
interface StaffTicket {
  id: string;
  subject: string;
  stageId: string;
  ownerId: string | null;
  company: string | null;
  contact: { id: string; email: string } | null;
}
interface Bootstrap {
  owners: Array<{ id: string; name: string }>;
  stages: Array<{ id: string; label: string; pipelineId: string; ticketState: string }>;
  contacts: Contact[];
}

/** The emulator's staff API (what its help desk console calls). */
async function staff<T>(path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${process.env.E2E_EMULATOR_URL}/_emulator/staff/${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      Authorization: `Bearer ${process.env.HUBSPOT_ACCESS_TOKEN ?? 'emulator-token'}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? null : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`staff ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function api<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(`${process.env.E2E_API_URL}/api/v1/${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A confirmed portal account for `email` (register, then the mailed link's token). */
async function confirmedAccount(email: string): Promise<void> {
  await api('auth/register', { email, password: PASSWORD });
  const mail = await waitForMail(email, /confirm/i);
  const token = new URL(portalLink(mail)).hash.match(/tp-token=([^&]+)/)![1]!;
  await api('auth/confirm', { token: decodeURIComponent(token) });
}

async function signIn(page: Page, email: string): Promise<void> {
  await page.goto(process.env.E2E_DEMO_URL!);
  await portal(page).getByLabel('Email', { exact: true }).fill(email);
  await portal(page).getByLabel('Password', { exact: true }).fill(PASSWORD);
  await portal(page).getByRole('button', { name: 'Sign in' }).click();
  await expect(portal(page).getByRole('button', { name: 'Sign out' })).toBeVisible();
}

/** The value next to a label on the ticket page. */
const field = (page: Page, label: string): Locator =>
  portal(page).locator('dt', { hasText: label }).locator('xpath=following-sibling::dd[1]');

const rowOf = (table: Locator, hubspotId: string): Locator =>
  dataRows(table).filter({
    has: table.page().locator(`td:first-child`, { hasText: new RegExp(`^\\s*#?${hubspotId}\\s*$`) }),
  });

/** A mark that a reload would wipe: each page must still have it at the end. */
async function markNoReload(page: Page): Promise<void> {
  await page.evaluate(() => ((globalThis as { __tpNoReload?: number }).__tpNoReload = 1));
}
async function expectNoReload(page: Page): Promise<void> {
  expect(await page.evaluate(() => (globalThis as { __tpNoReload?: number }).__tpNoReload)).toBe(1);
}

test.describe('live portal', () => {
  test('should show what support does in HubSpot in both open portals of a company, without a reload', async ({
    page,
    browser,
  }) => {
    test.setTimeout(240_000);
    const boot = await staff<Bootstrap>('bootstrap');
    const demo = boot.contacts.find((c) => c.email === DEMO_EMAIL)!;
    const colleague = boot.contacts.find(
      (c) => c.companyId === demo.companyId && c.id !== demo.id && c.email,
    )!;
    expect(colleague, 'the demo company has more than one person').toBeTruthy();

    // The customer keeps the list open.
    await signInAsDemo(page);
    const table = await waitForTickets(page);
    const synced = portal(page).locator('[part~="synced"]');
    await expect(synced).toContainText(/^\s*Live/, { timeout: 30_000 });

    // The first opening of a ticket support already answered shows that conversation (the mirror
    // had not read it: the backfill does not), never "No messages yet".
    const answered = await firstAnsweredTicket(demo.company);
    const search = portal(page).getByRole('searchbox', { name: 'Search tickets' });
    await search.fill(answered.ticket.id);
    await rowOf(table, answered.ticket.id).getByRole('button').click();
    await expect(portal(page).getByRole('heading', { name: answered.ticket.subject })).toBeVisible();
    const conversation = portal(page).locator('section[aria-labelledby="conversation-heading"]');
    await expect(conversation.locator('[data-from="support"]').first()).toBeVisible({ timeout: 15_000 });
    await expect(conversation).toContainText(answered.agentText.slice(0, 40));
    await expect(conversation.getByText('No messages yet')).toHaveCount(0);
    await portal(page)
      .getByRole('link', { name: /Back to your tickets/ })
      .click();
    await search.fill('');
    await expect.poll(() => dataRows(table).count()).toBeGreaterThan(1);

    // A colleague of the same company keeps a ticket's page open, in another browser.
    await confirmedAccount(colleague.email);
    const other = await browser.newContext();
    const colleaguePage = await other.newPage();
    await signIn(colleaguePage, colleague.email);
    const colleagueTable = await waitForTickets(colleaguePage);
    // The first row the customer sees is one both can see (the company's tickets).
    const ticketId = (await dataRows(table).first().locator('td').first().innerText()).replace(/\D/g, '');
    expect(ticketId).not.toBe('');
    await rowOf(colleagueTable, ticketId).getByRole('button').click();
    const subject = (await staff<StaffTicket>(`tickets/${ticketId}`)).subject;
    await expect(portal(colleaguePage).getByRole('heading', { name: subject })).toBeVisible();
    await markNoReload(page);
    await markNoReload(colleaguePage);
    const row = rowOf(table, ticketId);

    // The agent assigns another owner.
    const current = await staff<StaffTicket & { properties: Record<string, string> }>(`tickets/${ticketId}`);
    const owner = boot.owners.find((o) => o.id !== current.ownerId)!;
    await staff(`tickets/${ticketId}/owner`, { ownerId: owner.id });
    await expect(row.locator('td').nth(4)).toHaveText(owner.name);
    await expect(field(colleaguePage, 'Ticket Owner')).toHaveText(owner.name);

    // … moves the stage.
    const shown = (await field(colleaguePage, 'Status').innerText()).trim();
    // What customers read for a stage (PORTAL_STATUS_LABELS unset: HubSpot's default names, from the
    // customer's side).
    const customerLabel = (s: { id: string; label: string; pipelineId: string }): string =>
      statusOf({ pipelineId: s.pipelineId, stageId: s.id, label: s.label, closed: false }, new Map()).label;
    const stage = boot.stages.find(
      (s) =>
        s.pipelineId === current.properties.hs_pipeline &&
        s.id !== current.stageId &&
        s.ticketState === 'OPEN' &&
        customerLabel(s) !== shown,
    )!;
    await staff(`tickets/${ticketId}/stage`, { stageId: stage.id });
    await expect(row.locator('td').nth(1)).toHaveText(customerLabel(stage));
    await expect(field(colleaguePage, 'Status')).toHaveText(customerLabel(stage));

    // … replies: on the colleague's open page as it arrives.
    const reply = `We have found the cause and are fixing it (${Date.now()}).`;
    await staff(`tickets/${ticketId}/reply`, { text: reply });
    await expect(
      portal(colleaguePage).locator('[data-from="support"]').filter({ hasText: reply }),
    ).toBeVisible();

    // … and creates a ticket for the company: at the top of the customer's list, and of the
    // colleague's once they go back (no reload: Back is the widget's own).
    const newSubject = `Royalty report for Q4 is late (${Date.now()})`;
    await staff('tickets', { subject: newSubject, contactId: demo.id, ownerId: owner.id });
    await expect(dataRows(table).first()).toContainText(newSubject);
    await portal(colleaguePage)
      .getByRole('link', { name: /Back to your tickets/ })
      .click();
    await expect(dataRows(colleagueTable).filter({ hasText: newSubject })).toHaveCount(1);

    await expectNoReload(page);
    await expectNoReload(colleaguePage);
    await other.close();
  });
});

/** A ticket of the demo company whose conversation has an agent's answer, and that answer's text. */
async function firstAnsweredTicket(company: string): Promise<{ ticket: StaffTicket; agentText: string }> {
  const { results } = await staff<{ results: StaffTicket[] }>('tickets');
  for (const t of results.filter((r) => r.company === company)) {
    const detail = await staff<{ conversation: Array<{ kind: string; text: string }> }>(`tickets/${t.id}`);
    const agent = detail.conversation.find((m) => m.kind === 'agent' && m.text.trim().length > 0);
    if (agent) return { ticket: t, agentText: agent.text.trim() };
  }
  throw new Error(`no answered ticket of ${company} among the 50 most recent`);
}
