// What the build writes for delivery, next to the files esbuild wrote:
//   *.br and *.gz   every text file compressed once at build time, at the highest levels (too slow to do
//                   per request); the API serves them by Accept-Encoding (@fastify/static preCompressed)
//   integrity.json  Subresource Integrity (sha384) of every script, and which of them the first render
//                   loads, for the snippet with integrity="…" (docs/embedding.md)
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

const TEXT = /\.(js|map|json|txt)$/;

/** Brotli as the build writes it (and as the size budget counts it). */
export const brotli = (buffer) =>
  brotliCompressSync(buffer, {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: buffer.length,
    },
  });
export const gzip = (buffer) => gzipSync(buffer, { level: 9 });

function filesUnder(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Writes `<file>.br` and `<file>.gz` next to each text file in dist. */
export function precompress(distDir) {
  let count = 0;
  for (const file of filesUnder(distDir)) {
    if (!TEXT.test(file)) continue;
    const raw = readFileSync(file);
    writeFileSync(`${file}.br`, brotli(raw));
    writeFileSync(`${file}.gz`, gzip(raw));
    count += 1;
  }
  return count;
}

export const sri = (buffer) => `sha384-${createHash('sha384').update(buffer).digest('base64')}`;

/**
 * dist/integrity.json: `{ algorithm, files: { "<path>": "sha384-…" }, firstRender: [...], lazy: [...] }`
 * with paths relative to dist/ and `/` separators. Returns it.
 */
export function writeIntegrity(distDir, firstRender, lazy, bundle) {
  const name = (file) => relative(distDir, file).split(sep).join('/');
  const files = {};
  for (const file of [...firstRender, ...lazy, bundle]) files[name(file)] = sri(readFileSync(file));
  const manifest = {
    algorithm: 'sha384',
    files,
    firstRender: firstRender.map(name),
    lazy: lazy.map(name),
  };
  writeFileSync(join(distDir, 'integrity.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/**
 * The snippet with integrity for `base` (the URL of the folder that holds ticket-portal.js): the
 * entry as a module script, and each chunk it imports statically as a modulepreload link with its
 * own hash, so the browser checks every file of the first render before running it.
 */
export function snippet(manifest, base, apiUrl) {
  const [entry, ...shared] = manifest.firstRender;
  const lines = shared.map(
    (file) =>
      `<link rel="modulepreload" href="${base}${file}" integrity="${manifest.files[file]}" crossorigin="anonymous">`,
  );
  lines.push(
    `<script type="module" src="${base}${entry}" integrity="${manifest.files[entry]}" crossorigin="anonymous"></script>`,
    `<ticket-portal api-url="${apiUrl}"></ticket-portal>`,
  );
  return lines.join('\n');
}
