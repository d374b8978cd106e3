// Issue 14, "Embeds anywhere": the portal on host pages that make life hard for it, each served from
// an origin of its own (global-setup.ts puts all but the last in PORTAL_ORIGINS): global resets with
// `html { font-size: 62.5% }`, a Bootstrap-like page, a strict CSP with Trusted Types, a <base href>
// on another origin, a dark page, two portals on one page, a page that defines <tp-sign-in> itself,
// a page that reads what it can in iframe mode (issue 14: the portal in a frame of the API's origin,
// out of reach of the page's scripts and CSS), and an origin the API does not allow (in both modes).
// Each checks what the visitor sees — the computed text size,
// the contrast of the portal's text (axe), no console errors — and that the flow completes: sign in
// with the demo login and see the list. A screenshot of each is kept in test-results/.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { expect, test, type Frame, type Locator, type Page, type TestInfo } from '@playwright/test';
import { portalLink, waitForMail } from '../support/mail';
import { dataRows, signInDemoIn, waitForTickets } from '../support/portal';

const api = (): string => new URL(process.env.E2E_API_URL!).origin;
const ports = (): number[] => process.env.E2E_HOSTILE_PORTS!.split(',').map(Number);
const SNIPPET = (attrs = '') =>
  `<script type="module" src="${api()}/widget/ticket-portal.js"></script>
<ticket-portal api-url="${api()}"${attrs}></ticket-portal>`;

/** A snippet of docs/embedding.md ("Shadow or iframe?") as a site editor pastes it, for the test API. */
function docSnippet(mode: 'shadow' | 'iframe'): string {
  const doc = readFileSync(join(__dirname, '..', '..', 'docs', 'embedding.md'), 'utf8');
  const block = new RegExp(`\`\`\`html\\n<!-- ${mode} mode[^\\n]*-->\\n([\\s\\S]*?)\`\`\``).exec(doc)?.[1];
  if (!block) throw new Error(`docs/embedding.md has no snippet for the ${mode} mode`);
  return block.replaceAll('https://portal-api.example.com', api());
}

interface HostPage {
  body: string;
  head?: string;
  headers?: Record<string, string>;
}

