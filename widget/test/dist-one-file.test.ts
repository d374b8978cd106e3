// dist/ticket-portal.bundle.js: the whole widget in one file for hosts that can serve only one
// (ADR 0008). It must not ask for any chunk, not even for the lazy views.
import { assert, fixture, waitUntil } from './testing.js';
import { built } from './dist-tags.js';
import { FakeApi } from './fake-api.js';

const inner = (host: Element | null | undefined, selector: string) =>
  host?.shadowRoot?.querySelector(selector) ?? null;

describe('dist/ticket-portal.bundle.js', () => {
  it('should sign in and open Register without loading any other file', async () => {
    const bundle = `http://127.0.0.1:${location.port}/dist/ticket-portal.bundle.js`;
    const source = await (await fetch(bundle)).text();
    assert.notInclude(source, 'chunks/');
    await import(/* @vite-ignore */ bundle);
    const api = new FakeApi();
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return url.startsWith(api.baseUrl) ? api.fetch(url, init ?? {}) : realFetch(input, init);
    };
    try {
      const portal = await fixture(`<ticket-portal api-url="${api.baseUrl}"></ticket-portal>`);
      await waitUntil(() => inner(inner(portal, built('tp-sign-in')), 'a'));
      const register = [...inner(portal, built('tp-sign-in'))!.shadowRoot!.querySelectorAll('a')].find(
        (a) => a.textContent === 'Register here',
      )!;
      register.click();
      await waitUntil(() => inner(inner(portal, built('tp-register')), 'form'), 'Register did not open');
      const files = performance.getEntriesByType('resource').map((e) => e.name);
      assert.isFalse(
        files.some((name) => name.includes('/dist/chunks/')),
        files.join('\n'),
      );
    } finally {
      window.fetch = realFetch;
    }
  });
});
