import { assert, expect, waitUntil } from '../../../test/testing.js';
import { $, button, clearStorage, fill, link, mountPortal, screen, text } from '../../../test/helpers.js';

describe('TpCheckInbox', () => {
  afterEach(clearStorage);

  async function registered() {
    const mounted = await mountPortal({ attrs: { 'support-url': 'https://support.example.com/help' } });
    link(await screen(mounted.portal, 'tp-sign-in'), 'Register here').click();
    const register = await screen(mounted.portal, 'tp-register');
    fill(register, 'Email address', 'ada@example.com');
    fill(register, 'Password', 'long enough password');
    fill(register, 'Confirm password', 'long enough password');
    button(register, 'Register').click();
    return { ...mounted, inbox: await screen(mounted.portal, 'tp-check-inbox') };
  }

  it('should resend the confirmation email and say so politely', async () => {
    const { portal, api, inbox } = await registered();

    button(inbox, 'Resend confirmation email').click();

    await waitUntil(() => inbox.shadowRoot!.querySelector('[role=status] p'));
    assert.include($(inbox, '[role=status]').textContent, 'sent the email again');
    assert.deepEqual(
      api.mails.filter((m) => m.kind === 'resend'),
      [{ kind: 'resend', email: 'ada@example.com' }],
    );
    await expect(portal).to.be.accessible();
  });

  it('should go back to Sign in with the email filled in', async () => {
    const { portal, inbox } = await registered();

    link(inbox, 'Back to Sign in').click();

    const signIn = await screen(portal, 'tp-sign-in');
    assert.strictEqual($<HTMLInputElement>(signIn, '#email').value, 'ada@example.com');
  });

  it('should tell the forgot-password story without resend', async () => {
    const { portal } = await mountPortal();
    link(await screen(portal, 'tp-sign-in'), 'Forgot password').click();
    const forgot = await screen(portal, 'tp-forgot-password');
    fill(forgot, 'Email address', 'someone@example.com');
    button(forgot, 'Send reset link').click();

    const inbox = await screen(portal, 'tp-check-inbox');

    assert.include(text(inbox), 'If an account exists for that address');
    assert.strictEqual(inbox.shadowRoot!.querySelector('button'), null);
    await expect(portal).to.be.accessible();
  });
});
