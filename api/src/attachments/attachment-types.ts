import { extensions as extensionsByType, lookup } from 'mime-types';
import { extensionOf } from './file-name';

/** What the content sniffer recognised from the file's first bytes (file-type's answer). */
export interface DetectedType {
  mime: string;
  ext: string;
}

export type TypeVerdict = { ok: true; contentType: string } | { ok: false; reason: string };

/**
 * Types a browser could run or render as a page (HTML, SVG, XML, scripts) and programs: never matched
 * by a family such as `image/*` or `text/*`; an operator who really wants one lists it exactly.
 */
const DANGEROUS = new Set([
  'text/html',
  'application/xhtml+xml',
  'image/svg+xml',
  'text/xml',
  'application/xml',
  'text/javascript',
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'application/wasm',
  'application/x-msdownload',
  'application/x-msdos-program',
  'application/vnd.microsoft.portable-executable',
  'application/x-executable',
  'application/x-elf',
  'application/x-mach-binary',
  'application/x-sh',
  'application/x-bat',
  'application/java-archive',
  'application/x-shockwave-flash',
]);

/** Formats that are zip or OLE (compound file) containers: the sniffer may only see the container. */
const ZIP_FAMILY = new Set([
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'application/vnd.oasis.opendocument.presentation',
  'application/epub+zip',
]);
const CFB_FAMILY = new Set([
  'application/x-cfb',
  'application/msword',
  'application/vnd.ms-excel',
  'application/vnd.ms-powerpoint',
  'application/vnd.ms-outlook',
]);
/** Text formats accepted without magic bytes, when the content reads as text. */
const TEXT_TYPES = new Set(['text/plain', 'text/csv', 'text/tab-separated-values', 'text/markdown']);
/** Names browsers and mail programs use for the same thing. */
const ALIASES: Record<string, string> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/x-png': 'image/png',
  'application/x-zip-compressed': 'application/zip',
  'application/x-zip': 'application/zip',
  'application/x-pdf': 'application/pdf',
  'text/x-log': 'text/plain',
  'text/x-csv': 'text/csv',
  'application/csv': 'text/csv',
  'text/comma-separated-values': 'text/csv',
  'text/rtf': 'application/rtf',
  'application/x-msdos-program': 'application/x-msdownload',
  'application/x-dosexec': 'application/x-msdownload',
  'application/vnd.microsoft.portable-executable': 'application/x-msdownload',
};
/** What a browser may show as an <img>: raster images only (an SVG is a document that can run script). */
const INLINE_IMAGES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

const LABELS: Record<string, string> = {
  'image/png': 'PNG image',
  'image/jpeg': 'JPEG image',
  'image/gif': 'GIF image',
  'image/webp': 'WebP image',
  'image/heic': 'HEIC image',
  'image/svg+xml': 'SVG image',
  'application/pdf': 'PDF document',
  'text/plain': 'plain text',
  'text/csv': 'CSV file',
  'text/html': 'HTML page',
  'application/msword': 'Word document',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'Word document',
  'application/vnd.ms-excel': 'Excel workbook',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'Excel workbook',
  'application/vnd.ms-powerpoint': 'PowerPoint presentation',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PowerPoint presentation',
  'application/vnd.oasis.opendocument.text': 'OpenDocument text',
  'application/vnd.oasis.opendocument.spreadsheet': 'OpenDocument spreadsheet',
  'application/vnd.oasis.opendocument.presentation': 'OpenDocument presentation',
  'application/rtf': 'RTF document',
  'application/zip': 'zip archive',
  'application/x-cfb': 'Microsoft Office (97–2003) file',
  'application/x-msdownload': 'Windows program',
  'application/x-msdos-program': 'Windows program',
  'application/x-elf': 'program',
  'application/x-mach-binary': 'program',
  'application/javascript': 'script',
  'text/javascript': 'script',
};

/** `text/CSV; charset=utf-8` → `text/csv`; generic and empty types → null. */
export function normalizeMediaType(value: string | undefined | null): string | null {
  const type = (value ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === '' || type === 'application/octet-stream' || type === 'binary/octet-stream') return null;
  if (!/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/.test(type)) return null;
  return ALIASES[type] ?? type;
}

/** The media type a file name's extension stands for, or null. */
export function typeOfName(name: string): string | null {
  const ext = extensionOf(name);
  if (ext === '') return null;
  if (ext === 'log') return 'text/plain';
  return normalizeMediaType(lookup(ext) || null);
}

export function describeType(type: string): string {
  return LABELS[type] ?? type;
}

export function isAllowed(type: string, allowed: readonly string[]): boolean {
  if (allowed.includes(type)) return true;
  if (DANGEROUS.has(type)) return false;
  const family = `${type.split('/')[0]}/*`;
  return allowed.includes(family);
}

export function isInlineImage(type: string): boolean {
  return INLINE_IMAGES.has(type);
}

/**
 * File name extensions of the exact allowed types (families such as `image/*` have none: a picker
 * takes the family itself), for the widget's file picker.
 */
export function extensionsOf(allowed: readonly string[]): string[] {
  const names = new Set<string>();
  for (const type of allowed) {
    for (const ext of extensionsByType[type] ?? []) names.add(ext);
  }
  return [...names];
}

