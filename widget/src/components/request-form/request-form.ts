import { TpRequestForm } from './request-form.component.js';

export { TpRequestForm };

TpRequestForm.define('tp-request-form');

declare global {
  interface HTMLElementTagNameMap {
    'tp-request-form': TpRequestForm;
  }
}
