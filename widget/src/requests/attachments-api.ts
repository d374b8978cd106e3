import type { ApiClient, UNAUTHORIZED_EVENT } from '../api/api-client.js';
import { ApiError, NetworkError, isAbortError } from '../api/api-error.js';
import type { ApiErrorBody, AttachmentLimits, UploadedAttachment } from '../api/api-types.js';
import { messages } from '../internal/messages.js';
import { msg, str } from '../internal/msg.js';

// Uploads and downloads of attachments (issue 13, ADR 0011). In the lazy chunk with the request form
// and the ticket page: the first render never carries them.

/**
 * The part of XMLHttpRequest an upload uses. Uploads go through XHR, not fetch, because only XHR
 * reports how much of a request body has been sent (`upload.onprogress`).
 */
export interface UploadRequest {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  getResponseHeader(name: string): string | null;
  readonly upload: { onprogress: ((event: ProgressEvent) => void) | null };
  onload: ((event: ProgressEvent) => void) | null;
  onerror: ((event: ProgressEvent) => void) | null;
  onabort: ((event: ProgressEvent) => void) | null;
}

/** How uploads are sent; tests put the fake API's request here. */
export const uploadTransport: { create: () => UploadRequest } = {
  create: () => new XMLHttpRequest(),
};

// ApiClient's UNAUTHORIZED_EVENT, not imported: that would move the ApiClient out of the entry into
// the chunk shared with this lazy code (as in live/live-stream.ts); the type keeps the two the same.
const UNAUTHORIZED: typeof UNAUTHORIZED_EVENT = 'unauthorized';

const cachedLimits = new WeakMap<ApiClient, Promise<AttachmentLimits | null>>();

/**
 * The operator's limits from GET portal, read once per client when a form with a file picker first
 * shows (the first render reads GET portal too, but keeps only what it needs). null when the API is
 * older or cannot be reached: then only the upload itself refuses.
 */
export function attachmentLimits(client: ApiClient): Promise<AttachmentLimits | null> {
  let limits = cachedLimits.get(client);
  if (!limits) {
    limits = client.portal().then(
      (info) => (isLimits(info?.attachments) ? info.attachments : null),
      () => {
        cachedLimits.delete(client);
        return null;
      },
    );
    cachedLimits.set(client, limits);
  }
  return limits;
}

function isLimits(value: unknown): value is AttachmentLimits {
  const l = value as Partial<AttachmentLimits> | null | undefined;
  return (
    typeof l?.maxFiles === 'number' &&
    typeof l.maxBytes === 'number' &&
    typeof l.maxTotalBytes === 'number' &&
    Array.isArray(l.types) &&
    Array.isArray(l.extensions) &&
    typeof l.typesText === 'string'
  );
}

/** 26214400 → "25 MB", 1536 → "1.5 KB": binary multiples, as the API reads and words its limits. */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? value : Math.round(value * 10) / 10} ${units[unit]}`;
}

const extensionOf = (name: string): string => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/**
 * Why a file cannot be attached beside files of `alreadyBytes` bytes, in the API's own words, or
 * undefined when it may go (the upload decides in the end: the API reads the content, not the name).
 */
export function fileProblem(
  file: { name: string; size: number; type: string },
  limits: AttachmentLimits,
  alreadyBytes: number,
): string | undefined {
  const { name, size } = file;
  if (size === 0) return msg(str`${name} is empty. Attach a file with content.`);
  if (size > limits.maxBytes) {
    const max = formatBytes(limits.maxBytes);
    return msg(str`${name} is larger than ${max}: each file can be at most ${max}.`);
  }
  if (alreadyBytes + size > limits.maxTotalBytes) {
    const max = formatBytes(limits.maxTotalBytes);
    return msg(
      str`${name} would bring the files of this message to more than ${max}: the files of one message can be at most ${max} together.`,
    );
  }
  const type = file.type.split(';')[0]!.trim().toLowerCase();
  const typeAllowed =
    type !== '' &&
    (limits.types.includes(type) ||
      // A family (image/*) never covers markup or scripts, as on the API.
      (limits.types.includes(`${type.split('/')[0]}/*`) && !/svg|html|xml|script/.test(type)));
  if (!typeAllowed && !limits.extensions.includes(extensionOf(name))) {
    return msg(str`${name} cannot be attached here. Files you can attach: ${limits.typesText}.`);
  }
  return undefined;
}

/** What a file picker offers: the allowed types and their extensions. */
export const acceptList = (limits: AttachmentLimits): string =>
  [...limits.types, ...limits.extensions.map((e) => `.${e}`)].join(',');

/**
 * POST attachments with one file. `onProgress` hears the bytes sent (of the whole multipart body);
 * answers the stored file or throws ApiError (the API's sentence naming the limit) / NetworkError.
 */
