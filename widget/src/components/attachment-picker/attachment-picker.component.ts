import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApiClient } from '../../api/api-client.js';
import { ApiError, NetworkError, errorText, isAbortError } from '../../api/api-error.js';
import type { AttachmentLimits, UploadedAttachment } from '../../api/api-types.js';
import { apiClientContext } from '../../context/contexts.js';
import { emit } from '../../events/portal-events.js';
import { PortalElement } from '../../internal/portal-element.js';
import {
  PREVIEW_TYPES,
  acceptList,
  attachmentLimits,
  dataUrlOf,
  fileProblem,
  formatBytes,
  typeName,
  uploadFile,
} from '../../requests/attachments-api.js';
import sharedStyles from '../../styles/shared.styles.js';
import styles from './attachment-picker.styles.js';
import { msg, str } from '../../internal/msg.js';

/** A file on its way into a message: being uploaded, uploaded (it has an id), or refused. */
interface PickedFile {
  key: string;
  name: string;
  size: number;
  type: string;
  state: 'uploading' | 'done' | 'failed';
  /** Share of the upload sent, 0–1. */
  sent: number;
  uploaded?: UploadedAttachment;
  error?: string;
  /** A failure a second try may get past (the network, the server), not a refusal of the file. */
  retryable?: boolean;
  /** A blob URL of the customer's own raster image, for a thumbnail. */
  preview?: string;
  file?: File;
  abort?: AbortController;
}

/** The picker's files changed (one uploaded or removed): read `value`. Bubbles within the form only. */
export const ATTACHMENTS_CHANGE = 'tp-attachments-change';

/** Thumbnails only for images a browser decodes cheaply. */
const PREVIEW_MAX_BYTES = 10 * 1024 * 1024;

let nextKey = 0;

/**
 * The files of a request or a reply: a file picker, drag and drop anywhere on the form it sits in,
 * and pasted screenshots. Each file uploads at once (POST attachments, XHR for its progress), shows
 * a progress bar, and can be removed before sending; the operator's limits (GET portal) are checked
 * first, with the API's own sentence naming the limit. Uploads and refusals are announced in a live
 * region. The form sends `value`'s ids with the request or reply. In the lazy chunk (ADR 0008).
 *
 * @csspart file-picker - The area: hint, Attach files, the files.
 * @csspart hint - The limits.
 * @csspart button - Attach files, Retry, Remove (also `button-secondary`).
 * @csspart field-error - Why a file cannot be attached.
 * @csspart file - A file being attached (`data-state="uploading"`, `"done"` or `"failed"`).
 * @csspart file-progress - Its upload progress.
 */
export class TpAttachmentPicker extends PortalElement {
  static override styles = [sharedStyles, styles];

  @consume({ context: apiClientContext })
  private api?: ApiClient;

  /** Files uploaded earlier (a restored draft), shown as attached on first render. */
  @property({ attribute: false }) initial: readonly UploadedAttachment[] = [];

  @state() private files: PickedFile[] = [];
  @state() private limits: AttachmentLimits | null = null;
  /** Refusals of the last files added (one sentence each), or a problem the form reports. */
  @state() private errors: string[] = [];
  @state() private dragging = false;
  /**
   * What the live region says (uploads started, finished, failed, removed), the latest few: each is
   * added as its own line, so two that happen at once are both read.
   */
  @state() private announcements: string[] = [];

  private form: HTMLFormElement | null = null;
  private readonly uploads = new Set<Promise<unknown>>();

  /** The uploaded files, in the order they were added: their ids go with the message. */
  get value(): UploadedAttachment[] {
    return this.files.flatMap((f) => (f.state === 'done' && f.uploaded ? [f.uploaded] : []));
  }

  /** Files still uploading. */
  get uploading(): boolean {
    return this.files.some((f) => f.state === 'uploading');
  }

  /** Why the message cannot go yet: a file could not be uploaded (remove it or try again). */
  get problem(): string | undefined {
    const failed = this.files.filter((f) => f.state === 'failed');
    if (failed.length === 0) return undefined;
    const names = failed.map((f) => f.name).join(', ');
    return failed.length === 1
      ? msg(str`${names} could not be attached. Remove it or try again before sending.`)
      : msg(str`${names} could not be attached. Remove them or try again before sending.`);
  }

  /** Resolves once no upload is in flight (each ends uploaded or failed). */
  async whenSettled(): Promise<void> {
    while (this.uploads.size > 0) await Promise.allSettled([...this.uploads]);
  }

