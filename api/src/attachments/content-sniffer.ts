import type { DetectedType } from './attachment-types';

type FileTypeCore = typeof import('file-type/core');

let loading: Promise<FileTypeCore> | undefined;

/**
 * file-type is ESM only and Node 20 cannot require() ESM without a flag: it is loaded once with a
 * dynamic import (kept as import() by tsc for the CommonJS build; Jest transforms it, see
 * jest.config.cjs). Only the buffer detector (`file-type/core`) is used: the first chunk of an
 * upload is at hand anyway.
 */
function fileType(): Promise<FileTypeCore> {
  loading ??= import('file-type/core');
  return loading;
}

/** What the first bytes of a file are, by their magic numbers; undefined for text and unknown formats. */
export async function sniffContent(head: Uint8Array): Promise<DetectedType | undefined> {
  const { fileTypeFromBuffer } = await fileType();
  const found = await fileTypeFromBuffer(head);
  return found ? { mime: found.mime, ext: found.ext } : undefined;
}
