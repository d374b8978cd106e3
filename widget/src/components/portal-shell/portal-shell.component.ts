import { html, nothing, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import type { Customer } from '../../api/api-types.js';
import { prefetchView } from '../../internal/lazy-views.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import styles from './portal-shell.styles.js';
import { messages } from '../../internal/messages.js';
import { msg } from '../../internal/msg.js';
import { listMessages as t } from '../../tickets/ticket-messages.js';

/**
 * The signed-in frame: who is signed in, Sign out, the region where the ticket list, a ticket's page
 * or the request form is placed through the `main` slot, and "Need Help?".
 *
 * @slot main - The signed-in content; <ticket-portal> fills it (list, ticket page or request form).
 * @fires tp-view-retry - Internal: Retry after the slotted view's code failed to load (not composed).
 * @csspart new-request - The "Submit a Request" button (also has part `button`).
 * @csspart loading - "Loading…" while the ticket page's or the form's code is fetched.
 * @csspart alert - The load failure, with Retry.
 * @csspart help - "Need Help?".
 * @csspart header - The bar with the signed-in customer and Sign out.
 * @csspart user - "Signed in as …".
 * @csspart button-secondary - Sign out.
 * @csspart main - The region that holds the tickets.
 * @csspart placeholder - Shown while nothing is slotted.
 */
export class TpPortalShell extends PortalScreen {
  static override styles = [...PortalScreen.styles, styles];

  @property({ attribute: false }) customer: Customer | null = null;

  /** What the `main` slot holds: the list (with "Your tickets" and "Submit a Request"), a ticket or the form. */
  @property() view: 'list' | 'ticket' | 'new' = 'list';

  /** The slotted view's code is being fetched, or could not be (then Retry fires `tp-view-retry`). */
  @property({ attribute: 'load-state' }) loadState: '' | 'loading' | 'failed' = '';

  override focusHeading(): void {
    const main = this.querySelector<PortalScreen>('[slot="main"]');
    if (this.view !== 'list' && main && 'focusHeading' in main) {
      void main.updateComplete.then(() => main.focusHeading());
      return;
    }
    // Back from a ticket or the form: continue at "Your tickets" rather than the top of the portal.
    this.renderRoot.querySelector<HTMLElement>(this.returned ? '#tickets-heading' : '.heading')?.focus();
  }

  private returned = false;

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const before = changed.get('view');
    if (changed.has('view')) this.returned = this.view === 'list' && !!before && before !== 'list';
  }

  private readonly signOut = (): void => {
    const token = this.sessions?.current?.accessToken;
    // End the session here at once; revoking it on the server is best effort (it expires anyway).
    this.sessions?.clear('user');
    if (token) void this.client.logout(token).catch(() => undefined);
  };

  private readonly newRequest = (): void =>
    this.navigate({ screen: 'shell', view: { kind: 'new' }, history: 'push' });

  private readonly prefetchForm = (): void => prefetchView('new');

  private readonly retryLoad = (): void => {
    this.dispatchEvent(new Event('tp-view-retry', { bubbles: true }));
  };

  override render() {
    const who = this.customer?.name?.trim() || this.customer?.email || '';
    const list = this.view === 'list';
    return html`
      <div class="shell" part="shell">
        <header class="shell__header" part="header">
          ${this.renderHeading(messages.customerPortal)}
          <div class="shell__account">
            <p class="shell__user" part="user">${msg('Signed in as')} <strong>${who}</strong></p>
            <button type="button" class="secondary" part="button button-secondary" @click=${this.signOut}>
              ${msg('Sign out')}
            </button>
          </div>
        </header>
        ${this.renderNotices()}
        <section class="shell__main" part="main" aria-labelledby=${list ? 'tickets-heading' : nothing}>
          ${
            list
              ? html`<div class="shell__bar">
                  <h3 id="tickets-heading" class="shell__main-heading" tabindex="-1">${t.heading}</h3>
                  <button
                    type="button"
                    part="button new-request"
                    @click=${this.newRequest}
                    @pointerenter=${this.prefetchForm}
                    @focus=${this.prefetchForm}
                  >
                    ${t.submitRequest}
                  </button>
                </div>`
              : nothing
          }
          ${this.renderLoadState()}
          <slot name="main">
            <p class="placeholder" part="placeholder">${msg('Your tickets will appear here.')}</p>
          </slot>
        </section>
        ${this.renderHelp()}
      </div>
    `;
  }

  private renderLoadState() {
    if (this.loadState === 'loading') {
      return html`<p class="shell__loading" part="loading" role="status">${msg('Loading…')}</p>`;
    }
    if (this.loadState === 'failed') {
      return html`<div class="shell__failed" part="alert" role="alert">
        <p>${messages.loadFailed}</p>
        <button type="button" class="secondary" part="button button-secondary" @click=${this.retryLoad}>
          ${messages.retry}
        </button>
      </div>`;
    }
    return nothing;
  }
}
