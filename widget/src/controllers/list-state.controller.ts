import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { pageAddress, type Address } from '../internal/page-address.js';
import {
  decodeState,
  defaultState,
  sameState,
  withState,
  type ListState,
  type ListView,
} from '../tickets/list-state.js';

/** push: a new history entry (Back returns to the previous state); replace: refine the current one. */
export type HistoryMode = 'push' | 'replace';

/**
 * Keeps the ticket list's state in the page address (`tp-*` query parameters), so a reload or a
 * shared link restores it and Back / Forward move between states. Reads the address when the
 * host connects and on popstate; writes it with pushState / replaceState.
 */
export class ListStateController implements ReactiveController {
  private current: ListState;
  private defaults: ListState;

  constructor(
    private readonly host: ReactiveControllerHost,
    /** Called after the state changed because of Back / Forward (not after set()). */
    private readonly onRestore: (state: ListState) => void = () => undefined,
    /** The page's address, or the portal's in-memory one (`address="off"`). */
    private readonly address: () => Address = () => pageAddress,
  ) {
    this.defaults = defaultState();
    this.current = this.defaults;
    host.addController(this);
  }

  get state(): ListState {
    return this.current;
  }

  /** The view used when the address names none (the site editor's `view` attribute). */
  setDefaultView(view: ListView): void {
    if (view === this.defaults.view) return;
    const following = this.current.view === this.defaults.view;
    this.defaults = defaultState(view);
    // Only follow the new default when the address does not name a view of its own.
    if (following && !new URL(this.address().href).searchParams.has('tp-view')) {
      this.current = { ...this.current, view };
      this.host.requestUpdate();
    }
  }

  /** Changes the state and records it in the address. Returns false when nothing changed. */
  set(patch: Partial<ListState>, mode: HistoryMode = 'push'): boolean {
    const next = { ...this.current, ...patch };
    if (sameState(next, this.current)) return false;
    this.current = next;
    this.write(mode);
    this.host.requestUpdate();
    return true;
  }

  hostConnected(): void {
    this.current = this.read();
    window.addEventListener('popstate', this.onPopState);
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.onPopState);
  }

  private read(): ListState {
    return decodeState(new URL(this.address().href).search, this.defaults);
  }

  private write(mode: HistoryMode): void {
    const address = this.address();
    address.write(withState(address.href, this.current, this.defaults), mode);
  }

  private readonly onPopState = (): void => {
    if (!this.address().page) return;
    const next = this.read();
    if (sameState(next, this.current)) return;
    this.current = next;
    this.host.requestUpdate();
    this.onRestore(next);
  };
}