  /** Starts over with these uploaded files (none: an empty picker), cancelling uploads in flight. */
  reset(files: readonly UploadedAttachment[] = []): void {
    for (const f of this.files) this.forget(f);
    this.files = files.map((uploaded) => ({
      key: `f${++nextKey}`,
      name: uploaded.name,
      size: uploaded.size,
      type: uploaded.contentType,
      state: 'done',
      sent: 1,
      uploaded,
    }));
    this.errors = [];
    this.announcements = [];
  }

  /**
   * Shows a refusal the form got from the API about the files. One naming a file by its id (an
   * upload that expired, say) names it by its name instead, and marks that file as not attached:
   * Retry uploads it again when its bytes are still here, else the customer removes it.
   */
  showError(text: string): void {
    const named = this.files.filter((f) => f.uploaded && text.includes(f.uploaded.id));
    const sentence = named.reduce((t, f) => t.replaceAll(f.uploaded!.id, f.name), text);
    this.errors = [sentence];
    if (named.length === 0) return;
    const keys = new Set(named.map((f) => f.key));
    this.files = this.files.map((f) =>
      keys.has(f.key)
        ? { ...f, state: 'failed', sent: 0, uploaded: undefined, error: sentence, retryable: !!f.file }
        : f,
    );
    this.changed();
  }

  override focus(options?: FocusOptions): void {
    this.renderRoot.querySelector<HTMLElement>('[data-action="attach"]')?.focus(options);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Drop and paste work anywhere on the form: the customer is usually typing in it.
    this.form = this.closest('form');
    this.form?.addEventListener('dragover', this.onDragOver);
    this.form?.addEventListener('dragleave', this.onDragLeave);
    this.form?.addEventListener('drop', this.onDrop);
    this.form?.addEventListener('paste', this.onPaste);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.form?.removeEventListener('dragover', this.onDragOver);
    this.form?.removeEventListener('dragleave', this.onDragLeave);
    this.form?.removeEventListener('drop', this.onDrop);
    this.form?.removeEventListener('paste', this.onPaste);
    this.form = null;
    for (const f of this.files) this.forget(f);
    this.files = this.files.filter((f) => f.state === 'done').map((f) => ({ ...f, preview: undefined }));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (!this.hasUpdated && this.initial.length > 0) this.reset(this.initial);
  }

  protected override firstUpdated(): void {
    if (this.api) {
      void attachmentLimits(this.api).then((limits) => {
        this.limits = limits;
      });
    }
  }

  /**
   * Takes files from the picker, a drop or a paste: those within the limits start uploading, the
   * others are named with the limit they break.
   */
  add(incoming: readonly File[]): void {
    const limits = this.limits;
    const kept = this.files.filter((f) => f.state !== 'failed');
    let count = kept.length;
    let bytes = kept.reduce((sum, f) => sum + f.size, 0);
    const problems: string[] = [];
    const accepted: PickedFile[] = [];
    for (const file of incoming) {
      let problem: string | undefined;
      if (limits && count >= limits.maxFiles) {
        problem = msg(
          str`${file.name} was not attached: one message can carry at most ${limits.maxFiles} files.`,
        );
      } else if (limits) {
        problem = fileProblem(file, limits, bytes);
      } else if (file.size === 0) {
        problem = msg(str`${file.name} is empty. Attach a file with content.`);
      }
      if (problem) {
        problems.push(problem);
        continue;
      }
      count += 1;
      bytes += file.size;
      accepted.push({
        key: `f${++nextKey}`,
        name: file.name,
        size: file.size,
        type: file.type,
        state: 'uploading',
        sent: 0,
        file,
        preview:
          PREVIEW_TYPES.has(file.type) && file.size <= PREVIEW_MAX_BYTES
            ? URL.createObjectURL(file)
            : undefined,
      });
    }
    this.errors = problems;
    if (accepted.length === 0) return;
    this.files = [...this.files, ...accepted];
    this.announce(
      accepted.length === 1
        ? msg(str`Uploading ${accepted[0]!.name}…`)
        : msg(str`Uploading ${accepted.length} files…`),
    );
    for (const entry of accepted) this.upload(entry);
  }

