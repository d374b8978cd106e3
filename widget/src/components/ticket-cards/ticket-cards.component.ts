import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { PortalElement } from '../../internal/portal-element.js';
import { renderStatus, renderTicketId, renderWhen } from '../../tickets/ticket-cells.js';
import styles from './ticket-cards.styles.js';
import commonStyles from '../../styles/ticket-common.styles.js';
import { emitTicketOpen } from '../../events/ticket-events.js';
import { COLUMNS, ownerName, requesterName } from '../../tickets/ticket-fields.js';
import type { SortField, Ticket } from '../../api/api-types.js';
import { msg } from '../../internal/msg.js';

const SKELETON_CARDS = 4;
const label = (field: SortField): string => COLUMNS.find((c) => c.field === field)?.label ?? field;

/**
 * The Card View: each ticket as a card with the same seven pieces of information as the table.
 *
 * @fires tp-ticket-open - a card was activated; `detail.ticket` is the ticket (bubbles, composed)
 * @csspart heading - the list's label (receives focus after paging)
 * @csspart cards - the list of cards
 * @csspart card - one ticket's card
 * @csspart ticket-link - the subject button that opens a ticket
 * @csspart status-badge - the status label
 */
export class TicketCards extends PortalElement {
  static override styles = [commonStyles, styles];

  @property({ attribute: false }) tickets: readonly Ticket[] = [];
  @property() locale = 'en';
  @property() heading = msg('Your tickets');
  /** aria-level of each card's title: 4 under the portal's "Your tickets" (h3). */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 4;
  @property({ type: Boolean }) loading = false;
  @property({ type: Boolean }) busy = false;
  @property({ type: Number }) now = Date.now();

  focusStart(): void {
    this.renderRoot.querySelector<HTMLElement>('.heading')?.focus();
  }

  private onCardClick(event: MouseEvent, ticket: Ticket): void {
    const target = event.target as HTMLElement;
    if (target.closest('a')) return;
    if (!target.closest('button') && window.getSelection()?.toString()) return;
    emitTicketOpen(this, ticket);
  }

  override render() {
    const skeleton = this.loading && this.tickets.length === 0;
    return html`<p id="heading" class="heading" part="heading" tabindex="-1">${this.heading}</p>
      <ul
        class="cards"
        part="cards"
        role="list"
        aria-labelledby="heading"
        aria-busy=${this.busy || skeleton ? 'true' : 'false'}
      >
        ${
          skeleton
            ? Array.from(
                { length: SKELETON_CARDS },
                () =>
                  html`<li class="card skeleton-card" part="card skeleton" aria-hidden="true">
                    <span class="skeleton"></span><span class="skeleton"></span><span class="skeleton"></span>
                  </li>`,
              )
            : this.tickets.map((ticket) => this.renderCard(ticket))
        }
      </ul>`;
  }

  private renderCard(ticket: Ticket) {
    return html`<li
      class="card"
      part="card"
      data-ticket=${ticket.id ?? ticket.localId}
      @click=${(e: MouseEvent) => this.onCardClick(e, ticket)}
    >
      <div class="card__title" role="heading" aria-level=${this.headingLevel}>
        <button type="button" class="open" part="ticket-link">
          ${ticket.subject || msg('(no subject)')}
        </button>
      </div>
      <dl>
        <div>
          <dt>${label('id')}</dt>
          <dd>${renderTicketId(ticket)}</dd>
        </div>
        <div>
          <dt>${label('status')}</dt>
          <dd>${renderStatus(ticket)}</dd>
        </div>
        <div>
          <dt>${label('created')}</dt>
          <dd>${renderWhen(ticket.createdAt, this.locale, { relative: false })}</dd>
        </div>
        <div>
          <dt>${label('owner')}</dt>
          <dd>${ownerName(ticket)}</dd>
        </div>
        <div>
          <dt>${label('lastActivity')}</dt>
          <dd>${renderWhen(ticket.lastActivityAt, this.locale, { relative: true, now: this.now })}</dd>
        </div>
        <div>
          <dt>${label('requestedBy')}</dt>
          <dd>${requesterName(ticket)}</dd>
        </div>
      </dl>
    </li>`;
  }
}
