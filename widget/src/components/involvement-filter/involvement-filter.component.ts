import { html } from 'lit';
import { property } from 'lit/decorators.js';
import type { Involvement } from '../../api/api-types.js';
import { PortalElement } from '../../internal/portal-element.js';
import { msg } from '../../internal/msg.js';

/**
 * The list's Show filter: All / Mine / In copy / My company, the values the customer's visibility
 * rule offers (GET me `involvements`, ADR 0014). <tp-ticket-toolbar> puts it among its filters only
 * when the rule offers two or more, and the code arrives with the lazy chunk (ADR 0017): the first
 * render's budget had no room for it. It draws its label and list in the toolbar's own tree (no
 * shadow root), so the toolbar's filter styles and `for`/`id` apply, and the toolbar hears the
 * list's `change`.
 */
export class TpInvolvementFilter extends PortalElement {
  /** The values the rule offers, in order. */
  @property({ attribute: false }) involvements: readonly Involvement[] = [];

  /** The value chosen: `all` or one of `involvements`. */
  @property() value: Involvement | 'all' = 'all';

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render() {
    const labels = { all: msg('All'), mine: msg('Mine'), cc: msg('In copy'), company: msg('My company') };
    return html`<label for="involvement">${msg('Show')}</label>
      <select id="involvement">
        ${(['all', ...this.involvements] as const).map(
          (value) => html`<option value=${value} ?selected=${this.value === value}>${labels[value]}</option>`,
        )}
      </select>`;
  }
}
