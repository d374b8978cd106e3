// Card View travels in the lazy chunk (ADR 0012): a portal whose list starts in Card View fetches
// the chunk and draws its cards, though the first render has no cards code. Its own copy of the
// build (/dist-cards/), so that what it loads is its own.
import { assert, fixture, waitUntil } from './testing.js';
import { built } from './dist-tags.js';
import { FakeApi, makeTickets } from './fake-api.js';

const inner = (host: Element | null | undefined, selector: string) =>
  host?.shadowRoot?.querySelector(selector) ?? null;

describe('dist/ticket-portal.js: Card View on first use', () => {
  it('should fetch the lazy chunk for a list that starts in Card View and draw the cards', async () => {
    const api = new FakeApi({ tickets: makeTickets(3) });
    api.addAccount('ada@example.com', 'correct horse battery', { name: 'Ada' });
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return url.startsWith(api.baseUrl) ? api.fetch(url, init ?? {}) : realFetch(input, init);
    };
    try {
      await fetch('/__tp/fail-lazy-chunk?times=0');
      await import(/* @vite-ignore */ `http://127.0.0.1:${location.port}/dist-cards/ticket-portal.js`);
      assert.isUndefined(customElements.get(built('tp-ticket-cards')), 'Card View is in the first render');
      const portal = await fixture(`<ticket-portal api-url="${api.baseUrl}" view="card"></ticket-portal>`);
      await waitUntil(() => inner(inner(portal, built('tp-sign-in')), 'form'), 'no Sign in');
      const signIn = inner(portal, built('tp-sign-in'));
      (inner(signIn, '#email') as HTMLInputElement).value = 'ada@example.com';
      (inner(signIn, '#password') as HTMLInputElement).value = 'correct horse battery';
      (inner(signIn, 'button[type=submit]') as HTMLButtonElement).click();
      const list = () => inner(portal, built('tp-ticket-list'));
      await waitUntil(
        () => inner(inner(list(), built('tp-ticket-cards')), '[part~="card"]:not([part~="skeleton"])'),
        'no cards were drawn',
        { timeout: 8000 },
      );
      const cards = inner(list(), built('tp-ticket-cards'))!.shadowRoot!.querySelectorAll('[part~="card"]');
      assert.lengthOf(cards, 3);
      assert.isDefined(customElements.get(built('tp-ticket-cards')));
    } finally {
      window.fetch = realFetch;
      localStorage.clear();
      sessionStorage.clear();
    }
  });
});
