import { assert, expect, fixture, html, waitUntil } from '../../../test/testing.js';
import { emulateMedia, sendKeys } from '@web/test-runner-commands';
import {
  $,
  button,
  clearStorage,
  currentScreen,
  deepActiveElement,
  expireSoon,
  fill,
  link,
  mountPortal,
  nextEvent,
  screen,
  signIn,
  text,
} from '../../../test/helpers.js';
import { FakeApi } from '../../../test/fake-api.js';
import type { TpErrorDetail, TpSignedInDetail, TpSignedOutDetail } from '../../events/portal-events.js';
import { sessionKey } from '../../session/session-store.js';
import { TicketPortal } from '../../ticket-portal.js';

/** An API with Ada's account and her session saved by a sign-in in a portal since removed. */
async function savedSession(remember = true): Promise<FakeApi> {
  const api = new FakeApi();
  api.addAccount('ada@example.com', 'correct horse battery');
  const first = await mountPortal({ api });
  await signIn(first.portal, 'ada@example.com', 'correct horse battery', remember);
  first.portal.remove();
  return api;
}

describe('TicketPortal', () => {
  afterEach(async () => {
    clearStorage();
    await emulateMedia({ reducedMotion: 'no-preference' });
  });

  describe('session', () => {
    it('should keep a remembered session in localStorage and restore it in a new element', async () => {
      const api = new FakeApi();
      api.addAccount('ada@example.com', 'correct horse battery', { name: 'Ada' });
      const first = await mountPortal({ api });
      await signIn(first.portal, 'ada@example.com', 'correct horse battery', true);
      // The list asks once what the customer's visibility rule offers (its Show filter), and the
      // session keeps the answer.
      await waitUntil(() => api.callsTo('me').length === 1, 'the list did not ask GET me');
      await waitUntil(() => localStorage.getItem(sessionKey(api.baseUrl))?.includes('"involvements"'));
      assert.include(localStorage.getItem(sessionKey(api.baseUrl)), '"remember":true');
      assert.strictEqual(sessionStorage.getItem(sessionKey(api.baseUrl)), null);
      first.portal.remove();

      const restored = nextEvent<TpSignedInDetail>('tp-signed-in');
      const second = await mountPortal({ api });

      const shell = await screen(second.portal, 'tp-portal-shell');
      assert.include(text(shell), 'Signed in as Ada');
      assert.strictEqual((await restored).detail.restored, true);
      // The restore validates the session once; the list takes the rule from that answer.
      await screen(second.portal, 'tp-portal-shell');
      assert.lengthOf(api.callsTo('me'), 2);
    });

    it('should keep a session without Remember me in sessionStorage only', async () => {
      const api = await savedSession(false);

      assert.strictEqual(localStorage.getItem(sessionKey(api.baseUrl)), null);
      assert.include(sessionStorage.getItem(sessionKey(api.baseUrl)), '"remember":false');
      const second = await mountPortal({ api });
      await screen(second.portal, 'tp-portal-shell');
    });

    it('should show Loading while the saved session is checked', async () => {
      const api = await savedSession();
      api.hold();

      const { portal } = await mountPortal({ api });

      assert.strictEqual($(portal, '[part=loading]').getAttribute('role'), 'status');
      assert.include(text(portal), 'Loading your account');
      api.release();
      await screen(portal, 'tp-portal-shell');
    });

    it('should return to Sign in with a message when the session expires', async () => {
      const { portal, api } = await mountPortal();
      api.addAccount('ada@example.com', 'correct horse battery');
      await signIn(portal, 'ada@example.com', 'correct horse battery', true);
      const signedOut = nextEvent<TpSignedOutDetail>('tp-signed-out');
      expireSoon(portal, 200);

      const form = await screen(portal, 'tp-sign-in');

      assert.strictEqual((await signedOut).detail.reason, 'expired');
      assert.include($(form, '[role=alert]').textContent, 'Your session has expired. Please sign in again.');
      assert.strictEqual(localStorage.length, 0);
      await expect(portal).to.be.accessible();
    });

    it('should end a saved session the API no longer accepts (401 on GET me)', async () => {
      const api = await savedSession();
      api.sessions.clear(); // revoked on the server, e.g. by a password reset elsewhere

      const { portal } = await mountPortal({ api });

      const form = await screen(portal, 'tp-sign-in');
      assert.include(text(form), 'Your session has expired. Please sign in again.');
      assert.strictEqual(localStorage.getItem(sessionKey(api.baseUrl)), null);
    });

    it('should end the session on any 401 from an authenticated call while signed in', async () => {
      const { portal, api, client } = await mountPortal();
      api.addAccount('ada@example.com', 'correct horse battery');
      await signIn(portal, 'ada@example.com', 'correct horse battery');
      api.sessions.clear();

      await client.me().catch(() => undefined);

      const form = await screen(portal, 'tp-sign-in');
      assert.include(text(form), 'Your session has expired. Please sign in again.');
    });

    it('should follow another window of the page signing out of a remembered session', async () => {
      const { portal, api } = await mountPortal();
      api.addAccount('ada@example.com', 'correct horse battery');
      await signIn(portal, 'ada@example.com', 'correct horse battery', true);
      const signedOut = nextEvent<TpSignedOutDetail>('tp-signed-out');

      // What the browser does here when another tab removes the entry.
      localStorage.removeItem(sessionKey(api.baseUrl));
      window.dispatchEvent(new StorageEvent('storage', { key: sessionKey(api.baseUrl), newValue: null }));

      assert.strictEqual((await signedOut).detail.reason, 'other-window');
      const form = await screen(portal, 'tp-sign-in');
      assert.include(text(form), 'You have signed out.');
    });

    it("should show the can't-reach screen with Retry when the API is down at start", async () => {
      const api = await savedSession();
      api.offline = true;
      const error = nextEvent<TpErrorDetail>('tp-error');

      const { portal } = await mountPortal({ api, attrs: { 'support-url': 'mailto:help@example.com' } });

      const problem = await screen(portal, 'tp-portal-error');
      assert.strictEqual((await error).detail.code, 'NETWORK_ERROR');
      assert.include(text(problem), "can't reach the portal");
      assert.include(text(problem), 'Need Help?');
      await expect(portal).to.be.accessible();

      api.offline = false;
      button(problem, 'Retry').click();
      await screen(portal, 'tp-portal-shell');
      // The session survived the outage.
      assert.notStrictEqual(localStorage.getItem(sessionKey(api.baseUrl)), null);
    });
  });

  describe('a page not in PORTAL_ORIGINS', () => {
    const consoleErrors = (): { lines: string[]; restore: () => void } => {
      const lines: string[] = [];
      const original = console.error;
      console.error = (...args: unknown[]) => lines.push(args.map(String).join(' '));
      return { lines, restore: () => (console.error = original) };
    };

    it('should say the page is not set up for the portal, not that the API is unreachable', async () => {
      const api = new FakeApi();
      api.originAllowed = false;
      const error = nextEvent<TpErrorDetail>('tp-error');
      const logged = consoleErrors();
      try {
        const { portal } = await mountPortal({ api });
        const problem = await screen(portal, 'tp-portal-error');
        assert.include(text(problem), 'This page is not set up for the customer portal');
        assert.notInclude(text(problem), "can't reach");
        assert.isNull(problem.shadowRoot!.querySelector('button'), 'no Retry: retrying cannot help');
        assert.deepEqual((await error).detail, {
          code: 'ORIGIN_NOT_ALLOWED',
          message:
            "This page is not set up for the customer portal, so you can't sign in here. Please let the company know.",
          status: 403,
        });
        const line = logged.lines.find((l) => l.includes('PORTAL_ORIGINS'));
        assert.isDefined(line, 'a console line for the site owner');
        assert.include(line, location.origin);
        await expect(portal).to.be.accessible();
      } finally {
        logged.restore();
      }
    });

    it('should say so too when a saved session is being checked (its GET me fails like offline)', async () => {
      const api = await savedSession();
      api.originAllowed = false;
      const errors: TpErrorDetail[] = [];
      const onError = (event: Event) => errors.push((event as CustomEvent<TpErrorDetail>).detail);
      document.addEventListener('tp-error', onError);
      const logged = consoleErrors();
      try {
        const { portal } = await mountPortal({ api });
        await waitUntil(() => errors.some((e) => e.code === 'ORIGIN_NOT_ALLOWED'));
        const problem = await screen(portal, 'tp-portal-error');
        assert.include(text(problem), 'This page is not set up for the customer portal');
        assert.deepEqual(
          errors.map((e) => e.code),
          ['ORIGIN_NOT_ALLOWED'],
        );
      } finally {
        logged.restore();
        document.removeEventListener('tp-error', onError);
      }
    });
  });

  describe('moving the element', () => {
    it('should keep the signed-in screen without asking the API again when moved in the page', async () => {
      const { portal, api } = await mountPortal();
      api.addAccount('ada@example.com', 'correct horse battery');
      await signIn(portal, 'ada@example.com', 'correct horse battery');
      const parent = portal.parentElement!;
      const meCalls = api.callsTo('me').length;

      const box = document.createElement('div');
      parent.append(box);
      box.append(portal);
      await portal.updateComplete;

      assert.strictEqual(currentScreen(portal), 'tp-portal-shell');
      assert.strictEqual(api.callsTo('me').length, meCalls);
    });
  });

  describe('keyboard and focus', () => {
    it('should sign in and out with the keyboard alone, focus following each screen heading', async () => {
      const { portal, api } = await mountPortal();
      api.addAccount('ada@example.com', 'correct horse battery');
      await screen(portal, 'tp-sign-in');

      await sendKeys({ press: 'Tab' });
      assert.strictEqual(deepActiveElement()?.id, 'email');
      await sendKeys({ type: 'ada@example.com' });
      await sendKeys({ press: 'Tab' });
      assert.strictEqual(deepActiveElement()?.id, 'password');
      await sendKeys({ type: 'correct horse battery' });
      await sendKeys({ press: 'Tab' });
      await sendKeys({ press: 'Space' });
      assert.strictEqual((deepActiveElement() as HTMLInputElement).checked, true);
      await sendKeys({ press: 'Enter' });

      const shell = await screen(portal, 'tp-portal-shell');
      await waitUntil(() => deepActiveElement()?.localName === 'h2', 'focus should move to the heading');
      assert.strictEqual(deepActiveElement()?.textContent, 'Customer Portal');
      assert.notStrictEqual(localStorage.getItem(sessionKey(api.baseUrl)), null);

      await sendKeys({ press: 'Tab' });
      assert.strictEqual(deepActiveElement()?.textContent?.trim(), 'Sign out');
      await sendKeys({ press: 'Enter' });

      await screen(portal, 'tp-sign-in');
      await waitUntil(() => deepActiveElement()?.textContent === 'Sign in');
      assert.strictEqual(shell.isConnected, false);
    });

    it('should open Register here from the keyboard and put focus on its heading', async () => {
      const { portal } = await mountPortal();
      const form = await screen(portal, 'tp-sign-in');
      const link = [...form.shadowRoot!.querySelectorAll('a')].find(
        (a) => a.textContent === 'Register here',
      )!;

      link.focus();
      await sendKeys({ press: 'Enter' });

      await screen(portal, 'tp-register');
      await waitUntil(() => deepActiveElement()?.textContent === 'Register');
      history.replaceState(history.state, '', `${location.pathname}${location.search}`);
    });

    it('should not take focus from the host page when the screen changes on its own', async () => {
      const outside = await fixture<HTMLButtonElement>(html`<button>host page</button>`);
      const { portal, api } = await mountPortal();
      api.addAccount('ada@example.com', 'correct horse battery');
      await signIn(portal, 'ada@example.com', 'correct horse battery');
      outside.focus();
      expireSoon(portal, 100);

      await waitUntil(() => currentScreen(portal) === 'tp-sign-in', 'session should expire', {
        timeout: 10_000,
      });
      await portal.updateComplete;

      assert.strictEqual(document.activeElement, outside);
    });

    it('should show a visible focus ring on inputs and buttons', async () => {
      const { portal } = await mountPortal();
      const form = await screen(portal, 'tp-sign-in');

      await sendKeys({ press: 'Tab' });
      const style = getComputedStyle($(form, '#email'));

      assert.strictEqual(style.outlineStyle, 'solid');
      assert.isAbove(parseFloat(style.outlineWidth), 1);
    });

    it('should stop the spinner for people who prefer reduced motion', async () => {
      const api = await savedSession();
      api.hold();

      const { portal } = await mountPortal({ api });
      const spinner = $(portal, '.spinner');
      assert.strictEqual(getComputedStyle(spinner).animationName, 'spin');
      await emulateMedia({ reducedMotion: 'reduce' });
      assert.strictEqual(getComputedStyle(spinner).animationName, 'none');
      api.release();
    });
  });

  describe('address', () => {
    let entryUrl: string;
    beforeEach(() => (entryUrl = location.href));
    afterEach(() => history.replaceState(history.state, '', entryUrl));

    it('should open a screen linked with #tp-screen (a link opened in a new tab) and keep it in the address', async () => {
      history.replaceState(
        history.state,
        '',
        `${location.pathname}${location.search}#faq&tp-screen=forgot-password`,
      );

      const { portal } = await mountPortal();

      await screen(portal, 'tp-forgot-password');
      assert.strictEqual(location.hash, '#faq&tp-screen=forgot-password');
    });

    it('should tidy #tp-screen=sign-in out of the address (Sign in is the default)', async () => {
      history.replaceState(history.state, '', `${location.pathname}${location.search}#faq&tp-screen=sign-in`);

      const { portal } = await mountPortal();

      await screen(portal, 'tp-sign-in');
      await waitUntil(() => location.hash === '#faq', `the address kept ${location.hash}`);
    });

    it('should put Register and Forgot password in the address: Back and Forward move between the screens', async () => {
      const { portal } = await mountPortal();
      const signInForm = await screen(portal, 'tp-sign-in');
      const before = history.length;
      link(signInForm, 'Register here').click();
      await screen(portal, 'tp-register');
      assert.include(location.hash, 'tp-screen=register');
      assert.strictEqual(history.length, before + 1, 'Register is an entry of its own');

      history.back();
      await waitUntil(() => currentScreen(portal) === 'tp-sign-in', 'Back did not return to Sign in');
      assert.notInclude(location.hash, 'tp-screen');

      history.forward();
      await waitUntil(() => currentScreen(portal) === 'tp-register', 'Forward did not reopen Register');

      link(await screen(portal, 'tp-register'), 'Sign in').click();
      link(await screen(portal, 'tp-sign-in'), 'Forgot password').click();
      await screen(portal, 'tp-forgot-password');
      assert.include(location.hash, 'tp-screen=forgot-password');
      history.back();
      await waitUntil(() => currentScreen(portal) === 'tp-sign-in', 'Back did not leave Forgot password');
    });

    it('should reopen Register after a reload with the email typed, never the password', async () => {
      const first = await mountPortal();
      link(await screen(first.portal, 'tp-sign-in'), 'Register here').click();
      const form = await screen(first.portal, 'tp-register');
      fill(form, 'Email address', 'ada@example.com');
      fill(form, 'Password', 'violet-harbour-lantern-42');
      first.portal.remove();

      // A reload: the same address and tab storage, a new element.
      const { portal } = await mountPortal();
      const again = await screen(portal, 'tp-register');
      assert.strictEqual($<HTMLInputElement>(again, '#email').value, 'ada@example.com');
      assert.strictEqual($<HTMLInputElement>(again, '#password').value, '');
      const stored = JSON.stringify({ ...sessionStorage, ...localStorage });
      assert.notInclude(stored, 'violet-harbour-lantern-42');

      // Forgot password offers the same address.
      link(again, 'Sign in').click();
      link(await screen(portal, 'tp-sign-in'), 'Forgot password').click();
      const forgot = await screen(portal, 'tp-forgot-password');
      assert.strictEqual($<HTMLInputElement>(forgot, '#email').value, 'ada@example.com');
    });

    it("should leave the host page's own fragment alone when there is nothing for the portal", async () => {
      history.replaceState(history.state, '', `${location.pathname}${location.search}#pricing`);
      const before = history.length;

      const { portal } = await mountPortal();
      await screen(portal, 'tp-sign-in');

      assert.strictEqual(location.hash, '#pricing');
      assert.strictEqual(history.length, before);
    });
  });

  describe('embedding', () => {
    it('should take theme tokens and ::part() styles from the host page', async () => {
      const style = document.createElement('style');
      style.textContent = `
        ticket-portal { --tp-color-primary: rgb(10, 20, 30); --tp-radius: 0px; }
        ticket-portal::part(heading) { text-transform: uppercase; }
      `;
      document.head.append(style);
      try {
        const { portal } = await mountPortal();
        const form = await screen(portal, 'tp-sign-in');
        const submit = button(form, 'Sign in');

        assert.strictEqual(getComputedStyle(submit).backgroundColor, 'rgb(10, 20, 30)');
        assert.strictEqual(getComputedStyle(submit).borderTopLeftRadius, '0px');
        assert.strictEqual(getComputedStyle($(form, 'h2')).textTransform, 'uppercase');
      } finally {
        style.remove();
      }
    });

    it('should not let the host page restyle its inner elements without parts', async () => {
      const style = document.createElement('style');
      style.textContent = 'button, input, h2 { display: none !important; }';
      document.head.append(style);
      try {
        const { portal } = await mountPortal();
        const form = await screen(portal, 'tp-sign-in');

        assert.notStrictEqual(getComputedStyle(button(form, 'Sign in')).display, 'none');
        assert.strictEqual(getComputedStyle(portal).display, 'block');
      } finally {
        style.remove();
      }
    });

    it('should fire its public events composed and bubbling from <ticket-portal>', async () => {
      const { portal, api } = await mountPortal();
      api.addAccount('ada@example.com', 'correct horse battery');
      const heard: Event[] = [];
      document.body.addEventListener('tp-signed-in', (e) => heard.push(e), { once: true });

      await signIn(portal, 'ada@example.com', 'correct horse battery');

      assert.lengthOf(heard, 1);
      assert.strictEqual(heard[0]!.target, portal);
      assert.strictEqual(heard[0]!.bubbles && heard[0]!.composed, true);
    });

    it('should tolerate a second definition (the script loaded twice)', () => {
      const warn = console.warn;
      const warnings: unknown[] = [];
      console.warn = (...args: unknown[]) => warnings.push(args);
      try {
        class SecondCopy extends TicketPortal {}
        assert.doesNotThrow(() => SecondCopy.define('ticket-portal'));
        assert.doesNotThrow(() => TicketPortal.define('ticket-portal'));
      } finally {
        console.warn = warn;
      }
      assert.strictEqual(customElements.get('ticket-portal'), TicketPortal);
      assert.lengthOf(warnings, 1);
    });

    it('should reflect locale as the language of its content', async () => {
      const { portal } = await mountPortal({ attrs: { locale: 'en-GB' } });

      assert.strictEqual($(portal, '[part=base]').getAttribute('lang'), 'en-GB');
    });
  });
});
