// Builds the widget (ADR 0008), checks the first-render size budget, precompresses every file, writes
// the integrity manifest and custom-elements.json.
// Run from anywhere: `npm run build -w widget`.
//   dist/ticket-portal.js         the entry the snippet names: everything for the first render
//   dist/chunks/*.js              the ticket page and the request form (dynamic import()), and the
//                                 code they share with the entry (imported statically by it)
//   dist/chunks/locale-*.js       the German, French, Spanish and Arabic texts (ADR 0012), one
//                                 self-contained file each, generated from xliff/*.xlf first
//   dist/chunks/framing-*.js      the iframe mode (ADR 0013), self-contained too (ADR 0017)
//   dist/ticket-portal.bundle.js  the same widget as one self-contained file, for hosts that can serve one file
//   dist/**/*.br, *.gz            each file compressed once (the API serves them by Accept-Encoding)
//   dist/integrity.json           sha384 of each script, for the snippet with integrity="…"
import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { BUNDLE, checkSize, firstRenderFiles, lazyFiles } from './scripts/checksize.mjs';
import { precompress, snippet, writeIntegrity } from './scripts/precompress.mjs';
import { scopeOf, scopeTagsPlugin } from './scripts/scope-tags.mjs';

const root = dirname(fileURLToPath(import.meta.url));
// Internal elements get names unique to this build (scripts/scope-tags.mjs); templates are collapsed too.
const scope = scopeOf(root);

const common = {
  absWorkingDir: root,
  entryPoints: { 'ticket-portal': 'src/ticket-portal.ts' },
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2021',
  minify: true,
  sourcemap: true,
  // Lit's licence goes to a .LEGAL.txt file next to each output file, linked from it.
  legalComments: 'linked',
  tsconfig: 'tsconfig.json',
  metafile: true,
  logLevel: 'warning',
  plugins: [scopeTagsPlugin(scope)],
};

// Old content-hashed chunks would pile up otherwise.
rmSync(join(root, 'dist'), { recursive: true, force: true });

