import { TpRegister } from './register.component.js';

export { TpRegister };

TpRegister.define('tp-register');

declare global {
  interface HTMLElementTagNameMap {
    'tp-register': TpRegister;
  }
}
