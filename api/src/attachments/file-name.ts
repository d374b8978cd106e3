import { extension as extensionFor } from 'mime-types';

const MAX_NAME_LENGTH = 180;
// Control characters, and the bidirectional overrides that make `invoice‮fdp.exe` read as `invoiceexe.pdf`.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
// Reserved on Windows, or meaningful in a path or a header.
const RESERVED = /[<>:"/\\|?*;]/g;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;

/**
 * A file name that is safe to store, to send to HubSpot and to offer in Content-Disposition: the last
 * path segment only, NFC, without control or direction-changing characters, without characters
 * that are reserved on common file systems, not hidden (no leading dot), at most 180 characters with
 * its extension kept. Falls back to `file.<ext>` (from the media type) when nothing is left.
 */
export function sanitizeFileName(raw: string | undefined, contentType?: string): string {
  let name = (raw ?? '').normalize('NFC').replace(INVISIBLE, '');
  name = name.split(/[/\\]/).pop() ?? '';
  name = name
    .replace(RESERVED, '_')
    .replace(/\s+/g, ' ')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (WINDOWS_DEVICE.test(name)) name = `_${name}`;
  if (name === '' || /^_+$/.test(name)) {
    const ext = contentType ? extensionFor(contentType) : false;
    name = ext ? `file.${ext}` : 'file';
  }
  return truncateKeepingExtension(name, MAX_NAME_LENGTH);
}

/** The extension in lower case without the dot, or '' (`archive.tar.gz` → `gz`, `.env` → ''). */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0 || dot === name.length - 1) return '';
  return name.slice(dot + 1).toLowerCase();
}

function truncateKeepingExtension(name: string, max: number): string {
  const chars = [...name];
  if (chars.length <= max) return name;
  const ext = extensionOf(name);
  const tail = ext && ext.length <= 16 ? [...`.${ext}`] : [];
  return `${chars
    .slice(0, max - tail.length)
    .join('')
    .trimEnd()}${tail.join('')}`;
}
