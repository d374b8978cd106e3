import type { Customer } from '../api/api-types.js';
import type { SignOutReason } from '../session/session.js';

export interface TpSignedInDetail {
  customer: Customer;
  /** true when an existing session was restored at load, false after the Sign in form. */
  restored: boolean;
}

export interface TpSignedOutDetail {
  reason: SignOutReason;
}

export interface TpErrorDetail {
  /**
   * The API's error code, `NETWORK_ERROR`, `CONFIG_MISSING_API_URL`, or `ORIGIN_NOT_ALLOWED` (this
   * page's origin is not in the API's PORTAL_ORIGINS).
   */
  code: string;
  /** The sentence shown to the customer. */
  message: string;
  /** HTTP status, when the API answered. */
  status: number | null;
}

export interface TpReadyDetail {
  /** true when the first screen is the customer's tickets (a saved or site session), else false. */
  signedIn: boolean;
}

export interface TpLiveDetail {
  /** `live`, `reconnecting`, `offline` or `polling` (the event stream cannot be had here). */
  state: 'live' | 'reconnecting' | 'offline' | 'polling' | 'connecting';
  /** When the portal last received anything from the stream (ISO 8601), null before it did. */
  since: string | null;
}

/** Public events: all bubble and are composed, so the host page hears them on <ticket-portal>. */
export interface TpEventMap {
  'tp-signed-in': CustomEvent<TpSignedInDetail>;
  'tp-signed-out': CustomEvent<TpSignedOutDetail>;
  'tp-error': CustomEvent<TpErrorDetail>;
  /** Once per element, when its first screen is shown. */
  'tp-ready': CustomEvent<TpReadyDetail>;
  /** Sent by the live stream's code (src/live/live-stream.ts, in the lazy chunk). */
  'tp-live': CustomEvent<TpLiveDetail>;
}

declare global {
  // Declaration merging: listeners on any element get the typed detail.
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface HTMLElementEventMap extends TpEventMap {}
}

export function emit<K extends keyof TpEventMap>(
  target: EventTarget,
  name: K,
  detail: TpEventMap[K]['detail'],
): void {
  target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
