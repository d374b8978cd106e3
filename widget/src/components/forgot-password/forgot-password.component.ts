import { html } from 'lit';
import { property, query } from 'lit/decorators.js';
import type { MessageResponse } from '../../api/api-types.js';
import { renderEmailField, renderSubmit } from '../../internal/account-form.js';
import { readForm } from '../../internal/field.js';
import { FormTask } from '../../internal/form-task.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import { keepTypedEmail, typedEmail } from '../../internal/typed-email.js';
import { checkEmail, compact } from '../../internal/validation.js';
import styles from './forgot-password.styles.js';
import { forgotPassword } from '../../internal/accounts-api.js';
import { msg } from '../../internal/msg.js';

/**
 * Forgot password: asks for the email address and always ends on Check your inbox (the API never
 * says whether an address has an account).
 *
 * @csspart screen - The screen's card.
 * @csspart form - The form.
 * @csspart button - Send reset link.
 */
export class TpForgotPassword extends PortalScreen {
  static override styles = [...PortalScreen.styles, styles];

  @property({ attribute: false }) email = '';

  @query('form') private form!: HTMLFormElement;
  /** What was typed before a reload, when Sign in handed over no address. */
  private readonly initialEmail = typedEmail();

  private readonly forgot: FormTask<string, MessageResponse | undefined> = new FormTask(this, {
    run: (email, signal) => forgotPassword(this.client, email, signal),
    done: (result, email) =>
      this.navigate({ screen: 'check-inbox', reason: 'forgot', email, message: result?.message }),
  });

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.forgot.pending) return;
    const email = (readForm(this.form).email ?? '').trim();
    if (
      !(await this.showFieldErrors(compact({ email: checkEmail(email, msg('Enter your email address.')) })))
    ) {
      this.forgot.submit(email);
    }
  };

  override render() {
    const pending = this.forgot.pending;
    return html`
      <section class="screen" part="screen" aria-labelledby="heading">
        ${this.renderHeading(msg('Forgot password'))}
        <p class="lead">
          ${msg("Enter your email address and we'll send you instructions to reset your password.")}
        </p>
        ${this.renderNotices()}
        <form
          part="form"
          novalidate
          aria-busy=${pending ? 'true' : 'false'}
          @submit=${this.onSubmit}
          @input=${keepTypedEmail}
        >
          ${renderEmailField(this.email || this.initialEmail, this.errors.email)}
          ${renderSubmit(pending, msg('Send reset link'), msg('Sending…'))}
        </form>
        <p class="links">${this.renderLink(msg('Back to Sign in'), { screen: 'sign-in' })}</p>
        ${this.renderHelp()}
      </section>
    `;
  }
}
