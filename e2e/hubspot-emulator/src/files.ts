import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { EMULATOR_PORTAL_ID } from './constants';
import { badRequest, HubSpotError, notFound } from './errors';
import { iso } from './store';

export type FileAccess =
  | 'PUBLIC_INDEXABLE'
  | 'PUBLIC_NOT_INDEXABLE'
  | 'PRIVATE'
  | 'SENSITIVE'
  | 'HIDDEN_INDEXABLE'
  | 'HIDDEN_NOT_INDEXABLE'
  | 'HIDDEN_PRIVATE'
  | 'HIDDEN_SENSITIVE';

export const FILE_ACCESS_VALUES: readonly FileAccess[] = [
  'PUBLIC_INDEXABLE',
  'PUBLIC_NOT_INDEXABLE',
  'PRIVATE',
  'SENSITIVE',
  'HIDDEN_INDEXABLE',
  'HIDDEN_NOT_INDEXABLE',
  'HIDDEN_PRIVATE',
  'HIDDEN_SENSITIVE',
];

/** Only these are readable without a signed URL. */
const PUBLIC_ACCESS = new Set<FileAccess>(['PUBLIC_INDEXABLE', 'PUBLIC_NOT_INDEXABLE']);

export interface StoredFile {
  id: string;
  /** Without the extension, as HubSpot reports it. */
  name: string;
  /** Without the dot, lower case; '' when the name has none. */
  extension: string;
  parentFolderId: string;
  access: FileAccess;
  /** Media type the bytes were uploaded with (served back by the file URLs). */
  contentType: string;
  size: number;
  md5: string;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt: number | null;
  data: Buffer;
}

export interface Folder {
  id: string;
  name: string;
  /** '/a/b' for nested folders; '' is the root. */
  path: string;
  parentFolderId: string | null;
  createdAt: number;
  updatedAt: number;
  archived: boolean;
}

export interface UploadInput {
  data: Buffer;
  /** The multipart part's file name, used when `fileName` is absent. */
  partName: string;
  contentType: string;
  fileName?: string;
  folderId?: string;
  folderPath?: string;
  options: UploadOptions;
}

export interface UploadOptions {
  access: FileAccess;
  overwrite: boolean;
  duplicateValidationStrategy: 'NONE' | 'REJECT' | 'RETURN_EXISTING';
  duplicateValidationScope: 'ENTIRE_PORTAL' | 'EXACT_FOLDER';
}

export interface SignedUrlAnswer {
  url: string;
  expiresAt: string;
  name: string;
  extension: string;
  size: number;
  type: string;
}

/** Largest upload the emulator keeps in memory (its limit, not HubSpot's). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const DEFAULT_SIGNED_URL_SECONDS = 3600;
const MAX_SIGNED_URL_SECONDS = 7 * 86_400;

const TYPE_BY_EXTENSION: Record<string, string> = {};
for (const [type, exts] of Object.entries({
  IMG: 'png jpg jpeg gif webp svg bmp tif tiff ico heic',
  MOVIE: 'mp4 mov avi webm mkv wmv m4v',
  AUDIO: 'mp3 wav ogg m4a aac flac aif aiff wma',
  DOCUMENT: 'pdf doc docx xls xlsx ppt pptx txt csv rtf odt ods odp md json xml html htm',
})) {
  for (const ext of exts.split(' ')) TYPE_BY_EXTENSION[ext] = type;
}

/** HubSpot's file `type`: IMG, DOCUMENT, AUDIO, MOVIE or OTHER, by extension. */
export function fileType(extension: string): string {
  return TYPE_BY_EXTENSION[extension.toLowerCase()] ?? 'OTHER';
}

export function fullName(file: Pick<StoredFile, 'name' | 'extension'>): string {
  return file.extension ? `${file.name}.${file.extension}` : file.name;
}

function splitName(raw: string): { name: string; extension: string } {
  const base = raw.split(/[\\/]/).pop()?.trim() ?? '';
  const dot = base.lastIndexOf('.');
  if (dot <= 0 || dot === base.length - 1) return { name: base, extension: '' };
  return { name: base.slice(0, dot), extension: base.slice(dot + 1).toLowerCase() };
}

function normaliseFolderPath(raw: string): string {
  const parts = raw.split('/').map((p) => p.trim());
  if (parts.some((p) => p === '.' || p === '..')) {
    throw badRequest(`folderPath "${raw}" must not contain "." or ".." segments.`);
  }
  const clean = parts.filter((p) => p !== '');
  return clean.length === 0 ? '' : `/${clean.join('/')}`;
}

/**
 * The file manager: files with their bytes, folders made on demand from `folderPath`, and the
 * signed URLs that let anyone holding one read a private file until it expires.
 */