export function uploadFile(
  client: ApiClient,
  file: Blob,
  name: string,
  options: { onProgress?: (sent: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<UploadedAttachment> {
  return new Promise((resolve, reject) => {
    const { signal, onProgress } = options;
    if (signal?.aborted) {
      reject(new DOMException('The upload was aborted.', 'AbortError'));
      return;
    }
    const xhr = uploadTransport.create();
    xhr.open('POST', `${client.baseUrl}/api/v1/attachments`);
    xhr.setRequestHeader('Accept', 'application/json');
    const token = client.tokenSource();
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = () => signal?.removeEventListener('abort', onAbort);
    xhr.upload.onprogress = (event) => onProgress?.(event.loaded, event.lengthComputable ? event.total : 0);
    xhr.onerror = () => {
      done();
      reject(new NetworkError(messages.unreachable));
    };
    xhr.onabort = () => {
      done();
      reject(new DOMException('The upload was aborted.', 'AbortError'));
    };
    xhr.onload = () => {
      done();
      const body = parse(xhr.responseText) as { attachments?: UploadedAttachment[] } | undefined;
      const stored = body?.attachments?.[0];
      if (xhr.status >= 200 && xhr.status < 300 && typeof stored?.id === 'string') {
        resolve(stored);
        return;
      }
      reject(apiError(client, xhr.status, body, xhr.getResponseHeader('Retry-After')));
    };
    const form = new FormData();
    form.append('file', file, name);
    xhr.send(form);
  });
}

/**
 * A file of a ticket, read with the bearer token (a plain link cannot send it): the bytes as a Blob
 * of the type the API served them as.
 */
export async function downloadFile(client: ApiClient, path: string, signal?: AbortSignal): Promise<Blob> {
  const headers: Record<string, string> = {};
  const token = client.tokenSource();
  if (token) headers.Authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await client.fetchFn(`${client.baseUrl}${path}`, {
      method: 'GET',
      headers,
      signal: signal ?? null,
      credentials: 'omit',
      mode: 'cors',
    });
  } catch (error) {
    if (isAbortError(error)) throw error;
    throw new NetworkError(messages.unreachable);
  }
  if (response.ok) return response.blob();
  const text = await response.text().catch(() => '');
  throw apiError(client, response.status, parse(text), response.headers.get('Retry-After'));
}

function parse(text: string): unknown {
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return undefined;
  }
}

/** The same mapping as ApiClient.request: the API's sentence and fields, 401 ends the session. */
function apiError(client: ApiClient, status: number, payload: unknown, retryAfter: string | null): ApiError {
  if (status === 401) client.dispatchEvent(new Event(UNAUTHORIZED));
  const body = (payload ?? {}) as Partial<ApiErrorBody>;
  const seconds = Number.parseInt(retryAfter ?? '', 10);
  const fields = Object.fromEntries(
    Object.entries(body.fields ?? {}).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
  return new ApiError(
    status,
    typeof body.code === 'string' ? body.code : `HTTP_${status}`,
    typeof body.message === 'string' && body.message.trim() !== ''
      ? body.message
      : messages.badResponse(status),
    Number.isFinite(seconds) ? seconds : null,
    fields,
  );
}

const typeNames = (): Record<string, string> => ({
  'image/png': msg('PNG image'),
  'image/jpeg': msg('JPEG image'),
  'image/gif': msg('GIF image'),
  'image/webp': msg('WebP image'),
  'image/heic': msg('HEIC image'),
  'application/pdf': msg('PDF document'),
  'text/plain': msg('Text file'),
  'text/csv': msg('CSV file'),
  'application/msword': msg('Word document'),
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': msg('Word document'),
  'application/vnd.ms-excel': msg('Excel workbook'),
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': msg('Excel workbook'),
  'application/vnd.ms-powerpoint': msg('PowerPoint presentation'),
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': msg('PowerPoint presentation'),
  'application/vnd.oasis.opendocument.text': msg('OpenDocument text'),
  'application/vnd.oasis.opendocument.spreadsheet': msg('OpenDocument spreadsheet'),
  'application/vnd.oasis.opendocument.presentation': msg('OpenDocument presentation'),
  'application/rtf': msg('RTF document'),
  'application/zip': msg('Zip archive'),
});

/** "PDF document"; for a type without a name, the file's extension ("XYZ file") or "File". */
export function typeName(contentType: string, name: string): string {
  const known = typeNames()[contentType.split(';')[0]!.trim().toLowerCase()];
  if (known) return known;
  const ext = extensionOf(name);
  return ext && ext.length <= 8 ? msg(str`${ext.toUpperCase()} file`) : msg('File');
}

/** Raster images a browser shows as an <img> without running anything (never SVG). */
export const PREVIEW_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * An image's bytes as a data: URL, for a preview where the host page's Content Security Policy
 * refuses blob: images (`img-src 'self' data:` is common, `blob:` less so).
 */
export function dataUrlOf(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error ?? new Error('The file could not be read.'));
    reader.readAsDataURL(blob);
  });
}

/** Saves a Blob under its name: a blob URL on a download link, never opened as a page. */
export function saveBlob(blob: Blob, name: string, within: Node): void {
  // As bytes only: whatever the file is, the browser saves it and renders nothing.
  const url = URL.createObjectURL(new Blob([blob], { type: 'application/octet-stream' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.hidden = true;
  (within instanceof ShadowRoot || within instanceof Element ? within : document.body).append(link);
  link.click();
  link.remove();
  // The download has started by then; the URL only keeps the bytes in memory.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
