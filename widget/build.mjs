// Builds the widget (ADR 0008), checks the first-render size budget, precompresses every file, writes
// the integrity manifest and custom-elements.json.
// Run from anywhere: `npm run build -w widget`.
//   dist/ticket-portal.js         the entry the snippet names: everything for the first render
//   dist/chunks/*.js              the ticket page and the request form (dynamic import()), and the
//                                 code they share with the entry (imported statically by it)
//   dist/ticket-portal.bundle.js  the same widget as one self-contained file, for hosts that can serve one file
//   dist/**/*.br, *.gz            each file compressed once (the API serves them by Accept-Encoding)
//   dist/integrity.json           sha384 of each script, for the snippet with integrity="…"
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
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

const splitOptions = {
  ...common,
  outdir: 'dist',
  splitting: true,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
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
await esbuild.build({
  ...common,
  entryPoints: { 'ticket-portal.bundle': 'src/ticket-portal.ts' },
  outdir: 'dist',
  // One file: nothing to download again.
  define: { __TP_LAZY_CHUNK__: '""' },
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
