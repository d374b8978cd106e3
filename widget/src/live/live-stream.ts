import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ApiClient, UNAUTHORIZED_EVENT } from '../api/api-client.js';
import type { TpLiveDetail } from '../events/portal-events.js';
import type { LiveEvent, LiveListener, LiveStatus } from './live-events.js';

// The widget's end of GET /api/v1/tickets/events (ADR 0009), loaded with the lazy chunk after the
// first render. EventSource cannot send the Authorization header, and the token must never go in a
// URL, so the stream is read with fetch and parsed with eventsource-parser.

// ApiClient's UNAUTHORIZED_EVENT, not imported: that would move the ApiClient out of the entry into
// the shared chunk, which costs the first render ~80 bytes.
const UNAUTHORIZED: typeof UNAUTHORIZED_EVENT = 'unauthorized';

const streams = new WeakMap<ApiClient, LiveStream>();

/** Starts listening to the live changes of the session `client` signs in with; the answer stops. */
export function watchLive(client: ApiClient, listener: LiveListener, host: HTMLElement): () => void {
  let stream = streams.get(client);
  if (!stream) {
    stream = new LiveStream(client);
    streams.set(client, stream);
  }
  return stream.watch(listener, host);
}

/**
 * One event stream per ApiClient (that is, per <ticket-portal>), shared by the list and the ticket
 * page: it opens when the first of them watches and closes a little after the last one leaves (so
 * going from the list to a ticket keeps it). It reconnects with backoff and `Last-Event-ID`, turns
 * to polling when the stream cannot be had here (a proxy that strips or buffers event streams), and
 * ends the session like a 401 when the server says `session-ended`.
 */
export class LiveStream {
  /** Delays and limits (ms); tests shorten them. */
  static timing = {
    /** First delay after a failed attempt; doubles per failure up to maxRetry (±20 %). */
    retry: 1000,
    maxRetry: 30_000,
    /** Failed attempts in a row after which the connection is called offline. */
    offlineAfter: 3,
    /** An answer that has not said `ready` after this long is buffered somewhere: poll instead. */
    ready: 10_000,
    /** Nothing at all (the server sends a keep-alive every 15 s) for this long: the connection is dead. */
    silence: 45_000,
    /** While polling, try the stream again this often. */
    pollingRetry: 300_000,
    /** Keep the stream this long after the last watcher left (from the list to a ticket and back). */
    grace: 5000,
  };

  status: LiveStatus = 'connecting';
  /** When the stream last delivered anything (ms epoch). */
  since: number | null = null;

