import { assert, expect, waitUntil } from '../../../test/testing.js';
import { $, button, clearStorage, fill, link, mountPortal, screen, text } from '../../../test/helpers.js';

describe('TpRegister', () => {
  afterEach(clearStorage);

  async function openRegister(attrs: Record<string, string> = {}) {
    const mounted = await mountPortal({ attrs });
    const signIn = await screen(mounted.portal, 'tp-sign-in');
    link(signIn, 'Register here').click();
    return { ...mounted, register: await screen(mounted.portal, 'tp-register') };
  }

  it('should open from Register here with labelled fields, the password rules and the same-email note', async () => {
    const { portal, register } = await openRegister({ 'company-name': 'Synchtank' });

    assert.strictEqual($(register, 'h2').textContent, 'Register');
    assert.strictEqual($(register, 'label[for=email]').textContent, 'Email address');
    assert.strictEqual($(register, 'label[for=password]').textContent, 'Password');
    assert.strictEqual($(register, 'label[for=confirmPassword]').textContent, 'Confirm password');
    assert.include($(register, '#password-hint').textContent, '10–128 characters');
    assert.strictEqual($(register, '#password').getAttribute('aria-describedby'), 'password-hint');
    assert.strictEqual($<HTMLInputElement>(register, '#password').autocomplete, 'new-password');
    assert.include(
      text(register),
      'Note: Use the same email address you use when contacting Synchtank Support.',
    );
    await expect(portal).to.be.accessible();
  });

  it('should say "contacting Support" when no company name is set', async () => {
    const { register } = await openRegister();

    assert.include(text(register), 'when contacting Support.');
  });

  it('should catch a short password and a mismatch before calling the API', async () => {
    const { portal, api, register } = await openRegister();

    fill(register, 'Email address', 'ada@example.com');
    fill(register, 'Password', 'short');
    fill(register, 'Confirm password', 'different');
    button(register, 'Register').click();
    await register.updateComplete;

    assert.include($(register, '#password-error').textContent, '10 to 128 characters');
    assert.strictEqual(
      $(register, '#password').getAttribute('aria-describedby'),
      'password-hint password-error',
    );
    assert.strictEqual(register.shadowRoot!.activeElement?.id, 'password');

    fill(register, 'Password', 'long enough password');
    fill(register, 'Confirm password', 'long enough passwort');
    button(register, 'Register').click();
    await register.updateComplete;

    assert.include($(register, '#confirmPassword-error').textContent, "don't match");
    assert.strictEqual(register.shadowRoot!.activeElement?.id, 'confirmPassword');
    assert.lengthOf(api.callsTo('auth/register'), 0);
    await expect(portal).to.be.accessible();
  });

  it("should put the API's reason on the password field when it refuses a common password", async () => {
    const { api, register } = await openRegister();

    fill(register, 'Email address', 'ada@example.com');
    fill(register, 'Password', 'password1234');
    fill(register, 'Confirm password', 'password1234');
    button(register, 'Register').click();

    await waitUntil(() => register.shadowRoot!.querySelector('#password-error'));
    assert.include($(register, '#password-error').textContent, 'This password is too common');
    assert.strictEqual(register.shadowRoot!.activeElement?.id, 'password');
    assert.lengthOf(api.callsTo('auth/register'), 1);
  });

  it('should register and show Check your inbox with the address', async () => {
    const { portal, api, register } = await openRegister();

    fill(register, 'Email address', ' Ada@Example.com ');
    fill(register, 'Password', 'long enough password');
    fill(register, 'Confirm password', 'long enough password');
    button(register, 'Register').click();

    const inbox = await screen(portal, 'tp-check-inbox');
    assert.deepEqual(api.callsTo('auth/register')[0]!.body, {
      email: 'Ada@Example.com',
      password: 'long enough password',
    });
    assert.strictEqual($(inbox, 'h2').textContent, 'Check your inbox');
    assert.include(text(inbox), "we've sent a confirmation link to ada@example.com");
  });
});
