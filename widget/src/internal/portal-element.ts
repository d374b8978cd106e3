import { LitElement } from 'lit';

/** Base of every element in the widget: a define() that tolerates the script being loaded twice. */
export class PortalElement extends LitElement {
  static define(name: string): void {
    const existing = customElements.get(name);
    if (!existing) {
      customElements.define(name, this);
    } else if (existing !== this) {
      // A second copy of the script (another URL or version): the first one stays in charge.
      console.warn(`<${name}> is already defined by another copy of ticket-portal.js; keeping the first.`);
    }
  }
}
