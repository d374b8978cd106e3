import { checkNewPasswords, renderNewPasswordFields, renderSubmit } from '../../internal/account-form.js';
import { accountMessages } from '../../internal/account-messages.js';
import { html } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { ApiError } from '../../api/api-error.js';
import type { AccountActionResponse } from '../../api/api-types.js';
import { readForm } from '../../internal/field.js';
import { FormTask } from '../../internal/form-task.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import { compact } from '../../internal/validation.js';
import styles from './reset-password.styles.js';
import { resetPassword } from '../../internal/accounts-api.js';
import { msg } from '../../internal/msg.js';

interface Reset {
  token: string;
  password: string;
}

/**
 * Reset password from the mail link (`#tp-action=reset&tp-token=…`): a new password twice. The API
 * ends every session of the account, so this one ends too, and Sign in follows.
 *
 * @csspart screen - The screen's card.
 * @csspart form - The form.
 * @csspart button - Save password.
 */
export class TpResetPassword extends PortalScreen {
  static override styles = [...PortalScreen.styles, styles];

  /** The token from the mail link. */
  @property({ attribute: false }) token = '';

  /** Why the API refused the link (used, expired): then only that, and no form. */
  @state() private linkRefused = '';

  @query('form') private form!: HTMLFormElement;

  private readonly reset: FormTask<Reset, AccountActionResponse> = new FormTask(this, {
    run: (args, signal) => resetPassword(this.client, args, signal),
    done: (result) => {
      this.sessions?.clear('password-reset');
      this.navigate({
        screen: 'sign-in',
        email: result?.email ?? '',
        notice: { tone: 'success', text: accountMessages.passwordReset },
      });
    },
    failed: (error) => {
      if (!(error instanceof ApiError)) return false;
      if (error.code !== 'TOKEN_INVALID' && error.code !== 'TOKEN_EXPIRED') return false;
      this.linkRefused = error.message;
      void this.updateComplete.then(() => this.focusHeading());
      return true;
    },
  });

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.reset.pending) return;
    const { password, errors } = checkNewPasswords(readForm(this.form), {
      password: msg('Enter your new password.'),
      confirmPassword: msg('Enter your new password again.'),
    });
    const invalid = await this.showFieldErrors(compact(errors));
    if (!invalid) this.reset.submit({ token: this.token, password });
  };

  override render() {
    const pending = this.reset.pending;
    return html`
      <section class="screen" part="screen" aria-labelledby="heading">
        ${this.renderHeading(msg('Create a new password'))} ${this.renderNotices()}
        ${this.linkRefused ? this.renderRefused() : this.renderForm(pending)}
        <p class="links">${this.renderLink(msg('Back to Sign in'), { screen: 'sign-in' })}</p>
        ${this.renderHelp()}
      </section>
    `;
  }

  private renderForm(pending: boolean) {
    return html`<form part="form" novalidate aria-busy=${pending ? 'true' : 'false'} @submit=${this.onSubmit}>
      ${renderNewPasswordFields(
        { password: msg('New password'), confirmPassword: msg('Confirm new password') },
        this.errors,
      )}
      ${renderSubmit(pending, msg('Save password'), msg('Saving…'))}
    </form>`;
  }

  /** One message: the API's reason and the way out. */
  private renderRefused() {
    return html`<div role="alert">
      <p class="notice notice--error" part="alert">
        ${this.linkRefused} ${msg('Ask for a new link with')}
        ${this.renderLink(msg('Forgot password'), { screen: 'forgot-password' })}.
      </p>
    </div>`;
  }
}
