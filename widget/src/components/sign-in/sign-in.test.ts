import { assert, expect, waitUntil } from '../../../test/testing.js';
import {
  $,
  button,
  clearStorage,
  fill,
  mountPortal,
  nextEvent,
  screen,
  text,
} from '../../../test/helpers.js';
import type { TpErrorDetail, TpSignedInDetail } from '../../events/portal-events.js';

describe('TpSignIn', () => {
  afterEach(clearStorage);

  it("should show the guide's labels, links and the one-time password note when signed out", async () => {
    const { portal } = await mountPortal();
    const signIn = await screen(portal, 'tp-sign-in');

    assert.strictEqual($(signIn, 'h2').textContent, 'Sign in');
    assert.strictEqual($(signIn, 'label[for=email]').textContent, 'Email');
    assert.strictEqual($(signIn, 'label[for=password]').textContent, 'Password');
    assert.include(text(signIn), 'Remember me');
    assert.strictEqual(button(signIn, 'Sign in').type, 'submit');
    assert.include(text(signIn), 'Forgot password');
    assert.include(text(signIn), 'Register here');
    assert.include(text(signIn), 'no longer available');
    assert.include(text(signIn), 'Forgot password');
    assert.strictEqual($<HTMLInputElement>(signIn, '#email').autocomplete, 'email');
    assert.strictEqual($<HTMLInputElement>(signIn, '#password').autocomplete, 'current-password');
    await expect(portal).to.be.accessible();
  });

  it('should sign in and fire tp-signed-in when the credentials are right', async () => {
    const { portal, api } = await mountPortal();
    api.addAccount('ada@example.com', 'correct horse battery', { name: 'Ada Lovelace' });
    const signIn = await screen(portal, 'tp-sign-in');
    const signedIn = nextEvent<TpSignedInDetail>('tp-signed-in');

    fill(signIn, 'Email', 'ada@example.com');
    fill(signIn, 'Password', 'correct horse battery');
    button(signIn, 'Sign in').click();

    const shell = await screen(portal, 'tp-portal-shell');
    assert.include(text(shell), 'Signed in as Ada Lovelace');
    const event = await signedIn;
    assert.strictEqual(event.detail.customer.email, 'ada@example.com');
    assert.strictEqual(event.detail.restored, false);
    assert.strictEqual(event.composed, true);
    const login = api.callsTo('auth/login')[0]!;
    assert.deepEqual(login.body, {
      email: 'ada@example.com',
      password: 'correct horse battery',
      remember: false,
    });
  });
});

