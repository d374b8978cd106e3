// Issue 14: custom element names are global to a page. A page that defines a <tp-sign-in> (or
// <tp-portal-shell>) of its own took over the portal's screens and blanked it; the build now defines
// the internal elements under names of its own (scripts/scope-tags.mjs).
import { assert, fixture, waitUntil } from './testing.js';
import { built } from './dist-tags.js';
import { FakeApi } from './fake-api.js';

const inner = (host: Element | null | undefined, selector: string) =>
  host?.shadowRoot?.querySelector(selector) ?? null;

class PagesOwn extends HTMLElement {
  connectedCallback(): void {
    this.textContent = "the page's own element";
  }
}

describe('dist/ticket-portal.js on a page that defines <tp-sign-in>', () => {
  it("should sign in and show the tickets with its own elements, leaving the page's alone", async () => {
    customElements.define('tp-sign-in', class extends PagesOwn {});
    customElements.define('tp-portal-shell', class extends PagesOwn {});
    const api = new FakeApi();
    api.addAccount('ada@example.com', 'correct horse battery', { name: 'Ada' });
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return url.startsWith(api.baseUrl) ? api.fetch(url, init ?? {}) : realFetch(input, init);
    };
    try {
      await import(/* @vite-ignore */ `http://127.0.0.1:${location.port}/dist-clash/ticket-portal.js`);
      const portal = await fixture(`<ticket-portal api-url="${api.baseUrl}"></ticket-portal>`);
      await waitUntil(() => inner(inner(portal, built('tp-sign-in')), 'form'), 'no Sign in form');
      assert.isNull(inner(portal, 'tp-sign-in'));
      const signIn = inner(portal, built('tp-sign-in'))!;
      (inner(signIn, '#email') as HTMLInputElement).value = 'ada@example.com';
      (inner(signIn, '#password') as HTMLInputElement).value = 'correct horse battery';
      (inner(signIn, 'button[type=submit]') as HTMLButtonElement).click();
      await waitUntil(
        () => inner(portal, built('tp-portal-shell'))?.shadowRoot?.textContent?.includes('Ada'),
        '',
        {
          timeout: 8000,
        },
      );
      const page = await fixture('<tp-sign-in></tp-sign-in>');
      assert.strictEqual(page.textContent, "the page's own element");
    } finally {
      window.fetch = realFetch;
      sessionStorage.clear();
    }
  });
});
