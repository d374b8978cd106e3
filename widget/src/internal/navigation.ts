import type { Notice } from './notice.js';

/** The screens of the accounts part. The ticket list, ticket page and request form live inside `shell`. */
export type PortalRoute =
  | { screen: 'loading' }
  | { screen: 'sign-in'; email?: string; notice?: Notice }
  | { screen: 'register' }
  | { screen: 'check-inbox'; reason: 'register' | 'forgot' | 'unconfirmed'; email: string; message?: string }
  | { screen: 'confirm'; token: string }
  | { screen: 'forgot-password'; email?: string }
  | { screen: 'reset-password'; token: string }
  | { screen: 'shell'; view?: ShellView; history?: 'push' | 'replace' | 'back' }
  | { screen: 'error'; message: string; retry: boolean };

/**
 * What the signed-in shell shows: the list, a ticket's page (`?tp-ticket=<localId>`) or the request
 * form (`?tp-new=request`). `ticket` may carry what is already known so the page can draw at once.
 */
export type ShellView =
  { kind: 'list' } | { kind: 'ticket'; id: string; ticket?: unknown; notice?: Notice } | { kind: 'new' };

export type Screen = PortalRoute['screen'];

export const NAVIGATE_EVENT = 'tp-navigate';

/** Internal (not composed): a screen asks <ticket-portal> to show another one. */
export class NavigateEvent extends Event {
  constructor(readonly route: PortalRoute) {
    super(NAVIGATE_EVENT, { bubbles: true, composed: false });
  }
}
