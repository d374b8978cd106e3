import { TpForgotPassword } from './forgot-password.component.js';

export { TpForgotPassword };

TpForgotPassword.define('tp-forgot-password');

declare global {
  interface HTMLElementTagNameMap {
    'tp-forgot-password': TpForgotPassword;
  }
}
