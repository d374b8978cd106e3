import { accountMessages } from '../../internal/account-messages.js';
import { html, nothing } from 'lit';
import { property } from 'lit/decorators.js';
import type { MessageResponse } from '../../api/api-types.js';
import { FormTask } from '../../internal/form-task.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import styles from './check-inbox.styles.js';
import { resendConfirmation } from '../../internal/accounts-api.js';
import { msg } from '../../internal/msg.js';

/**
 * Check your inbox, after Register, Forgot password or a sign-in refused as unconfirmed. Offers to
 * send the confirmation email again.
 *
 * @csspart screen - The screen's card.
 * @csspart button-secondary - Resend confirmation email.
 * @csspart link - Back to Sign in.
 */
export class TpCheckInbox extends PortalScreen {
  static override styles = [...PortalScreen.styles, styles];

  @property({ attribute: false }) reason: 'register' | 'forgot' | 'unconfirmed' = 'register';
  @property({ attribute: false }) email = '';
  /** The API's own words, when it sent some. */
  @property({ attribute: false }) message: string | undefined;

  private readonly resend: FormTask<string, MessageResponse | undefined> = new FormTask(this, {
    run: (email, signal) => resendConfirmation(this.client, email, signal),
    done: (result) => {
      this.problem = null;
      this.notice = { tone: 'success', text: result?.message ?? accountMessages.resent };
    },
  });

  override render() {
    const confirming = this.reason !== 'forgot';
    const text =
      this.message ??
      (confirming
        ? accountMessages.checkInboxRegister(this.email)
        : accountMessages.checkInboxForgot(this.email));
    return html`
      <section class="screen" part="screen" aria-labelledby="heading">
        ${this.renderHeading(msg('Check your inbox'))}
        <p class="lead">${text}</p>
        ${this.email ? html`<p>${msg('Email address:')} <strong>${this.email}</strong></p>` : nothing}
        ${this.renderNotices()}
        ${
          confirming
            ? html`<p>${msg("Didn't get the email? Check your spam folder, or send it again.")}</p>
                <div class="actions">
                  <button
                    type="button"
                    class="secondary"
                    part="button button-secondary"
                    aria-disabled=${this.resend.pending ? 'true' : 'false'}
                    @click=${() => {
                      this.notice = null;
                      this.resend.submit(this.email);
                    }}
                  >
                    ${this.resend.pending ? msg('Sending…') : msg('Resend confirmation email')}
                  </button>
                </div>`
            : html`<p>
                ${msg("Didn't get the email? Check your spam folder, or")}
                ${this.renderLink(msg('try another email address'), { screen: 'forgot-password', email: this.email })}.
              </p>`
        }
        <p class="links">
          ${this.renderLink(msg('Back to Sign in'), { screen: 'sign-in', email: this.email })}
        </p>
        ${this.renderHelp()}
      </section>
    `;
  }
}
