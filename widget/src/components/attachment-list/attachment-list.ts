import { TpAttachmentList } from './attachment-list.component.js';

export { TpAttachmentList };

TpAttachmentList.define('tp-attachment-list');

declare global {
  interface HTMLElementTagNameMap {
    'tp-attachment-list': TpAttachmentList;
  }
}
