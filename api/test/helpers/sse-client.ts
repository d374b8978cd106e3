// A Server-Sent Events reader as the widget has it: fetch with the Authorization header (the token
// never goes in a URL), the body parsed line by line as the EventSource specification does.

export interface ReceivedEvent {
  event: string;
  data: string;
  /** The last event id seen when this event was dispatched. */
  id: string | null;
}

export class SseClient {
  readonly events: ReceivedEvent[] = [];
  /** Every `retry:` hint, in order. */
  readonly retries: number[] = [];
  comments = 0;
  lastEventId: string | null = null;
  ended = false;
  private readonly waiters = new Set<() => void>();

  private constructor(
    readonly response: Response,
    private readonly controller: AbortController,
  ) {
    if (response.ok && response.body) void this.pump(response.body);
    else this.ended = true;
  }

  static async open(
    url: string,
    token: string | null,
    headers: Record<string, string> = {},
  ): Promise<SseClient> {
    const controller = new AbortController();
    const response = await fetch(url, {
      headers: {
        accept: 'text/event-stream',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      signal: controller.signal,
    });
    return new SseClient(response, controller);
  }

  /** The first event (from `from` on) that matches; waits for it up to `ms`. */
  async next(
    match: (e: ReceivedEvent) => boolean,
    { ms = 15_000, from = 0, what = 'event' }: { ms?: number; from?: number; what?: string } = {},
  ): Promise<ReceivedEvent> {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.events.slice(from).find(match);
      if (found) return found;
      if (this.ended) throw new Error(`stream ended before ${what}: ${this.describe()}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no ${what} within ${ms} ms: ${this.describe()}`);
      await this.changed(left);
    }
  }

  /** Resolves once the stream has ended (the server closed it). */
  async closedByServer(ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`stream still open after ${ms} ms`);
      await this.changed(left);
    }
  }

  /** Waits until `check` holds (re-checked whenever something arrives). */
  async until(check: () => boolean, ms = 10_000, what = 'condition'): Promise<void> {
    const deadline = Date.now() + ms;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`${what} not met within ${ms} ms: ${this.describe()}`);
      await this.changed(left);
    }
  }

  of(event: string): ReceivedEvent[] {
    return this.events.filter((e) => e.event === event);
  }

  close(): void {
    this.controller.abort();
  }

  private describe(): string {
    return JSON.stringify(this.events.map((e) => `${e.event} ${e.data.slice(0, 120)}`));
  }

  private changed(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.waiters.add(done);
    });
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = '';
    let data: string[] = [];
    try {
      for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline).replace(/\r$/, '');
          buffer = buffer.slice(newline + 1);
          if (line === '') {
            if (data.length > 0) {
              this.events.push({ event: event || 'message', data: data.join('\n'), id: this.lastEventId });
            }
            event = '';
            data = [];
            continue;
          }
          if (line.startsWith(':')) {
            this.comments += 1;
            continue;
          }
          const colon = line.indexOf(':');
          const field = colon < 0 ? line : line.slice(0, colon);
          const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = value;
          else if (field === 'data') data.push(value);
          else if (field === 'id') this.lastEventId = value;
          else if (field === 'retry' && /^\d+$/.test(value)) this.retries.push(Number(value));
        }
        this.notify();
      }
    } catch {
      // Aborted by close(), or the connection dropped.
    } finally {
      this.ended = true;
      this.notify();
    }
  }
}
