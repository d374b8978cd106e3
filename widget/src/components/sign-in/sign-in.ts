import { TpSignIn } from './sign-in.component.js';

export { TpSignIn };

TpSignIn.define('tp-sign-in');

declare global {
  interface HTMLElementTagNameMap {
    'tp-sign-in': TpSignIn;
  }
}