  private upload(entry: PickedFile): void {
    const api = this.api;
    if (!api || !entry.file) return;
    const abort = new AbortController();
    this.patch(entry.key, { state: 'uploading', sent: 0, error: undefined, abort });
    const run = uploadFile(api, entry.file, entry.name, {
      signal: abort.signal,
      onProgress: (sent, total) => {
        if (total > 0) this.patch(entry.key, { sent: Math.min(sent / total, 1) });
      },
    }).then(
      (uploaded) => {
        if (!this.patch(entry.key, { state: 'done', sent: 1, uploaded, abort: undefined })) {
          return;
        }
        this.announce(msg(str`${entry.name} attached.`));
        this.changed();
      },
      (error: unknown) => {
        if (isAbortError(error)) return;
        const retryable =
          error instanceof NetworkError ||
          !(error instanceof ApiError) ||
          error.status >= 500 ||
          error.status === 429;
        const text = errorText(error);
        if (!this.patch(entry.key, { state: 'failed', error: text, retryable, abort: undefined })) return;
        this.announce(msg(str`${entry.name} could not be attached. ${text}`));
        if (error instanceof NetworkError || !(error instanceof ApiError) || error.status >= 500) {
          emit(this, 'tp-error', {
            code: error instanceof ApiError || error instanceof NetworkError ? error.code : 'UNEXPECTED',
            message: text,
            status: error instanceof ApiError ? error.status : null,
          });
        }
      },
    );
    this.uploads.add(run);
    void run.finally(() => this.uploads.delete(run));
  }

  /** Updates one file; false when it was removed meanwhile. */
  private patch(key: string, change: Partial<PickedFile>): boolean {
    if (!this.files.some((f) => f.key === key)) return false;
    this.files = this.files.map((f) => (f.key === key ? { ...f, ...change } : f));
    return true;
  }

  private announce(text: string): void {
    this.announcements = [...this.announcements.slice(-3), text];
  }

  /** The page refused the blob: thumbnail (its CSP): a data: URL of the same file, or none. */
  private async thumbnailFailed(entry: PickedFile): Promise<void> {
    const current = this.files.find((f) => f.key === entry.key);
    if (!current?.preview?.startsWith('blob:')) {
      this.patch(entry.key, { preview: undefined });
      return;
    }
    URL.revokeObjectURL(current.preview);
    const source = current.file;
    const data = source ? await dataUrlOf(source).catch(() => undefined) : undefined;
    this.patch(entry.key, { preview: data });
  }

  private changed(): void {
    this.dispatchEvent(new Event(ATTACHMENTS_CHANGE, { bubbles: true }));
  }

  private forget(entry: PickedFile): void {
    entry.abort?.abort();
    if (entry.preview) URL.revokeObjectURL(entry.preview);
  }

  private async removeFile(entry: PickedFile): Promise<void> {
    const at = this.files.findIndex((f) => f.key === entry.key);
    if (at < 0) return;
    this.forget(entry);
    this.files = this.files.filter((f) => f.key !== entry.key);
    this.errors = [];
    this.announce(msg(str`${entry.name} removed.`));
    if (entry.state === 'done') this.changed();
    // Keyboard users continue from the next file's Remove, else from Attach files.
    await this.updateComplete;
    const removes = this.renderRoot.querySelectorAll<HTMLElement>('[data-action="remove"]');
    (
      removes[Math.min(at, removes.length - 1)] ??
      this.renderRoot.querySelector<HTMLElement>('[data-action="attach"]')
    )?.focus();
  }

  private readonly choose = (): void => {
    this.renderRoot.querySelector<HTMLInputElement>('input[type="file"]')?.click();
  };

  private readonly onChosen = (event: Event): void => {
    const input = event.target as HTMLInputElement;
    this.add([...(input.files ?? [])]);
    // The same file can be chosen again after it was removed.
    input.value = '';
  };

  private readonly onDragOver = (event: DragEvent): void => {
    if (!event.dataTransfer?.types.includes('Files')) return;
    // Without this the browser opens the file instead of dropping it here.
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    this.dragging = true;
  };

  private readonly onDragLeave = (event: DragEvent): void => {
    const to = event.relatedTarget as Node | null;
    if (!to || !this.form?.contains(to)) this.dragging = false;
  };

  private readonly onDrop = (event: DragEvent): void => {
    this.dragging = false;
    const files = [...(event.dataTransfer?.files ?? [])];
    if (files.length === 0) return;
    event.preventDefault();
    this.add(files);
  };

  /**
   * A pasted screenshot (an image on the clipboard with no text) is attached; text, and an image
   * copied with text (cells from a spreadsheet), pastes as text as usual.
   */
  private readonly onPaste = (event: ClipboardEvent): void => {
    const data = event.clipboardData;
    const files = [...(data?.files ?? [])];
    if (!data || files.length === 0 || data.types.includes('text/plain')) return;
    event.preventDefault();
    this.add(files.map((file, i) => (isGenericName(file.name) ? renamed(file, i) : file)));
  };

