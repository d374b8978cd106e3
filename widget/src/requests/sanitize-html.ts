// A second, client-side pass over message HTML. The API already reduces HubSpot's HTML to a safe
// subset; this keeps the page safe even if it did not (a bug, an older API, a hostile proxy).
// The HTML is parsed in an inert <template> (no script runs, no image loads), then rebuilt from
// an allow-list: unknown elements keep only their text, dangerous ones go entirely, and no
// attribute survives except a vetted href on links.

const ALLOWED = new Set([
  'P',
  'BR',
  'B',
  'STRONG',
  'I',
  'EM',
  'U',
  'A',
  'UL',
  'OL',
  'LI',
  'BLOCKQUOTE',
  'PRE',
  'CODE',
]);
// Removed with everything inside: their content is code, styling or embedded documents, not text.
const DROPPED = new Set([
  'SCRIPT',
  'STYLE',
  'TEMPLATE',
  'IFRAME',
  'FRAME',
  'FRAMESET',
  'OBJECT',
  'EMBED',
  'APPLET',
  'NOSCRIPT',
  'SVG',
  'MATH',
  'LINK',
  'META',
  'BASE',
  'HEAD',
  'TITLE',
  'TEXTAREA',
  'SELECT',
  'BUTTON',
  'INPUT',
  'FORM',
  'IMG',
  'VIDEO',
  'AUDIO',
  'SOURCE',
  'PICTURE',
  'CANVAS',
]);
const SAFE_LINK = /^(https?:|mailto:)/i;

/** A link target only if it is http(s) or mailto, else null. */
export function safeHref(value: string | null): string | null {
  // Browsers ignore control characters and spaces inside a scheme ("java\tscript:"); so do we.
  // eslint-disable-next-line no-control-regex -- matching control characters is the point here
  const compact = (value ?? '').replace(/[\u0000-\u0020\u007f-\u009f]/g, '');
  return SAFE_LINK.test(compact) ? compact : null;
}

function clean(source: Node, target: Node, depth: number): void {
  for (const node of Array.from(source.childNodes)) {
    if (node.nodeType === Node.TEXT_NODE) {
      target.appendChild(document.createTextNode(node.textContent ?? ''));
      continue;
    }
    if (node.nodeType !== Node.ELEMENT_NODE) continue; // comments, processing instructions
    const tag = (node as Element).tagName.toUpperCase();
    if (DROPPED.has(tag)) continue;
    // Deeply nested markup is flattened to text rather than walked without end.
    if (!ALLOWED.has(tag) || depth > 30) {
      clean(node, target, depth + 1);
      continue;
    }
    const copy = document.createElement(tag.toLowerCase());
    if (tag === 'A') {
      const href = safeHref((node as Element).getAttribute('href'));
      if (href) {
        copy.setAttribute('href', href);
        copy.setAttribute('target', '_blank');
        copy.setAttribute('rel', 'noopener noreferrer nofollow');
      }
    }
    clean(node, copy, depth + 1);
    target.appendChild(copy);
  }
}

// Trusted Types (`require-trusted-types-for 'script'` in the page's CSP) refuse a string in innerHTML.
// The inert <template> is then filled through a policy of our own, `ticket-portal` (the page lists it
// in `trusted-types`, docs/embedding.md): what it parses never reaches the page, only what clean()
// rebuilds from it does. undefined: not tried yet; null: the page does not allow it.
let policy: { createHTML(html: string): unknown } | null | undefined;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Without a parser (the page allows no policy of ours): the message's text, its markup dropped. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|template)\b[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|li|blockquote|pre)\s*>/gi, '\n')
    .replace(/<\/?[a-z!?][^>]*>?/gi, '')
    .replace(/&(#x[\da-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
      if (name[0] !== '#') return ENTITIES[name.toLowerCase()] ?? whole;
      const code =
        name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    })
    .trim();
}

function parse(html: string): DocumentFragment | null {
  const template = document.createElement('template');
  const factory = (window as { trustedTypes?: { createPolicy(name: string, rules: object): typeof policy } })
    .trustedTypes;
  if (factory && policy === undefined) {
    try {
      policy = factory.createPolicy('ticket-portal', { createHTML: (input: string) => input });
    } catch {
      policy = null;
    }
  }
  try {
    template.innerHTML = (policy ? policy.createHTML(html) : html) as string;
    return template.content;
  } catch {
    return null;
  }
}

/**
 * Message HTML as a detached element holding only allowed, attribute-free markup (links keep a
 * checked href). Nodes are created fresh, never moved from the parsed tree, so nothing the
 * parser attached can come along. Where Trusted Types leave no way to parse it, its text.
 */
export function sanitizeHtml(html: string, into: HTMLElement = document.createElement('div')): HTMLElement {
  const parsed = parse(html);
  if (parsed) clean(parsed, into, 0);
  else {
    into.style.whiteSpace = 'pre-line';
    into.append(htmlToText(html));
  }
  return into;
}
