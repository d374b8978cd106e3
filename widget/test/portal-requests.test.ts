// <ticket-portal> with the requests views: the address (`tp-ticket`, `tp-new=request`), Back and
// Forward, a shared link after sign-in, the lazy chunk's loading and failure states, "Need Help?"
// on every screen, and the list's caption.
import { assert, expect, fixture, html, waitUntil } from './testing.js';
import { forgetViews, viewLoaders } from '../src/internal/lazy-views.js';
import type { TicketPortal } from '../src/ticket-portal.js';
import '../src/ticket-portal.js';
import { button, clearStorage, fill, link, screen, signIn } from './helpers.js';
import { textOf } from './shadow.js';
import { makeDetail } from './fake-api.js';
import {
  EMAIL,
  PASSWORD,
  afterEachRequests,
  mountSignedIn,
  shell,
  tpParams,
  view,
} from './requests-helpers.js';

const helpOf = (host: Element) => host.shadowRoot!.querySelector<HTMLElement>('[part~="help"]');
const setHash = (hash: string) =>
  history.replaceState(history.state, '', `${location.pathname}${location.search}${hash}`);

/** "Need Help?" is there, worded as in the guide, with the expected link (or none). */
function assertHelp(host: Element, href: string | null, team = 'contact the Synchtank Support team') {
  const help = helpOf(host);
  assert.isTrue(!!help, `<${host.localName}> has no Need Help?`);
  assert.include(textOf(help), 'Need Help?');
  assert.include(textOf(help), `please ${team}.`);
  const a = help!.querySelector('a');
  assert.strictEqual(a?.getAttribute('href') ?? null, href, `<${host.localName}>'s support link`);
}

