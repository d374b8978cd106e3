import { html } from 'lit';
import { property } from 'lit/decorators.js';
import { PortalElement } from '../../internal/portal-element.js';
import commonStyles from '../../styles/ticket-common.styles.js';
import { PageRequestEvent } from '../../events/ticket-events.js';
import styles from './ticket-pager.styles.js';
import { formatNumber } from '../../tickets/format.js';
import { msg, str } from '../../internal/msg.js';

/** Page numbers to show: the first, the last, and a window around the current page ('gap' between). */
export function pageWindow(page: number, pages: number, around = 1): (number | 'gap')[] {
  const shown = new Set<number>([1, pages]);
  for (let p = page - around; p <= page + around; p++) if (p >= 1 && p <= pages) shown.add(p);
  // Show a lone hidden page instead of a gap that would hide just one number.
  const sorted = [...shown].sort((a, b) => a - b);
  const result: (number | 'gap')[] = [];
  for (const p of sorted) {
    const prev = result[result.length - 1];
    if (typeof prev === 'number' && p - prev === 2) result.push(prev + 1);
    else if (typeof prev === 'number' && p - prev > 2) result.push('gap');
    result.push(p);
  }
  return result;
}

/**
 * "1–25 of 312", Previous, page numbers and Next.
 *
 * @fires page-request - internal: the customer chose another page
 * @csspart pager - the <nav>
 */
export class TicketPager extends PortalElement {
  static override styles = [commonStyles, styles];

  @property({ type: Number }) page = 1;
  @property({ type: Number, attribute: 'page-size' }) pageSize = 25;
  @property({ type: Number }) total = 0;
  @property() locale = 'en';

  get pages(): number {
    return Math.max(1, Math.ceil(this.total / this.pageSize));
  }

  private go(page: number): void {
    if (page < 1 || page > this.pages || page === this.page) return;
    this.dispatchEvent(new PageRequestEvent(page));
  }

  override render() {
    const first = this.total === 0 ? 0 : (this.page - 1) * this.pageSize + 1;
    const last = Math.min(this.total, this.page * this.pageSize);
    const n = (value: number): string => formatNumber(value, this.locale);
    return html`<nav part="pager" aria-label=${msg('Pages')}>
      <p class="range">${msg(str`${n(first)}–${n(last)} of ${n(this.total)}`)}</p>
      ${
        this.pages > 1
          ? html`<ul>
              <li>
                <button type="button" ?disabled=${this.page <= 1} @click=${() => this.go(this.page - 1)}>
                  ${msg('Previous')}
                </button>
              </li>
              ${pageWindow(this.page, this.pages).map((p) =>
                p === 'gap'
                  ? html`<li class="gap" aria-hidden="true">…</li>`
                  : html`<li>
                      <button
                        type="button"
                        aria-label=${msg(str`Page ${n(p)}`)}
                        aria-current=${p === this.page ? 'page' : 'false'}
                        @click=${() => this.go(p)}
                      >
                        ${n(p)}
                      </button>
                    </li>`,
              )}
              <li>
                <button
                  type="button"
                  ?disabled=${this.page >= this.pages}
                  @click=${() => this.go(this.page + 1)}
                >
                  ${msg('Next')}
                </button>
              </li>
            </ul>`
          : ''
      }
    </nav>`;
  }
}
