// esbuild plugin: the widget's internal elements (<tp-sign-in>, <tp-ticket-list>, …) are defined under
// a name unique to the build, `tp-sign-in-<hash of the sources>`. Custom element names are global to a
// page, so a page (or another widget) that defines its own <tp-sign-in> used to take over the portal's
// screen and blank it; another release of the portal on the same page had the same problem. Only
// <ticket-portal>, the name site editors write, stays as it is. The sources keep the plain names (the
// tests import them as they are); this renames every occurrence while the build loads each file, after
// collapsing its templates (minify-templates.mjs), so it costs a few bytes per tag (ADR 0008).
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { minifyTemplates } from './minify-templates.mjs';

const DEFINE = /\.define\('(tp-[a-z-]+)'\)/g;

function sources(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) =>
      entry.isDirectory()
        ? sources(join(dir, entry.name))
        : entry.name.endsWith('.ts')
          ? [join(dir, entry.name)]
          : [],
    )
    .filter((file) => !file.endsWith('.test.ts'))
    .sort();
}

/** The internal tags (every `X.define('tp-…')` in src/) and a suffix that changes with the sources. */
export function scopeOf(root) {
  const src = join(root, 'src');
  const hash = createHash('sha256');
  const tags = new Set();
  for (const file of sources(src)) {
    const text = readFileSync(file, 'utf8');
    hash.update(relative(src, file)).update('\0').update(text).update('\0');
    for (const match of text.matchAll(DEFINE)) tags.add(match[1]);
  }
  return { tags: [...tags].sort(), suffix: hash.digest('hex').slice(0, 6) };
}

/** `source` with each internal tag name followed by `-<suffix>` (tags, selectors, define calls). */
export function scopeTags(source, { tags, suffix }) {
  if (!tags.length) return source;
  const names = tags.map((tag) => tag.replace(/-/g, '\\-')).join('|');
  return source.replace(new RegExp(`(?<![\\w-])(${names})(?![\\w-])`, 'g'), `$1-${suffix}`);
}

export function scopeTagsPlugin(scope) {
  return {
    name: 'tp-scope-tags',
    setup(build) {
      build.onLoad({ filter: /[\\/]widget[\\/]src[\\/].*\.ts$/ }, async (args) => ({
        contents: scopeTags(minifyTemplates(await readFile(args.path, 'utf8'), args.path), scope),
        loader: 'ts',
      }));
    },
  };
}
