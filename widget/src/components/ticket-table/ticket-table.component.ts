import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { PortalElement } from '../../internal/portal-element.js';
import { renderStatus, renderTicketId, renderWhen } from '../../tickets/ticket-cells.js';
import commonStyles from '../../styles/ticket-common.styles.js';
import { SortRequestEvent, emitTicketOpen } from '../../events/ticket-events.js';
import { COLUMNS, ownerName, requesterName } from '../../tickets/ticket-fields.js';
import styles from './ticket-table.styles.js';
import type { SortField, SortOrder, Ticket } from '../../api/api-types.js';
import { msg, str } from '../../internal/msg.js';

const SKELETON_ROWS = 5;

/**
 * The Table View: a real <table> with the guide's seven columns. Each header is a button that
 * sorts (ascending first, then descending) and carries aria-sort; a row opens its ticket.
 *
 * @fires tp-ticket-open - a row was activated; `detail.ticket` is the ticket (bubbles, composed)
 * @fires sort-request - internal: a header asked for another sort
 * @csspart table - the <table>
 * @csspart caption - its caption (receives focus after paging)
 * @csspart row - each ticket's <tr>
 * @csspart ticket-link - the subject button that opens a ticket
 * @csspart status-badge - the status label
 */
export class TicketTable extends PortalElement {
  static override styles = [commonStyles, styles];

  @property({ attribute: false }) tickets: readonly Ticket[] = [];
  @property() sort: SortField = 'lastActivity';
  @property() order: SortOrder = 'desc';
  @property() locale = 'en';
  @property() caption = msg('Your tickets');
  /** Shows skeleton rows (first load); `busy` dims the current rows while new ones load. */
  @property({ type: Boolean }) loading = false;
  @property({ type: Boolean }) busy = false;
  /** Clock for relative dates; the list refreshes it so "5 minutes ago" stays true. */
  @property({ type: Number }) now = Date.now();

  /** Moves focus to the caption, e.g. after paging, so reading starts at the new results. */
  focusStart(): void {
    this.renderRoot.querySelector<HTMLElement>('caption')?.focus();
  }

  private requestSort(field: SortField): void {
    const order: SortOrder = field === this.sort && this.order === 'asc' ? 'desc' : 'asc';
    this.dispatchEvent(new SortRequestEvent(field, order));
  }

  private onRowClick(event: MouseEvent, ticket: Ticket): void {
    // Let links or text selection inside the row behave normally.
    const target = event.target as HTMLElement;
    if (target.closest('a')) return;
    if (!target.closest('button') && window.getSelection()?.toString()) return;
    emitTicketOpen(this, ticket);
  }

  private sortDescription(): string {
    const column = COLUMNS.find((c) => c.field === this.sort)?.label ?? this.sort;
    return this.order === 'asc'
      ? msg(str`sorted by ${column}, ascending`)
      : msg(str`sorted by ${column}, descending`);
  }

  private sortState(field: SortField) {
    if (field !== this.sort) return nothing;
    return this.order === 'asc' ? 'ascending' : 'descending';
  }

  override render() {
    const skeleton = this.loading && this.tickets.length === 0;
    // The wrapper scrolls sideways when long words leave the columns wider than the space.
    return html`<div class="scroll">
      <table part="table" aria-busy=${this.busy || skeleton ? 'true' : 'false'}>
        <caption part="caption" tabindex="-1">
          ${this.caption}<span class="visually-hidden">, ${this.sortDescription()}</span>
        </caption>
        <thead>
          <tr>
            ${COLUMNS.map(
              (column) =>
                html`<th scope="col" aria-sort=${this.sortState(column.field)} data-field=${column.field}>
                  <button type="button" @click=${() => this.requestSort(column.field)}>
                    <span>${column.label}</span>
                    <span class="sort-icon" aria-hidden="true"
                      >${column.field !== this.sort ? '↕' : this.order === 'asc' ? '▲' : '▼'}</span
                    >
                  </button>
                </th>`,
            )}
          </tr>
        </thead>
        <tbody>
          ${skeleton ? this.renderSkeleton() : this.tickets.map((ticket) => this.renderRow(ticket))}
        </tbody>
      </table>
    </div>`;
  }

  private renderRow(ticket: Ticket) {
    return html`<tr
      part="row"
      data-ticket=${ticket.id ?? ticket.localId}
      @click=${(e: MouseEvent) => this.onRowClick(e, ticket)}
    >
      <td>${renderTicketId(ticket)}</td>
      <td>${renderStatus(ticket)}</td>
      <td class="col-subject">
        <button type="button" class="open" part="ticket-link">
          ${ticket.subject || msg('(no subject)')}
        </button>
      </td>
      <td class="col-date">${renderWhen(ticket.createdAt, this.locale, { relative: false })}</td>
      <td>${ownerName(ticket)}</td>
      <td class="col-date">
        ${renderWhen(ticket.lastActivityAt, this.locale, { relative: true, now: this.now })}
      </td>
      <td>${requesterName(ticket)}</td>
    </tr>`;
  }

  private renderSkeleton() {
    return Array.from(
      { length: SKELETON_ROWS },
      () =>
        html`<tr class="skeleton-row" part="skeleton" aria-hidden="true">
          ${COLUMNS.map(() => html`<td><span class="skeleton"></span></td>`)}
        </tr>`,
    );
  }
}
