import { Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { state } from 'lit/decorators.js';
import { ApiError, NetworkError, isAbortError } from '../../api/api-error.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import { ATTACHMENT_PARTS, exportOwnParts } from '../../requests/attachment-parts.js';
import type { FieldErrors } from '../../internal/validation.js';
import { DraftStore, emptyDraft, requestBody, type Draft } from '../../requests/draft-store.js';
import type { RequestField, TicketDetail } from '../../api/api-types.js';
import {
  CC_MAX,
  DESCRIPTION_MAX,
  RequestsApi,
  SUBJECT_MAX,
  checkCc,
  newIdempotencyKey,
} from '../../requests/requests-api.js';
import '../attachment-picker/attachment-picker.js';
import type { TpAttachmentPicker } from '../attachment-picker/attachment-picker.component.js';
import styles from './request-form.styles.js';
import { shellHref } from '../../internal/shell-address.js';
import { msg, str } from '../../internal/msg.js';

type TextName = 'subject' | 'description';

const LIMITS: Record<TextName, number> = { subject: SUBJECT_MAX, description: DESCRIPTION_MAX };

/** Inline check of a text field (lengths count characters after trimming, as the API does). */
export function checkText(name: TextName, value: string): string | undefined {
  const max = LIMITS[name];
  const length = [...value.trim()].length;
  const subject = name === 'subject';
  if (length === 0) return subject ? msg('Enter a subject.') : msg('Enter a description.');
  if (length > max) {
    const [limit, count] = [max.toLocaleString(), length.toLocaleString()];
    return subject
      ? msg(str`Use at most ${limit} characters for the subject (you have ${count}).`)
      : msg(str`Use at most ${limit} characters for the description (you have ${count}).`);
  }
  return undefined;
}

/**
 * "Submit a Request": subject, description and the optional fields the company configures
 * (priority, category), colleagues to put in copy (up to CC_MAX emails), and files (<tp-attachment-picker>: picked, dropped or pasted, uploaded at
 * once). Checks lengths inline, keeps the draft (with its uploaded files' ids) across reloads (per
 * customer), sends it once with an Idempotency-Key that a retry reuses, then opens the new ticket's page.
 * Loaded on first use (ADR 0008).
 *
 * @csspart back - "Back to your tickets".
 * @csspart heading - "Submit a Request".
 * @csspart form - The form.
 * @csspart field - Each label + hint + control + error group.
 * @csspart label - Field labels.
 * @csspart input - The subject input and the colleagues in copy.
 * @csspart textarea - The description.
 * @csspart select - Priority and category.
 * @csspart hint - Help under a label.
 * @csspart field-error - A field's error message.
 * @csspart button - Submit, Retry, Discard draft.
 * @csspart alert - A problem sending the request (with Retry).
 * @csspart notice - "We kept the request you had started".
 * @csspart file-picker - The files (and `file`, `file-progress`: see <tp-attachment-picker>).
 */
export class TpRequestForm extends PortalScreen {
  static override styles = [...PortalScreen.styles, styles];

  @state() private draft: Draft | null = null;
  @state() private restored = false;
  @state() private sending = false;
  @state() private waitingForFiles = false;

  private drafts: DraftStore | null = null;
  private abort: AbortController | null = null;

  private readonly fieldsTask = new Task(this, {
    args: () => [this.api] as const,
    task: async ([client], { signal }): Promise<RequestField[]> =>
      client ? new RequestsApi(client).fields(signal) : [],
  });

  override connectedCallback(): void {
    super.connectedCallback();
    exportOwnParts(this, ATTACHMENT_PARTS);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  private get picker(): TpAttachmentPicker | null {
    return this.renderRoot.querySelector('tp-attachment-picker');
  }

  /** A file finished uploading or was removed: the draft keeps the uploaded ones. */
  private readonly onFiles = (): void => {
    const picker = this.picker;
    if (picker) this.edit({ attachments: picker.value });
  };

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    const customer = this.sessions?.current?.customer;
    if (!this.drafts && customer && this.config) {
      this.drafts = new DraftStore(this.config.apiUrl, customer.id);
      const { draft, restored } = this.drafts.load();
      this.draft = draft;
      this.restored = restored;
    }
  }

  private get fields(): RequestField[] {
    return this.fieldsTask.value ?? [];
  }

  private edit(patch: Partial<Draft>): void {
    if (!this.draft) return;
    this.draft = { ...this.draft, ...patch };
    this.drafts?.save(this.draft);
  }

  private readonly onInput = (event: Event): void => {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement;
    const name = target.name as keyof Draft;
    if (!['subject', 'description', 'priority', 'category', 'cc'].includes(name)) return;
    this.edit({ [name]: target.value });
    // Once a field shows an error, re-check it as the customer types so it clears when fixed.
    if ((name === 'subject' || name === 'description') && this.errors[name]) {
      this.setError(name, checkText(name, target.value));
    }
    if (name === 'cc' && this.errors.cc) this.setError('cc', checkCc(target.value, this.ownEmail));
  };

  private get ownEmail(): string | undefined {
    return this.sessions?.current?.customer.email;
  }

  /** Checks a text field when the customer leaves it, if they typed something. */
  private readonly onChange = (event: Event): void => {
    const target = event.target as HTMLInputElement | HTMLTextAreaElement;
    if ((target.name === 'subject' || target.name === 'description') && target.value !== '') {
      this.setError(target.name, checkText(target.name, target.value));
    }
    if (target.name === 'cc') this.setError('cc', checkCc(target.value, this.ownEmail));
  };

  private setError(name: string, error: string | undefined): void {
    const { [name]: _old, ...rest } = this.errors;
    this.errors = error ? { ...rest, [name]: error } : rest;
  }

  private readonly discard = (): void => {
    this.drafts?.clear();
    this.picker?.reset([]);
    this.draft = emptyDraft();
    this.restored = false;
    this.clearFieldErrors();
    this.clearProblem();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('#subject')?.focus());
  };

  private readonly onSubmit = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (this.sending || !this.draft) return;
    const errors: FieldErrors = {};
    for (const name of ['subject', 'description'] as const) {
      const error = checkText(name, this.draft[name]);
      if (error) errors[name] = error;
    }
    const cc = checkCc(this.draft.cc, this.ownEmail);
    if (cc) errors.cc = cc;
    this.clearProblem();
    if (await this.showFieldErrors(errors)) return;
    if (!(await this.filesReady())) return;
    await this.send();
  };

  /**
   * Waits for uploads still under way (Submit need not wait for the bars), then checks that none
   * failed: a file the customer chose is never left out silently.
   */
  private async filesReady(): Promise<boolean> {
    const picker = this.picker;
    if (!picker) return true;
    if (picker.uploading) {
      this.sending = true;
      this.waitingForFiles = true;
      try {
        await picker.whenSettled();
      } finally {
        this.sending = false;
        this.waitingForFiles = false;
      }
      this.edit({ attachments: picker.value });
    }
    const problem = picker.problem;
    if (!problem) return true;
    picker.showError(problem);
    picker.focus();
    return false;
  }

  /** Sends the draft; a retry of the same text reuses its Idempotency-Key, so it cannot become two tickets. */
  private readonly send = async (): Promise<void> => {
    if (!this.draft || !this.api || this.sending) return;
    const draft = DraftStore.keyFor(this.draft);
    this.edit(draft);
    this.sending = true;
    this.clearProblem();
    this.abort = new AbortController();
    try {
      const ticket = await new RequestsApi(this.api).create(requestBody(draft), draft.key, this.abort.signal);
      this.drafts?.clear();
      this.opened(ticket);
    } catch (error) {
      this.failed(error);
    } finally {
      this.sending = false;
    }
  };

  private opened(ticket: TicketDetail): void {
    this.navigate({
      screen: 'shell',
      // Replace the form's entry: Back from the new ticket returns to the list, not to an empty form.
      history: 'replace',
      view: {
        kind: 'ticket',
        id: ticket.localId,
        ticket,
        notice: {
          tone: 'success',
          text: msg(
            'Your request has been submitted. It is in your tickets now, and we are sending it to support.',
          ),
        },
      },
    });
  }

  private failed(error: unknown): void {
    if (isAbortError(error)) return;
    if (error instanceof ApiError) {
      if (error.code.toUpperCase() === 'IDEMPOTENCY_KEY_REUSED') {
        // The key went out with other text (another tab, say): this text is a new submission.
        this.edit({ key: newIdempotencyKey(), sentBody: null });
      }
      // The files (an upload that expired, one used already): said where the files are.
      const files = error.fields.attachmentIds ?? error.fields.files;
      if (files && this.picker) {
        this.picker.showError(files);
        this.picker.focus();
        return;
      }
      const known = ['subject', 'description', 'priority', 'category', 'cc'];
      const fields = Object.fromEntries(
        Object.entries(error.fields).filter(([name]) => known.includes(name)),
      );
      if (Object.keys(fields).length > 0) {
        void this.showFieldErrors(fields);
        return;
      }
    }
    this.showProblem(error);
    // Nothing typed is lost, and the same submission can be sent again safely.
    const transient =
      error instanceof NetworkError ||
      !(error instanceof ApiError) ||
      error.status >= 500 ||
      error.status === 429 ||
      error.code.toUpperCase() === 'IDEMPOTENCY_KEY_REUSED';
    if (transient) this.retry = () => void this.send();
  }

  private readonly back = (event: Event): void => {
    event.preventDefault();
    this.navigate({ screen: 'shell', view: { kind: 'list' }, history: 'back' });
  };

  override render() {
    const draft = this.draft;
    return html`<div class="view" part="ticket">
      <a class="back" href=${shellHref({ kind: 'list' }, location.href)} part="link back" @click=${this.back}
        >${msg('← Back to your tickets')}</a
      >
      <h3 id="heading" class="heading" part="heading" tabindex="-1">${msg('Submit a Request')}</h3>
      ${
        this.restored
          ? html`<div class="notice notice--info actions" part="notice">
              <span>${msg('We kept the request you had started.')}</span>
              <button type="button" class="link" part="button" @click=${this.discard}>
                ${msg('Discard draft')}
              </button>
            </div>`
          : nothing
      }
      ${this.renderNotices()}
      ${
        draft
          ? html`<form
              part="form"
              novalidate
              aria-busy=${this.sending ? 'true' : 'false'}
              @submit=${this.onSubmit}
              @input=${this.onInput}
              @change=${this.onChange}
            >
              ${this.renderText('subject', msg('Subject'), draft.subject, msg('A short summary, e.g. "Invoice shows the wrong total".'))}
              ${this.renderText('description', msg('Description'), draft.description, msg('What happened, what you expected, and anything that helps us reproduce it.'))}
              ${this.fields.length ? html`<div class="row">${this.fields.map((f) => this.renderSelect(f, draft))}</div>` : nothing}
              ${this.renderCc(draft.cc)}
              <tp-attachment-picker
                exportparts=${ATTACHMENT_PARTS}
                .initial=${draft.attachments}
                @tp-attachments-change=${this.onFiles}
              ></tp-attachment-picker>
              <div class="actions">
                <button type="submit" part="button" aria-disabled=${this.sending ? 'true' : 'false'}>
                  ${msg('Submit')}
                </button>
                <span role="status">
                  ${this.waitingForFiles ? msg('Waiting for your files to upload…') : this.sending ? msg('Sending…') : ''}
                </span>
              </div>
            </form>`
          : nothing
      }
    </div>`;
  }

  private renderText(name: TextName, label: string, value: string, hint: string) {
    const error = this.errors[name];
    const describedBy = `${name}-hint${error ? ` ${name}-error` : ''}`;
    const common = {
      id: name,
      invalid: error ? 'true' : 'false',
    };
    return html`<div class="field" part="field">
      <label for=${name} part="label">${label}</label>
      <p id="${name}-hint" class="hint" part="hint">${hint}</p>
      ${
        name === 'subject'
          ? html`<input
              id=${common.id}
              name=${name}
              type="text"
              part="input"
              autocomplete="off"
              required
              .value=${value}
              aria-invalid=${common.invalid}
              aria-describedby=${describedBy}
            />`
          : html`<textarea
              id=${common.id}
              name=${name}
              part="textarea"
              rows="8"
              required
              .value=${value}
              aria-invalid=${common.invalid}
              aria-describedby=${describedBy}
            ></textarea>`
      }
      ${error ? html`<p id="${name}-error" class="field-error" part="field-error">${error}</p>` : nothing}
    </div>`;
  }

  /** Colleagues in copy: emails separated by commas, checked when the customer leaves the field. */
  private renderCc(value: string) {
    const error = this.errors.cc;
    return html`<div class="field" part="field">
      <label for="cc" part="label"
        >${msg('Colleagues in copy')} <span class="optional">${msg('(optional)')}</span></label
      >
      <p id="cc-hint" class="hint" part="hint">
        ${msg(
          str`Up to ${CC_MAX} email addresses, separated by commas. Each of them sees this request when they sign in to the portal with that email.`,
        )}
      </p>
      <input
        id="cc"
        name="cc"
        type="text"
        inputmode="email"
        part="input"
        autocomplete="off"
        .value=${value}
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${`cc-hint${error ? ' cc-error' : ''}`}
      />
      ${error ? html`<p id="cc-error" class="field-error" part="field-error">${error}</p>` : nothing}
    </div>`;
  }

  private renderSelect(field: RequestField, draft: Draft) {
    const value = field.name === 'priority' ? draft.priority : draft.category;
    const error = this.errors[field.name];
    return html`<div class="field" part="field">
      <label for=${field.name} part="label"
        >${field.label} <span class="optional">${msg('(optional)')}</span></label
      >
      <select
        id=${field.name}
        name=${field.name}
        part="select"
        aria-invalid=${error ? 'true' : 'false'}
        aria-describedby=${error ? `${field.name}-error` : nothing}
      >
        <option value="" ?selected=${value === ''}>${msg('Not set')}</option>
        ${field.options.map((o) => html`<option value=${o.value} ?selected=${o.value === value}>${o.label}</option>`)}
      </select>
      ${error ? html`<p id="${field.name}-error" class="field-error" part="field-error">${error}</p>` : nothing}
    </div>`;
  }
}
