import { Readable } from 'node:stream';
import { FILE_ACCESS_PRIVATE, HubSpotLimits, SIGNED_URL_SECONDS } from '../hubspot.constants';
import {
  type HsAttachment,
  type HsFile,
  type HsFileDownload,
  type HsUploadFileInput,
} from '../hubspot.types';
import { HubSpotError } from '../hubspot-error';
import { contentTypeFor, toAttachment, toHsFile } from '../hubspot-file.mapper';
import { chunk, uniqueIds } from '../hubspot-value.util';
import { type WireFile } from '../hubspot-wire.types';
import { type HubSpotCalls, isKind } from './hubspot-calls';

/**
 * HubSpot's file manager: private uploads, downloads through a signed URL used at once, and what the
 * conversation's attached files are.
 */
export class HubSpotFiles {
  constructor(private readonly calls: HubSpotCalls) {}

  async uploadFile(input: HsUploadFileInput): Promise<HsFile> {
    const name = input.name.trim();
    const folder = `/${input.folder
      .split('/')
      .filter((p) => p.trim() !== '')
      .join('/')}`;
    if (name === '' || folder === '/') {
      throw new HubSpotError({
        kind: 'invalid',
        operation: 'upload file',
        message: 'A file upload needs a file name and a folder path (e.g. /ticket-portal/attachments)',
      });
    }
    const data = Buffer.isBuffer(input.data) ? input.data : await readAll(input.data);
    // The SDK types the answer as any: it is HubSpot's File.
    const raw = (await this.calls.call('upload file', 'general', () =>
      this.calls.client.files.filesApi.upload(
        // form-data's append() takes a file name or an options object as its third argument, and
        // the SDK passes `name` straight through: an object sends the media type along.
        { data, name: { filename: name, contentType: input.contentType } as unknown as string },
        undefined,
        folder,
        name,
        undefined,
        JSON.stringify({
          access: FILE_ACCESS_PRIVATE,
          overwrite: false,
          duplicateValidationStrategy: 'NONE',
          duplicateValidationScope: 'EXACT_FOLDER',
        }),
      ),
    )) as WireFile;
    return toHsFile(raw);
  }

  async fileDownload(fileId: string): Promise<HsFileDownload | null> {
    const id = String(fileId).trim();
    if (!/^\d+$/.test(id)) return null;
    let signed;
    try {
      signed = await this.calls.call('sign file url', 'general', () =>
        this.calls.client.files.filesApi.getSignedUrl(id, undefined, SIGNED_URL_SECONDS),
      );
    } catch (error) {
      if (isKind(error, 'not_found')) return null;
      throw error;
    }
    const name = toAttachment({ id, name: signed.name, extension: signed.extension }).name;
    // The signed URL is HubSpot's file host, not the API: no token, no rate limit. Only the wait for
    // its headers is bounded; the body streams at the reader's pace.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.calls.timeoutMs);
    let response: Response;
    try {
      response = await fetch(signed.url, { signal: controller.signal });
    } catch (error) {
      throw new HubSpotError({
        kind: 'unavailable',
        operation: 'download file',
        message: `HubSpot's file host did not answer for file ${id}: ${(error as Error).message}`,
        cause: error,
      });
    } finally {
      clearTimeout(timer);
    }
    if (response.status === 404 || response.status === 410) {
      await response.body?.cancel();
      return null;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new HubSpotError({
        kind:
          response.status >= 500 || response.status === 403 || response.status === 429
            ? 'unavailable'
            : 'invalid',
        operation: 'download file',
        status: response.status,
        message: `HubSpot's file host answered ${response.status} for file ${id}`,
      });
    }
    const length = Number(response.headers.get('content-length'));
    return {
      stream: response.body ? Readable.fromWeb(response.body) : Readable.from([]),
      contentType: response.headers.get('content-type') || contentTypeFor(name),
      size:
        Number.isFinite(length) && response.headers.has('content-length') ? length : (signed.size ?? null),
      name,
    };
  }

  /**
   * What the messages' attached files are, by id: one files search per 100 ids, then a read for any
   * the search did not return (its index may lag an upload). Deleted files are simply absent.
   */
  async attachmentFiles(ids: readonly string[]): Promise<Map<string, HsAttachment>> {
    const wanted = uniqueIds(ids);
    const found = new Map<string, HsAttachment>();
    for (const part of chunk(wanted, HubSpotLimits.filesSearchPage)) {
      const page = await this.calls.call('search files by id', 'general', () =>
        // Positional: properties, after, before, limit, sort, ids.
        this.calls.client.files.filesApi.doSearch(
          undefined,
          undefined,
          undefined,
          part.length,
          undefined,
          part.map(Number),
        ),
      );
      for (const file of (page.results ?? []) as WireFile[]) {
        if (!file.archived) found.set(String(file.id), toAttachment(file));
      }
    }
    for (const id of wanted.filter((x) => !found.has(x))) {
      try {
        const file = (await this.calls.call('read file', 'general', () =>
          this.calls.client.files.filesApi.getById(id),
        )) as WireFile;
        if (!file.archived) found.set(id, toAttachment(file));
      } catch (error) {
        if (!isKind(error, 'not_found')) throw error;
      }
    }
    return found;
  }
}

async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const part of stream) chunks.push(Buffer.isBuffer(part) ? part : Buffer.from(part));
  return Buffer.concat(chunks);
}