export class FileStore {
  readonly files = new Map<string, StoredFile>();
  readonly folders = new Map<string, Folder>();
  nextFileId = 180_000_000_000;
  nextFolderId = 190_000_000_000;
  /** Signs URLs; a restarted emulator invalidates the URLs it handed out before. */
  private readonly secret = randomBytes(32);

  constructor(
    private readonly now: () => number,
    private readonly changed: () => void,
  ) {}

  get(id: string, includeArchived = false): StoredFile | undefined {
    const file = this.files.get(id);
    return file && (includeArchived || !file.archived) ? file : undefined;
  }

  /** Live file or a 404 in HubSpot's words. */
  require(id: string): StoredFile {
    const file = /^\d+$/.test(id) ? this.get(id) : undefined;
    if (!file) throw notFound(`File ${id} does not exist or was deleted.`);
    return file;
  }

  folderPath(file: StoredFile): string {
    return this.folders.get(file.parentFolderId)?.path ?? '';
  }

  path(file: StoredFile): string {
    return `${this.folderPath(file)}/${fullName(file)}`;
  }

  upload(input: UploadInput): { file: StoredFile; existing: boolean } {
    const folder = this.resolveFolder(input.folderId, input.folderPath);
    const { name, extension } = splitName(input.fileName?.trim() || input.partName);
    if (name === '') throw badRequest('The file needs a name: send fileName or a file part with a filename.');
    const md5 = createHash('md5').update(input.data).digest('hex');
    const { duplicateValidationStrategy: strategy, duplicateValidationScope: scope } = input.options;
    if (strategy !== 'NONE') {
      const duplicate = [...this.files.values()].find(
        (f) => !f.archived && f.md5 === md5 && (scope === 'ENTIRE_PORTAL' || f.parentFolderId === folder.id),
      );
      if (duplicate && strategy === 'RETURN_EXISTING') return { file: duplicate, existing: true };
      if (duplicate) {
        throw new HubSpotError(409, 'CONFLICT', `A duplicate of this file already exists: ${duplicate.id}.`, {
          context: { id: [duplicate.id] },
        });
      }
    }
    const sameName = (n: string) =>
      [...this.files.values()].find(
        (f) => !f.archived && f.parentFolderId === folder.id && f.name === n && f.extension === extension,
      );
    let finalName = name;
    const clash = sameName(name);
    if (clash && input.options.overwrite) this.archive(clash);
    else if (clash) {
      let n = 1;
      while (sameName(`${name}-${n}`)) n += 1;
      finalName = `${name}-${n}`;
    }
    const at = this.now();
    this.nextFileId += 1;
    const file: StoredFile = {
      id: String(this.nextFileId),
      name: finalName,
      extension,
      parentFolderId: folder.id,
      access: input.options.access,
      contentType: input.contentType || 'application/octet-stream',
      size: input.data.length,
      md5,
      createdAt: at,
      updatedAt: at,
      archived: false,
      archivedAt: null,
      data: input.data,
    };
    this.insert(file);
    return { file, existing: false };
  }

  insert(file: StoredFile): void {
    this.files.set(file.id, file);
    if (Number(file.id) > this.nextFileId) this.nextFileId = Number(file.id);
    this.changed();
  }

  insertFolder(folder: Folder): void {
    this.folders.set(folder.id, folder);
    if (Number(folder.id) > this.nextFolderId) this.nextFolderId = Number(folder.id);
    this.changed();
  }

  archive(file: StoredFile): void {
    if (file.archived) return;
    const at = this.now();
    file.archived = true;
    file.archivedAt = at;
    file.updatedAt = at;
    this.changed();
  }

