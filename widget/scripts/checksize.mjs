// Fails when the bundle is over its gzip budget (everything loaded before the first render).
// `npm run checksize -w widget` (build first); build.mjs runs it too.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

export const BUDGET_BYTES = 30 * 1024;

export function checkSize(file) {
  const raw = readFileSync(file);
  const gzipped = gzipSync(raw, { level: 9 }).length;
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const line = `${file.split('/').slice(-2).join('/')}: ${kb(raw.length)} minified, ${kb(gzipped)} gzip (budget ${kb(BUDGET_BYTES)})`;
  if (gzipped > BUDGET_BYTES) {
    console.error(`size check FAILED — ${line}`);
    process.exitCode = 1;
    throw new Error('over the gzip budget');
  }
  console.log(`size check ok — ${line}`);
  return gzipped;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    checkSize(fileURLToPath(new URL('../dist/ticket-portal.js', import.meta.url)));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
