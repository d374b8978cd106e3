import { chromeLauncher } from '@web/test-runner-chrome';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { fileURLToPath } from 'node:url';

// Debian's Chromium, quiet: no updates, sync or Google lookups (see docs/conventions.md).
const CHROME_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-default-apps',
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
];

let failLazyChunk = 0;

// The launcher reuses one tab for every test file, so the tab's session history grows across files
// until Chrome's cap of 50 entries; past it, a test's history.back() can leave its own page
// (src/components/ticket-list/ticket-list-address.test.ts did, once the requests tests added their entries).
// Close each file's tab when it is done: every file starts with a fresh history.
function freshTabPerFile(launcher) {
  const stopSession = launcher.stopSession.bind(launcher);
  launcher.stopSession = async (sessionId) => {
    const result = await stopSession(sessionId);
    const page = launcher.inactivePages?.pop();
    await page?.puppeteerPage.close().catch(() => undefined);
    return result;
  };
  return launcher;
}

export default {
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  files: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  nodeResolve: true,
  // test/dist-bundle.test.ts loads the built bundle from the other loopback name (127.0.0.1 vs
  // localhost), i.e. cross-origin, as a host page would from a CDN: module scripts need CORS.
  middleware: [
    async (ctx, next) => {
      // test/dist-chunks.test.ts: make the next request(s) for the lazy chunk fail, as a flaky network would.
      if (ctx.path === '/__tp/fail-lazy-chunk') {
        failLazyChunk = Number(ctx.query.times ?? 1);
        ctx.status = 204;
        return;
      }
      // The same build under other names (/dist-again/, /dist-sri/, …), for tests that count downloads
      // or load it more than once: Chromium keeps a module that failed to load (test/dist-chunks.test.ts
      // makes one fail) for later pages too, and a page imports each module URL once.
      if (/^\/dist-[a-z]+\//.test(ctx.path)) ctx.path = ctx.path.replace(/^\/dist-[a-z]+\//, '/dist/');
      if (ctx.path.startsWith('/dist/')) ctx.set('Access-Control-Allow-Origin', '*');
      if (ctx.path.startsWith('/dist/chunks/lazy-chunk-') && failLazyChunk > 0) {
        failLazyChunk -= 1;
        ctx.status = 503;
        ctx.body = 'Service unavailable';
        return;
      }
      await next();
      // Dependencies do not change during a run: let every test page reuse the first page's
      // download and compiled code instead of fetching ~1.5 MB (chai, axe, Lit) again.
      if (ctx.path.includes('/node_modules/') && ctx.status === 200)
        ctx.set('Cache-Control', 'public, max-age=600');
    },
  ],
  hostname: 'localhost',
  plugins: [
    esbuildPlugin({ ts: true, tsconfig: fileURLToPath(new URL('./tsconfig.json', import.meta.url)) }),
  ],
  browsers: [
    freshTabPerFile(
      chromeLauncher({
        launchOptions: {
          executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
          headless: true,
          args: CHROME_ARGS,
        },
      }),
    ),
  ],
  // A test's own waits are bounded (test/testing.ts's waitUntil: 5 s); this bounds a whole test, which on
  // two cores shared with other work can take well over the 10 s an idle machine never comes near.
  testFramework: { config: { timeout: 30000 } },
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 60000,
  // One page at a time: pages of one origin share localStorage, and the session tests own it.
  concurrency: 1,
};