// The interface languages (ADR 0012): xliff/*.xlf → src/generated/locales/*.ts (lit-localize's runtime
// modules, committed so that typecheck and the tests from source have them), then one file per
// language. Built apart from the split build: as more entry points of it, the catalogs made esbuild
// move its helpers into a third first-render file.
const localize = join(
  dirname(createRequire(import.meta.url).resolve('@lit/localize-tools/package.json')),
  'bin',
  'lit-localize.js',
);
execFileSync(process.execPath, [localize, 'build'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
// The catalogs need only str``; the package's index would bring the whole runtime again.
const strOnly = {
  name: 'lit-localize-str',
  setup(build) {
    build.onResolve({ filter: /^@lit\/localize$/ }, (args) =>
      build.resolve('@lit/localize/internal/str-tag.js', { kind: args.kind, resolveDir: args.resolveDir }),
    );
  },
};
const { targetLocales } = JSON.parse(readFileSync(join(root, 'lit-localize.json'), 'utf8'));
const catalogs = await esbuild.build({
  ...common,
  entryPoints: Object.fromEntries(targetLocales.map((l) => [l, `src/generated/locales/${l}.ts`])),
  outdir: 'dist/chunks',
  entryNames: 'locale-[name]-[hash]',
  plugins: [strOnly],
  // Arabic as \uXXXX escapes was twice the bytes (module scripts are always read as UTF-8).
  charset: 'utf8',
});
const catalogFile = Object.fromEntries(
  Object.entries(catalogs.metafile.outputs)
    .filter(([, output]) => output.entryPoint)
    .map(([file, output]) => [output.entryPoint.match(/(\w+)\.ts$/)[1], file.replace(/^dist\//, './')]),
);
// The split build leaves the catalogs' import()s to these files (from the entry, which holds them).
const catalogsPlugin = {
  name: 'locale-catalogs',
  setup(build) {
    build.onResolve({ filter: /\/generated\/locales\/\w+\.js$/ }, (args) => ({
      path: catalogFile[args.path.match(/(\w+)\.js$/)[1]],
      external: true,
    }));
  },
};

// The iframe mode (ADR 0013) is one self-contained file too, for the same reason: as an entry point of
// the split build it made esbuild put its helpers (__decorateClass) in a third first-render file of
// 197 B brotli. It imports nothing of the first render but types (ADR 0017).
const framing = await esbuild.build({
  ...common,
  plugins: [],
  entryPoints: { framing: 'src/frame/framing.ts' },
  outdir: 'dist/chunks',
  entryNames: 'framing-[hash]',
});
const framingFile = Object.entries(framing.metafile.outputs)
  .find(([, output]) => output.entryPoint)[0]
  .replace(/^dist\//, './');
const framingPlugin = {
  name: 'framing',
  setup(build) {
    build.onResolve({ filter: /\/frame\/framing\.js$/ }, () => ({ path: framingFile, external: true }));
  },
};

const splitOptions = {
  ...common,
  outdir: 'dist',
  splitting: true,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  plugins: [...common.plugins, catalogsPlugin, framingPlugin],
};
// Retry after a failed download must ask for the lazy chunk under another URL (browsers remember a
// failed module import). Pass 1 learns the chunk's hashed name; pass 2 hands it to the entry. The
// name only appears in the entry, so the chunks' hashes stay the same.
const probe = await esbuild.build({ ...splitOptions, write: false, define: { __TP_LAZY_CHUNK__: '""' } });
const lazyChunk = Object.entries(probe.metafile.outputs).find(
  ([, output]) => output.entryPoint === 'src/internal/lazy-chunk.ts',
)?.[0];
if (!lazyChunk) throw new Error('esbuild wrote no lazy chunk');
const lazyUrl = `./${lazyChunk.replace(/^dist\//, '')}`;
const split = await esbuild.build({
  ...splitOptions,
  define: { __TP_LAZY_CHUNK__: JSON.stringify(lazyUrl) },
});
if (!split.metafile.outputs[lazyChunk]) throw new Error(`the lazy chunk is not ${lazyChunk} any more`);
const entryCode = readFileSync(join(root, 'dist', 'ticket-portal.js'), 'utf8');
for (const file of [...Object.values(catalogFile), framingFile]) {
  // Their paths are relative to the entry: the code that imports them must stay in it.
  if (!entryCode.includes(`"${file}"`)) throw new Error(`dist/ticket-portal.js does not import ${file}`);
}
await esbuild.build({
  ...common,
  entryPoints: { 'ticket-portal.bundle': 'src/ticket-portal.ts' },
  outdir: 'dist',
  // One file: nothing to download again (the catalogs are in it too).
  define: { __TP_LAZY_CHUNK__: '""' },
  plugins: [...common.plugins, strOnly],
  charset: 'utf8',
});

const inputs = Object.keys(split.metafile.inputs).length;
console.log(
  `built dist/ticket-portal.js and dist/chunks/ from ${inputs} modules (internal tags: tp-…-${scope.suffix})`,
);

const dist = join(root, 'dist');
checkSize(dist);

const first = firstRenderFiles(dist);
const integrity = writeIntegrity(dist, first, lazyFiles(dist, first), join(dist, BUNDLE));
console.log(`wrote dist/integrity.json; the snippet with Subresource Integrity for this build:\n`);
console.log(
  snippet(integrity, 'https://portal-api.example.com/widget/', 'https://portal-api.example.com')
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n'),
);
console.log(`\nprecompressed ${precompress(dist)} files (.br, .gz)`);

// The manifest documents attributes, events, parts and CSS properties for editors and IDEs.
// npm workspaces hoist the analyzer to the root node_modules; resolve it rather than guess.
const cem = join(
  dirname(createRequire(import.meta.url).resolve('@custom-elements-manifest/analyzer/package.json')),
  'cem.js',
);
execFileSync(process.execPath, [cem, 'analyze', '--config', 'custom-elements-manifest.config.mjs'], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});
console.log('wrote custom-elements.json');
