import { TpConfirmAccount } from './confirm-account.component.js';

export { TpConfirmAccount };

TpConfirmAccount.define('tp-confirm-account');

declare global {
  interface HTMLElementTagNameMap {
    'tp-confirm-account': TpConfirmAccount;
  }
}
