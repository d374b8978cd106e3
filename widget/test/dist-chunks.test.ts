// The split build as a host page gets it (ADR 0008): dist/ticket-portal.js from another origin pulls
// its shared chunk at once and the lazy chunk on first use; a failed chunk download shows Retry,
// and Retry really downloads it again. dist/ticket-portal.bundle.js works on its own.
import { assert, fixture, waitUntil } from './testing.js';
import { built } from './dist-tags.js';
import { FakeApi } from './fake-api.js';

interface BundledPortal extends HTMLElement {
  updateComplete: Promise<boolean>;
}

const inner = (host: Element | null | undefined, selector: string) =>
  host?.shadowRoot?.querySelector(selector) ?? null;
const buttonIn = (host: Element, name: string) =>
  [...(host.shadowRoot?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === name);

async function signedIn(api: FakeApi, options: { listNeverAnswers?: boolean } = {}): Promise<Element> {
  api.addAccount('ada@example.com', 'correct horse battery', { name: 'Ada' });
  const realFetch = window.fetch;
  window.fetch = (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (options.listNeverAnswers && url.startsWith(`${api.baseUrl}/api/v1/tickets?`)) {
      return new Promise<Response>(() => undefined);
    }
    return url.startsWith(api.baseUrl) ? api.fetch(url, init ?? {}) : realFetch(input, init);
  };
  const portal = await fixture<BundledPortal>(`<ticket-portal api-url="${api.baseUrl}"></ticket-portal>`);
  await waitUntil(() => inner(inner(portal, built('tp-sign-in')), 'form'));
  const signIn = inner(portal, built('tp-sign-in'))!;
  (inner(signIn, '#email') as HTMLInputElement).value = 'ada@example.com';
  (inner(signIn, '#password') as HTMLInputElement).value = 'correct horse battery';
  (inner(signIn, 'button[type=submit]') as HTMLButtonElement).click();
  await waitUntil(() => inner(portal, built('tp-portal-shell')), 'expected the signed-in shell', {
    timeout: 8000,
  });
  return inner(portal, built('tp-portal-shell'))!;
}

describe('dist/ticket-portal.js with its chunks', () => {
  afterEach(() => {
    localStorage.clear();
    sessionStorage.clear();
  });

  it('should load the lazy chunk on first use, show Retry when it fails, and fetch it again on Retry', async () => {
    // Its own name for the build (web-test-runner.config.mjs maps /dist-*/ to /dist/): another file's
    // test may have loaded /dist/ in this browser already, and a module or a cached download of that
    // URL would never reach the failing server.
    const entry = `http://127.0.0.1:${location.port}/dist-retry/ticket-portal.js`;
    // Every download of the lazy chunk fails until Retry: the sign-in screen's prefetch (silent) as
    // well as "Submit a Request" (which shows it).
    await fetch('/__tp/fail-lazy-chunk?times=100');
    await import(/* @vite-ignore */ entry);
    // A list that has drawn its rows loads the lazy chunk for its live updates (silently, a failure
    // included): this one never gets its page, so "Submit a Request" is the first to ask for it.
    const shell = await signedIn(new FakeApi(), { listNeverAnswers: true });
    const portal = shell.getRootNode() as ShadowRoot;
    await waitUntil(() => buttonIn(shell, 'Submit a Request'));
    const error = console.error;
    console.error = () => undefined;
    try {
      buttonIn(shell, 'Submit a Request')!.click();
      await waitUntil(() => inner(shell, '[part~="alert"]'), 'the failed download was not shown', {
        timeout: 8000,
      });
      assert.include(inner(shell, '[part~="alert"]')!.textContent, 'could not be loaded');
      await fetch('/__tp/fail-lazy-chunk?times=0');
      buttonIn(shell, 'Retry')!.click();
      await waitUntil(
        () => portal.querySelector(built('tp-request-form'))?.shadowRoot?.querySelector('form'),
        'Retry did not load the form',
        {
          timeout: 8000,
        },
      );
    } finally {
      console.error = error;
    }
    const chunks = performance
      .getEntriesByType('resource')
      .map((e) => e.name)
      .filter((name) => name.includes('/dist-retry/chunks/'));
    assert.isTrue(
      chunks.some((name) => /\/chunks\/chunk-[A-Z0-9]+\.js$/.test(name)),
      'the shared chunk',
    );
    assert.isTrue(
      chunks.some((name) => /\/chunks\/lazy-chunk-[A-Z0-9]+\.js$/.test(name)),
      'the lazy chunk',
    );
  });
});
