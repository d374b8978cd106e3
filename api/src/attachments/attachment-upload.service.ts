import { createHash, randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code.enum';
import { AppConfig } from '../config/app-config';
import { fileError, formatBytes } from './attachment-errors';
import { AttachmentsRepository } from '../repositories/attachments.repository';
import { AttachmentStore } from './attachment-store';
import { decideType, normalizeMediaType } from './attachment-types';
import { sniffContent } from './content-sniffer';
import type { UploadedAttachmentDto } from './dto/attachment.dto';
import { sanitizeFileName } from './file-name';

/** Multipart framing around the files: part headers and boundaries, generously. */
const FRAMING_BYTES_PER_PART = 16 * 1024;
/** How many messages' worth of files one customer may keep uploaded but unsent. */
const STAGED_MESSAGES = 4;

/**
 * POST /attachments: reads the multipart body part by part, and each file chunk by chunk into MySQL
 * (ADR 0011), checking the limits and the content's type as it goes. All or nothing: when one file
 * is refused, the others from the same request are deleted and the answer names the limit hit.
 */
@Injectable()
export class AttachmentUploadService {
  private readonly logger = new Logger(AttachmentUploadService.name);

  constructor(
    private readonly config: AppConfig,
    private readonly repository: AttachmentsRepository,
    private readonly store: AttachmentStore,
  ) {}

  async upload(customerId: string, request: FastifyRequest): Promise<UploadedAttachmentDto[]> {
    const limits = this.config.attachments;
    if (!request.isMultipart()) {
      throw fileError(
        ErrorCode.UNSUPPORTED_MEDIA_TYPE,
        'Send the files as multipart/form-data, one file per part (Content-Type: multipart/form-data).',
      );
    }
    // Refused before a byte is read: a body that cannot fit whatever it holds.
    const declaredLength = Number(request.headers['content-length']);
    if (
      Number.isFinite(declaredLength) &&
      declaredLength > limits.maxTotalBytes + FRAMING_BYTES_PER_PART * (limits.maxFiles + 1)
    ) {
      throw this.tooMuchInTotal();
    }
    const quota = limits.maxTotalBytes * STAGED_MESSAGES;
    const alreadyStaged = await this.repository.stagedBytes(customerId);
    if (alreadyStaged >= quota) throw this.quotaError(quota);

    // Without a Content-Length (chunked), the same bound is kept while reading: past it the client is
    // cut off rather than read on and on.
    const bound = limits.maxTotalBytes + FRAMING_BYTES_PER_PART * (limits.maxFiles + 1);
    let received = 0;
    const countBytes = (data: Buffer): void => {
      received += data.length;
      if (received > bound * 2) request.raw.destroy();
    };
    request.raw.on('data', countBytes);

    const created: string[] = [];
    const answers: UploadedAttachmentDto[] = [];
    let total = 0;
    let failure: Error | undefined;
    const parts = request.parts({
      limits: {
        fileSize: limits.maxBytes,
        files: limits.maxFiles,
        fields: 20,
        fieldSize: 1024,
        parts: limits.maxFiles + 20,
        headerPairs: 100,
      },
    });
    try {
      for await (const part of parts) {
        if (part.type !== 'file') continue;
        if (failure !== undefined) {
          part.file.resume();
          continue;
        }
        try {
          const answer = await this.receive(customerId, part, created, total, alreadyStaged, quota);
          total += answer.size;
          answers.push(answer);
        } catch (error) {
          failure = asError(error);
          // The rest of this part and the following ones are read and dropped, so the client (which
          // is still sending) gets the answer instead of a reset connection.
          part.file.resume();
        }
      }
    } catch (error) {
      failure ??= asError(this.multipartError(error));
    } finally {
      request.raw.off('data', countBytes);
    }
    if (failure !== undefined) {
      await this.repository
        .deleteIds(created)
        .catch((error: unknown) =>
          this.logger.warn(
            `Could not delete refused uploads ${created.join(', ')} (${error instanceof Error ? error.message : String(error)}); the cleanup job will`,
          ),
        );
      throw failure;
    }
    if (answers.length === 0) {
      throw fileError(
        ErrorCode.VALIDATION_FAILED,
        'No file came with the request. Send each file as a part of multipart/form-data with a file name.',
      );
    }
    return answers;
  }

  private async receive(
    customerId: string,
    part: MultipartFile,
    created: string[],
    totalBefore: number,
    alreadyStaged: number,
    quota: number,
  ): Promise<UploadedAttachmentDto> {
    const limits = this.config.attachments;
    const declared = normalizeMediaType(part.mimetype);
    const name = sanitizeFileName(part.filename, declared ?? undefined);
    const id = randomUUID();
    const chunkBytes = await this.store.chunkBytes();
    await this.repository.insertReceiving({
      id,
      customerId,
      name,
      contentType: declared ?? 'application/octet-stream',
      now: new Date(),
    });
    created.push(id);

    const hash = createHash('sha256');
    let size = 0;
    let seq = 0;
    // One buffer per file, filled and written again and again: the upload's garbage stays small.
    const chunk = Buffer.allocUnsafeSlow(chunkBytes);
    let filled = 0;
    let contentType: string | undefined;
    const flush = async (bytes: Buffer): Promise<void> => {
      if (seq === 0) contentType = await this.checkType(name, declared, bytes);
      await this.store.writeChunk(id, seq, bytes);
      seq += 1;
    };

    for await (const data of part.file as AsyncIterable<Buffer>) {
      size += data.length;
      if (totalBefore + size > limits.maxTotalBytes) throw this.tooMuchInTotal();
      if (alreadyStaged + totalBefore + size > quota) throw this.quotaError(quota);
      hash.update(data);
      for (let offset = 0; offset < data.length;) {
        const n = Math.min(data.length - offset, chunkBytes - filled);
        data.copy(chunk, filled, offset, offset + n);
        filled += n;
        offset += n;
        if (filled === chunkBytes) {
          await flush(chunk);
          filled = 0;
        }
      }
    }
    if (part.file.truncated) {
      throw fileError(
        ErrorCode.PAYLOAD_TOO_LARGE,
        `${name} is larger than ${formatBytes(limits.maxBytes)}: each file can be at most ${formatBytes(limits.maxBytes)}.`,
      );
    }
    if (size === 0) {
      throw fileError(ErrorCode.VALIDATION_FAILED, `${name} is empty. Attach a file with content.`);
    }
    if (filled > 0) await flush(chunk.subarray(0, filled));

    const sha256 = hash.digest('hex');
    await this.repository.markStaged(id, { size, sha256, contentType: contentType! });
    return { id, name, size, contentType: contentType! };
  }

  /** Decides the file's type from its first chunk (before more of it is stored). */
  private async checkType(name: string, declared: string | null, head: Buffer): Promise<string> {
    const detected = await sniffContent(head);
    const verdict = decideType(
      { name, declared, detected, head: head.subarray(0, 64 * 1024) },
      this.config.attachments.types,
    );
    if (!verdict.ok) throw fileError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, verdict.reason);
    return verdict.contentType;
  }

  private tooMuchInTotal(): AppError {
    const max = formatBytes(this.config.attachments.maxTotalBytes);
    return fileError(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `These files add up to more than ${max}: the files of one message can be at most ${max} together.`,
    );
  }

  private quotaError(quota: number): AppError {
    return fileError(
      ErrorCode.PAYLOAD_TOO_LARGE,
      `You have ${formatBytes(quota)} of uploaded files that are not on a request or reply yet. Send them with a message first; unused uploads are deleted after ${this.config.attachments.stagedTtlHours} hours.`,
    );
  }

  /** Errors the multipart reader raises, as the refusals they are. */
  private multipartError(error: unknown): unknown {
    const code = (error as { code?: unknown } | null)?.code;
    const limits = this.config.attachments;
    if (code === 'FST_FILES_LIMIT') {
      return fileError(
        ErrorCode.VALIDATION_FAILED,
        `Attach at most ${limits.maxFiles} files: one message can carry at most ${limits.maxFiles}.`,
      );
    }
    if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT') {
      return fileError(
        ErrorCode.VALIDATION_FAILED,
        `The upload has too many parts. Send at most ${limits.maxFiles} files, one per part, and no other fields.`,
      );
    }
    if (error instanceof AppError) return error;
    if (error instanceof Error && /multipart|boundary|part terminated|unexpected end/i.test(error.message)) {
      return fileError(
        ErrorCode.MALFORMED_REQUEST,
        'The upload could not be read as multipart/form-data (it ended early or its boundary is wrong). Send the files again.',
      );
    }
    return error;
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
