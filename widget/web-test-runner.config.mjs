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

export default {
  rootDir: fileURLToPath(new URL('.', import.meta.url)),
  files: ['src/**/*.test.ts', 'test/**/*.test.ts'],
  nodeResolve: true,
  // test/dist-bundle.test.ts loads the built bundle from the other loopback name (127.0.0.1 vs
  // localhost), i.e. cross-origin, as a host page would from a CDN: module scripts need CORS.
  middleware: [
    async (ctx, next) => {
      if (ctx.path.startsWith('/dist/')) ctx.set('Access-Control-Allow-Origin', '*');
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
    chromeLauncher({
      launchOptions: {
        executablePath: process.env.CHROME_PATH || '/usr/bin/chromium',
        headless: true,
        args: CHROME_ARGS,
      },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
  browserStartTimeout: 60000,
  testsStartTimeout: 60000,
  testsFinishTimeout: 60000,
  // One page at a time: pages of one origin share localStorage, and the session tests own it.
  concurrency: 1,
};
