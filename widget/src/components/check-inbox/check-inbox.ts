import { TpCheckInbox } from './check-inbox.component.js';

export { TpCheckInbox };

TpCheckInbox.define('tp-check-inbox');

declare global {
  interface HTMLElementTagNameMap {
    'tp-check-inbox': TpCheckInbox;
  }
}
