// The lazy chunk is one file shared by three views (accounts, ticket page, request form): a sign-in
// that uses two of them downloads it once, and nothing defines its elements twice. (Its own file and
// its own copy of the build, /dist-again/: modules are imported once, and downloads are counted.)
import { assert, fixture, waitUntil } from './testing.js';
import { built } from './dist-tags.js';
import { FakeApi } from './fake-api.js';

const inner = (host: Element | null | undefined, selector: string) =>
  host?.shadowRoot?.querySelector(selector) ?? null;
const buttonIn = (host: Element, name: string) =>
  [...(host.shadowRoot?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === name);
const lazyChunkFetches = () =>
  performance
    .getEntriesByType('resource')
    .map((e) => e.name)
    .filter((name) => /\/dist-again\/chunks\/lazy-chunk-/.test(name));

describe('dist/ticket-portal.js: the lazy chunk on a sign-in', () => {
  it('should fetch the lazy chunk once for the sign-in screen and the signed-in views, with no warnings', async () => {
    const warnings: unknown[][] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => {
      warnings.push(args);
      warn(...args);
    };
    const api = new FakeApi();
    api.addAccount('ada@example.com', 'correct horse battery', { name: 'Ada' });
    const realFetch = window.fetch;
    window.fetch = (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      return url.startsWith(api.baseUrl) ? api.fetch(url, init ?? {}) : realFetch(input, init);
    };
    try {
      // No failure left over from another file's test (the test server counts them).
      await fetch('/__tp/fail-lazy-chunk?times=0');
      await import(/* @vite-ignore */ `http://127.0.0.1:${location.port}/dist-again/ticket-portal.js`);
      const portal = await fixture(`<ticket-portal api-url="${api.baseUrl}"></ticket-portal>`);
      await waitUntil(() => inner(inner(portal, built('tp-sign-in')), 'form'));
      // Sign in prefetches the account screens while the customer types.
      await waitUntil(() => lazyChunkFetches().length > 0, 'the sign-in screen did not prefetch', {
        timeout: 8000,
      });
      const signIn = inner(portal, built('tp-sign-in'))!;
      (inner(signIn, '#email') as HTMLInputElement).value = 'ada@example.com';
      (inner(signIn, '#password') as HTMLInputElement).value = 'correct horse battery';
      (inner(signIn, 'button[type=submit]') as HTMLButtonElement).click();
      await waitUntil(() => inner(portal, built('tp-portal-shell')), 'expected the signed-in shell', {
        timeout: 8000,
      });
      const shell = inner(portal, built('tp-portal-shell'))!;
      await waitUntil(() => buttonIn(shell, 'Submit a Request'));
      // The request form is another view of the same chunk: it is there already.
      buttonIn(shell, 'Submit a Request')!.click();
      await waitUntil(
        () => portal.shadowRoot?.querySelector(built('tp-request-form'))?.shadowRoot?.querySelector('form'),
        'the request form did not open',
        { timeout: 8000 },
      );
      assert.deepEqual(
        lazyChunkFetches().map((name) => new URL(name).search),
        [''],
        'one download of the lazy chunk, never a ?retry copy',
      );
      assert.deepEqual(
        warnings.filter((args) => String(args[0]).includes('already defined')),
        [],
        'no element was defined by a second copy',
      );
    } finally {
      console.warn = warn;
      window.fetch = realFetch;
      localStorage.clear();
      sessionStorage.clear();
    }
  });
});
