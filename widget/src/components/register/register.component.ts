import {
  checkNewPasswords,
  renderEmailField,
  renderNewPasswordFields,
  renderSubmit,
} from '../../internal/account-form.js';
import { accountMessages } from '../../internal/account-messages.js';
import { html } from 'lit';
import { query } from 'lit/decorators.js';
import type { MessageResponse } from '../../api/api-types.js';
import { readForm } from '../../internal/field.js';
import { FormTask } from '../../internal/form-task.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import { keepTypedEmail, typedEmail } from '../../internal/typed-email.js';
import { checkEmail, compact } from '../../internal/validation.js';
import styles from './register.styles.js';
import { register } from '../../internal/accounts-api.js';
import { msg } from '../../internal/msg.js';

interface Registration {
  email: string;
  password: string;
}

/**
 * Register: email address, password (10–128 characters, not a common one) and its confirmation.
 * The API answers the same for known and new addresses, so this always ends on Check your inbox.
 *
 * @csspart screen - The screen's card.
 * @csspart form - The form.
 * @csspart input - Each input.
 * @csspart hint - The password rules.
 * @csspart field-error - A field's error message.
 * @csspart button - The Register button.
 */
export class TpRegister extends PortalScreen {
  static override styles = [...PortalScreen.styles, styles];

  @query('form') private form!: HTMLFormElement;
  /** What was typed before a reload (the password never is). */
  private readonly initialEmail = typedEmail();

  private readonly register: FormTask<Registration, MessageResponse> = new FormTask(this, {
    run: (args, signal) => register(this.client, args, signal),
    done: (result, args) =>
      this.navigate({
        screen: 'check-inbox',
        reason: 'register',
        email: args.email,
        message: result?.message,
      }),
  });

  private readonly onSubmit = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    if (this.register.pending) return;
    const values = readForm(this.form);
    const email = (values.email ?? '').trim();
    const { password, errors } = checkNewPasswords(values, {
      password: msg('Enter your password.'),
      confirmPassword: msg('Enter your password again.'),
    });
    const invalid = await this.showFieldErrors(
      compact({ email: checkEmail(email, msg('Enter your email address.')), ...errors }),
    );
    if (!invalid) this.register.submit({ email, password });
  };

  override render() {
    const pending = this.register.pending;
    return html`
      <section class="screen" part="screen" aria-labelledby="heading">
        ${this.renderHeading(msg('Register'))}
        <p class="lead">
          ${msg("Enter your email address and set your password. We'll send you an email to confirm your account.")}
        </p>
        <p class="note" part="hint">${accountMessages.sameEmail(this.config?.companyName ?? '')}</p>
        ${this.renderNotices()}
        <form
          part="form"
          novalidate
          aria-busy=${pending ? 'true' : 'false'}
          @submit=${this.onSubmit}
          @input=${keepTypedEmail}
        >
          ${renderEmailField(this.initialEmail, this.errors.email)}
          ${renderNewPasswordFields(
            { password: msg('Password'), confirmPassword: msg('Confirm password') },
            this.errors,
          )}
          ${renderSubmit(pending, msg('Register'), msg('Registering…'))}
        </form>
        <p class="links">
          <span>${msg('Already registered?')} ${this.renderLink(msg('Sign in'), { screen: 'sign-in' })}</span>
        </p>
        ${this.renderHelp()}
      </section>
    `;
  }
}
