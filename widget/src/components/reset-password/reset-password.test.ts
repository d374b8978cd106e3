import { assert, expect, waitUntil } from '../../../test/testing.js';
import {
  $,
  button,
  clearStorage,
  fill,
  link,
  mountPortal,
  screen,
  signIn,
  text,
} from '../../../test/helpers.js';
import { FakeApi } from '../../../test/fake-api.js';
import type { TpSignedOutDetail } from '../../events/portal-events.js';

const setHash = (hash: string) =>
  history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);

describe('TpResetPassword', () => {
  let entryUrl: string;
  beforeEach(() => (entryUrl = location.href));
  afterEach(() => {
    history.replaceState(history.state, '', entryUrl);
    clearStorage();
  });

  it('should set the new password from the mail link, then sign in with it', async () => {
    const api = new FakeApi();
    api.addAccount('ada@example.com', 'old password 123');
    const token = api.issueToken('reset', 'ada@example.com');
    setHash(`#tp-action=reset&tp-token=${token}`);

    const { portal } = await mountPortal({ api });
    assert.strictEqual(location.hash, '');
    const reset = await screen(portal, 'tp-reset-password');
    assert.strictEqual($(reset, 'label[for=password]').textContent, 'New password');
    assert.strictEqual($<HTMLInputElement>(reset, '#confirmPassword').autocomplete, 'new-password');
    await expect(portal).to.be.accessible();

    fill(reset, 'New password', 'brand new password');
    fill(reset, 'Confirm new password', 'brand new password');
    button(reset, 'Save password').click();

    const signInForm = await screen(portal, 'tp-sign-in');
    assert.include(text(signInForm), 'Your password has been reset');
    assert.deepEqual(api.callsTo('auth/password/reset')[0]!.body, {
      token,
      password: 'brand new password',
    });
    await signIn(portal, 'ada@example.com', 'brand new password');
  });

  it('should end the session open in this window, as the API revokes them all', async () => {
    const api = new FakeApi();
    api.addAccount('ada@example.com', 'old password 123');
    const first = await mountPortal({ api });
    await signIn(first.portal, 'ada@example.com', 'old password 123', true);
    first.portal.remove();

    setHash(`#tp-action=reset&tp-token=${api.issueToken('reset', 'ada@example.com')}`);
    const { portal } = await mountPortal({ api });
    const reset = await screen(portal, 'tp-reset-password');
    const signedOut = new Promise<CustomEvent<TpSignedOutDetail>>((resolve) =>
      portal.addEventListener('tp-signed-out', resolve, { once: true }),
    );
    fill(reset, 'New password', 'brand new password');
    fill(reset, 'Confirm new password', 'brand new password');
    button(reset, 'Save password').click();

    assert.strictEqual((await signedOut).detail.reason, 'password-reset');
    await screen(portal, 'tp-sign-in');
    assert.strictEqual(localStorage.length, 0);
  });

  it("should put the API's password refusal on the password field", async () => {
    const api = new FakeApi();
    api.addAccount('ada@example.com', 'old password 123');
    setHash(`#tp-action=reset&tp-token=${api.issueToken('reset', 'ada@example.com')}`);
    const { portal } = await mountPortal({ api });
    const reset = await screen(portal, 'tp-reset-password');

    fill(reset, 'New password', 'password1234');
    fill(reset, 'Confirm new password', 'password1234');
    button(reset, 'Save password').click();

    await waitUntil(() => reset.shadowRoot!.querySelector('#password-error'));
    assert.include($(reset, '#password-error').textContent, 'too common');
    assert.include($(reset, '#password').getAttribute('aria-describedby'), 'password-error');
    await expect(portal).to.be.accessible();
  });

  it('should send an expired link to Forgot password', async () => {
    const api = new FakeApi();
    api.expiredTokens.add('stale');
    setHash('#tp-action=reset&tp-token=stale');
    const { portal } = await mountPortal({ api });
    const reset = await screen(portal, 'tp-reset-password');

    fill(reset, 'New password', 'brand new password');
    fill(reset, 'Confirm new password', 'brand new password');
    button(reset, 'Save password').click();

    await waitUntil(() => text(reset).includes('This reset link has expired'));
    link(reset, 'Forgot password').click();
    await screen(portal, 'tp-forgot-password');
  });

  it('should say once that a used link cannot be used, without the form', async () => {
    const api = new FakeApi();
    api.addAccount('ada@example.com', 'correct horse battery');
    const token = api.issueToken('reset', 'ada@example.com');
    api.resetTokens.delete(token); // used already, in another tab
    setHash(`#tp-action=reset&tp-token=${token}`);
    const { portal } = await mountPortal({ api });
    const reset = await screen(portal, 'tp-reset-password');

    fill(reset, 'New password', 'brand new password');
    fill(reset, 'Confirm new password', 'brand new password');
    button(reset, 'Save password').click();

    await waitUntil(() => text(reset).includes('not valid or was already used'));
    const alerts = [...reset.shadowRoot!.querySelectorAll('[role=alert] p')].map((p) =>
      p.textContent.replace(/\s+/g, ' ').trim(),
    );
    assert.lengthOf(alerts, 1, `one message, got ${JSON.stringify(alerts)}`);
    assert.include(alerts[0], 'Ask for a new link with Forgot password');
    assert.isNull(reset.shadowRoot!.querySelector('form'), 'no form for a link that cannot work');
    await expect(portal).to.be.accessible();
    link(reset, 'Forgot password').click();
    await screen(portal, 'tp-forgot-password');
  });
});
