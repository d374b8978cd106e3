import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApiClient } from '../../api/api-client.js';
import { errorText, isAbortError } from '../../api/api-error.js';
import type { Attachment, UploadedAttachment } from '../../api/api-types.js';
import { apiClientContext } from '../../context/contexts.js';
import { PortalElement } from '../../internal/portal-element.js';
import {
  PREVIEW_TYPES,
  dataUrlOf,
  downloadFile,
  formatBytes,
  saveBlob,
  typeName,
} from '../../requests/attachments-api.js';
import sharedStyles from '../../styles/shared.styles.js';
import styles from './attachment-list.styles.js';
import { msg, str } from '../../internal/msg.js';

/** Previews are read only for images up to this size (or of unknown size: HubSpot did not say). */
const PREVIEW_MAX_BYTES = 10 * 1024 * 1024;

/**
 * The files of a request or a message: name, type and size, and Download, which reads the file
 * through the API with the bearer token (a link cannot carry it) and saves it. Raster images the API
 * marks `inline` show as a preview: an <img> of a blob URL (a data: URL where the page's Content
 * Security Policy refuses blob: images), never the file opened as a page. A file
 * still on its way (no `downloadPath` yet) is listed without Download. In the lazy chunk (ADR 0008).
 *
 * @csspart attachments - The list.
 * @csspart attachment - One file.
 * @csspart attachment-preview - An image's preview.
 * @csspart button - Download (also `button-secondary`).
 * @csspart field-error - Why a download failed.
 */
export class TpAttachmentList extends PortalElement {
  static override styles = [sharedStyles, styles];

  @consume({ context: apiClientContext })
  private api?: ApiClient;

  @property({ attribute: false }) attachments: readonly (Attachment | UploadedAttachment)[] = [];

  /** The list's accessible name. */
  @property() label = msg('Files');

  /** Preview URLs by attachment id: blob:, or data: after the page refused the blob: one. */
  @state() private previews = new Map<string, string>();
  @state() private downloading = new Set<string>();
  @state() private failures = new Map<string, string>();
  @state() private status = '';

  private abort = new AbortController();
  private readonly requested = new Set<string>();
  /** The previews' bytes, for the data: URL fallback. */
  private readonly images = new Map<string, Blob>();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort.abort();
    this.abort = new AbortController();
    for (const url of this.previews.values()) URL.revokeObjectURL(url);
    this.previews = new Map();
    this.requested.clear();
    this.images.clear();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.loadPreviews();
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (changed.has('attachments')) this.loadPreviews();
  }

  /** Reads the images' previews once each; drops those of files no longer listed. */
  private loadPreviews(): void {
    const api = this.api;
    const listed = new Set(this.attachments.map((a) => a.id));
    for (const [id, url] of this.previews) {
      if (listed.has(id)) continue;
      URL.revokeObjectURL(url);
      this.previews.delete(id);
      this.requested.delete(id);
      this.images.delete(id);
    }
    if (!api) return;
    for (const a of this.attachments) {
      if (!previewable(a) || this.requested.has(a.id)) continue;
      this.requested.add(a.id);
      const signal = this.abort.signal;
      downloadFile(api, a.downloadPath, signal).then(
        (blob) => {
          // Only what the API served as a raster image becomes an <img>.
          if (signal.aborted || !PREVIEW_TYPES.has(blob.type)) return;
          this.images.set(a.id, blob);
          this.previews = new Map(this.previews).set(a.id, URL.createObjectURL(blob));
        },
        () => {
          // No preview: the file is still listed with Download, which says what went wrong.
          this.requested.delete(a.id);
        },
      );
    }
  }

  /** The page refused the blob: image (its CSP): the same bytes as a data: URL; refused again, none. */
  private async previewFailed(id: string): Promise<void> {
    const url = this.previews.get(id);
    const blob = this.images.get(id);
    const previews = new Map(this.previews);
    previews.delete(id);
    if (url?.startsWith('blob:') && blob) {
      URL.revokeObjectURL(url);
      const data = await dataUrlOf(blob).catch(() => null);
      if (data && this.images.get(id) === blob) previews.set(id, data);
    }
    this.previews = previews;
  }

  private async download(a: Attachment): Promise<void> {
    const api = this.api;
    if (!api || this.downloading.has(a.id)) return;
    this.downloading = new Set(this.downloading).add(a.id);
    const failures = new Map(this.failures);
    failures.delete(a.id);
    this.failures = failures;
    this.status = msg(str`Downloading ${a.name}…`);
    try {
      const blob = await downloadFile(api, a.downloadPath, this.abort.signal);
      saveBlob(blob, a.name, this.renderRoot);
      this.status = msg(str`${a.name} downloaded.`);
    } catch (error) {
      if (isAbortError(error)) return;
      const text = msg(str`${a.name} could not be downloaded. ${errorText(error)}`);
      this.failures = new Map(this.failures).set(a.id, text);
      this.status = text;
    } finally {
      const downloading = new Set(this.downloading);
      downloading.delete(a.id);
      this.downloading = downloading;
    }
  }

  override render() {
    if (this.attachments.length === 0) return nothing;
    return html`<ul class="attachments" part="attachments" aria-label=${this.label}>
        ${this.attachments.map((a) => this.renderItem(a))}
      </ul>
      <div class="visually-hidden" role="status" aria-live="polite">${this.status}</div>`;
  }

  private renderItem(a: Attachment | UploadedAttachment) {
    const preview = this.previews.get(a.id);
    const kind = typeName(a.contentType, a.name);
    const size = a.size === null ? '' : formatBytes(a.size);
    const meta = size ? `${kind}, ${size}` : kind;
    const failure = this.failures.get(a.id);
    const busy = this.downloading.has(a.id);
    return html`<li class="attachment" part="attachment">
      ${
        preview
          ? html`<img
              class="attachment__preview"
              part="attachment-preview"
              src=${preview}
              alt=""
              @error=${() => void this.previewFailed(a.id)}
            />`
          : nothing
      }
      <span class="attachment__main">
        <span class="attachment__name">${a.name}</span>
        <span class="attachment__meta">${meta}</span>
        ${failure ? html`<span class="field-error" part="field-error">${failure}</span>` : nothing}
      </span>
      ${
        'downloadPath' in a
          ? html`<button
              type="button"
              class="secondary"
              part="button button-secondary"
              aria-label=${msg(str`Download ${a.name} (${meta})`)}
              aria-disabled=${busy ? 'true' : 'false'}
              @click=${() => void this.download(a)}
            >
              ${busy ? msg('Downloading…') : msg('Download')}
            </button>`
          : nothing
      }
    </li>`;
  }
}

const previewable = (a: Attachment | UploadedAttachment): a is Attachment =>
  'downloadPath' in a &&
  a.inline &&
  PREVIEW_TYPES.has(a.contentType) &&
  (a.size === null || a.size <= PREVIEW_MAX_BYTES);