  override render() {
    const limits = this.limits;
    const describedBy = ['files-hint', this.errors.length ? 'files-error' : ''].filter(Boolean).join(' ');
    return html`<div
      class="picker ${this.dragging ? 'picker--over' : ''}"
      part="file-picker"
      role="group"
      aria-labelledby="files-label"
    >
      <p id="files-label" class="label">
        ${msg('Attachments')} <span class="optional">${msg('(optional)')}</span>
      </p>
      <p id="files-hint" class="hint" part="hint">
        ${
          limits
            ? msg(
                str`Up to ${limits.maxFiles} files, ${formatBytes(limits.maxBytes)} each and ${formatBytes(limits.maxTotalBytes)} in total: ${limits.typesText}.`,
              )
            : msg('Add files that help support understand the problem.')
        }
      </p>
      <div class="actions">
        <button
          type="button"
          class="secondary"
          part="button button-secondary"
          data-action="attach"
          aria-describedby=${describedBy}
          @click=${this.choose}
        >
          ${msg('Attach files')}
        </button>
        <span class="hint drop-hint" aria-hidden="true">
          ${this.dragging ? msg('Drop the files to attach them.') : msg('or drop files here, or paste a screenshot.')}
        </span>
      </div>
      <input
        type="file"
        multiple
        hidden
        tabindex="-1"
        accept=${limits ? acceptList(limits) : nothing}
        @change=${this.onChosen}
      />
      <div id="files-error" role="alert">
        ${this.errors.map((e) => html`<p class="field-error" part="field-error">${e}</p>`)}
      </div>
      ${
        this.files.length > 0
          ? html`<ul class="files" aria-label=${msg('Files to send')}>
              ${this.files.map((f) => this.renderFile(f))}
            </ul>`
          : nothing
      }
      <div class="visually-hidden" role="status" aria-live="polite">
        ${this.announcements.map((text) => html`<p>${text}</p>`)}
      </div>
    </div>`;
  }

  private renderFile(f: PickedFile) {
    const percent = Math.round(f.sent * 100);
    return html`<li class="file file--${f.state}" part="file" data-state=${f.state}>
      ${
        f.preview
          ? html`<img
              class="file__preview"
              src=${f.preview}
              alt=""
              @error=${() => void this.thumbnailFailed(f)}
            />`
          : nothing
      }
      <div class="file__main">
        <span class="file__name">${f.name}</span>
        <span class="file__meta">
          ${typeName(f.uploaded?.contentType ?? f.type, f.name)}, ${formatBytes(f.size)}
          ${f.state === 'done' ? html`<span class="file__done">· ${msg('Attached')}</span>` : nothing}
        </span>
        ${
          f.state === 'uploading'
            ? html`<span class="file__progress">
                <progress
                  part="file-progress"
                  max="100"
                  .value=${percent}
                  aria-label=${msg(str`Uploading ${f.name}`)}
                ></progress>
                <span aria-hidden="true">${percent}%</span>
              </span>`
            : nothing
        }
        ${f.state === 'failed' ? html`<p class="field-error" part="field-error">${f.error}</p>` : nothing}
      </div>
      <span class="file__actions">
        ${
          f.state === 'failed' && f.retryable
            ? html`<button
                type="button"
                class="link"
                part="button"
                aria-label=${msg(str`Try ${f.name} again`)}
                @click=${() => this.upload(f)}
              >
                ${msg('Retry')}
              </button>`
            : nothing
        }
        <button
          type="button"
          class="link"
          part="button"
          data-action="remove"
          aria-label=${msg(str`Remove ${f.name}`)}
          @click=${() => void this.removeFile(f)}
        >
          ${msg('Remove')}
        </button>
      </span>
    </li>`;
  }
}

/** Browsers call every pasted image "image.png". */
const isGenericName = (name: string): boolean => /^(image|blob)?(\.\w+)?$/i.test(name);

/** "screenshot-2026-12-08-153012.png": a name the customer and support can tell apart. */
function renamed(file: File, index: number): File {
  const at = new Date();
  const two = (n: number) => String(n).padStart(2, '0');
  const stamp = `${at.getFullYear()}-${two(at.getMonth() + 1)}-${two(at.getDate())}-${two(at.getHours())}${two(at.getMinutes())}${two(at.getSeconds())}`;
  const ext =
    file.type
      .split('/')[1]
      ?.replace('jpeg', 'jpg')
      .replace(/[^a-z0-9]/g, '') || 'png';
  return new File([file], `screenshot-${stamp}${index > 0 ? `-${index + 1}` : ''}.${ext}`, {
    type: file.type,
    lastModified: file.lastModified,
  });
}
