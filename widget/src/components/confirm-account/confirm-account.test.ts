import { assert, expect, waitUntil } from '../../../test/testing.js';
import { $, button, clearStorage, fill, mountPortal, screen, text } from '../../../test/helpers.js';
import { FakeApi } from '../../../test/fake-api.js';

const setHash = (hash: string) =>
  history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);

describe('TpConfirmAccount', () => {
  let entryUrl: string;
  beforeEach(() => (entryUrl = location.href));
  afterEach(() => {
    history.replaceState(history.state, '', entryUrl);
    clearStorage();
  });

  it("should confirm from the mail link, remove it from the address and show Sign in with the API's message", async () => {
    const api = new FakeApi();
    api.addAccount('new@example.com', 'long enough password', { confirmed: false });
    const token = api.issueToken('confirm', 'new@example.com');
    const { pathname, search } = location;
    setHash(`#pricing&tp-action=confirm&tp-token=${encodeURIComponent(token)}`);

    const { portal } = await mountPortal({ api });

    // The token leaves the address bar at once, the host page's path, query and fragment stay.
    assert.strictEqual(location.hash, '#pricing');
    assert.strictEqual(location.pathname, pathname);
    assert.strictEqual(location.search, search);
    const signIn = await screen(portal, 'tp-sign-in');
    assert.include($(signIn, '[role=status]').textContent, 'Your account is confirmed');
    assert.deepEqual(api.callsTo('auth/confirm')[0]!.body, { token });
    assert.notStrictEqual(api.accounts.get('new@example.com')!.confirmedAt, null);
    await expect(portal).to.be.accessible();
  });

  it('should explain an expired link and send a new one', async () => {
    const api = new FakeApi();
    api.expiredTokens.add('old-token');
    setHash('#tp-action=confirm&tp-token=old-token');

    const { portal } = await mountPortal({ api });
    const confirm = await screen(portal, 'tp-confirm-account');
    await waitUntil(() => confirm.shadowRoot!.querySelector('[role=alert] p'));

    assert.strictEqual(location.hash, '');
    assert.include(text(confirm), 'This confirmation link has expired');
    assert.include(text(confirm), 'Need Help?');
    await expect(portal).to.be.accessible();

    fill(confirm, 'Email address', 'new@example.com');
    button(confirm, 'Resend confirmation email').click();
    await screen(portal, 'tp-check-inbox');
    assert.deepInclude(api.mails, { kind: 'resend', email: 'new@example.com' });
  });

  it('should show that a used link is invalid', async () => {
    const api = new FakeApi();
    setHash('#tp-action=confirm&tp-token=never-issued');

    const { portal } = await mountPortal({ api });
    const confirm = await screen(portal, 'tp-confirm-account');

    await waitUntil(() => text(confirm).includes('not valid or was already used'));
  });

  it('should confirm a second mail link opened while the first one is on screen', async () => {
    const api = new FakeApi();
    api.expiredTokens.add('old-token');
    setHash('#tp-action=confirm&tp-token=old-token');
    const { portal } = await mountPortal({ api });
    const first = await screen(portal, 'tp-confirm-account');
    await waitUntil(() => text(first).includes('has expired'));
    api.addAccount('new@example.com', 'long enough password', { confirmed: false });
    const token = api.issueToken('confirm', 'new@example.com');

    location.hash = `tp-action=confirm&tp-token=${token}`;

    await waitUntil(() => api.callsTo('auth/confirm').length === 2);
    const signIn = await screen(portal, 'tp-sign-in');
    await waitUntil(() => text(signIn).includes('Your account is confirmed'));
    assert.strictEqual($<HTMLInputElement>(signIn, '#email').value, 'new@example.com');
  });

  it('should follow a mail link opened while the page is already loaded', async () => {
    const { portal, api } = await mountPortal();
    await screen(portal, 'tp-sign-in');
    api.addAccount('late@example.com', 'long enough password', { confirmed: false });
    const token = api.issueToken('confirm', 'late@example.com');

    location.hash = `tp-action=confirm&tp-token=${token}`;

    const signIn = await waitUntil(() => api.callsTo('auth/confirm').length === 1).then(() =>
      screen(portal, 'tp-sign-in'),
    );
    await waitUntil(() => text(signIn).includes('Your account is confirmed'));
    assert.strictEqual(location.hash, '');
  });

  it("should show a damaged link's reason without the API's field name", async () => {
    setHash('#tp-action=confirm&tp-token=cut%20off');
    const { portal } = await mountPortal();
    const confirm = await screen(portal, 'tp-confirm-account');
    await waitUntil(() => confirm.shadowRoot!.querySelector('[role=alert] p'));

    const alert = confirm.shadowRoot!.querySelector('[role=alert] p')!.textContent.trim();
    assert.match(alert, /^The link is incomplete or damaged/);
    assert.notInclude(text(confirm), 'token:');
  });
});
