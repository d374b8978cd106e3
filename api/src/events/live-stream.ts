import type { ServerResponse } from 'node:http';
import type { CustomerScope } from '../customers/customer-scope.service';
import type { Counts } from '../repositories/ticket-list.repository';

/** An SSE event: its name and its data, already JSON. */
export type SseEvent = readonly [name: string, data: string];

/**
 * A slow reader's unsent bytes at most: past this the stream is closed, and the client reconnects
 * with Last-Event-ID and catches up from Redis instead of from this process's memory.
 */
export const MAX_BUFFERED_BYTES = 1024 * 1024;

/**
 * One SSE event block per event; only the last carries the id, so a client that reconnects after a
 * notice's events resumes after the whole notice, and one cut off in the middle gets it again.
 */
export function formatEvents(events: readonly SseEvent[], id: string | null): string {
  let text = '';
  for (let i = 0; i < events.length; i += 1) {
    const [name, data] = events[i]!;
    text += `event: ${name}\n`;
    if (id !== null && i === events.length - 1) text += `id: ${id}\n`;
    text += `data: ${data}\n\n`;
  }
  return text;
}

export interface LiveStreamOwner {
  /** The customer's scope as the list reads it, refreshed while the stream is open. */
  scope: CustomerScope | null;
  /** `TicketVisibility.scopeKey(scope)`: the scope key notices are matched on. */
  key: string | null;
}

/** One open GET tickets/events response in this process. */
export class LiveStream implements LiveStreamOwner {
  scope: CustomerScope | null;
  key: string | null;
  /** The list counts this stream was last sent, and the scope they are shared by. */
  counts: Counts;
  countsKey: string;
  /** When the session and scope are next checked (ms epoch). */
  checkAt: number;
  closed = false;
  /** Live events held back while missed ones are replayed (Last-Event-ID). */
  private held: string[] | null = null;

  constructor(
    readonly customerId: string,
    readonly tokenHash: string,
    /** Kept to ask the session store whether it still holds (never logged). */
    readonly token: string,
    owner: LiveStreamOwner,
    initial: { counts: Counts; countsKey: string; checkAt: number },
    private readonly raw: ServerResponse,
    private readonly onClose: (stream: LiveStream) => void,
  ) {
    this.scope = owner.scope;
    this.key = owner.key;
    this.counts = initial.counts;
    this.countsKey = initial.countsKey;
    this.checkAt = initial.checkAt;
  }

  /** Live events: written now, or held while a replay is under way. */
  send(events: readonly SseEvent[], id: string | null): void {
    if (this.closed || events.length === 0) return;
    const text = formatEvents(events, id);
    if (this.held) this.held.push(text);
    else this.write(text);
  }

  /** Replayed events: written now, ahead of any live ones held meanwhile. */
  sendNow(events: readonly SseEvent[], id: string | null): void {
    if (this.closed || events.length === 0) return;
    this.write(formatEvents(events, id));
  }

  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const held = this.held ?? [];
    this.held = null;
    for (const text of held) this.write(text);
  }

  write(text: string): void {
    if (this.closed) return;
    this.raw.write(text);
    if (this.raw.writableLength > MAX_BUFFERED_BYTES) this.end();
  }

  /** Ends the response (with `last` written first) and leaves the hub. Idempotent. */
  end(last?: string): void {
    if (this.closed) return;
    this.closed = true;
    this.held = null;
    try {
      if (last && !this.raw.destroyed) this.raw.write(last);
      this.raw.end();
    } catch {
      // The socket is already gone: nothing to finish.
    }
    this.onClose(this);
  }
}
