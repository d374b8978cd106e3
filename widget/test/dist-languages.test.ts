// The interface languages in the build (ADR 0012): English costs no download, another language
// fetches its own catalog (one file) and nothing else. Its own copy of the build (/dist-lang/), so
// that the downloads it counts are its own.
import { assert, fixture, waitUntil } from './testing.js';
import { built } from './dist-tags.js';
import { FakeApi } from './fake-api.js';

const catalogFetches = () =>
  performance
    .getEntriesByType('resource')
    .map((e) => new URL(e.name).pathname)
    .filter((path) => /\/dist-lang\/chunks\/locale-/.test(path));

const heading = (portal: Element) =>
  portal.shadowRoot
    ?.querySelector(built('tp-sign-in'))
    ?.shadowRoot?.querySelector('.heading')
    ?.textContent?.trim();

describe('dist/ticket-portal.js: interface languages', () => {
  const realFetch = window.fetch;
  const api = new FakeApi();
  before(async () => {
    window.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return url.startsWith(api.baseUrl) ? api.fetch(url, init ?? {}) : realFetch(input, init);
    };
    await import(/* @vite-ignore */ `http://127.0.0.1:${location.port}/dist-lang/ticket-portal.js`);
  });
  after(() => {
    window.fetch = realFetch;
  });

  it('should show English without downloading a catalog', async () => {
    const portal = await fixture(`<ticket-portal api-url="${api.baseUrl}" locale="en-US"></ticket-portal>`);
    await waitUntil(() => heading(portal) === 'Sign in', 'no English Sign in');
    assert.deepEqual(catalogFetches(), []);
    portal.remove();
  });

  it('should download the Spanish catalog alone for locale="es", once', async () => {
    const portal = await fixture(`<ticket-portal api-url="${api.baseUrl}" locale="es"></ticket-portal>`);
    await waitUntil(() => heading(portal) === 'Iniciar sesión', 'no Spanish Sign in', { timeout: 5000 });
    portal.setAttribute('strings', JSON.stringify({ 'Sign in': 'Entrar' }));
    await waitUntil(() => heading(portal) === 'Entrar', 'the override did not show');
    const fetched = catalogFetches();
    assert.lengthOf(fetched, 1, fetched.join(', '));
    assert.match(fetched[0]!, /\/chunks\/locale-es-[A-Z0-9]{8}\.js$/);
  });
});
