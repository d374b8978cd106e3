import { TpPortalShell } from './portal-shell.component.js';

export { TpPortalShell };

TpPortalShell.define('tp-portal-shell');

declare global {
  interface HTMLElementTagNameMap {
    'tp-portal-shell': TpPortalShell;
  }
}
