import { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { AttachmentsRepository } from '../repositories/attachments.repository';

/** Chunk size when max_allowed_packet allows it: big enough for few rows, small enough for any server. */
export const PREFERRED_CHUNK_BYTES = 1024 * 1024;
const MIN_CHUNK_BYTES = 64 * 1024;

/**
 * A portal file's bytes in MySQL (`attachment_chunks`, ADR 0011): written chunk by chunk as an upload
 * streams in, read chunk by chunk as a download or the worker's upload to HubSpot streams out, so
 * memory stays at about one chunk per file whatever its size, and every API and worker process sees
 * the same files. The SQL is the repository's; this decides the chunk size and streams.
 */
@Injectable()
export class AttachmentStore {
  private readonly logger = new Logger(AttachmentStore.name);
  private chunkSize: Promise<number> | undefined;

  constructor(private readonly repository: AttachmentsRepository) {}

  /**
   * 1 MiB, or less when the server's max_allowed_packet is small (a chunk must fit in one packet
   * with room to spare). Read once per process.
   */
  chunkBytes(): Promise<number> {
    this.chunkSize ??= this.repository
      .maxAllowedPacket()
      .then((packet) => {
        const fits = Math.max(MIN_CHUNK_BYTES, Math.floor(packet / 4));
        if (fits < PREFERRED_CHUNK_BYTES) {
          this.logger.warn(
            `max_allowed_packet is ${packet} bytes: attachments are stored in ${fits}-byte chunks (raise it to 4 MB or more for 1 MiB chunks)`,
          );
        }
        return Math.min(PREFERRED_CHUNK_BYTES, fits);
      })
      .catch((error: unknown) => {
        this.chunkSize = undefined;
        throw error;
      });
    return this.chunkSize;
  }

  writeChunk(attachmentId: string, seq: number, data: Buffer): Promise<void> {
    return this.repository.writeChunk(attachmentId, seq, data);
  }

  /** Whether the bytes are here (they are dropped once the file is in HubSpot). */
  has(attachmentId: string): Promise<boolean> {
    return this.repository.hasChunks(attachmentId);
  }

  /**
   * The file's bytes, one chunk read per pull (the consumer's pace decides how many are in memory).
   * Errors if a chunk is missing or the total differs from `size`, so a truncated file is never
   * passed off as whole.
   */
  read(attachmentId: string, size: number): Readable {
    const repository = this.repository;
    async function* chunks(): AsyncGenerator<Buffer> {
      let total = 0;
      for (let seq = 0; total < size; seq += 1) {
        const data = await repository.chunk(attachmentId, seq);
        if (!data) throw new Error(`attachment ${attachmentId} lost its bytes at chunk ${seq}`);
        total += data.length;
        yield data;
      }
      if (total !== size) throw new Error(`attachment ${attachmentId} has ${total} bytes, not ${size}`);
    }
    return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
  }
}
