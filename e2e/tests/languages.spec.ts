// Issue 14, "Every word in the visitor's language" (ADR 0012): the demo page's snippet with
// locale="ar" and locale="de". Arabic reads right to left on the portal's root, every screen a
// customer passes (Sign in, the list, a ticket's page) is translated and clean under axe in the light
// and the dark theme; German shows German words and German dates. Screenshots are kept in test-results/.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page, type TestInfo } from '@playwright/test';
import { DEMO_EMAIL, DEMO_PASSWORD, dataRows, portal, waitForTickets } from '../support/portal';

/** The browser's getComputedStyle, typed here: this file is compiled without the DOM's types. */
type ComputedStyleOf = (element: unknown) => { direction: string };
/** The little of the page's document used here (no DOM types in this file). */
interface ParsedDocument {
  querySelector(selector: string): { setAttribute(name: string, value: string): void } | null;
}
declare const MutationObserver: new (
  callback: (records: unknown, observer: { disconnect(): void }) => void,
) => {
  observe(target: unknown, options: { childList: boolean; subtree: boolean }): void;
};

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Opens the demo page with `attrs` set on its <ticket-portal> as the parser creates it, before the
 * widget's script runs: as if the snippet had them. (Rewriting the page with page.route would make
 * Chromium treat it as a public page that may not call the loopback API.)
 */
async function openDemo(page: Page, attrs: Record<string, string>): Promise<Locator> {
  await page.addInitScript((set) => {
    const doc = (globalThis as unknown as { document: ParsedDocument }).document;
    new MutationObserver((_records, observer) => {
      const element = doc.querySelector('ticket-portal');
      if (!element) return;
      for (const [name, value] of Object.entries(set)) element.setAttribute(name, value);
      observer.disconnect();
    }).observe(doc, { childList: true, subtree: true });
  }, attrs);
  await page.goto(process.env.E2E_DEMO_URL!);
  return portal(page);
}

/** Every axe finding (WCAG 2.1 A and AA) inside the portal. */
async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    interface Axe {
      run(
        context: unknown,
        options: unknown,
      ): Promise<{
        violations: Array<{ id: string; nodes: Array<{ target: string[]; failureSummary: string }> }>;
      }>;
    }
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    const result = await axe.run(
      { include: [['ticket-portal']] },
      { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } },
    );
    return result.violations.flatMap((v) =>
      v.nodes.map((n) => `${v.id} ${n.target.join(' ')}: ${n.failureSummary}`),
    );
  });
}

async function screenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

test.describe('interface languages', () => {
  for (const theme of ['light', 'dark'] as const) {
    test(`locale="ar": right to left, translated and clean under axe (${theme} theme)`, async ({
      page,
    }, testInfo) => {
      // The demo page brands the portal with a dark navy primary, made for its light page: a dark page
      // would pick a light one (with the default, dark, text on it).
      const dark = { style: '--tp-color-primary: #8fb3e8' };
      const root = await openDemo(page, { locale: 'ar', theme, ...(theme === 'dark' ? dark : {}) });
      const base = root.locator('[part~="base"]');
      await expect(root.getByRole('heading', { name: 'تسجيل الدخول' })).toBeVisible();
      await expect(base).toHaveAttribute('dir', 'rtl');
      await expect(base).toHaveAttribute('lang', 'ar');
      // The layout mirrors: the form's text starts at the right.
      const form = root.locator('form').first();
      const direction = await form.evaluate(
        (el) =>
          (globalThis as unknown as { getComputedStyle: ComputedStyleOf }).getComputedStyle(el).direction,
      );
      expect(direction).toBe('rtl');
      await expect(root.getByRole('link', { name: 'سجّل هنا' })).toBeVisible();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, testInfo, `ar-${theme}-sign-in`);

      await root.getByLabel('البريد الإلكتروني', { exact: true }).fill(DEMO_EMAIL);
      await root.getByLabel('كلمة المرور', { exact: true }).fill(DEMO_PASSWORD);
      await root.getByRole('button', { name: 'تسجيل الدخول' }).click();
      await expect(root.getByRole('button', { name: 'تسجيل الخروج' })).toBeVisible();
      const table = await waitForTickets(page, root);
      await expect(table.getByRole('columnheader', { name: 'رقم التذكرة' })).toBeVisible();
      await expect(root.getByRole('button', { name: 'تقديم طلب' })).toBeVisible();
      // Show (Mine / In copy / My company): the demo customer's rule offers all three.
      await expect(root.getByLabel('عرض', { exact: true }).locator('option')).toHaveText([
        'الكل',
        'الخاصة بي',
        'نسخة إليّ',
        'شركتي',
      ]);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, testInfo, `ar-${theme}-list`);

      await dataRows(table).first().getByRole('button').first().click();
      await expect(root.getByRole('link', { name: /العودة إلى تذاكرك/ })).toBeVisible();
      await expect(root.getByText('المحادثة', { exact: true })).toBeVisible();
      // The People block, and its Add a colleague.
      await expect(root.getByRole('heading', { name: 'الأشخاص' })).toBeVisible();
      await expect(root.getByLabel('إضافة زميل')).toBeVisible();
      await expect(root.locator('[part~="person"]').first()).toContainText('مقدّم الطلب');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, testInfo, `ar-${theme}-ticket`);
    });
  }

  test('locale="de": German words and German dates', async ({ page }, testInfo) => {
    const root = await openDemo(page, { locale: 'de' });
    await expect(root.getByRole('heading', { name: 'Anmelden' })).toBeVisible();
    await expect(root.locator('[part~="base"]')).toHaveAttribute('dir', 'ltr');
    await expect(root.getByText('Brauchen Sie Hilfe?')).toBeVisible();
    await root.getByLabel('E-Mail', { exact: true }).fill(DEMO_EMAIL);
    await root.getByLabel('Passwort', { exact: true }).fill(DEMO_PASSWORD);
    await root.getByRole('button', { name: 'Anmelden' }).click();
    await expect(root.getByRole('button', { name: 'Abmelden' })).toBeVisible();
    const table = await waitForTickets(page, root);
    for (const column of ['Ticket-ID', 'Status', 'Betreff', 'Erstellt', 'Letzte Aktivität']) {
      await expect(table.getByRole('columnheader', { name: column })).toBeVisible();
    }
    await expect(root.getByRole('radio', { name: 'Kartenansicht' })).toBeVisible();
    await expect(root.getByLabel('Anzeigen', { exact: true }).locator('option')).toHaveText([
      'Alle',
      'Meine',
      'In Kopie',
      'Mein Unternehmen',
    ]);
    // Intl in German: "20.11.2026", not "Nov 20, 2026".
    const created = dataRows(table).first().locator('td').nth(3).locator('[aria-hidden="true"]');
    await expect(created).toHaveText(/^\d{2}\.\d{2}\.\d{4}$/);
    expect(await axeViolations(page)).toEqual([]);
    await screenshot(page, testInfo, 'de-list');
  });
});