  private readonly watchers = new Map<LiveListener, HTMLElement>();
  private active = false;
  private token: string | null = null;
  private lastId: string | null = null;
  /** The server's `retry:` hint: how soon to come back after it ended a stream. */
  private hint = 3000;
  private failures = 0;
  private abort: AbortController | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private leave: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly client: ApiClient) {}

  watch(listener: LiveListener, host: HTMLElement): () => void {
    clearTimeout(this.leave);
    this.watchers.set(listener, host);
    listener({ type: 'status', status: this.status, since: this.since });
    // Someone else signed in meanwhile: their stream, not a resume of the previous one.
    if (!this.active || this.client.tokenSource() !== this.token) this.start();
    return () => {
      if (!this.watchers.delete(listener) || this.watchers.size > 0) return;
      this.leave = setTimeout(() => this.stop(), LiveStream.timing.grace);
    };
  }

  private start(): void {
    this.stop();
    this.active = true;
    window.addEventListener('online', this.onOnline);
    window.addEventListener('offline', this.onOffline);
    void this.connect();
  }

  /** Closes the stream; the next watcher opens it again. */
  stop(): void {
    this.active = false;
    this.abort?.abort();
    this.abort = null;
    clearTimeout(this.timer);
    clearTimeout(this.watchdog);
    window.removeEventListener('online', this.onOnline);
    window.removeEventListener('offline', this.onOffline);
    this.status = 'connecting';
  }

  private readonly onOnline = (): void => {
    if (this.status !== 'live') this.schedule(0);
  };

  private readonly onOffline = (): void => {
    this.abort?.abort();
    this.setStatus('offline');
    this.schedule(LiveStream.timing.maxRetry);
  };

  private async connect(): Promise<void> {
    clearTimeout(this.timer);
    this.abort?.abort();
    const token = this.client.tokenSource();
    if (!this.active || !token) {
      this.stop();
      return;
    }
    if (token !== this.token) {
      this.token = token;
      this.lastId = null;
    }
    const abort = (this.abort = new AbortController());
    const resume = this.lastId;
    try {
      const headers: Record<string, string> = {
        Accept: 'text/event-stream',
        Authorization: `Bearer ${token}`,
      };
      if (resume) headers['Last-Event-ID'] = resume;
      const response = await this.client.fetchFn(`${this.client.baseUrl}/api/v1/tickets/events`, {
        method: 'GET',
        headers,
        signal: abort.signal,
        credentials: 'omit',
        mode: 'cors',
        cache: 'no-store',
      });
      if (response.status === 401) return this.ended(token);
      if (response.status === 400 && resume) {
        // The id is not one this deployment knows: start afresh (and read everything again).
        this.lastId = null;
        return this.schedule(0);
      }
      if (response.status >= 500 || response.status === 429) {
        const after = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
        return this.failed(Number.isFinite(after) ? after * 1000 : undefined);
      }
      const type = response.headers.get('Content-Type') ?? '';
      if (!response.ok || !response.body || !type.startsWith('text/event-stream')) {
        // Something between here and the API does not pass event streams on.
        return this.fallback();
      }
      const opened = await this.read(response.body, abort, resume === null);
      if (abort.signal.aborted) return;
      // The server ended the stream (a restart, a slow reader cut off): back after its hint.
      if (opened) {
        this.setStatus('reconnecting');
        this.schedule(this.hint);
      } else this.failed();
    } catch {
      // Aborted on purpose (stop, watchdog, offline): whoever aborted decides what comes next.
      if (!abort.signal.aborted) this.failed();
    }
  }

  /** Reads one response to its end; true when it said `ready`. */
  private async read(body: ReadableStream<Uint8Array>, abort: AbortController, fresh: boolean) {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let ready = false;
    const parser = createParser({
      onEvent: (message) => {
        if (message.event === 'ready') ready = true;
        this.onMessage(message, fresh);
      },
      onRetry: (ms) => (this.hint = ms),
    });
    const timing = LiveStream.timing;
    const readyTimer = setTimeout(() => {
      if (ready) return;
      abort.abort();
      this.fallback();
    }, timing.ready);
    try {
      for (;;) {
        clearTimeout(this.watchdog);
        this.watchdog = setTimeout(() => {
          abort.abort();
          this.setStatus('reconnecting');
          this.schedule(0);
        }, timing.silence);
        const { done, value } = await reader.read();
        if (done) return ready;
        this.since = Date.now();
        parser.feed(decoder.decode(value, { stream: true }));
      }
    } finally {
      clearTimeout(readyTimer);
      clearTimeout(this.watchdog);
    }
  }

  private onMessage(message: EventSourceMessage, fresh: boolean): void {
    if (message.id) this.lastId = message.id;
    let data: Record<string, unknown>;
    try {
      data = (JSON.parse(message.data) ?? {}) as Record<string, unknown>;
    } catch {
      return;
    }
    const localId = String(data.localId);
    const name = message.event ?? '';
    switch (name) {
      case 'ready': {
        this.failures = 0;
        this.setStatus('live');
        const sync = data.sync as { state: 'current' | 'behind'; syncedAt: string | null } | undefined;
        if (sync) this.emit({ type: 'sync', state: sync.state, syncedAt: sync.syncedAt });
        // A new stream (not a resume): what was read before it opened may have missed a change.
        if (fresh) this.emit({ type: 'resync' });
        return;
      }
      case 'ticket':
        if (typeof data.localId === 'string') this.emit({ type: 'ticket', ticket: data as never });
        return;
      case 'ticket-removed':
      case 'conversation':
        this.emit({ type: name, localId });
        return;
      case 'message':
        if (typeof data.message === 'object' && data.message) {
          this.emit({ type: 'message', localId, message: data.message as never });
        }
        return;
      case 'counts':
        this.emit({ type: 'counts', counts: data as never });
        return;
      case 'sync':
        this.emit({ type: 'sync', state: data.state as 'current', syncedAt: data.syncedAt as string | null });
        return;
      case 'resync':
        this.emit({ type: 'resync' });
        return;
      case 'session-ended':
        this.ended(this.token);
        return;
      default:
      // An event this widget does not know (a newer API): nothing to do.
    }
  }

  private emit(event: LiveEvent): void {
    for (const listener of [...this.watchers.keys()]) {
      try {
        listener(event);
      } catch (error) {
        console.error('<ticket-portal>: a live update failed', error);
      }
    }
  }

  private setStatus(status: LiveStatus): void {
    if (status === this.status) return;
    this.status = status;
    this.emit({ type: 'status', status, since: this.since });
    // The host page hears it on <ticket-portal> (the event is composed).
    const host = this.watchers.values().next().value;
    const detail: TpLiveDetail = {
      state: status,
      since: this.since === null ? null : new Date(this.since).toISOString(),
    };
    host?.dispatchEvent(new CustomEvent('tp-live', { detail, bubbles: true, composed: true }));
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.active) this.timer = setTimeout(() => void this.connect(), ms);
  }

  private failed(after?: number): void {
    this.failures += 1;
    const { retry, maxRetry, offlineAfter } = LiveStream.timing;
    const offline = this.failures >= offlineAfter || navigator.onLine === false;
    this.setStatus(offline ? 'offline' : 'reconnecting');
    const backoff = Math.min(maxRetry, retry * 2 ** (this.failures - 1)) * (0.8 + Math.random() * 0.4);
    this.schedule(Math.max(after ?? 0, backoff));
  }

  private fallback(): void {
    this.setStatus('polling');
    this.schedule(LiveStream.timing.pollingRetry);
  }

  /** The server ended the session (sign-out elsewhere, expiry): like a 401, back to Sign in. */
  private ended(token: string | null): void {
    this.stop();
    if (token !== null && this.client.tokenSource() === token) {
      this.client.dispatchEvent(new Event(UNAUTHORIZED));
    }
  }
}
