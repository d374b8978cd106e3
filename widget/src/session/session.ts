import type { Me } from '../api/api-types.js';

export interface Session {
  accessToken: string;
  /** ISO 8601; the session ends at this instant. */
  expiresAt: string;
  /** The customer, with what their visibility rule offers once GET me said it. */
  customer: Me;
  /** "Remember me": kept in localStorage (survives closing the browser), else sessionStorage. */
  remember: boolean;
}

/** Why a session ended; the `reason` of the public `tp-signed-out` event. */
export type SignOutReason = 'user' | 'expired' | 'unauthorized' | 'password-reset' | 'other-window';

export type SessionChangeReason = 'signed-in' | 'restored' | 'updated' | SignOutReason;
