import type { Customer, LoginResponse } from '../api/api-types.js';
import type { Session, SessionChangeReason, SignOutReason } from './session.js';

export const SESSION_CHANGE_EVENT = 'session-change';

export class SessionChangeEvent extends Event {
  constructor(
    readonly session: Session | null,
    readonly reason: SessionChangeReason,
  ) {
    super(SESSION_CHANGE_EVENT);
  }
}

export interface SessionStorages {
  local: Storage | null;
  session: Storage | null;
}

/** Storage can be missing or throw (blocked third-party storage, private modes, sandboxed frames). */
const safeStorage = (name: 'localStorage' | 'sessionStorage'): Storage | null => {
  try {
    const storage = window[name];
    const probe = '__tp_probe__';
    storage.setItem(probe, probe);
    storage.removeItem(probe);
    return storage;
  } catch {
    return null;
  }
};

export const sessionKey = (apiUrl: string): string => `tp-session:${apiUrl.replace(/\/+$/, '')}`;

// The stores of the elements connected on this page. Two <ticket-portal>s of one API are one
// session: a sign-in or sign-out in one reaches the other at once (storage events only tell other
// windows, and a session kept in memory has no storage at all).
const joined = new Set<SessionStore>();

/**
 * The signed-in customer's session, persisted per API URL. "Remember me" keeps it in localStorage,
 * otherwise sessionStorage (gone when the tab closes); when neither is usable it lives in memory.
 */
export class SessionStore extends EventTarget {
  readonly key: string;
  private readonly storages: SessionStorages;
  private value: Session | null;

  constructor(apiUrl: string, storages?: SessionStorages) {
    super();
    this.key = sessionKey(apiUrl);
    this.storages = storages ?? {
      local: safeStorage('localStorage'),
      session: safeStorage('sessionStorage'),
    };
    this.value = this.read();
  }

  /** The session, or null when there is none or it has expired. */
  get current(): Session | null {
    if (this.value && isExpired(this.value)) return null;
    return this.value;
  }

  signIn(result: LoginResponse, remember: boolean): Session {
    const session: Session = {
      accessToken: result.accessToken,
      expiresAt: result.expiresAt,
      customer: result.customer,
      remember,
    };
    this.value = session;
    this.write(session);
    this.emit('signed-in', true);
    return session;
  }

  updateCustomer(customer: Customer): void {
    if (!this.value) return;
    this.value = { ...this.value, customer };
    this.write(this.value);
    this.emit('updated', true);
  }

  /** Shares this session with the other elements of the same API on the page (while connected). */
  join(): void {
    const peer = [...joined].find((store) => store.key === this.key);
    // A session only in memory (no usable storage) is known to the element that signed in only.
    if (peer && !this.value) this.value = peer.value;
    joined.add(this);
  }

  leave(): void {
    joined.delete(this);
  }

  clear(reason: SignOutReason): void {
    const had = this.value !== null;
    this.value = null;
    for (const storage of [this.storages.local, this.storages.session]) {
      try {
        storage?.removeItem(this.key);
      } catch {
        // nothing more we can do; the in-memory copy is gone
      }
    }
    if (had) this.emit(reason, true);
  }

  /** Re-read storage after another window of the same page changed it. */
  sync(): void {
    const stored = this.read();
    if (stored?.accessToken === this.value?.accessToken) return;
    if (stored) {
      this.value = stored;
      this.emit('signed-in');
    } else if (this.value?.remember) {
      // Only a remembered session is shared between windows; a tab-only one is not ours to end.
      this.value = null;
      this.emit('other-window');
    }
  }

  private emit(reason: SessionChangeReason, share = false): void {
    this.dispatchEvent(new SessionChangeEvent(this.current, reason));
    if (!share) return;
    for (const peer of joined) {
      if (peer === this || peer.key !== this.key || peer.value === this.value) continue;
      peer.value = this.value;
      peer.emit(reason);
    }
  }

  private read(): Session | null {
    for (const storage of [this.storages.local, this.storages.session]) {
      let raw: string | null;
      try {
        raw = storage?.getItem(this.key) ?? null;
      } catch {
        raw = null;
      }
      const session = parseSession(raw);
      if (session && !isExpired(session)) return session;
      if (raw !== null) storage?.removeItem(this.key);
    }
    return null;
  }

  private write(session: Session): void {
    const [keep, drop] = session.remember
      ? [this.storages.local, this.storages.session]
      : [this.storages.session, this.storages.local];
    try {
      drop?.removeItem(this.key);
      keep?.setItem(this.key, JSON.stringify(session));
    } catch {
      // Quota or blocked storage: the session still works until the page is reloaded.
    }
  }
}

export const isExpired = (session: Session, now = Date.now()): boolean =>
  Date.parse(session.expiresAt) <= now;

function parseSession(raw: string | null): Session | null {
  if (!raw) return null;
  try {
    const data = JSON.parse(raw) as Partial<Session> | null;
    if (
      typeof data?.accessToken === 'string' &&
      typeof data.expiresAt === 'string' &&
      !Number.isNaN(Date.parse(data.expiresAt)) &&
      typeof data.customer?.email === 'string'
    ) {
      return { ...(data as Session), remember: data.remember === true };
    }
  } catch {
    // corrupted entry: treated as no session
  }
  return null;
}
