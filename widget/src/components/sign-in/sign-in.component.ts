import { html } from 'lit';
import { property, query } from 'lit/decorators.js';
import { ApiError } from '../../api/api-error.js';
import type { LoginRequest, LoginResponse } from '../../api/api-types.js';
import { readForm, renderField } from '../../internal/field.js';
import { FormTask } from '../../internal/form-task.js';
import { messages } from '../../internal/messages.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import { checkEmail, compact } from '../../internal/validation.js';
import styles from './sign-in.styles.js';
import { msg } from '../../internal/msg.js';

/**
 * Sign in: Email, Password, Remember me; links to Forgot password and Register here; the note that
 * One-Time Password / Magic Link sign-in is gone.
 *
 * @csspart screen - The screen's card.
 * @csspart form - The form.
 * @csspart input - Each text input.
 * @csspart button - The Sign in button.
 * @csspart link - Forgot password, Register here and the support link.
 * @csspart alert - A refusal or network problem.
 */
export class TpSignIn extends PortalScreen {
  static override styles = [...PortalScreen.styles, styles];

  /** Pre-fills the Email field (e.g. after confirming an account). */
  @property({ attribute: false }) email = '';

  @query('form') private form!: HTMLFormElement;

  private readonly login: FormTask<LoginRequest, LoginResponse> = new FormTask(this, {
    run: (args, signal) => this.client.login(args, signal),
    // The store announces the change; <ticket-portal> then shows the signed-in shell.
    done: (result, args) => this.sessions?.signIn(result, args.remember),
    failed: (error, args) => {
      const code = error instanceof ApiError && error.code;
      if (code === 'ACCOUNT_UNCONFIRMED') {
        // Check your inbox says so and offers to send the confirmation email again.
        this.navigate({
          screen: 'check-inbox',
          reason: 'unconfirmed',
          email: args.email,
          message: (error as ApiError).message,
        });
        return true;
      }
      if (code === 'INVALID_CREDENTIALS') {
        // Keep the email, clear the password so the next attempt starts clean.
        const password = this.form.elements.namedItem('password');
        if (password instanceof HTMLInputElement) password.value = '';
      }
      return false;
    },
  });

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.login.pending) return;
    const values = readForm(this.form);
    const email = (values.email ?? '').trim();
    const password = values.password ?? '';
    const invalid = await this.showFieldErrors(
      compact({
        email: checkEmail(email, msg('Enter your email.')),
        password: password === '' ? msg('Enter your password.') : undefined,
      }),
    );
    if (!invalid) this.login.submit({ email, password, remember: values.remember === 'on' });
  };

  override render() {
    const pending = this.login.pending;
    return html`
      <section class="screen" part="screen" aria-labelledby="heading">
        ${this.renderHeading(msg('Sign in'))} ${this.renderNotices()}
        <form part="form" novalidate aria-busy=${pending ? 'true' : 'false'} @submit=${this.onSubmit}>
          ${renderField({
            name: 'email',
            label: msg('Email'),
            type: 'email',
            autocomplete: 'email',
            value: this.email,
            error: this.errors.email,
          })}
          ${renderField({
            name: 'password',
            label: msg('Password'),
            type: 'password',
            autocomplete: 'current-password',
            error: this.errors.password,
          })}
          <label class="checkbox" part="label">
            <input type="checkbox" name="remember" part="checkbox" />
            ${msg('Remember me')}
          </label>
          <div class="actions">
            <button type="submit" part="button" aria-disabled=${pending ? 'true' : 'false'}>
              ${pending ? msg('Signing in…') : msg('Sign in')}
            </button>
          </div>
        </form>
        <p class="links">
          ${this.renderLink(msg('Forgot password'), { screen: 'forgot-password' })}
          <span
            >${msg('First time here?')} ${this.renderLink(msg('Register here'), { screen: 'register' })}</span
          >
        </p>
        <p class="hint otp-note" part="hint">${messages.otpNotice}</p>
        ${this.renderHelp()}
      </section>
    `;
  }
}
