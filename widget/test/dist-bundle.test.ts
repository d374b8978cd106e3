// The production bundle (dist/ticket-portal.js, built by `pretest`) as a host page uses it: loaded
// from another origin, twice, then signing in against the API through the page's own fetch.
import { assert, fixture, waitUntil } from './testing.js';
import { built } from './dist-tags.js';
import { FakeApi } from './fake-api.js';

interface BundledPortal extends HTMLElement {
  updateComplete: Promise<boolean>;
}

const inner = (host: Element | null | undefined, selector: string) =>
  host?.shadowRoot?.querySelector(selector) ?? null;

describe('dist/ticket-portal.js', () => {
  const crossOrigin = `http://127.0.0.1:${location.port}/dist/ticket-portal.js`;
  const realFetch = window.fetch;
  afterEach(() => {
    window.fetch = realFetch;
    localStorage.clear();
    sessionStorage.clear();
  });

  it('should load from another origin, twice, without throwing', async () => {
    assert.notStrictEqual(new URL(crossOrigin).origin, location.origin);
    const warnings: unknown[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args);
    try {
      await import(/* @vite-ignore */ `${crossOrigin}?copy=1`);
      const first = customElements.get('ticket-portal');
      await import(/* @vite-ignore */ `${crossOrigin}?copy=2`);

      assert.ok(first);
      assert.strictEqual(customElements.get('ticket-portal'), first);
      assert.isAbove(warnings.length, 0, 'the second copy should warn instead of throwing');
    } finally {
      console.warn = warn;
    }
  });

  it('should sign in through the page fetch with the bundled Lit', async () => {
    await import(/* @vite-ignore */ `${crossOrigin}?copy=1`);
    const api = new FakeApi();
    api.addAccount('ada@example.com', 'correct horse battery', { name: 'Ada' });
    window.fetch = (input, init) =>
      api.fetch(
        typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
        init ?? {},
      );

    const portal = await fixture<BundledPortal>(`<ticket-portal api-url="${api.baseUrl}"></ticket-portal>`);
    await waitUntil(() => inner(portal, built('tp-sign-in')));
    const signIn = inner(portal, built('tp-sign-in'))!;
    await waitUntil(() => inner(signIn, 'form'));
    (inner(signIn, '#email') as HTMLInputElement).value = 'ada@example.com';
    (inner(signIn, '#password') as HTMLInputElement).value = 'correct horse battery';
    (inner(signIn, 'button[type=submit]') as HTMLButtonElement).click();

    await waitUntil(() => inner(portal, built('tp-portal-shell')), 'expected the signed-in shell', {
      timeout: 8000,
    });
    const shell = inner(portal, built('tp-portal-shell'))!;
    await waitUntil(() => (shell.shadowRoot?.textContent ?? '').includes('Signed in as Ada'));
    assert.strictEqual(api.callsTo('auth/login').length, 1);
  });
});