/** The allowed list as a person reads it: "PDF document, PNG image, …". */
export function describeAllowed(allowed: readonly string[]): string {
  const labels = [
    ...new Set(allowed.map((t) => (t.endsWith('/*') ? `any ${t.slice(0, -2)}` : describeType(t)))),
  ];
  return labels.join(', ');
}

/**
 * Decides what a customer's file is, from its content first: the name's extension and the type the
 * browser declared are claims that must agree with what the first bytes show. Text formats (txt,
 * csv, log) have no magic bytes; they pass when the content reads as text and is not markup.
 */
export function decideType(
  file: {
    name: string;
    declared: string | null | undefined;
    detected: DetectedType | undefined;
    head: Buffer;
  },
  allowed: readonly string[],
): TypeVerdict {
  const fromName = typeOfName(file.name);
  const declared = normalizeMediaType(file.declared);
  const claims = [...new Set([declared, fromName].filter((t): t is string => t !== null))];
  const allowedText = `Files you can attach: ${describeAllowed(allowed)}.`;

  let effective: string;
  if (file.detected) {
    effective = normalizeMediaType(file.detected.mime) ?? file.detected.mime;
    // A container: the extension says which format inside it.
    if (effective === 'application/zip' && fromName && ZIP_FAMILY.has(fromName)) effective = fromName;
    if (effective === 'application/x-cfb' && fromName && CFB_FAMILY.has(fromName)) effective = fromName;
    const contradicted = claims.find((claim) => !compatible(claim, effective));
    if (contradicted) {
      return {
        ok: false,
        reason: `${file.name} is ${declared === contradicted ? 'sent' : 'named'} as ${article(describeType(contradicted))}, but its content is ${article(describeType(effective))}. Attach the file as it is, with its own name.`,
      };
    }
  } else {
    const text = readsAsText(file.head);
    const markup = text ? markupIn(file.head) : null;
    if (markup) {
      effective = markup;
    } else if (text) {
      // The name says which text format (csv, txt); the browser's declared type may be vaguer.
      effective =
        [fromName, declared].find((t): t is string => t !== null && TEXT_TYPES.has(t)) ?? 'text/plain';
      const contradicted = claims.find((c) => !TEXT_TYPES.has(c) && !compatible(c, effective));
      if (contradicted) {
        return {
          ok: false,
          reason: `${file.name} is ${declared === contradicted ? 'sent' : 'named'} as ${article(describeType(contradicted))}, but its content is plain text. Attach the file as it is, with its own name.`,
        };
      }
    } else {
      const claim = claims[0];
      return {
        ok: false,
        reason: claim
          ? `${file.name} does not look like ${article(describeType(claim))}: its content is not a format the portal recognises. ${allowedText}`
          : `The portal cannot tell what kind of file ${file.name} is. ${allowedText}`,
      };
    }
  }
  if (!isAllowed(effective, allowed)) {
    return {
      ok: false,
      reason: `${file.name} is ${article(describeType(effective))}, which cannot be attached here. ${allowedText}`,
    };
  }
  return { ok: true, contentType: effective };
}

function compatible(claim: string, effective: string): boolean {
  if (claim === effective || describeType(claim) === describeType(effective)) return true;
  if (ZIP_FAMILY.has(claim) && ZIP_FAMILY.has(effective)) return true;
  if (CFB_FAMILY.has(claim) && CFB_FAMILY.has(effective)) return true;
  // A photo saved under the wrong image extension is still that image; it is served as what it is.
  if (claim.startsWith('image/') && effective.startsWith('image/')) {
    return !DANGEROUS.has(claim) && !DANGEROUS.has(effective);
  }
  // Windows browsers declare CSV files as Excel workbooks.
  if (claim === 'application/vnd.ms-excel' && effective === 'text/csv') return true;
  return false;
}

/** No NUL bytes and (almost) no control characters other than tab, line breaks, form feed and escape. */
export function readsAsText(head: Buffer): boolean {
  if (head.length === 0) return false;
  let control = 0;
  for (const byte of head) {
    if (byte === 0) return false;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c && byte !== 0x1b) {
      control += 1;
    }
  }
  return control / head.length < 0.01;
}

/** HTML or SVG served as text would be a page in a browser (and in HubSpot's file viewer). */
function markupIn(head: Buffer): string | null {
  const start = head
    .subarray(0, 2048)
    .toString('utf8')
    .replace(/^\ufeff/, '')
    .trimStart()
    .toLowerCase();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*<svg[\s>]/.test(start) || /^<!doctype svg/.test(start)) {
    return 'image/svg+xml';
  }
  if (/^(<!--[\s\S]*?-->\s*)*<(!doctype html|html|head|body|iframe|meta|object)[\s>]/.test(start)) {
    return 'text/html';
  }
  if (/<script[\s>]/.test(start)) return 'text/html';
  return null;
}

function article(label: string): string {
  const vowelSound =
    /^(HTML|SVG|RTF|MS)\b/.test(label) || (/^[aeiou]/i.test(label) && !/^(uni|eu)/i.test(label));
  return vowelSound ? `an ${label}` : `a ${label}`;
}
