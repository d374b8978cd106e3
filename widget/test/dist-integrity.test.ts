// The snippet with Subresource Integrity (docs/embedding.md) against the build: the hashes in
// dist/integrity.json let the entry and its shared chunk load, and a chunk that does not match its
// hash stops the portal from starting. Each case loads the build under its own path (a page imports
// a module URL once).
import { assert, waitUntil } from './testing.js';

interface Integrity {
  algorithm: string;
  files: Record<string, string>;
  firstRender: string[];
  lazy: string[];
}

async function loadWithSnippet(
  base: string,
  integrity: Integrity,
  tamper = false,
): Promise<'load' | 'error'> {
  const [entry, ...shared] = integrity.firstRender;
  for (const file of shared) {
    const link = document.createElement('link');
    link.rel = 'modulepreload';
    link.href = `${base}${file}`;
    link.integrity = tamper
      ? `sha384-${btoa('not the hash of this file, 48 bytes long........')}`
      : integrity.files[file]!;
    link.crossOrigin = 'anonymous';
    document.head.append(link);
  }
  const script = document.createElement('script');
  script.type = 'module';
  script.src = `${base}${entry}`;
  script.integrity = integrity.files[entry!]!;
  script.crossOrigin = 'anonymous';
  const outcome = new Promise<'load' | 'error'>((resolve) => {
    script.addEventListener('load', () => resolve('load'));
    script.addEventListener('error', () => resolve('error'));
  });
  document.head.append(script);
  return outcome;
}

describe('dist/integrity.json and the snippet with integrity', () => {
  let integrity: Integrity;

  before(async () => {
    integrity = (await (await fetch('/dist/integrity.json')).json()) as Integrity;
  });

  it('should list the entry first, its shared chunk, the lazy chunk and the bundle with sha384 hashes', () => {
    assert.strictEqual(integrity.algorithm, 'sha384');
    assert.strictEqual(integrity.firstRender[0], 'ticket-portal.js');
    assert.isAtLeast(integrity.firstRender.length, 2);
    assert.lengthOf(
      integrity.lazy.filter((file) => /^chunks\/lazy-chunk-[A-Z0-9]{8}\.js$/.test(file)),
      1,
      'the lazy chunk',
    );
    // The interface languages (ADR 0012): one catalog each, loaded only by a portal in that language.
    for (const language of ['de', 'fr', 'es', 'ar']) {
      assert.lengthOf(
        integrity.lazy.filter((file) =>
          new RegExp(`^chunks/locale-${language}-[A-Z0-9]{8}\\.js$`).test(file),
        ),
        1,
        `the ${language} catalog`,
      );
    }
    for (const hash of Object.values(integrity.files)) assert.match(hash, /^sha384-[A-Za-z0-9+/]{64}$/);
    assert.property(integrity.files, 'ticket-portal.bundle.js');
  });

  it('should start the portal when every first-render file matches its hash', async () => {
    const outcome = await loadWithSnippet(`http://127.0.0.1:${location.port}/dist-sri/`, integrity);
    assert.strictEqual(outcome, 'load');
    await waitUntil(() => customElements.get('ticket-portal'), 'the entry did not define <ticket-portal>');
  });

  it('should refuse to run when the shared chunk does not match its hash', async () => {
    const base = `http://127.0.0.1:${location.port}/dist-tampered/`;
    const outcome = await loadWithSnippet(base, integrity, true);
    assert.strictEqual(outcome, 'error', 'the entry ran with a chunk that failed its check');
  });
});