function document(page: HostPage): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Harbour Lights — Support</title>
${page.head ?? ''}</head><body><header><strong>Harbour Lights Music</strong></header><main>
${page.body}
</main></body></html>`;
}

// A Bootstrap 5 "reboot" and a few utilities, as a page built on it ships them (inline: no CDN).
const BOOTSTRAP = `<style>
:root { --bs-body-font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; --bs-body-font-size: 1rem;
  --bs-body-line-height: 1.5; --bs-body-color: #212529; --bs-body-bg: #fff; }
*, *::before, *::after { box-sizing: border-box; }
body { margin: 0; font-family: var(--bs-body-font-family); font-size: var(--bs-body-font-size); font-weight: 400;
  line-height: var(--bs-body-line-height); color: var(--bs-body-color); text-align: var(--bs-body-text-align);
  background-color: var(--bs-body-bg); -webkit-text-size-adjust: 100%; }
h1, h2, h3, h4, h5, h6 { margin-top: 0; margin-bottom: .5rem; font-weight: 500; line-height: 1.2; }
h2 { font-size: calc(1.325rem + .9vw); } p { margin-top: 0; margin-bottom: 1rem; }
label { display: inline-block; } button { border-radius: 0; text-transform: none; }
input, button, select, textarea { margin: 0; font-family: inherit; font-size: inherit; line-height: inherit; }
[hidden] { display: none !important; }
.container { width: 100%; padding-right: .75rem; padding-left: .75rem; margin-right: auto; margin-left: auto; }
@media (min-width: 992px) { .container { max-width: 960px; } }
.text-center { text-align: center !important; } .text-uppercase { text-transform: uppercase !important; }
.fst-italic { font-style: italic !important; } .lh-lg { line-height: 2 !important; }
.text-nowrap { white-space: nowrap !important; } .fs-5 { font-size: 1.25rem !important; }
</style>`;

/** The pages, by name; each is served on the port at the same index of E2E_HOSTILE_PORTS. */
const PAGES = (): Record<string, HostPage> => ({
  resets: {
    head: `<style>
html { font-size: 62.5%; }
*, *::before, *::after { margin: 0; padding: 0; border: 0; box-sizing: border-box; font: inherit; }
body { font: 1.4rem/1.1 Georgia, serif; text-transform: uppercase; letter-spacing: .3em; text-align: center;
  white-space: nowrap; font-style: italic; word-spacing: 1em; color: #333; }
ticket-portal { display: block; max-width: 80rem; margin: 2rem auto; text-indent: 4rem; }
</style>`,
    body: SNIPPET(),
  },
  bootstrap: {
    head: BOOTSTRAP,
    body: `<div class="container text-center text-uppercase fst-italic lh-lg text-nowrap fs-5">${SNIPPET()}</div>`,
  },
  csp: {
    headers: {
      'content-security-policy': [
        "default-src 'none'",
        `script-src ${api()}`,
        `connect-src ${api()}`,
        "style-src 'self'",
        "img-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "require-trusted-types-for 'script'",
        'trusted-types lit-html ticket-portal',
      ].join('; '),
    },
    body: SNIPPET(),
  },
  base: { head: `<base href="http://127.0.0.1:${ports()[7]}/static/">`, body: SNIPPET() },
  dark: {
    head: '<style>html { background: #111827; color: #e5e7eb; color-scheme: dark; }</style>',
    body: SNIPPET(),
  },
  two: { body: `${SNIPPET()}\n<aside>${SNIPPET(' address="off"').split('\n')[1]}</aside>` },
  tag: {
    body: `<script>
customElements.define('tp-sign-in', class extends HTMLElement {
  connectedCallback() { this.textContent = 'Sign in to Harbour Lights'; }
});
</script>
<tp-sign-in></tp-sign-in>
${SNIPPET()}`,
  },
  // The iframe mode on a page whose CSS goes for everything and whose script looks for the session
  // wherever a script of the page can look: its storage, the element's shadow root, the frame.
  iframe: {
    head: `<style>
html { font-size: 62.5%; }
*, *::before, *::after { margin: 0; padding: 0; border: 0; font: inherit; color: #c00 !important; }
body { font: 1.4rem/1.1 Georgia, serif; text-transform: uppercase; letter-spacing: .3em; }
iframe { display: none !important; } input, button { display: none !important; }
</style>
<script>
window.spy = () => {
  const portal = document.querySelector('ticket-portal');
  const frame = portal.shadowRoot && portal.shadowRoot.querySelector('iframe');
  let frameDocument = 'unreadable';
  try { if (frame.contentDocument) frameDocument = frame.contentDocument.documentElement.outerHTML; } catch (e) {}
  let frameStorage = 'unreadable';
  try { frameStorage = JSON.stringify(frame.contentWindow.localStorage) + JSON.stringify(frame.contentWindow.sessionStorage); } catch (e) {}
  return {
    storage: JSON.stringify(localStorage) + JSON.stringify(sessionStorage),
    shadow: portal.shadowRoot ? portal.shadowRoot.innerHTML : '',
    cookies: document.cookie,
    frameDocument,
    frameStorage,
  };
};
</script>`,
    body: docSnippet('iframe'),
  },
  refused: { body: docSnippet('shadow') },
  // The same origin, in iframe mode (served at /?iframe).
  refusedIframe: { body: docSnippet('iframe') },
});
const NAMES = ['resets', 'bootstrap', 'csp', 'base', 'dark', 'two', 'tag', 'iframe', 'refused'];

const url = (name: string): string => `http://localhost:${ports()[NAMES.indexOf(name)]}/`;

let servers: Server[] = [];

test.beforeAll(async () => {
  const pages = PAGES();
  servers = await Promise.all(
    NAMES.map(
      (name, i) =>
        new Promise<Server>((resolve) => {
          const server = createServer((req, res) => {
            const address = new URL(req.url ?? '/', 'http://x');
            const page =
              pages[name === 'refused' && address.searchParams.has('iframe') ? 'refusedIframe' : name]!;
            const path = address.pathname;
            if (path !== '/') {
              // The browser asks for /favicon.ico; a 404 would be a console error of the page's own.
              res.writeHead(path === '/favicon.ico' ? 204 : 404).end();
              return;
            }
            res
              .writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...page.headers })
              .end(document(page));
          });
          server.listen(ports()[i], '127.0.0.1', () => resolve(server));
        }),
    ),
  );
});

test.afterAll(async () => {
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Console errors and uncaught exceptions of a page, from now on. */
function problems(page: Page): string[] {
  const found: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') found.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => found.push(`uncaught: ${error.message}`));
  return found;
}

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe's colour-contrast findings for the portal's text (WCAG AA: 4.5 : 1 for body text). */
async function contrastViolations(page: Page | Frame): Promise<string[]> {
  // Evaluated by DevTools, not as a page script: the strict CSP page allows no script of ours.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    interface Axe {
      run(
        context: unknown,
        options: unknown,
      ): Promise<{
        violations: Array<{ nodes: Array<{ target: string[]; failureSummary: string }> }>;
      }>;
    }
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    const result = await axe.run(
      { include: [['ticket-portal']] },
      { runOnly: { type: 'rule', values: ['color-contrast'] } },
    );
    return result.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`));
  });
}

/** The browser's getComputedStyle, typed here: this file is compiled without the DOM's types. */
type ComputedStyleOf = (element: unknown) => Record<string, string>;

/** Computed style properties of the element. */
async function computed(locator: Locator, ...names: string[]): Promise<string[]> {
  return locator.evaluate((element, keys) => {
    const style = (globalThis as unknown as { getComputedStyle: ComputedStyleOf }).getComputedStyle(element);
    return keys.map((key) => style[key] ?? '');
  }, names);
}

/** The computed font size, read again if the element was replaced meanwhile (live updates redraw rows). */
async function fontSize(locator: Locator): Promise<string> {
  let size = '';
  await expect
    .poll(async () => (size = (await computed(locator, 'fontSize'))[0] ?? ''), { timeout: 5_000 })
    .not.toBe('');
  return size;
}

async function screenshot(page: Page, testInfo: TestInfo, name: string, fullPage = true): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage });
}

/** What every page must give the visitor: 16 px text, readable contrast, the list after sign-in. */
async function usable(page: Page, testInfo: TestInfo, name: string, root = page.locator('ticket-portal')) {
  const email = root.getByLabel('Email', { exact: true });
  await expect(email).toBeVisible();
  expect(await fontSize(email)).toBe('16px');
  expect(await fontSize(root.getByRole('heading', { name: 'Sign in' }))).toBe('24px');
  expect(await contrastViolations(page)).toEqual([]);
  await screenshot(page, testInfo, `${name}-sign-in`);
  await signInDemoIn(root);
  const table = await waitForTickets(page, root);
  expect(await fontSize(dataRows(table).first())).toBe('16px');
  expect(await contrastViolations(page)).toEqual([]);
  await screenshot(page, testInfo, `${name}-list`);
  return table;
}

test.describe('hostile host pages', () => {
  test('global resets and html { font-size: 62.5% }', async ({ page }, testInfo) => {
    const seen = problems(page);
    await page.goto(url('resets'));
    const root = page.locator('ticket-portal');
    await usable(page, testInfo, 'resets');
    const label = root.getByText('Signed in as');
    const styles = await computed(
      label,
      'textTransform',
      'letterSpacing',
      'fontStyle',
      'whiteSpace',
      'textIndent',
      'wordSpacing',
    );
    expect(styles).toEqual(['none', 'normal', 'normal', 'normal', '0px', '0px']);
    expect(seen).toEqual([]);
  });

  test('a Bootstrap page', async ({ page }, testInfo) => {
    const seen = problems(page);
    await page.goto(url('bootstrap'));
    await usable(page, testInfo, 'bootstrap');
    const heading = page.locator('ticket-portal').getByRole('heading', { name: 'Your tickets' });
    expect(await computed(heading, 'textTransform')).toEqual(['none']);
    // On a phone the compact toolbar leaves the first ticket on the first screen.
    await page.setViewportSize({ width: 375, height: 667 });
    const card = page.locator('ticket-portal').locator('[part~="card"]').first();
    await expect(card).toBeVisible();
    expect((await card.boundingBox())!.y).toBeLessThan(667);
    await screenshot(page, testInfo, 'bootstrap-375', false);
    expect(seen).toEqual([]);
  });

  test("a strict CSP with Trusted Types: the list and a ticket's conversation", async ({
    page,
  }, testInfo) => {
    const seen = problems(page);
    await page.goto(url('csp'));
    const root = page.locator('ticket-portal');
    const table = await usable(page, testInfo, 'csp');
    await dataRows(table).first().getByRole('button').click();
    const conversation = root.locator('section[aria-labelledby="conversation-heading"]');
    await expect(conversation).toBeVisible();
    await expect(conversation.getByText('Loading the conversation…')).toHaveCount(0, { timeout: 20_000 });
    // Support's HTML, parsed through the portal's own Trusted Types policy.
    await expect(conversation.locator('[part~="message"]').first()).toBeVisible();
    await screenshot(page, testInfo, 'csp-ticket');
    expect(seen).toEqual([]);
  });

  test('a <base href> on another origin, with a mail link', async ({ page }, testInfo) => {
    const email = `e2e.base.${Date.now()}@example.com`;
    const register = await fetch(`${api()}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: 'Blue-harbour-lights-42' }),
    });
    expect(register.ok).toBe(true);
    const link = new URL(portalLink(await waitForMail(email, /confirm/i)));

    const seen = problems(page);
    await page.goto(`${url('base')}#faq&${link.hash.slice(1)}`);
    const root = page.locator('ticket-portal');
    await expect(root.getByText(/confirmed/i).first()).toBeVisible();
    await expect.poll(() => new URL(page.url()).hash).toBe('#faq');
    const table = await usable(page, testInfo, 'base');
    await dataRows(table).first().getByRole('button').click();
    await expect.poll(() => new URL(page.url()).searchParams.has('tp-ticket')).toBe(true);
    expect(new URL(page.url()).origin).toBe(new URL(url('base')).origin);
    await root.getByRole('link', { name: /Back to your tickets/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has('tp-ticket')).toBe(false);
    expect(seen).toEqual([]);
  });

  test('a dark page, in the dark theme and in the light one', async ({ browser }, testInfo) => {
    for (const colorScheme of ['dark', 'light'] as const) {
      const context = await browser.newContext({ colorScheme });
      const page = await context.newPage();
      const seen = problems(page);
      await page.goto(url('dark'));
      await usable(page, testInfo, `dark-page-${colorScheme}-theme`);
      // The first painted background behind "Your tickets", through the shadow roots.
      const background = await page
        .locator('ticket-portal')
        .getByRole('heading', { name: 'Your tickets' })
        .evaluate((element) => {
          interface Node {
            parentElement: Node | null;
            getRootNode(): { host?: Node };
          }
          const styleOf = (globalThis as unknown as { getComputedStyle: ComputedStyleOf }).getComputedStyle;
          let node: Node | null = element;
          while (node && styleOf(node).backgroundColor === 'rgba(0, 0, 0, 0)') {
            node = node.parentElement ?? node.getRootNode().host ?? null;
          }
          return node ? styleOf(node).backgroundColor : '';
        });
      expect(background).toBe(colorScheme === 'dark' ? 'rgb(17, 24, 39)' : 'rgb(255, 255, 255)');
      expect(seen).toEqual([]);
      await context.close();
    }
  });

  test('two portals on one page share the session', async ({ page }, testInfo) => {
    const seen = problems(page);
    await page.goto(url('two'));
    const [first, second] = [page.locator('ticket-portal').first(), page.locator('aside ticket-portal')];
    await expect(second.getByLabel('Email', { exact: true })).toBeVisible();
    await usable(page, testInfo, 'two', first);
    await expect(second.getByRole('button', { name: 'Sign out' })).toBeVisible();
    // The second keeps out of the address (address="off"): only the first's state is in it.
    await second.getByRole('button', { name: 'Sign out' }).click();
    await expect(first.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(second.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await screenshot(page, testInfo, 'two-signed-out');
    expect(seen).toEqual([]);
  });

  test('a page that defines <tp-sign-in> itself', async ({ page }, testInfo) => {
    const seen = problems(page);
    await page.goto(url('tag'));
    await expect(page.locator('main > tp-sign-in')).toHaveText('Sign in to Harbour Lights');
    await usable(page, testInfo, 'tag');
    expect(seen).toEqual([]);
  });

  test('an origin the API does not allow', async ({ page }, testInfo) => {
    const seen = problems(page);
    await page.goto(url('refused'));
    const root = page.locator('ticket-portal');
    await expect(root.getByText('This page is not set up for the customer portal')).toBeVisible();
    await expect(root.getByLabel('Email', { exact: true })).toHaveCount(0);
    expect(await fontSize(root.getByText('This page is not set up for the customer portal'))).toBe('16px');
    expect(await contrastViolations(page)).toEqual([]);
    await screenshot(page, testInfo, 'refused');
    // What the site editor reads in the console; the browser's own CORS refusals come with it.
    expect(seen.some((line) => line.includes('PORTAL_ORIGINS'))).toBe(true);
    expect(seen.filter((line) => line.startsWith('uncaught'))).toEqual([]);
  });
  test('the iframe mode: out of reach of the page, sign in, open a ticket, Back and Forward', async ({
    page,
  }, testInfo) => {
    const seen = problems(page);
    await page.goto(`${url('iframe')}?section=help#faq`);
    const frameElement = page.locator('ticket-portal iframe');
    // The page's `iframe { display: none !important }` cannot reach into the element's shadow root.
    await expect(frameElement).toBeVisible();
    const root = page.frameLocator('ticket-portal iframe').locator('ticket-portal');
    const email = root.getByLabel('Email', { exact: true });
    await expect(email).toBeVisible();
    // Nor can its 62.5 % root, its colours or its hidden inputs reach into the frame.
    expect(await fontSize(email)).toBe('16px');
    expect(await fontSize(root.getByRole('heading', { name: 'Sign in' }))).toBe('24px');
    const frame = page.frames().find((f) => f.url().startsWith(`${api()}/widget/frame?`))!;
    expect(frame).toBeDefined();
    expect(await contrastViolations(frame)).toEqual([]);
    await screenshot(page, testInfo, 'iframe-sign-in');

    await signInDemoIn(root);
    const table = await waitForTickets(page, root);
    expect(await fontSize(dataRows(table).first())).toBe('16px');
    expect(await contrastViolations(frame)).toEqual([]);
    // The frame is as tall as the portal in it: nothing scrolls inside, nothing is cut off.
    await expect
      .poll(async () => {
        const inner = Math.ceil((await root.boundingBox())?.height ?? 0);
        return Math.abs(((await frameElement.boundingBox())?.height ?? 0) - inner);
      })
      .toBeLessThanOrEqual(1);
    await screenshot(page, testInfo, 'iframe-list');

    // What a script of the page finds: no token anywhere it can look.
    const session = await frame.evaluate(() => {
      const store = (globalThis as unknown as { sessionStorage: { getItem(key: string): string | null } })
        .sessionStorage;
      return store.getItem(
        `tp-session:${new URL('..', (globalThis as unknown as { location: { href: string } }).location.href).href.replace(/\/$/, '')}`,
      );
    });
    const token = (JSON.parse(session ?? '{}') as { accessToken?: string }).accessToken;
    expect(token).toMatch(/^\S{20,}$/);
    const found = await page.evaluate(() =>
      (globalThis as unknown as { spy(): Record<string, string> }).spy(),
    );
    expect(found.frameDocument).toBe('unreadable');
    expect(found.frameStorage).toBe('unreadable');
    expect(JSON.stringify(found)).not.toContain(token);
    expect(found.shadow).toContain('<iframe');

    // A ticket: its id goes into the page's address (the page's own parts kept), Back and Forward work.
    await dataRows(table).first().getByRole('button').click();
    const heading = root.locator('[part~="ticket-heading"]');
    await expect(heading).toBeVisible();
    await expect(heading).not.toHaveText(/Loading/, { timeout: 20_000 });
    await expect.poll(() => new URL(page.url()).searchParams.has('tp-ticket')).toBe(true);
    expect(new URL(page.url()).searchParams.get('section')).toBe('help');
    expect(new URL(page.url()).hash).toBe('#faq');
    await screenshot(page, testInfo, 'iframe-ticket');
    // The portal's own Back link goes back in the page's history, from inside the frame.
    const entries = await page.evaluate(
      () => (globalThis as unknown as { history: { length: number } }).history.length,
    );
    await root.getByRole('link', { name: /Back to your tickets/ }).click();
    await expect.poll(() => new URL(page.url()).searchParams.has('tp-ticket')).toBe(false);
    await expect(heading).toHaveCount(0);
    expect(
      await page.evaluate(() => (globalThis as unknown as { history: { length: number } }).history.length),
    ).toBe(entries);
    await page.goForward();
    await expect.poll(() => new URL(page.url()).searchParams.has('tp-ticket')).toBe(true);
    await expect(heading).toBeVisible();
    await page.goBack();
    await expect.poll(() => new URL(page.url()).searchParams.has('tp-ticket')).toBe(false);
    await expect(root.getByRole('table')).toBeVisible();
    await expect(heading).toHaveCount(0);
    await page.goForward();
    await expect.poll(() => new URL(page.url()).searchParams.has('tp-ticket')).toBe(true);
    await expect(heading).toBeVisible();
    // A reload opens the same ticket, in a session the frame kept for itself.
    await page.reload();
    await expect(root.locator('[part~="ticket-heading"]')).toBeVisible();
    expect(seen).toEqual([]);
  });

  test('an origin the API does not allow, in iframe mode', async ({ page }, testInfo) => {
    const seen = problems(page);
    await page.goto(`${url('refused')}?iframe`);
    const root = page.locator('ticket-portal');
    await expect(root.getByText('This page is not set up for the customer portal')).toBeVisible();
    await expect(root.locator('iframe')).toHaveCount(0);
    await screenshot(page, testInfo, 'refused-iframe');
    expect(seen.some((line) => line.includes('PORTAL_ORIGINS'))).toBe(true);
    expect(seen.filter((line) => line.startsWith('uncaught'))).toEqual([]);
  });
});
