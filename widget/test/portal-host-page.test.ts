// Issue 14, "Embeds anywhere": <ticket-portal> on pages that make life hard for it — a <base href> on
// another origin, a page that wants its address left alone, two portals on one page — and the small
// programmatic API a site editor drives it with (tp-ready, signOut(), openTicket(), a cancelable
// tp-ticket-open).
import { assert, waitUntil } from './testing.js';
import type { TpReadyDetail, TpSignedOutDetail } from '../src/events/portal-events.js';
import type { TpTicketOpenEvent } from '../src/events/ticket-events.js';
import type { TicketPortal } from '../src/ticket-portal.js';
import { makeDetail } from './fake-api.js';
import { clearStorage, link, mountPortal, nextEvent, screen, signIn } from './helpers.js';
import {
  EMAIL,
  PASSWORD,
  afterEachRequests,
  mountSignedIn,
  shell,
  tpParams,
  view,
} from './requests-helpers.js';
import { button, textOf } from './shadow.js';

/** The page's address with this fragment, as an absolute URL (a relative one would follow <base>). */
const setHash = (hash: string) => {
  const url = new URL(location.href);
  url.hash = hash;
  history.replaceState(history.state, '', url.href);
};

/** The subject buttons of the list's rows (Table View). */
async function ticketLinks(portal: TicketPortal): Promise<HTMLButtonElement[]> {
  const list = await view(portal, 'tp-ticket-list');
  let links: HTMLButtonElement[] = [];
  await waitUntil(() => {
    const table = list.shadowRoot!.querySelector('tp-ticket-table');
    links = [...(table?.shadowRoot?.querySelectorAll<HTMLButtonElement>('button.open') ?? [])];
    return links.length > 0;
  }, 'expected ticket rows');
  return links;
}

/** Every error the page did not catch while `run` ran. */
async function uncaught(run: () => Promise<void>): Promise<unknown[]> {
  const errors: unknown[] = [];
  const onError = (event: ErrorEvent) => errors.push(event.error ?? event.message);
  const onRejection = (event: PromiseRejectionEvent) => errors.push(event.reason);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  try {
    await run();
  } finally {
    window.removeEventListener('error', onError);
    window.removeEventListener('unhandledrejection', onRejection);
  }
  return errors;
}

