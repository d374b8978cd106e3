import { assert, expect } from '@open-wc/testing';
import {
  $,
  button,
  clearStorage,
  mountPortal,
  nextEvent,
  screen,
  signIn,
  text,
} from '../../../test/helpers.js';
import type { TpSignedOutDetail } from '../../events/portal-events.js';

describe('TpPortalShell', () => {
  afterEach(clearStorage);

  it('should show who is signed in, Sign out and the region for the tickets', async () => {
    const { portal, api } = await mountPortal();
    api.addAccount('ada@example.com', 'correct horse battery');

    const shell = await signIn(portal, 'ada@example.com', 'correct horse battery');

    assert.include(text(shell), 'Signed in as ada@example.com');
    const main = $(shell, '[part=main]');
    assert.strictEqual(main.getAttribute('aria-labelledby'), 'tickets-heading');
    assert.include(
      $<HTMLSlotElement>(shell, 'slot[name=main]').textContent,
      'Your tickets will appear here.',
    );
    await expect(portal).to.be.accessible();
  });

  it('should sign out here and on the server, and fire tp-signed-out', async () => {
    const { portal, api } = await mountPortal();
    api.addAccount('ada@example.com', 'correct horse battery');
    const shell = await signIn(portal, 'ada@example.com', 'correct horse battery', true);
    const token = [...api.sessions.keys()][0]!;
    const signedOut = nextEvent<TpSignedOutDetail>('tp-signed-out');

    button(shell, 'Sign out').click();

    assert.strictEqual((await signedOut).detail.reason, 'user');
    const signInForm = await screen(portal, 'tp-sign-in');
    assert.include(text(signInForm), 'You have signed out.');
    assert.strictEqual(localStorage.length, 0);
    assert.strictEqual(api.callsTo('auth/logout')[0]!.headers.get('Authorization'), `Bearer ${token}`);
    assert.strictEqual(api.sessions.has(token), false);
  });
});
