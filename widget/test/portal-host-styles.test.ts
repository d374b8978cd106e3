// Issue 14, "Embeds anywhere": the host page's CSS must not reach inside the portal (rem sizes that
// follow `html { font-size: 62.5% }`, inherited text styles), the site editor's tokens work from any
// ancestor, the dark theme follows the visitor's setting or the `theme` attribute, long words stay in
// their boxes, and axe finds nothing on any screen in either theme.
import { assert, expect, fixture, html, waitUntil } from './testing.js';
import { emulateMedia } from '@web/test-runner-commands';
import type { TicketPortal } from '../src/ticket-portal.js';
import { makeDetail } from './fake-api.js';
import { $, button, fill, link, mountPortal, screen, signIn } from './helpers.js';
import { EMAIL, PASSWORD, afterEachRequests, mountSignedIn, shell, view } from './requests-helpers.js';

const style = (element: Element) => getComputedStyle(element);
const heading = (host: Element) => $(host, '[part~="heading"]');

/** A page rule for this test only. */
function pageCss(text: string): () => void {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  return () => (document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== sheet));
}

describe('<ticket-portal> styles on any page', () => {
  let undo: (() => void)[] = [];
  afterEach(async () => {
    for (const fn of undo) fn();
    undo = [];
    await emulateMedia({ colorScheme: 'light', reducedMotion: 'no-preference' });
    afterEachRequests();
  });

  it("should size its text from --tp-font-size, not from the page's html font-size", async () => {
    undo.push(pageCss('html { font-size: 62.5%; }'));
    const { portal } = await mountPortal();
    const form = await screen(portal, 'tp-sign-in');
    assert.strictEqual(style($(form, 'input[type=email]')).fontSize, '16px');
    assert.strictEqual(style(heading(form)).fontSize, '24px');
    assert.strictEqual(style($(form, '.screen')).paddingTop, '24px');

    portal.style.setProperty('--tp-font-size', '20px');
    assert.strictEqual(style($(form, 'input[type=email]')).fontSize, '20px');
    assert.strictEqual(style(heading(form)).fontSize, '30px');
  });

  it("should not inherit the page's text styles, even from rules on the element itself", async () => {
    undo.push(
      pageCss(`body { text-transform: uppercase; letter-spacing: 4px; font-style: italic; text-align: center;
        white-space: nowrap; line-height: 3; word-spacing: 12px; font-weight: 700; }
        ticket-portal { text-indent: 3em; font-variant: small-caps; }`),
    );
    const { portal } = await mountPortal();
    const form = await screen(portal, 'tp-sign-in');
    const label = style($(form, 'label'));
    const lead = style(heading(form));
    assert.strictEqual(label.textTransform, 'none');
    assert.strictEqual(label.letterSpacing, 'normal');
    assert.strictEqual(label.fontStyle, 'normal');
    assert.strictEqual(label.whiteSpace, 'normal');
    assert.strictEqual(label.wordSpacing, '0px');
    assert.strictEqual(label.lineHeight, '24px');
    assert.strictEqual(label.textIndent, '0px');
    assert.strictEqual(label.fontVariant, 'normal');
    assert.strictEqual(lead.textAlign, 'start');
  });

  it('should take the tokens a site editor sets on an ancestor or on the element', async () => {
    await emulateMedia({ reducedMotion: 'reduce' }); // no colour transition to wait for
    const wrapper = await fixture<HTMLElement>(
      html`<div style="--tp-color-primary: rgb(109, 40, 217); --tp-radius: 0px"></div>`,
    );
    const { portal } = await mountPortal();
    wrapper.append(portal.parentElement!);
    const form = await screen(portal, 'tp-sign-in');
    const signInButton = style(button(form, 'Sign in'));
    assert.strictEqual(signInButton.backgroundColor, 'rgb(109, 40, 217)');
    assert.strictEqual(signInButton.borderTopLeftRadius, '0px');

    portal.style.setProperty('--tp-color-primary', 'rgb(4, 120, 87)');
    assert.strictEqual(style(button(form, 'Sign in')).backgroundColor, 'rgb(4, 120, 87)');
  });

  describe('dark theme', () => {
    const DARK_TEXT = 'rgb(243, 244, 246)';
    const LIGHT_TEXT = 'rgb(31, 41, 55)';

    it('should follow prefers-color-scheme by default, with native controls to match', async () => {
      await emulateMedia({ colorScheme: 'dark' });
      const { portal } = await mountPortal();
      const form = await screen(portal, 'tp-sign-in');
      assert.strictEqual(style(heading(form)).color, DARK_TEXT);
      assert.strictEqual(style($(portal, '.portal')).backgroundColor, 'rgb(17, 24, 39)');
      assert.strictEqual(style($(form, 'input[type=email]')).colorScheme, 'dark');
      await emulateMedia({ colorScheme: 'light' });
      assert.strictEqual(style(heading(form)).color, LIGHT_TEXT);
    });

    it('should be pinned by theme="dark" or theme="light", and keep tokens the page sets', async () => {
      const { portal } = await mountPortal({ attrs: { theme: 'dark' } });
      const form = await screen(portal, 'tp-sign-in');
      assert.strictEqual(style(heading(form)).color, DARK_TEXT);
      await emulateMedia({ colorScheme: 'dark' });
      portal.theme = 'light';
      await portal.updateComplete;
      assert.strictEqual(style(heading(form)).color, LIGHT_TEXT);
      assert.strictEqual(style($(form, 'input[type=email]')).colorScheme, 'light');
      portal.theme = 'dark';
      portal.style.setProperty('--tp-color-text', 'rgb(255, 255, 255)');
      await portal.updateComplete;
      assert.strictEqual(style(heading(form)).color, 'rgb(255, 255, 255)');
    });
  });

  it('should keep long words inside their boxes', async () => {
    const word = 'Royalty'.repeat(40);
    const ticket = makeDetail({ subject: word, description: `See ${word}` });
    const wrapper = await fixture<HTMLElement>(html`<div style="width: 320px"></div>`);
    const { portal } = await mountSignedIn({ setup: (api) => api.add(ticket) });
    wrapper.append(portal.parentElement!);
    portal.openTicket(ticket.localId);
    const page = await view(portal, 'tp-ticket-page');
    await waitUntil(() => page.shadowRoot!.querySelector('h3')?.textContent?.includes(word));
    for (const element of [page.shadowRoot!.querySelector('h3')!, $(page, '[part~="description"]')]) {
      assert.isAtMost(element.scrollWidth, element.clientWidth + 1, `${element.localName} overflows`);
      assert.isAtMost(element.getBoundingClientRect().right, wrapper.getBoundingClientRect().right + 1);
    }
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`should pass axe on every screen in the ${theme} theme`, async () => {
      const ticket = makeDetail();
      const { portal } = await mountSignedIn({
        attrs: { theme },
        setup: (api) => api.add(ticket),
        signIn: false,
      });
      const check = async (host: Element, what: string) => {
        await (host as TicketPortal).updateComplete;
        try {
          await expect(portal).to.be.accessible();
        } catch (error) {
          throw new Error(`${what} (${theme}): ${(error as Error).message}`, { cause: error });
        }
      };
      const signInForm = await screen(portal, 'tp-sign-in');
      fill(signInForm, 'Email', 'not-an-email');
      button(signInForm, 'Sign in').click();
      await check(signInForm, 'Sign in with a field error');
      link(signInForm, 'Register here').click();
      await check(await screen(portal, 'tp-register'), 'Register');
      history.back();
      const again = await screen(portal, 'tp-sign-in');
      link(again, 'Forgot password').click();
      const forgot = await screen(portal, 'tp-forgot-password');
      await check(forgot, 'Forgot password');
      fill(forgot, 'Email address', EMAIL);
      button(forgot, 'Send reset link').click();
      const inbox = await screen(portal, 'tp-check-inbox');
      await check(inbox, 'Check your inbox');
      link(inbox, 'Back to Sign in').click();
      await signIn(portal, EMAIL, PASSWORD);
      await view(portal, 'tp-ticket-list');
      await check(shell(portal), 'the list');
      portal.openTicket(ticket.localId);
      const page = await view(portal, 'tp-ticket-page');
      await waitUntil(() => page.shadowRoot!.querySelector('[part~="message"]'));
      await check(page, 'a ticket');
      page.shadowRoot!.querySelector<HTMLAnchorElement>('a.back')!.click();
      await view(portal, 'tp-ticket-list');
      button(shell(portal), 'Submit a Request').click();
      await check(await view(portal, 'tp-request-form'), 'Submit a Request');
    });
  }
});
