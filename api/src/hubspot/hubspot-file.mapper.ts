import { lookup } from 'mime-types';
import { type HsAttachment, type HsFile } from './hubspot.types';
import { type WireFile } from './hubspot-wire.types';

const UNKNOWN_TYPE = 'application/octet-stream';

/** HubSpot keeps `name` and `extension` apart (`statement` + `pdf`); people see them together. */
export function fileName(file: Pick<WireFile, 'id' | 'name' | 'extension'>): string {
  const name = file.name?.trim() || `file-${file.id}`;
  const extension = file.extension?.trim().replace(/^\./, '') ?? '';
  return extension !== '' && !name.toLowerCase().endsWith(`.${extension.toLowerCase()}`)
    ? `${name}.${extension}`
    : name;
}

/** HubSpot stores no media type for a file: derive it from the extension. */
export function contentTypeFor(name: string): string {
  return lookup(name) || UNKNOWN_TYPE;
}

export function toAttachment(file: WireFile): HsAttachment {
  const name = fileName(file);
  return {
    fileId: String(file.id),
    name,
    contentType: contentTypeFor(name),
    size: typeof file.size === 'number' && Number.isFinite(file.size) ? file.size : null,
  };
}

export function toHsFile(file: WireFile): HsFile {
  return {
    id: String(file.id),
    name: fileName(file),
    size: typeof file.size === 'number' && Number.isFinite(file.size) ? file.size : null,
    access: file.access ?? 'PRIVATE',
  };
}

/** `hs_attachment_ids` ("1;2;3") as ids, in order, without blanks or repeats. */
export function attachmentIds(value: string | null | undefined): string[] {
  const ids = (value ?? '')
    .split(';')
    .map((id) => id.trim())
    .filter((id) => /^\d+$/.test(id));
  return [...new Set(ids)];
}
