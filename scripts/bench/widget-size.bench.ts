// The widget's size as a page downloads it, minified, gzip and brotli: what the first render loads (the
// entry and the chunks it imports statically, the figure the 30 KB budget applies to), the lazily
// loaded chunk, and the one-file bundle. The file lists come from the build's own size check.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

interface SizeCheck {
  BUDGET_BYTES: number;
  BUNDLE: string;
  firstRenderFiles(distDir: string): string[];
  lazyFiles(distDir: string, first: string[]): string[];
}

const kb = (n: number): string => `${(n / 1024).toFixed(1)} KB`;

export async function benchWidgetSize(root: string): Promise<string> {
  const dist = join(root, 'widget/dist');
  const check = (await import(pathToFileURL(join(root, 'widget/scripts/checksize.mjs')).href)) as SizeCheck;
  const first = check.firstRenderFiles(dist);
  const sizes = (files: string[]) =>
    files.map((file) => {
      const raw = readFileSync(file);
      return {
        raw: raw.length,
        gzip: gzipSync(raw, { level: 9 }).length,
        brotli: brotliCompressSync(raw).length,
      };
    });
  const sum = (rows: ReturnType<typeof sizes>) =>
    rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip, brotli: a.brotli + r.brotli }), {
      raw: 0,
      gzip: 0,
      brotli: 0,
    });
  const line = (label: string, s: { raw: number; gzip: number; brotli: number }, budget: string) =>
    `| ${label} | ${kb(s.raw)} | ${kb(s.gzip)} | ${kb(s.brotli)} | ${budget} |`;
  const name = (file: string) => `widget/dist/${relative(dist, file)}`;
  const lazy = check.lazyFiles(dist, first);
  return [
    '| what | minified | gzip | brotli | budget (gzip) |',
    '|---|---|---|---|---|',
    line(`first render: ${first.map(name).join(' + ')}`, sum(sizes(first)), kb(check.BUDGET_BYTES)),
    ...lazy.map((file) => line(`lazy: ${name(file)}`, sum(sizes([file])), '—')),
    line(`one file: ${name(join(dist, check.BUNDLE))}`, sum(sizes([join(dist, check.BUNDLE)])), 'none'),
  ].join('\n');
}
