// Builds dist/ticket-portal.js (one ES module, Lit bundled in), checks its gzip budget and writes
// custom-elements.json. Run from anywhere: `npm run build -w widget`.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import * as esbuild from 'esbuild';
import { checkSize } from './scripts/checksize.mjs';

const root = dirname(fileURLToPath(import.meta.url));

const result = await esbuild.build({
  absWorkingDir: root,
  entryPoints: ['src/ticket-portal.ts'],
  outfile: 'dist/ticket-portal.js',
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2021',
  minify: true,
  sourcemap: true,
  // Lit's licence stays with the code, once, at the end of the file.
  legalComments: 'eof',
  tsconfig: 'tsconfig.json',
  metafile: true,
  logLevel: 'warning',
});

const inputs = Object.keys(result.metafile.inputs).length;
console.log(`built dist/ticket-portal.js from ${inputs} modules`);

checkSize(join(root, 'dist/ticket-portal.js'));

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
