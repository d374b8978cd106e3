import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { UNAUTHORIZED_EVENT, type ApiClient } from '../api/api-client.js';
import {
  SESSION_CHANGE_EVENT,
  type SessionChangeEvent,
  type SessionStore,
} from '../session/session-store.js';

// setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); re-arm in steps instead.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Keeps the host's session honest for as long as it is connected: ends it at `expiresAt`, when an
 * authenticated call is refused (401), and when another window of the page signs out.
 */
export class SessionController implements ReactiveController {
  private store: SessionStore | null = null;
  private client: ApiClient | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private connected = false;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onChange: (event: SessionChangeEvent) => void,
  ) {
    host.addController(this);
  }

  /** Watch these services (called again when api-url changes). */
  bind(store: SessionStore, client: ApiClient): void {
    this.unlisten();
    this.store = store;
    this.client = client;
    client.tokenSource = () => store.current?.accessToken ?? null;
    if (this.connected) this.listen();
  }

  hostConnected(): void {
    this.connected = true;
    this.listen();
  }

  hostDisconnected(): void {
    this.connected = false;
    this.unlisten();
  }

  private listen(): void {
    if (!this.store || !this.client) return;
    this.store.join();
    this.store.addEventListener(SESSION_CHANGE_EVENT, this.onStoreChange);
    this.client.addEventListener(UNAUTHORIZED_EVENT, this.onUnauthorized);
    window.addEventListener('storage', this.onStorage);
    this.arm();
  }

  private unlisten(): void {
    clearTimeout(this.timer);
    this.store?.leave();
    this.store?.removeEventListener(SESSION_CHANGE_EVENT, this.onStoreChange);
    this.client?.removeEventListener(UNAUTHORIZED_EVENT, this.onUnauthorized);
    window.removeEventListener('storage', this.onStorage);
  }

  private arm(): void {
    clearTimeout(this.timer);
    const session = this.store?.current;
    if (!session) return;
    const left = Date.parse(session.expiresAt) - Date.now();
    this.timer = setTimeout(
      () => {
        if (this.store?.current === null) this.store.clear('expired');
        else this.arm();
      },
      Math.min(Math.max(left, 0), MAX_TIMER_MS),
    );
  }

  private readonly onStoreChange = (event: Event): void => {
    this.arm();
    this.onChange(event as SessionChangeEvent);
    this.host.requestUpdate();
  };

  private readonly onUnauthorized = (): void => this.store?.clear('unauthorized');

  private readonly onStorage = (event: StorageEvent): void => {
    if (event.key === null || event.key === this.store?.key) this.store?.sync();
  };
}
