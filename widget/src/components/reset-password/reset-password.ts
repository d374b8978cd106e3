import { TpResetPassword } from './reset-password.component.js';

export { TpResetPassword };

TpResetPassword.define('tp-reset-password');

declare global {
  interface HTMLElementTagNameMap {
    'tp-reset-password': TpResetPassword;
  }
}