describe('TpSignIn errors', () => {
  afterEach(clearStorage);

  it('should tie client-side errors to their fields and move focus to the first one', async () => {
    const { portal, api } = await mountPortal();
    const signIn = await screen(portal, 'tp-sign-in');

    fill(signIn, 'Email', 'not-an-email');
    button(signIn, 'Sign in').click();
    await signIn.updateComplete;

    const email = $<HTMLInputElement>(signIn, '#email');
    assert.strictEqual(email.getAttribute('aria-invalid'), 'true');
    assert.strictEqual(email.getAttribute('aria-describedby'), 'email-error');
    assert.include($(signIn, '#email-error').textContent, 'name@example.com');
    assert.strictEqual($(signIn, '#password-error').textContent, 'Enter your password.');
    assert.strictEqual(signIn.shadowRoot!.activeElement, email);
    assert.lengthOf(api.callsTo('auth/login'), 0);
    await expect(portal).to.be.accessible();
  });

  it("should show the API's message in an alert and clear the password when the credentials are wrong", async () => {
    const { portal, api } = await mountPortal();
    api.addAccount('ada@example.com', 'correct horse battery');
    const signIn = await screen(portal, 'tp-sign-in');

    fill(signIn, 'Email', 'ada@example.com');
    const password = fill(signIn, 'Password', 'wrong password!');
    button(signIn, 'Sign in').click();

    await waitUntil(() => signIn.shadowRoot!.querySelector('[role=alert] p'));
    assert.include($(signIn, '[role=alert]').textContent, 'The email or password is not correct.');
    assert.strictEqual(password.value, '');
    assert.strictEqual($<HTMLInputElement>(signIn, '#email').value, 'ada@example.com');
    await expect(portal).to.be.accessible();
  });

  it('should send an unconfirmed account to Check your inbox, which offers to resend the email', async () => {
    const { portal, api } = await mountPortal();
    api.addAccount('new@example.com', 'correct horse battery', { confirmed: false });
    const signIn = await screen(portal, 'tp-sign-in');

    fill(signIn, 'Email', 'new@example.com');
    fill(signIn, 'Password', 'correct horse battery');
    button(signIn, 'Sign in').click();
    const inbox = await screen(portal, 'tp-check-inbox');
    assert.include(text(inbox), 'Confirm your account first');
    assert.include(text(inbox), 'new@example.com');

    button(inbox, 'Resend confirmation email').click();
    await waitUntil(() => api.mails.some((m) => m.kind === 'resend'));

    assert.deepInclude(api.mails, { kind: 'resend', email: 'new@example.com' });
    assert.include(text(inbox), 'Check your inbox');
  });

  it('should show the throttling message when there were too many attempts', async () => {
    const { portal, api } = await mountPortal();
    api.failures.push({
      status: 429,
      code: 'RATE_LIMITED',
      message: 'Too many attempts. Try again in 15 minutes.',
    });
    const signIn = await screen(portal, 'tp-sign-in');

    fill(signIn, 'Email', 'ada@example.com');
    fill(signIn, 'Password', 'whatever password');
    button(signIn, 'Sign in').click();

    await waitUntil(() => text(signIn).includes('Too many attempts. Try again in 15 minutes.'));
  });

  it("should say the portal can't be reached, fire tp-error, and sign in on Retry", async () => {
    const { portal, api } = await mountPortal();
    api.addAccount('ada@example.com', 'correct horse battery');
    api.offline = true;
    const signIn = await screen(portal, 'tp-sign-in');
    const error = nextEvent<TpErrorDetail>('tp-error');

    fill(signIn, 'Email', 'ada@example.com');
    fill(signIn, 'Password', 'correct horse battery');
    button(signIn, 'Sign in').click();

    assert.strictEqual((await error).detail.code, 'NETWORK_ERROR');
    await waitUntil(() => text(signIn).includes("can't reach the portal"));
    await expect(portal).to.be.accessible();

    api.offline = false;
    button(signIn, 'Retry').click();
    await screen(portal, 'tp-portal-shell');
  });

  it("should show a server fault's message and report it with tp-error", async () => {
    const { portal, api } = await mountPortal();
    api.failures.push({
      status: 503,
      code: 'DEPENDENCY_UNAVAILABLE',
      message: 'The portal is busy. Try again in a minute.',
    });
    const signIn = await screen(portal, 'tp-sign-in');
    const error = nextEvent<TpErrorDetail>('tp-error');

    fill(signIn, 'Email', 'ada@example.com');
    fill(signIn, 'Password', 'whatever password');
    button(signIn, 'Sign in').click();

    const { detail } = await error;
    assert.deepEqual(detail, {
      code: 'DEPENDENCY_UNAVAILABLE',
      message: 'The portal is busy. Try again in a minute.',
      status: 503,
    });
    await waitUntil(() => text(signIn).includes('The portal is busy.'));
  });

  it('should not report a refusal of what was typed as tp-error', async () => {
    const { portal } = await mountPortal();
    const signIn = await screen(portal, 'tp-sign-in');
    let reported = 0;
    const count = () => reported++;
    document.addEventListener('tp-error', count);

    fill(signIn, 'Email', 'nobody@example.com');
    fill(signIn, 'Password', 'whatever password');
    button(signIn, 'Sign in').click();
    await waitUntil(() => text(signIn).includes('The email or password is not correct.'));

    document.removeEventListener('tp-error', count);
    assert.strictEqual(reported, 0);
  });

  it('should ignore a second submit while the first is under way', async () => {
    const { portal, api } = await mountPortal();
    api.addAccount('ada@example.com', 'correct horse battery');
    const signIn = await screen(portal, 'tp-sign-in');
    api.hold();

    fill(signIn, 'Email', 'ada@example.com');
    fill(signIn, 'Password', 'correct horse battery');
    button(signIn, 'Sign in').click();
    await waitUntil(() => text(signIn).includes('Signing in…'));
    assert.strictEqual(button(signIn, 'Signing in…').getAttribute('aria-disabled'), 'true');
    button(signIn, 'Signing in…').click();
    api.release();

    await screen(portal, 'tp-portal-shell');
    assert.lengthOf(api.callsTo('auth/login'), 1);
  });
});
