import sanitizeHtml from 'sanitize-html';

// The only markup a ticket's conversation may show in the customer's page (the contract's subset).
// Everything else is dropped with its content where it can run or hide things (script, style,
// iframe, svg, math, forms, templates), or unwrapped to its text otherwise.
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ['p', 'br', 'b', 'strong', 'i', 'em', 'u', 'a', 'ul', 'ol', 'li', 'blockquote', 'pre', 'code'],
  allowedAttributes: { a: ['href', 'rel', 'target'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  nonTextTags: [
    'script',
    'style',
    'textarea',
    'option',
    'noscript',
    'iframe',
    'object',
    'embed',
    'svg',
    'math',
    'template',
    'title',
    'head',
    'xmp',
    'noembed',
    'noframes',
    'plaintext',
  ],
  // Deeper nesting is unwrapped: a hostile email of thousands of nested quotes would stall the page.
  nestingLimit: 40,
  allowedStyles: {},
  parseStyleAttributes: false,
  transformTags: {
    // Links leave the host page in a new tab without handing it window.opener or the referrer.
    a: (tagName, attribs) => {
      const out: Record<string, string> = {};
      if (attribs.href !== undefined) out.href = attribs.href;
      out.rel = 'noopener noreferrer nofollow';
      out.target = '_blank';
      return { tagName, attribs: out };
    },
  },
  exclusiveFilter: (frame) => frame.tag === 'a' && !frame.attribs.href && frame.text.trim() === '',
};

/** HubSpot's HTML reduced to the safe subset: no script, handler, style, image, frame or form survives. */
export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS).trim();
}

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** Plain text as the subset's HTML: paragraphs at blank lines, <br> at single line breaks. */
export function textToHtml(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .trim()
    .split(/\n{2,}/)
    .filter((p) => p.trim() !== '')
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('');
}

/** The most of one message the portal renders (HTML or text, in characters); the rest stays in the email. */
export const MAX_MESSAGE_CHARS = 256 * 1024;
export const SHORTENED_NOTE = 'This message was shortened; the full text is in the email.';

export interface RenderedMessage {
  /** The safe subset's HTML, never empty when there is anything to show. */
  html: string;
  text: string;
  shortened: boolean;
}

/**
 * What the portal shows of one message: the sanitised HTML (or the text as HTML) and readable
 * text, each at most MAX_MESSAGE_CHARS plus a visible note when cut. Linear in the input, so one
 * huge or hostile email cannot stall the API; the mirror stores the result when it writes the
 * message, so reading a ticket does none of this.
 */
export function renderMessage(rawText: string | null, rawHtml: string | null): RenderedMessage {
  const htmlIn = rawHtml ? cut(rawHtml) : null;
  const textIn = rawText !== null ? cut(rawText) : null;
  const shortened = (htmlIn?.cut ?? false) || (textIn?.cut ?? false);
  let text = textIn ? textIn.value : htmlIn ? htmlToText(htmlIn.value) : '';
  const clean = htmlIn ? sanitizeMessageHtml(htmlIn.value) : '';
  let html = clean !== '' ? clean : textToHtml(text);
  if (shortened) {
    html += `<p><em>${SHORTENED_NOTE}</em></p>`;
    text = text === '' ? SHORTENED_NOTE : `${text}\n\n${SHORTENED_NOTE}`;
  }
  return { html, text, shortened };
}

function cut(value: string): { value: string; cut: boolean } {
  if (value.length <= MAX_MESSAGE_CHARS) return { value, cut: false };
  // Not between the halves of a surrogate pair.
  let end = MAX_MESSAGE_CHARS;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { value: value.slice(0, end), cut: true };
}

/** Readable text of an HTML body (for `text` when HubSpot sent only HTML). Linear time. */
export function htmlToText(html: string): string {
  const withBreaks = html
    .replace(/<\s*br\s*\/?>/gi, '\n')
    .replace(/<\/\s*(p|div|li|blockquote|pre|h[1-6]|tr)\s*>/gi, '\n');
  const text = sanitizeHtml(withBreaks, {
    allowedTags: [],
    allowedAttributes: {},
    nonTextTags: OPTIONS.nonTextTags,
  });
  // Line by line, not /[ \t]+\n/: that regex backtracks over every run of blanks from each of its
  // positions, so 100 KB of spaces took seconds.
  return tidyLines(decodeEntities(text)).trim();
}

// Drops blanks at line ends and keeps at most one empty line in a row.
function tidyLines(text: string): string {
  const out: string[] = [];
  let empties = 0;
  for (const line of text.split('\n')) {
    let end = line.length;
    while (end > 0) {
      const c = line.charCodeAt(end - 1);
      if (c !== 32 && c !== 9) break;
      end -= 1;
    }
    if (end === 0) {
      empties += 1;
      if (empties > 1) continue;
    } else {
      empties = 0;
    }
    out.push(end === line.length ? line : line.slice(0, end));
  }
  return out.join('\n');
}

function decodeEntities(text: string): string {
  return text
    .replace(/&nbsp;|\u00a0/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}
