import { assert, expect } from '@open-wc/testing';
import { $, button, clearStorage, fill, link, mountPortal, screen, text } from '../../../test/helpers.js';

describe('TpForgotPassword', () => {
  afterEach(clearStorage);

  it('should ask for the email address and send the reset mail', async () => {
    const { portal, api } = await mountPortal();
    api.addAccount('ada@example.com', 'correct horse battery');
    link(await screen(portal, 'tp-sign-in'), 'Forgot password').click();
    const forgot = await screen(portal, 'tp-forgot-password');
    assert.strictEqual($(forgot, 'h2').textContent, 'Forgot password');
    await expect(portal).to.be.accessible();

    fill(forgot, 'Email address', 'ada@example.com');
    button(forgot, 'Send reset link').click();

    const inbox = await screen(portal, 'tp-check-inbox');
    assert.deepInclude(api.mails, { kind: 'reset', email: 'ada@example.com' });
    assert.include(text(inbox), 'sent a reset link');
  });

  it('should require an email address', async () => {
    const { portal, api } = await mountPortal();
    link(await screen(portal, 'tp-sign-in'), 'Forgot password').click();
    const forgot = await screen(portal, 'tp-forgot-password');

    button(forgot, 'Send reset link').click();
    await forgot.updateComplete;

    assert.strictEqual($(forgot, '#email-error').textContent, 'Enter your email address.');
    assert.lengthOf(api.callsTo('auth/password/forgot'), 0);
  });
});
