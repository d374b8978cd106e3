// The bundle's entry and <ticket-portal>'s define file: importing it registers every element once,
// even when a page loads the script twice.
import { TicketPortal } from './components/ticket-portal/ticket-portal.component.js';

export { TicketPortal };
export { ApiClient, type ApiClientOptions, type FetchLike } from './api/api-client.js';
export { ApiError, NetworkError } from './api/api-error.js';
export type { Customer, ErrorCode, LoginResponse } from './api/api-types.js';
export type {
  TpErrorDetail,
  TpEventMap,
  TpLiveDetail,
  TpReadyDetail,
  TpSignedInDetail,
  TpSignedOutDetail,
} from './events/portal-events.js';
export type { TpTicketOpenDetail, TpTicketOpenEvent } from './events/ticket-events.js';
export type { SignOutReason } from './session/session.js';
export type { SiteTokenCallback } from './session/site-sign-in.js';

TicketPortal.define('ticket-portal');

declare global {
  interface HTMLElementTagNameMap {
    'ticket-portal': TicketPortal;
  }
}
