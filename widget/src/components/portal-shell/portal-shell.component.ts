import { html } from 'lit';
import { property } from 'lit/decorators.js';
import type { Customer } from '../../api/api-types.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import styles from './portal-shell.styles.js';

/**
 * The signed-in frame: who is signed in, Sign out, and the region where the ticket list (and later
 * the ticket page and request form) is placed through the `main` slot.
 *
 * @slot main - The signed-in content; <ticket-portal> fills it (the ticket list, issue 5).
 * @csspart header - The bar with the signed-in customer and Sign out.
 * @csspart user - "Signed in as …".
 * @csspart button-secondary - Sign out.
 * @csspart main - The region that holds the tickets.
 * @csspart placeholder - Shown while nothing is slotted.
 */
export class TpPortalShell extends PortalScreen {
  static override styles = [...PortalScreen.styles, styles];

  @property({ attribute: false }) customer: Customer | null = null;

  private readonly signOut = (): void => {
    const token = this.sessions?.current?.accessToken;
    // End the session here at once; revoking it on the server is best effort (it expires anyway).
    this.sessions?.clear('user');
    if (token) void this.client.logout(token).catch(() => undefined);
  };

  override render() {
    const who = this.customer?.name?.trim() || this.customer?.email || '';
    return html`
      <div class="shell" part="shell">
        <header class="shell__header" part="header">
          ${this.renderHeading('Customer Portal')}
          <div class="shell__account">
            <p class="shell__user" part="user">Signed in as <strong>${who}</strong></p>
            <button type="button" class="secondary" part="button button-secondary" @click=${this.signOut}>
              Sign out
            </button>
          </div>
        </header>
        ${this.renderNotices()}
        <section class="shell__main" part="main" aria-labelledby="tickets-heading">
          <h3 id="tickets-heading" class="shell__main-heading">Your tickets</h3>
          <slot name="main">
            <p class="placeholder" part="placeholder">Your tickets will appear here.</p>
          </slot>
        </section>
      </div>
    `;
  }
}