  /** A URL that serves the bytes without a token until `expiresAt`. */
  signedUrl(file: StoredFile, baseUrl: string, expirationSeconds?: number): SignedUrlAnswer {
    const seconds = expirationSeconds ?? DEFAULT_SIGNED_URL_SECONDS;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_SIGNED_URL_SECONDS) {
      throw badRequest(`expirationSeconds must be an integer from 1 to ${MAX_SIGNED_URL_SECONDS}.`);
    }
    const expires = Math.floor(this.now() / 1000) + seconds;
    const signature = this.sign(file.id, expires);
    const url =
      `${baseUrl}/hubfs-signed/${EMULATOR_PORTAL_ID}/${file.id}/${encodeURIComponent(fullName(file))}` +
      `?Expires=${expires}&Signature=${signature}`;
    return {
      url,
      expiresAt: iso(expires * 1000),
      name: file.name,
      extension: file.extension,
      size: file.size,
      type: fileType(file.extension),
    };
  }

  /**
   * The file a signed URL grants, or why not: 'expired', 'forbidden' (bad signature) or
   * 'missing' (deleted since).
   */
  checkSigned(fileId: string, expires: string | null, signature: string | null): StoredFile | string {
    if (!expires || !signature || !/^\d+$/.test(expires)) return 'forbidden';
    const expected = Buffer.from(this.sign(fileId, Number(expires)));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forbidden';
    if (Number(expires) * 1000 <= this.now()) return 'expired';
    return this.get(fileId) ?? 'missing';
  }

  /** Public (unsigned) hosting URL; private files answer 403 there. */
  hostingUrl(file: StoredFile, baseUrl: string): string {
    return `${baseUrl}/hubfs/${EMULATOR_PORTAL_ID}/${file.id}/${encodeURIComponent(fullName(file))}`;
  }

  isPublic(file: StoredFile): boolean {
    return PUBLIC_ACCESS.has(file.access);
  }

  private sign(fileId: string, expires: number): string {
    return createHmac('sha256', this.secret).update(`${fileId}.${expires}`).digest('hex');
  }

  private resolveFolder(folderId: string | undefined, folderPath: string | undefined): Folder {
    if (folderId) {
      const folder = this.folders.get(folderId);
      if (!folder || folder.archived) throw badRequest(`Folder ${folderId} does not exist.`);
      return folder;
    }
    if (folderPath === undefined) {
      throw badRequest("Either 'folderId' or 'folderPath' is required to upload a file.");
    }
    return this.ensureFolder(normaliseFolderPath(folderPath));
  }

  /** The folder at `path`, created with its parents when missing ('' is the root). */
  private ensureFolder(path: string): Folder {
    const existing = [...this.folders.values()].find((f) => !f.archived && f.path === path);
    if (existing) return existing;
    const cut = path.lastIndexOf('/');
    const parent = path === '' ? null : this.ensureFolder(path.slice(0, Math.max(0, cut)));
    const at = this.now();
    this.nextFolderId += 1;
    const folder: Folder = {
      id: String(this.nextFolderId),
      name: path === '' ? '' : path.slice(cut + 1),
      path,
      parentFolderId: parent?.id ?? null,
      createdAt: at,
      updatedAt: at,
      archived: false,
    };
    this.insertFolder(folder);
    return folder;
  }
}

/** HubSpot's `File` JSON for a stored file. */
export function toPublicFile(store: FileStore, file: StoredFile, baseUrl: string): Record<string, unknown> {
  const url = store.hostingUrl(file, baseUrl);
  return {
    id: file.id,
    createdAt: iso(file.createdAt),
    updatedAt: iso(file.updatedAt),
    archived: file.archived,
    ...(file.archivedAt !== null ? { archivedAt: iso(file.archivedAt) } : {}),
    parentFolderId: file.parentFolderId,
    name: file.name,
    path: store.path(file),
    size: file.size,
    type: fileType(file.extension),
    extension: file.extension,
    access: file.access,
    isUsableInContent: true,
    url,
    defaultHostingUrl: url,
  };
}

/** Parses the `options` JSON string of an upload; `access` is required. */
export function parseUploadOptions(raw: string | undefined): UploadOptions {
  if (raw === undefined || raw.trim() === '') {
    throw badRequest(
      '"options" is required: a JSON string with at least {"access": "PRIVATE"} (or PUBLIC_…).',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw badRequest(`"options" is not valid JSON: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('"options" must be a JSON object.');
  }
  const o = parsed as Record<string, unknown>;
  if (typeof o.access !== 'string' || !FILE_ACCESS_VALUES.includes(o.access as FileAccess)) {
    throw badRequest(`options.access must be one of ${FILE_ACCESS_VALUES.join(', ')}.`);
  }
  const strategy = o.duplicateValidationStrategy ?? 'NONE';
  if (strategy !== 'NONE' && strategy !== 'REJECT' && strategy !== 'RETURN_EXISTING') {
    throw badRequest('options.duplicateValidationStrategy must be NONE, REJECT or RETURN_EXISTING.');
  }
  const scope = o.duplicateValidationScope ?? 'ENTIRE_PORTAL';
  if (scope !== 'ENTIRE_PORTAL' && scope !== 'EXACT_FOLDER') {
    throw badRequest('options.duplicateValidationScope must be ENTIRE_PORTAL or EXACT_FOLDER.');
  }
  if (o.overwrite !== undefined && typeof o.overwrite !== 'boolean') {
    throw badRequest('options.overwrite must be true or false.');
  }
  return {
    access: o.access as FileAccess,
    overwrite: o.overwrite === true,
    duplicateValidationStrategy: strategy,
    duplicateValidationScope: scope,
  };
}
