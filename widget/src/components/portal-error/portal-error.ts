import { TpPortalError } from './portal-error.component.js';

export { TpPortalError };

TpPortalError.define('tp-portal-error');

declare global {
  interface HTMLElementTagNameMap {
    'tp-portal-error': TpPortalError;
  }
}
