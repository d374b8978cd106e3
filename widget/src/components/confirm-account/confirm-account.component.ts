import { accountMessages } from '../../internal/account-messages.js';
import { Task, TaskStatus } from '@lit/task';
import { html, nothing } from 'lit';
import { property, query } from 'lit/decorators.js';
import { ApiError } from '../../api/api-error.js';
import type { AccountActionResponse, MessageResponse } from '../../api/api-types.js';
import { renderEmailField, renderSubmit } from '../../internal/account-form.js';
import { readForm } from '../../internal/field.js';
import { FormTask } from '../../internal/form-task.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import { checkEmail, compact } from '../../internal/validation.js';
import styles from './confirm-account.styles.js';
import { confirm, resendConfirmation } from '../../internal/accounts-api.js';
import { msg } from '../../internal/msg.js';

/**
 * Confirm your account from the mail link (`#tp-action=confirm&tp-token=…`). On success it hands
 * over to Sign in; an invalid or expired link offers to send a new one.
 *
 * @csspart screen - The screen's card.
 * @csspart alert - Why the link did not work.
 * @csspart form - The resend form.
 */
export class TpConfirmAccount extends PortalScreen {
  static override styles = [...PortalScreen.styles, styles];

  /** The token from the mail link. */
  @property({ attribute: false }) token = '';

  @query('form') private form!: HTMLFormElement;

  private readonly confirm = new Task<[string], AccountActionResponse>(this, {
    autoRun: false,
    task: ([token], { signal }) => confirm(this.client, token, signal),
    onComplete: (result) =>
      this.navigate({
        screen: 'sign-in',
        email: result?.email ?? '',
        notice: { tone: 'success', text: result?.message ?? accountMessages.confirmed },
      }),
    onError: (error) => this.showProblem(error, () => this.run()),
  });

  private readonly resend: FormTask<string, MessageResponse | undefined> = new FormTask(this, {
    run: (email, signal) => resendConfirmation(this.client, email, signal),
    done: (result, email) =>
      this.navigate({
        screen: 'check-inbox',
        reason: 'register',
        email,
        message: result?.message ?? accountMessages.resent,
      }),
  });

  override connectedCallback(): void {
    super.connectedCallback();
    // Mail tokens are single-use: confirm once, not again when the element is moved.
    if (this.confirm.status === TaskStatus.INITIAL) this.run();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.confirm.abort();
  }

  private run(): void {
    this.clearProblem();
    void this.confirm.run([this.token]);
  }

  private readonly onResend = async (event: SubmitEvent): Promise<void> => {
    event.preventDefault();
    const email = (readForm(this.form).email ?? '').trim();
    if (
      !(await this.showFieldErrors(compact({ email: checkEmail(email, msg('Enter your email address.')) })))
    ) {
      this.resend.submit(email);
    }
  };

  override render() {
    const status = this.confirm.status;
    const linkRefused =
      status === TaskStatus.ERROR &&
      this.confirm.error instanceof ApiError &&
      this.confirm.error.status < 500;
    return html`
      <section
        class="screen"
        part="screen"
        aria-labelledby="heading"
        aria-busy=${status === TaskStatus.PENDING}
      >
        ${this.renderHeading(msg('Confirm your account'))}
        ${
          status === TaskStatus.PENDING || status === TaskStatus.INITIAL
            ? html`<p role="status">${msg('Confirming your account…')}</p>`
            : nothing
        }
        ${this.renderNotices()}
        ${
          linkRefused
            ? html`<p>${msg("Enter your email address and we'll send you a new confirmation link.")}</p>
                <form part="form" novalidate @submit=${this.onResend}>
                  ${renderEmailField(undefined, this.errors.email)}
                  ${renderSubmit(this.resend.pending, msg('Resend confirmation email'))}
                </form>`
            : nothing
        }
        <p class="links">${this.renderLink(msg('Back to Sign in'), { screen: 'sign-in' })}</p>
        ${this.renderHelp()}
      </section>
    `;
  }
}
