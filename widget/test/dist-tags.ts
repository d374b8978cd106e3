// The build defines the widget's internal elements under names unique to it, `tp-sign-in-<hash>`
// (scripts/scope-tags.mjs); the sources and their tests use the plain names. Tests of dist/ find the
// built names with built('tp-sign-in').
const bundle = await (await fetch('/dist/ticket-portal.bundle.js')).text();
const suffix = /\btp-sign-in-([0-9a-f]{6})\b/.exec(bundle)?.[1];
if (!suffix) throw new Error('dist/ticket-portal.bundle.js names no tp-sign-in-<hash>: build first');

/** `selector` with each internal tag name (`tp-…`) as the build names it. */
export const built = (selector: string): string =>
  selector.replace(/(?<![\w-])tp-[a-z]+(?:-[a-z]+)*/g, (tag) => `${tag}-${suffix}`);
