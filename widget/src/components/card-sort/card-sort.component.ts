import { html } from 'lit';
import { property } from 'lit/decorators.js';
import type { SortField, SortOrder } from '../../api/api-types.js';
import { PortalElement } from '../../internal/portal-element.js';
import { msg } from '../../internal/msg.js';
import { COLUMNS } from '../../tickets/ticket-fields.js';

/**
 * Sort by and Order for Card View (the table sorts by its headers). <tp-ticket-toolbar> shows it with
 * the cards, whose code is in the lazy chunk too (ADR 0012), so it costs the first render nothing
 * (ADR 0017). It draws in the toolbar's own tree (no shadow root), so the toolbar's styles and
 * `for`/`id` apply; the toolbar hears each list's `change` (the list's id names the state's key).
 */
export class TpCardSort extends PortalElement {
  @property() sort: SortField = 'lastActivity';
  @property() order: SortOrder = 'desc';

  protected override createRenderRoot(): HTMLElement {
    return this;
  }

  override render() {
    return html`<label for="sort">${msg('Sort by')}</label>
      <select id="sort">
        ${COLUMNS.map((c) => html`<option value=${c.field} ?selected=${c.field === this.sort}>${c.label}</option>`)}
      </select>
      <label for="order" class="visually-hidden">${msg('Order')}</label>
      <select id="order">
        <option value="asc" ?selected=${this.order === 'asc'}>${msg('Ascending')}</option>
        <option value="desc" ?selected=${this.order === 'desc'}>${msg('Descending')}</option>
      </select>`;
  }
}