describe('ticket-portal requests views', () => {
  const loaders = { ...viewLoaders };
  afterEach(() => {
    Object.assign(viewLoaders, loaders);
    setHash('');
    afterEachRequests();
  });

  it('should open Submit a Request from the list, and come back with the browser’s Back', async () => {
    const { portal } = await mountSignedIn({ search: 'tp-q=invoice' });
    await view(portal, 'tp-ticket-list');
    const bar = shell(portal);
    assert.strictEqual(textOf(bar.shadowRoot!.querySelector('h3')), 'Your tickets');
    button(bar, 'Submit a Request').click();
    await view(portal, 'tp-request-form');
    assert.deepEqual(tpParams(), { 'tp-q': 'invoice', 'tp-new': 'request' });

    history.back();
    await view(portal, 'tp-ticket-list');
    await waitUntil(() => !portal.shadowRoot!.querySelector('tp-request-form'));
    assert.deepEqual(tpParams(), { 'tp-q': 'invoice' });
    history.forward();
    await view(portal, 'tp-request-form');
  });

  it('should open a shared ticket link once the customer has signed in', async () => {
    const ticket = makeDetail();
    const { portal } = await mountSignedIn({
      search: `tp-ticket=${ticket.localId}`,
      setup: (api) => api.add(ticket),
      signIn: false,
    });
    await screen(portal, 'tp-sign-in');
    await signIn(portal, EMAIL, PASSWORD);
    const page = await view(portal, 'tp-ticket-page');
    await waitUntil(() => textOf(page.shadowRoot!.querySelector('h3')) === ticket.subject);
    assert.deepEqual(tpParams(), { 'tp-ticket': ticket.localId });
  });

  it('should show Loading while the ticket page is fetched, and Retry when it cannot be', async () => {
    const ticket = makeDetail();
    const { portal } = await mountSignedIn({ setup: (api) => api.add(ticket) });
    await view(portal, 'tp-ticket-list');
    forgetViews();
    // Every load (the idle prefetch included) fails once the gate opens.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    viewLoaders.ticket = () =>
      gate.then(() => {
        throw new TypeError('Failed to fetch dynamically imported module');
      });
    const errors: unknown[] = [];
    const error = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      history.pushState(null, '', `?tp-ticket=${ticket.localId}`);
      window.dispatchEvent(new PopStateEvent('popstate'));
      const frame = shell(portal);
      await waitUntil(() => textOf(frame.shadowRoot!.querySelector('[part~="loading"]')) === 'Loading…');
      release();
      await waitUntil(() => frame.shadowRoot!.querySelector('[part~="alert"]'), 'no load failure shown');
      const alert = frame.shadowRoot!.querySelector('[part~="alert"]')!;
      assert.strictEqual(alert.getAttribute('role'), 'alert');
      assert.include(textOf(alert), 'This part of the portal could not be loaded.');
      assert.isFalse(!!portal.shadowRoot!.querySelector('tp-ticket-page'));
      assertHelp(frame, 'mailto:help@synchtank.example');
      await expect(frame).to.be.accessible();

      viewLoaders.ticket = loaders.ticket;
      button(frame, 'Retry').click();
      const page = await view(portal, 'tp-ticket-page');
      await waitUntil(() => textOf(page.shadowRoot!.querySelector('h3')) === ticket.subject);
      assert.isFalse(!!frame.shadowRoot!.querySelector('[part~="alert"]'));
      assert.isAbove(errors.length, 0, 'the failure is logged for the site editor');
    } finally {
      console.error = error;
    }
  });

  it('should offer Retry when an account screen cannot be loaded', async () => {
    const { portal } = await mountSignedIn({ signIn: false });
    const signInScreen = await screen(portal, 'tp-sign-in');
    forgetViews();
    viewLoaders.accounts = () => Promise.reject(new TypeError('Failed to fetch dynamically imported module'));
    const error = console.error;
    console.error = () => undefined;
    try {
      link(signInScreen, 'Register here').click();
      const failure = await screen(portal, 'tp-portal-error');
      assert.include(textOf(failure.shadowRoot!.querySelector('[part~="alert"]')), 'could not be loaded');
      viewLoaders.accounts = loaders.accounts;
      button(failure, 'Retry').click();
      await screen(portal, 'tp-register');
    } finally {
      console.error = error;
    }
  });

  it('should show Need Help? with the API’s support contact on every screen a customer can be stuck on', async () => {
    const ticket = makeDetail();
    const { portal, api } = await mountSignedIn({ signIn: false, setup: (api) => api.add(ticket) });
    const mail = 'mailto:help@synchtank.example';

    const signInScreen = await screen(portal, 'tp-sign-in');
    await waitUntil(() => helpOf(signInScreen)?.querySelector('a'), 'GET /portal was not used');
    assertHelp(signInScreen, mail);
    link(signInScreen, 'Register here').click();
    assertHelp(await screen(portal, 'tp-register'), mail);
    link(await screen(portal, 'tp-register'), 'Sign in').click();
    link(await screen(portal, 'tp-sign-in'), 'Forgot password').click();
    const forgot = await screen(portal, 'tp-forgot-password');
    assertHelp(forgot, mail);
    fill(forgot, 'Email address', EMAIL);
    forgot.shadowRoot!.querySelector<HTMLButtonElement>('button[type=submit]')!.click();
    assertHelp(await screen(portal, 'tp-check-inbox'), mail);

    setHash(`#tp-action=reset&tp-token=${api.issueToken('reset', EMAIL)}`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    assertHelp(await screen(portal, 'tp-reset-password'), mail);
    setHash(`#tp-action=confirm&tp-token=expired-token`);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    const confirm = await screen(portal, 'tp-confirm-account');
    await waitUntil(() => helpOf(confirm), 'no Need Help? on Confirm');
    assertHelp(confirm, mail);
    setHash('');

    link(await screen(portal, 'tp-confirm-account'), 'Back to Sign in').click();
    await signIn(portal, EMAIL, PASSWORD);
    await view(portal, 'tp-ticket-list');
    assertHelp(shell(portal), mail);
    button(shell(portal), 'Submit a Request').click();
    await view(portal, 'tp-request-form');
    assertHelp(shell(portal), mail);
  });

  it('should prefer the support-url and company-name attributes, and keep Need Help? on the error screen', async () => {
    const { portal } = await mountSignedIn({
      signIn: false,
      attrs: { 'support-url': 'https://help.example.com/contact', 'company-name': 'Harbour' },
    });
    assertHelp(
      await screen(portal, 'tp-sign-in'),
      'https://help.example.com/contact',
      'contact the Harbour Support team',
    );

    clearStorage();
    const error = console.error;
    console.error = () => undefined;
    try {
      const broken = await fixture<TicketPortal>(html`<ticket-portal></ticket-portal>`);
      const failure = await screen(broken, 'tp-portal-error');
      assertHelp(failure, null, 'contact the Support team');
    } finally {
      console.error = error;
    }
  });

  it('should keep the table caption for screen readers without repeating "Your tickets" on screen', async () => {
    const { portal } = await mountSignedIn({ setup: (api) => api.add(makeDetail()) });
    const list = await view(portal, 'tp-ticket-list');
    await waitUntil(() =>
      list.shadowRoot!.querySelector('tp-ticket-table')?.shadowRoot?.querySelector('caption'),
    );
    const caption = list.shadowRoot!.querySelector('tp-ticket-table')!.shadowRoot!.querySelector('caption')!;
    assert.include(textOf(caption), 'Your tickets');
    const box = caption.getBoundingClientRect();
    assert.isAtMost(box.width * box.height, 1, 'the caption takes no room on screen');
    const heading = shell(portal).shadowRoot!.querySelector('h3')!;
    assert.isAbove(heading.getBoundingClientRect().height, 0);
  });
});
