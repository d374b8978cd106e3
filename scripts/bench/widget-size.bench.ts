// The widget's size as a page downloads it: one ES module, minified, gzip and brotli.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export function benchWidgetSize(root: string): Promise<string> {
  const file = join(root, 'widget/dist/ticket-portal.js');
  const raw = readFileSync(file);
  const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;
  return Promise.resolve(
    [
      '| file | minified | gzip | brotli | budget (gzip) |',
      '|---|---|---|---|---|',
      `| widget/dist/ticket-portal.js | ${kb(raw.length)} | ${kb(gzipSync(raw, { level: 9 }).length)} | ${kb(brotliCompressSync(raw).length)} | 30 KB |`,
    ].join('\n'),
  );
}
