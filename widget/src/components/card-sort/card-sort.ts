import { TpCardSort } from './card-sort.component.js';

export { TpCardSort };

TpCardSort.define('tp-card-sort');

declare global {
  interface HTMLElementTagNameMap {
    'tp-card-sort': TpCardSort;
  }
}
