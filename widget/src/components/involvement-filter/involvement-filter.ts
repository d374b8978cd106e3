import { TpInvolvementFilter } from './involvement-filter.component.js';

export { TpInvolvementFilter };

TpInvolvementFilter.define('tp-involvement-filter');

declare global {
  interface HTMLElementTagNameMap {
    'tp-involvement-filter': TpInvolvementFilter;
  }
}
