import { Readable } from 'node:stream';
import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** Chunk size when max_allowed_packet allows it: big enough for few rows, small enough for any server. */
export const PREFERRED_CHUNK_BYTES = 1024 * 1024;
const MIN_CHUNK_BYTES = 64 * 1024;

interface CallbackConnection {
  execute(sql: string, values: unknown[], callback: (error: Error | null) => void): void;
}

/**
 * A portal file's bytes in MySQL (`attachment_chunks`, ADR 0011): written chunk by chunk as an upload
 * streams in, read chunk by chunk as a download or the worker's upload to HubSpot streams out, so
 * memory stays at about one chunk per file whatever its size, and every API and worker process sees
 * the same files.
 */
@Injectable()
export class AttachmentStore {
  private readonly logger = new Logger(AttachmentStore.name);
  private chunkSize: Promise<number> | undefined;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * 1 MiB, or less when the server's max_allowed_packet is small (a chunk must fit in one packet
   * with room to spare). Read once per process.
   */
  chunkBytes(): Promise<number> {
    this.chunkSize ??= this.dataSource
      .query<Array<{ packet: string | number }>>('SELECT @@max_allowed_packet AS packet')
      .then(([row]) => {
        const packet = Number(row?.packet ?? 0);
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

  /**
   * One chunk, as a prepared statement: the binary protocol sends the bytes as they are (the text
   * protocol would send them hex-encoded, twice the size). A pool connection is held only for the
   * statement, never for the whole (possibly slow) upload.
   */
  async writeChunk(attachmentId: string, seq: number, data: Buffer): Promise<void> {
    const runner = this.dataSource.createQueryRunner('master');
    try {
      const connection = (await runner.connect()) as CallbackConnection;
      await new Promise<void>((resolve, reject) =>
        connection.execute(
          'INSERT INTO attachment_chunks (attachment_id, seq, data) VALUES (?, ?, ?)',
          [attachmentId, seq, data],
          (error) => (error ? reject(error) : resolve()),
        ),
      );
    } finally {
      await runner.release();
    }
  }

  /** Whether the bytes are here (they are dropped once the file is in HubSpot). */
  async has(attachmentId: string): Promise<boolean> {
    const rows = await this.dataSource.query<unknown[]>(
      'SELECT 1 FROM attachment_chunks WHERE attachment_id = ? AND seq = 0',
      [attachmentId],
    );
    return rows.length > 0;
  }

  /**
   * The file's bytes, one chunk read per pull (the consumer's pace decides how many are in memory).
   * Errors if a chunk is missing or the total differs from `size`, so a truncated file is never
   * passed off as whole.
   */
  read(attachmentId: string, size: number): Readable {
    const dataSource = this.dataSource;
    async function* chunks(): AsyncGenerator<Buffer> {
      let total = 0;
      for (let seq = 0; total < size; seq += 1) {
        const [row] = await dataSource.query<Array<{ data: Buffer }>>(
          'SELECT data FROM attachment_chunks WHERE attachment_id = ? AND seq = ?',
          [attachmentId, seq],
        );
        if (!row) throw new Error(`attachment ${attachmentId} lost its bytes at chunk ${seq}`);
        total += row.data.length;
        yield row.data;
      }
      if (total !== size) throw new Error(`attachment ${attachmentId} has ${total} bytes, not ${size}`);
    }
    return Readable.from(chunks(), { objectMode: false, highWaterMark: 1 });
  }
}
