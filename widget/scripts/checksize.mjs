// Fails when the first render is over its budget: dist/ticket-portal.js plus every file it imports
// statically (the shared chunks), because a page needs all of them before the first paint. The
// budget counts what travels: brotli, as the build writes the .br files the API serves to browsers
// (all of them accept it over HTTPS); gzip, for clients that only take that, is printed next to it.
// The lazy chunks (ticket page, request form) and the one-file bundle are printed, not budgeted.
// `npm run checksize -w widget` (build first); build.mjs runs it too.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotli as brotliOf, gzip as gzipOf } from './precompress.mjs';

export const BUDGET_BYTES = 30 * 1024;
export const ENTRY = 'ticket-portal.js';
export const BUNDLE = 'ticket-portal.bundle.js';

const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const gzip = (buffer) => gzipOf(buffer).length;
const brotli = (buffer) => brotliOf(buffer).length;
const sizes = (raw) => `${kb(raw.length)} minified, ${kb(brotli(raw))} brotli, ${kb(gzip(raw))} gzip`;

// esbuild writes static imports as `import{a as b}from"./chunks/x.js"` (or `import"./x.js"`) at
// the top of a module, and dynamic ones as `import("./chunks/x.js")`.
const STATIC_IMPORT = /(?:^|[;\n])\s*import\s*(?:[\w$*{}\s,]+?\s*from\s*)?["']([^"']+\.js)["']/g;
const DYNAMIC_IMPORT = /\bimport\(\s*["']([^"']+\.js)["']\s*\)/g;

function importsOf(file, pattern) {
  const code = readFileSync(file, 'utf8');
  return [...code.matchAll(pattern)].map((m) => resolve(dirname(file), m[1]));
}

/** The entry and everything it imports statically, transitively, in load order. */
export function firstRenderFiles(distDir) {
  const seen = new Set();
  const visit = (file) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const next of importsOf(file, STATIC_IMPORT)) visit(next);
  };
  visit(join(distDir, ENTRY));
  return [...seen];
}

/** Files reached only through dynamic import() (and their own static imports not in the first render). */
export function lazyFiles(distDir, first) {
  const firstSet = new Set(first);
  const lazy = new Set();
  const queue = first.flatMap((file) => importsOf(file, DYNAMIC_IMPORT));
  while (queue.length) {
    const file = queue.shift();
    if (firstSet.has(file) || lazy.has(file)) continue;
    lazy.add(file);
    queue.push(...importsOf(file, STATIC_IMPORT), ...importsOf(file, DYNAMIC_IMPORT));
  }
  return [...lazy];
}

export function checkSize(distDir) {
  const name = (file) => `dist/${relative(distDir, file)}`;
  const first = firstRenderFiles(distDir);
  let total = 0;
  let totalGzip = 0;
  for (const file of first) {
    const raw = readFileSync(file);
    total += brotli(raw);
    totalGzip += gzip(raw);
    console.log(`  first render  ${name(file)}: ${sizes(raw)}`);
  }
  for (const file of lazyFiles(distDir, first)) {
    console.log(`  lazy          ${name(file)}: ${sizes(readFileSync(file))}`);
  }
  const bundle = join(distDir, BUNDLE);
  if (existsSync(bundle)) {
    console.log(`  one file      ${name(bundle)}: ${sizes(readFileSync(bundle))} (no budget)`);
  }
  const line = `first render (${first.length} file${first.length === 1 ? '' : 's'}): ${kb(total)} brotli (budget ${kb(BUDGET_BYTES)}), ${kb(totalGzip)} gzip`;
  if (total > BUDGET_BYTES) {
    console.error(`size check FAILED — ${line}`);
    process.exitCode = 1;
    throw new Error('over the brotli budget');
  }
  console.log(`size check ok — ${line}`);
  return total;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    checkSize(fileURLToPath(new URL('../dist', import.meta.url)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
