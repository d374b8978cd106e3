import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RequestOutboxQueue } from './request-outbox.queue';

const RELAY_BATCH = 1000;
/** Delivered outbox rows and Idempotency-Keys are kept this long (a client retry comes within it). */
const KEEP_MS = 7 * 24 * 3600_000;

/** The outbox relay: the safety net under "commit, then enqueue" (the `relay` job of `requests`). */
@Injectable()
export class RequestRelayService {
  private readonly logger = new Logger(RequestRelayService.name);

  constructor(
    private readonly outbox: RequestOutboxQueue,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * Re-enqueues pending outbox rows (rows that already have a live job are left alone), and forgets
   * delivered outbox rows and Idempotency-Keys after KEEP_MS.
   */
  async relay(): Promise<{ queued: number }> {
    const rows = await this.dataSource.query<Array<{ id: number }>>(
      "SELECT id FROM request_outbox WHERE state = 'pending' ORDER BY id LIMIT ?",
      [RELAY_BATCH],
    );
    const queued = await this.outbox.enqueue(rows.map((r) => r.id));
    if (queued > 0) this.logger.log(`Relay queued ${queued} outbox row(s) that had no job`);
    const before = new Date(Date.now() - KEEP_MS);
    await this.dataSource.query(
      "DELETE FROM request_outbox WHERE state = 'done' AND done_at < ? ORDER BY id LIMIT 1000",
      [before],
    );
    await this.dataSource.query('DELETE FROM idempotency_keys WHERE created_at < ? LIMIT 1000', [before]);
    return { queued };
  }
}
