import { TpAttachmentPicker } from './attachment-picker.component.js';

export { TpAttachmentPicker };

TpAttachmentPicker.define('tp-attachment-picker');

declare global {
  interface HTMLElementTagNameMap {
    'tp-attachment-picker': TpAttachmentPicker;
  }
}
