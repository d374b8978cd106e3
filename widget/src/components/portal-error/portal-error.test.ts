import { assert, expect, fixture, html } from '@open-wc/testing';
import { $, clearStorage, link, mountPortal, screen, text } from '../../../test/helpers.js';
import type { TicketPortal } from '../../ticket-portal.js';
import type { TpErrorDetail } from '../../events/portal-events.js';

describe('TpPortalError', () => {
  afterEach(clearStorage);

  it('should say what to fix when api-url is missing, and fire tp-error', async () => {
    const errors: TpErrorDetail[] = [];
    const listener = (e: Event) => errors.push((e as CustomEvent<TpErrorDetail>).detail);
    document.addEventListener('tp-error', listener);
    const consoleError = console.error;
    console.error = () => undefined;
    try {
      const portal = await fixture<TicketPortal>(
        html`<ticket-portal support-url="https://support.example.com/"></ticket-portal>`,
      );
      const error = await screen(portal, 'tp-portal-error');

      assert.include($(error, '[role=alert]').textContent, 'needs an api-url attribute');
      assert.strictEqual(errors[0]?.code, 'CONFIG_MISSING_API_URL');
      assert.strictEqual(link(error, 'contact the Support team').href, 'https://support.example.com/');
      assert.strictEqual(error.shadowRoot!.querySelector('button'), null);
      await expect(portal).to.be.accessible();
    } finally {
      console.error = consoleError;
      document.removeEventListener('tp-error', listener);
    }
  });

  it('should not render a javascript: support link', async () => {
    const { portal } = await mountPortal({ attrs: { 'support-url': 'javascript:alert(1)' } });
    const signIn = await screen(portal, 'tp-sign-in');

    assert.include(text(signIn), 'contact the Support team');
    assert.strictEqual(signIn.shadowRoot!.querySelector('.help a'), null);
  });
});
