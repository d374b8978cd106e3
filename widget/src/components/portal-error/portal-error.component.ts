import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import { messages } from '../../internal/messages.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import styles from './portal-error.styles.js';

/**
 * Shown when the portal cannot start: no api-url, or the API cannot be reached while checking a
 * saved session. Retry starts over.
 *
 * @csspart screen - The screen's card.
 * @csspart alert - What went wrong.
 * @csspart button - Retry.
 */
export class TpPortalError extends PortalScreen {
  static override styles = [...PortalScreen.styles, styles];

  @property({ attribute: false }) message = '';
  @property({ attribute: false }) canRetry = false;
  /** What Retry does; by default the portal starts over. */
  @property({ attribute: false }) retryAction: (() => void) | null = null;

  override render() {
    return html`
      <section class="screen" part="screen" aria-labelledby="heading">
        ${this.renderHeading(messages.customerPortal)}
        <div role="alert"><p class="notice notice--error" part="alert">${this.message}</p></div>
        ${
          this.canRetry
            ? html`<div class="actions">
                <button
                  type="button"
                  part="button"
                  @click=${() => (this.retryAction ? this.retryAction() : this.navigate({ screen: 'loading' }))}
                >
                  ${messages.retry}
                </button>
              </div>`
            : nothing
        }
        ${this.renderHelp()}
      </section>
    `;
  }
}
