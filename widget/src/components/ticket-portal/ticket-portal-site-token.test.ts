import { assert, expect, waitUntil } from '../../../test/testing.js';
import {
  $,
  clearStorage,
  currentScreen,
  expireSoon,
  mountPortal,
  nextEvent,
  screen,
  signIn,
  text,
} from '../../../test/helpers.js';
import { FakeApi } from '../../../test/fake-api.js';
import type { TpSignedInDetail, TpSignedOutDetail } from '../../events/portal-events.js';
import type { TicketPortal } from '../../ticket-portal.js';

// Issue 15: the host site hands the portal a token for the visitor it knows (the site-token
// attribute, or a getSiteToken callback); the visitor is signed in without seeing Sign in.

/** Every screen <ticket-portal> showed, in order (to prove Sign in was never one of them). */
function watchScreens(portal: TicketPortal): string[] {
  const seen: string[] = [];
  const root = portal.shadowRoot!;
  const note = () => {
    const name = root.querySelector('.portal > *')?.localName;
    if (name && seen.at(-1) !== name) seen.push(name);
  };
  new MutationObserver(note).observe(root, { childList: true, subtree: true });
  note();
  return seen;
}

describe('TicketPortal sign-in through the host site', () => {
  afterEach(() => clearStorage());

  it('should sign the visitor in with the site-token attribute, never showing Sign in', async () => {
    const api = new FakeApi();
    const token = api.issueSiteToken('robin@example.com');
    const signedIn = nextEvent<TpSignedInDetail>('tp-signed-in');
    const { portal } = await mountPortal({ api, attrs: { 'site-token': token } });
    const seen = watchScreens(portal);

    const shell = await screen(portal, 'tp-portal-shell');

    assert.include(text(shell), 'robin@example.com');
    assert.deepEqual((await signedIn).detail, {
      customer: (await signedIn).detail.customer,
      restored: false,
    });
    assert.strictEqual((await signedIn).detail.customer.email, 'robin@example.com');
    assert.notInclude(seen, 'tp-sign-in');
    const call = api.calls.find((c) => c.path === 'auth/site-token');
    assert.deepEqual(call?.body, { token });
    // Tab-only, like a sign-in without Remember me: the site vouches for its visitor page by page.
    assert.strictEqual(localStorage.length, 0);
    assert.strictEqual(sessionStorage.length, 1);
    await expect(portal).to.be.accessible();
  });

  it("should show the API's refusal and the normal Sign in form when the token is refused", async () => {
    const api = new FakeApi();
    const { portal } = await mountPortal({ api, attrs: { 'site-token': 'a.forged.token' } });

    const form = await screen(portal, 'tp-sign-in');

    assert.include(
      $(form, '[role=alert]').textContent,
      "Signing in through this website failed: the token's signature does not match",
    );
    assert.ok(form.shadowRoot!.querySelector('form'), 'the password form is there');
    await expect(portal).to.be.accessible();
  });

  it('should keep a saved session of the same visitor, and replace one of somebody else', async () => {
    const api = new FakeApi();
    api.addAccount('ada@example.com', 'correct horse battery');
    const first = await mountPortal({ api });
    await signIn(first.portal, 'ada@example.com', 'correct horse battery');
    first.portal.remove();

    // The same visitor on the next page: the saved session is checked, no new one is opened.
    const same = await mountPortal({ api, attrs: { 'site-token': api.issueSiteToken('ada@example.com') } });
    await screen(same.portal, 'tp-portal-shell');
    assert.isUndefined(api.calls.find((c) => c.path === 'auth/site-token'));
    same.portal.remove();

    // Somebody else signed in to the site in this tab: their token wins, Ada's session is ended.
    const before = api.sessions.size;
    const other = await mountPortal({ api, attrs: { 'site-token': api.issueSiteToken('bo@example.com') } });
    const shell = await screen(other.portal, 'tp-portal-shell');
    await waitUntil(() => text(shell).includes('bo@example.com'));
    await waitUntil(() => api.calls.some((c) => c.path === 'auth/logout'));
    assert.strictEqual(api.sessions.size, before);
    assert.notInclude(text(shell), 'ada@example.com');
  });

  it('should ask getSiteToken at start and again when the session ends', async () => {
    const api = new FakeApi();
    let asked = 0;
    const getSiteToken = () => {
      asked += 1;
      return Promise.resolve(api.issueSiteToken('robin@example.com', 'Robin'));
    };
    const { portal } = await mountPortal({ api, props: { getSiteToken } });
    await screen(portal, 'tp-portal-shell');
    assert.strictEqual(asked, 1);

    const signedOut = nextEvent<TpSignedOutDetail>('tp-signed-out');
    const signedInAgain = nextEvent<TpSignedInDetail>('tp-signed-in');
    expireSoon(portal, 100);

    assert.strictEqual((await signedOut).detail.reason, 'expired');
    assert.strictEqual((await signedInAgain).detail.customer.email, 'robin@example.com');
    await screen(portal, 'tp-portal-shell');
    assert.strictEqual(asked, 2);
    assert.strictEqual(api.calls.filter((c) => c.path === 'auth/site-token').length, 2);
  });

  it('should sign in again with a fresh token when the API refuses the session (401)', async () => {
    const api = new FakeApi();
    const getSiteToken = () => api.issueSiteToken('robin@example.com');
    const { portal } = await mountPortal({ api, props: { getSiteToken } });
    await screen(portal, 'tp-portal-shell');

    api.sessions.clear();
    const signedOut = nextEvent<TpSignedOutDetail>('tp-signed-out');
    // The list's next call is refused; the widget asks the site for a new token.
    portal['client']!.dispatchEvent(new Event('unauthorized'));
    assert.strictEqual((await signedOut).detail.reason, 'unauthorized');
    await waitUntil(() => api.sessions.size === 1, 'a new session from a fresh token');
    await screen(portal, 'tp-portal-shell');
  });

  it('should show Sign in without a message when getSiteToken has no token (visitor not signed in to the site)', async () => {
    const { portal, api } = await mountPortal({ props: { getSiteToken: () => null } });
    const form = await screen(portal, 'tp-sign-in');
    assert.strictEqual($(form, '[role=alert]').textContent.trim(), '');
    assert.isUndefined(api.calls.find((c) => c.path === 'auth/site-token'));
  });

  it('should say so when getSiteToken fails', async () => {
    const original = console.error;
    const logged: unknown[][] = [];
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      const { portal } = await mountPortal({
        props: { getSiteToken: () => Promise.reject(new Error('backend down')) },
      });
      const form = await screen(portal, 'tp-sign-in');
      await waitUntil(() => $(form, '[role=alert]').textContent.includes('could not sign you in'));
      assert.include(String(logged[0]?.[0]), 'getSiteToken failed');
    } finally {
      console.error = original;
    }
  });

  describe('with password sign-in off (PASSWORD_LOGIN=off)', () => {
    it('should show no password form, only why the site could not sign the visitor in', async () => {
      const api = new FakeApi();
      api.passwordLogin = false;
      const { portal } = await mountPortal({ api, attrs: { 'site-token': 'a.forged.token' } });

      const error = await screen(portal, 'tp-portal-error');
      await waitUntil(() => text(error).includes('Signing in through this website failed'));
      assert.isNull(portal.shadowRoot!.querySelector('tp-sign-in'));
      await expect(portal).to.be.accessible();
    });

    it('should ask a visitor the site does not know to sign in to the site', async () => {
      const api = new FakeApi();
      api.passwordLogin = false;
      const { portal } = await mountPortal({ api });

      await waitUntil(() => currentScreen(portal) === 'tp-portal-error', 'no Sign in form');
      const error = await screen(portal, 'tp-portal-error');
      assert.include(text(error), 'Sign in to this website to see your tickets here.');
    });
  });
});
