import { expect } from '@open-wc/testing';
import { $, button, clearStorage, fill, mountPortal, nextEvent, screen, text } from '../../../test/helpers.js';
import type { TpSignedInDetail } from '../../events/portal-events.js';

describe('TpSignIn', () => {
  afterEach(clearStorage);

  it('should show the guide\'s labels, links and the one-time password note when signed out', async () => {
    const { portal } = await mountPortal();
    const signIn = await screen(portal, 'tp-sign-in');

    expect($(signIn, 'h2').textContent).to.equal('Sign in');
    expect($(signIn, 'label[for=email]').textContent).to.equal('Email');
    expect($(signIn, 'label[for=password]').textContent).to.equal('Password');
    expect(text(signIn)).to.contain('Remember me');
    expect(button(signIn, 'Sign in').type).to.equal('submit');
    expect(text(signIn)).to.contain('Forgot password').and.to.contain('Register here');
    expect(text(signIn)).to.contain('no longer available').and.to.contain('Forgot password');
    expect($<HTMLInputElement>(signIn, '#email').autocomplete).to.equal('email');
    expect($<HTMLInputElement>(signIn, '#password').autocomplete).to.equal('current-password');
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
    expect(text(shell)).to.contain('Signed in as Ada Lovelace');
    const event = await signedIn;
    expect(event.detail.customer.email).to.equal('ada@example.com');
    expect(event.detail.restored).to.equal(false);
    expect(event.composed).to.equal(true);
    const login = api.callsTo('auth/login')[0]!;
    expect(login.body).to.deep.equal({ email: 'ada@example.com', password: 'correct horse battery', remember: false });
  });
});
