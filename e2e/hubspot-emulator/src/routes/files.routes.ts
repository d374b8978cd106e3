import { badRequest, notFound } from '../errors';
import {
  type FileStore,
  MAX_UPLOAD_BYTES,
  parseUploadOptions,
  type StoredFile,
  toPublicFile,
} from '../files';
import { intParam, json, listParam, multipartBody, type Ctx, type Reply, type Router } from '../http';
import { type Store } from '../store';

const SEARCH_MAX_LIMIT = 100;
const SIGNED_URL_SIZES = ['icon', 'medium', 'preview', 'thumb'];

const text = (form: FormData, name: string): string | undefined => {
  const v = form.get(name);
  if (v === null) return undefined;
  if (typeof v !== 'string') throw badRequest(`"${name}" must be a text field, not a file.`);
  return v;
};

/**
 * POST /files/v3/files: a multipart form with `file`, `folderPath` or `folderId`, optional
 * `fileName` and the `options` JSON string (`access` required). Shared with the staff console.
 */
export async function uploadFromForm(
  files: FileStore,
  ctx: Ctx,
  defaults: { folderPath?: string; options?: string } = {},
): Promise<{ file: StoredFile; existing: boolean }> {
  const form = await multipartBody(ctx);
  const part = form.get('file');
  if (part === null || typeof part === 'string') {
    throw badRequest('"file" is required: send the file content as a multipart file part named "file".');
  }
  if (part.size > MAX_UPLOAD_BYTES) {
    throw badRequest(`The file is ${part.size} bytes; the emulator keeps at most ${MAX_UPLOAD_BYTES}.`);
  }
  const folderId = text(form, 'folderId') || undefined;
  const folderPath = text(form, 'folderPath') ?? (folderId ? undefined : defaults.folderPath);
  return files.upload({
    data: Buffer.from(await part.arrayBuffer()),
    partName: part.name,
    contentType: part.type,
    fileName: text(form, 'fileName'),
    folderId,
    folderPath,
    options: parseUploadOptions(text(form, 'options') ?? defaults.options),
  });
}

/** Bytes of a file, as HubSpot's file CDN serves them. */
function serveFile(file: StoredFile): Reply {
  return {
    status: 200,
    binary: file.data,
    contentType: file.contentType,
    headers: { 'Cache-Control': 'private, max-age=0' },
  };
}

const denied = (message: string): Reply => ({ status: 403, text: message });

export function registerFileRoutes(router: Router, store: Store, baseUrl: () => string): void {
  const files = store.files;

  router.add('POST', '/files/v3/files', async (ctx) => {
    const { file } = await uploadFromForm(files, ctx);
    return json(201, toPublicFile(files, file, baseUrl()), {
      Location: `${baseUrl()}/files/v3/files/${file.id}`,
    });
  });

  // Registered before /files/v3/files/:fileId, which would otherwise take "search" as an id.
  router.add('GET', '/files/v3/files/search', (ctx) => {
    const limit = intParam(ctx.query, 'limit', 10, 1, SEARCH_MAX_LIMIT);
    const after = ctx.query.get('after');
    if (after !== null && after !== '' && !/^\d+$/.test(after)) {
      throw badRequest(`"after" must be a cursor from paging.next.after, got "${after}".`);
    }
    const ids = listParam(ctx.query, 'ids');
    if (ids?.some((id) => !/^\d+$/.test(id))) throw badRequest('"ids" must be numeric file ids.');
    const folders = listParam(ctx.query, 'parentFolderIds');
    const name = ctx.query.get('name');
    const wanted = ids ? new Set(ids) : undefined;
    const matches = [...files.files.values()]
      .filter(
        (f) =>
          !f.archived &&
          (!wanted || wanted.has(f.id)) &&
          (!folders || folders.includes(f.parentFolderId)) &&
          (name === null || f.name === name),
      )
      .sort((a, b) => Number(a.id) - Number(b.id));
    const start = after ? Number(after) : 0;
    const page = matches.slice(start, start + limit);
    const body: Record<string, unknown> = { results: page.map((f) => toPublicFile(files, f, baseUrl())) };
    if (start + limit < matches.length) {
      body.paging = { next: { after: String(start + limit), link: '' } };
    }
    return json(200, body);
  });

  router.add('GET', '/files/v3/files/:fileId', (ctx) =>
    json(200, toPublicFile(files, files.require(ctx.params.fileId ?? ''), baseUrl())),
  );

  router.add('DELETE', '/files/v3/files/:fileId', (ctx) => {
    const id = ctx.params.fileId ?? '';
    const file = /^\d+$/.test(id) ? files.get(id, true) : undefined;
    if (!file) throw notFound(`File ${id} does not exist.`);
    files.archive(file);
    return { status: 204 };
  });

  router.add('GET', '/files/v3/files/:fileId/signed-url', (ctx) => {
    const file = files.require(ctx.params.fileId ?? '');
    const size = ctx.query.get('size');
    if (size !== null && !SIGNED_URL_SIZES.includes(size)) {
      throw badRequest(`size must be one of ${SIGNED_URL_SIZES.join(', ')}.`);
    }
    const seconds = ctx.query.get('expirationSeconds');
    const expiration = seconds === null || seconds === '' ? undefined : Number(seconds);
    return json(200, files.signedUrl(file, baseUrl(), expiration));
  });

  // ---- the file CDN (no bearer token: what a browser or the portal's server fetches) ----
  router.add(
    'GET',
    '/hubfs-signed/:portalId/:fileId/:fileName',
    (ctx) => {
      const granted = files.checkSigned(
        ctx.params.fileId ?? '',
        ctx.query.get('Expires'),
        ctx.query.get('Signature'),
      );
      if (granted === 'expired') return denied('Access denied: this signed URL has expired.');
      if (granted === 'forbidden') return denied('Access denied: the signature does not match.');
      if (granted === 'missing') return { status: 404, text: 'Not found: the file was deleted.' };
      return serveFile(granted as StoredFile);
    },
    'public',
  );

  router.add(
    'GET',
    '/hubfs/:portalId/:fileId/:fileName',
    (ctx) => {
      const file = files.get(ctx.params.fileId ?? '');
      if (!file) return { status: 404, text: 'Not found.' };
      if (!files.isPublic(file)) {
        return denied('Access denied: this file is private; request a signed URL through the Files API.');
      }
      return serveFile(file);
    },
    'public',
  );
}