describe('<ticket-portal> on hostile host pages', () => {
  let base: HTMLBaseElement | null = null;
  afterEach(() => {
    base?.remove();
    base = null;
    setHash('');
    afterEachRequests();
  });

  /** A <base href> on another origin, as a page served from a CDN path sets it. */
  function crossOriginBase(): void {
    base = document.createElement('base');
    base.href = 'http://127.0.0.1:9/assets/';
    document.head.prepend(base);
  }

  describe('a <base href> on another origin', () => {
    it('should follow a mail link and take it out of the address without a SecurityError', async () => {
      crossOriginBase();
      setHash('#faq&tp-action=confirm&tp-token=abc123');
      const errors = await uncaught(async () => {
        const { portal } = await mountPortal();
        await screen(portal, 'tp-confirm-account');
        await waitUntil(() => location.hash === '#faq', `the token stayed in ${location.hash}`);
      });
      assert.deepEqual(errors, []);
    });

    it('should keep the signed-in views in the address, and link within the page', async () => {
      const { portal } = await mountSignedIn({ signIn: false });
      crossOriginBase();
      const errors = await uncaught(async () => {
        const signInForm = await screen(portal, 'tp-sign-in');
        const register = link(signInForm, 'Register here');
        assert.strictEqual(new URL(register.href).origin, location.origin);
        await signIn(portal, EMAIL, PASSWORD);
        button(shell(portal), 'Submit a Request').click();
        await view(portal, 'tp-request-form');
        assert.deepEqual(tpParams(), { 'tp-new': 'request' });
        const back = (await view(portal, 'tp-request-form')).shadowRoot!.querySelector('a.back')!;
        assert.strictEqual(new URL((back as HTMLAnchorElement).href).origin, location.origin);
      });
      assert.deepEqual(errors, []);
    });
  });

  describe('address="off"', () => {
    it("should keep the list, a ticket's page and the request form out of the page's address and history", async () => {
      const ticket = makeDetail();
      const before = location.href;
      const entries = history.length;
      const { portal } = await mountSignedIn({ attrs: { address: 'off' }, setup: (api) => api.add(ticket) });
      (await ticketLinks(portal))[0]!.click();
      const page = await view(portal, 'tp-ticket-page');
      await waitUntil(() => textOf(page.shadowRoot!.querySelector('h3')) === ticket.subject);
      page.shadowRoot!.querySelector<HTMLAnchorElement>('a.back')!.click();
      await ticketLinks(portal);
      button(shell(portal), 'Submit a Request').click();
      await view(portal, 'tp-request-form');
      assert.strictEqual(location.href, before);
      assert.strictEqual(history.length, entries);
    });

    it('should still follow a mail link, and remove its token from the address', async () => {
      setHash('#tp-action=reset&tp-token=t0k3n');
      const { portal } = await mountPortal({ attrs: { address: 'off' } });
      await screen(portal, 'tp-reset-password');
      assert.strictEqual(location.hash, '');
    });
  });

  describe('two portals of one API', () => {
    it('should share one session: signing in or out of one does the same in the other', async () => {
      const first = await mountPortal();
      first.api.addAccount(EMAIL, PASSWORD);
      const second = await mountPortal({ api: first.api });
      await screen(second.portal, 'tp-sign-in');

      await signIn(first.portal, EMAIL, PASSWORD);
      await screen(second.portal, 'tp-portal-shell');

      const ended: string[] = [];
      const onEnd = (event: CustomEvent<TpSignedOutDetail>) => ended.push(event.detail.reason);
      second.portal.addEventListener('tp-signed-out', onEnd);
      button(shell(first.portal), 'Sign out').click();
      await screen(second.portal, 'tp-sign-in');
      assert.deepEqual(ended, ['user']);
      assert.isNull(sessionStorage.getItem(`tp-session:${first.api.baseUrl}`));
    });
  });

  describe('programmatic API', () => {
    it('should announce tp-ready once with whether the customer is signed in', async () => {
      clearStorage();
      const ready = nextEvent<TpReadyDetail>('tp-ready');
      const { portal, api } = await mountPortal();
      assert.deepEqual((await ready).detail, { signedIn: false });
      api.addAccount(EMAIL, PASSWORD);
      let again = 0;
      portal.addEventListener('tp-ready', () => again++);
      await signIn(portal, EMAIL, PASSWORD);
      assert.strictEqual(again, 0);

      const restored = nextEvent<TpReadyDetail>('tp-ready');
      await mountPortal({ api });
      assert.deepEqual((await restored).detail, { signedIn: true });
    });

    it('should sign out with signOut() and tell the API', async () => {
      const { portal, api } = await mountSignedIn();
      await portal.signOut();
      await screen(portal, 'tp-sign-in');
      assert.lengthOf(api.callsTo('auth/logout', 'POST'), 1);
    });

    it('should open a ticket with openTicket(), at once when signed in and after sign-in otherwise', async () => {
      const ticket = makeDetail();
      const { portal } = await mountSignedIn({ setup: (api) => api.add(ticket), signIn: false });
      await screen(portal, 'tp-sign-in');
      portal.openTicket(ticket.localId);
      await signIn(portal, EMAIL, PASSWORD);
      const page = await view(portal, 'tp-ticket-page');
      assert.strictEqual(page.ticketId, ticket.localId);

      page.shadowRoot!.querySelector<HTMLAnchorElement>('a.back')!.click();
      await ticketLinks(portal);
      portal.openTicket(ticket.localId);
      assert.strictEqual((await view(portal, 'tp-ticket-page')).ticketId, ticket.localId);
    });

    it('should let the page cancel tp-ticket-open and keep the list', async () => {
      const ticket = makeDetail();
      const { portal } = await mountSignedIn({ setup: (api) => api.add(ticket) });
      const heard: TpTicketOpenEvent[] = [];
      const cancel = (event: Event) => {
        heard.push(event as TpTicketOpenEvent);
        event.preventDefault();
      };
      document.addEventListener('tp-ticket-open', cancel);
      try {
        (await ticketLinks(portal))[0]!.click();
        await portal.updateComplete;
      } finally {
        document.removeEventListener('tp-ticket-open', cancel);
      }
      assert.lengthOf(heard, 1);
      assert.strictEqual(heard[0]!.detail.ticket.localId, ticket.localId);
      assert.strictEqual(heard[0]!.target, portal);
      assert.isNull(portal.shadowRoot!.querySelector('tp-ticket-page'));
      assert.deepEqual(tpParams(), {});
    });
  });
});
