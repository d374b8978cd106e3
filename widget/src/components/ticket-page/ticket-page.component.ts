import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { ApiError, NetworkError, isAbortError } from '../../api/api-error.js';
import { messages } from '../../internal/messages.js';
import { PortalScreen } from '../../internal/portal-screen.js';
import type { Attachment, TicketDetail, TicketMessage, UploadedAttachment } from '../../api/api-types.js';
import type { LiveEvent, LiveStatus } from '../../live/live-events.js';
import { watchLive } from '../../live/live-stream.js';
import { ATTACHMENT_PARTS, exportOwnParts } from '../../requests/attachment-parts.js';
import { REPLY_MAX, RequestsApi, newIdempotencyKey } from '../../requests/requests-api.js';
import { sanitizeHtml } from '../../requests/sanitize-html.js';
import { formatDateTime, resolveLocale } from '../../tickets/format.js';
import { renderStatus, renderWhen } from '../../tickets/ticket-cells.js';
import { ticketIdText } from '../../tickets/ticket-fields.js';
import type { Ticket } from '../../api/api-types.js';
import { statusBadges } from '../../styles/ticket-common.styles.js';
import '../attachment-list/attachment-list.js';
import '../attachment-picker/attachment-picker.js';
import '../ticket-people/ticket-people.js';
import { PEOPLE_PARTS, type TicketPeopleChangedEvent } from '../ticket-people/ticket-people.component.js';
import type { TpAttachmentPicker } from '../attachment-picker/attachment-picker.component.js';
import formStyles from '../request-form/request-form.styles.js';
import styles from './ticket-page.styles.js';
import { shellHref } from '../../internal/shell-address.js';
import { msg, str } from '../../internal/msg.js';

/** A reply the customer sent that the API has not acknowledged yet. */
interface OutgoingReply {
  key: string;
  body: string;
  sentAt: string;
  failed: string | null;
  /** Files uploaded for it: their ids go with it (and with a retry, under the same key). */
  attachments: UploadedAttachment[];
}

type Action = 'close' | 'reopen' | 'retry';

const hasMessages = (value: unknown): value is TicketDetail =>
  Array.isArray((value as TicketDetail | null)?.messages);

/**
 * A ticket's page: every list field, description, priority and category, who is on the ticket
 * (<tp-ticket-people>: add and remove colleagues in copy), the conversation oldest
 * first (HTML sanitized again here), a reply box, Close / Reopen, and Retry when HubSpot refused it.
 * Live changes (the portal's event stream, ADR 0009) update it in place: status, owner and last
 * activity at once, new messages as they come. Without the stream, it asks the API again every few
 * seconds (not while the page is hidden). Loaded on first use (ADR 0008).
 *
 * @csspart back - "Back to your tickets".
 * @csspart ticket - The page's wrapper.
 * @csspart heading - The ticket's subject (also `ticket-heading`).
 * @csspart details - The ticket's fields.
 * @csspart status-badge - Its status.
 * @csspart sync-state - "Sending to support…" or why support could not receive it.
 * @csspart description - The description.
 * @csspart conversation - The list of messages.
 * @csspart message - A message (`data-from="customer"` or `"support"`).
 * @csspart message-body - A message's text.
 * @csspart reply - The reply form.
 * @csspart textarea - The reply box.
 * @csspart button - Send, Close ticket, Reopen ticket, Retry.
 * @csspart alert - Problems (role=alert).
 * @csspart notice - Confirmations (role=status).
 * @csspart attachments - The files of the request or of a message (and `attachment`,
 *   `attachment-preview`: see <tp-attachment-list>).
 * @csspart file-picker - The reply's files (and `file`, `file-progress`: see <tp-attachment-picker>).
 * @csspart people - Who is on the ticket (and `person`, `person-role`, `people-form`, `people-input`,
 *   `people-error`, `people-alert`: see <tp-ticket-people>).
 */
export class TpTicketPage extends PortalScreen {
  static override styles = [...PortalScreen.styles, formStyles, statusBadges, styles];

  /**
   * How often the page asks again (ms) while something is on its way to HubSpot, or the conversation
   * is still being read from it, and live updates are off (the conversation also while they are on).
   */
  static pollInterval = 4000;

  /**
   * How often it asks otherwise (ms) while live updates are off (the stream cannot be had, or is
   * reconnecting) and the page is visible, so that what support does in HubSpot shows anyway.
   */
  static idlePollInterval = 10_000;

  /** The ticket's localId (the `tp-ticket` address parameter). */
  @property({ attribute: 'ticket-id' }) ticketId = '';

  /** What is already known (the list's row, or the form's answer), drawn while the page loads. */
  @property({ attribute: false }) initial: Ticket | TicketDetail | null = null;

  @state() private ticket: TicketDetail | null = null;
  @state() private summary: Ticket | null = null;
  @state() private loadError: unknown = null;
  @state() private outgoing: OutgoingReply[] = [];
  @state() private acting: Action | null = null;
  @state() private confirmingClose = false;
  @state() private status = '';
  @state() private waitingForFiles = false;

  private abort = new AbortController();
  private pollTimer: ReturnType<typeof setTimeout> | undefined;
  private liveTimer: ReturnType<typeof setTimeout> | undefined;
  // Messages that arrived live and no read has returned yet: a read that was already on its way
  // when one arrived answers without it, and must not take it off the page.
  private liveMessages = new Map<string, TicketMessage>();
  // A read was asked for while one was on its way: read again when it is back.
  private readAgain = false;
  private stopLive: (() => void) | undefined;
  private liveStatus: LiveStatus | undefined;
  private loading = false;
  // Sanitized bodies by message id + html, so a re-render reuses the same nodes.
  private readonly bodies = new Map<string, HTMLElement>();

  override connectedCallback(): void {
    super.connectedCallback();
    exportOwnParts(this, ATTACHMENT_PARTS);
    document.addEventListener('visibilitychange', this.onVisibility);
    if (this.hasUpdated) {
      this.watch();
      void this.load();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('visibilitychange', this.onVisibility);
    clearTimeout(this.pollTimer);
    clearTimeout(this.liveTimer);
    this.stopLive?.();
    this.stopLive = this.liveStatus = undefined;
    this.abort.abort();
    this.abort = new AbortController();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('initial') && this.initial) {
      if (hasMessages(this.initial)) this.ticket = this.initial;
      else this.summary = this.initial;
    }
  }

  protected override firstUpdated(): void {
    // A live region only speaks when its text changes after it is on the page: say the hand-over
    // message ("Your request has been submitted…") now, not with the first render.
    if (this.notice) {
      const text = this.notice.text;
      requestAnimationFrame(() => (this.status = text));
    }
    this.watch();
    // The form's answer is the whole ticket already: only poll. Otherwise fetch it.
    if (this.ticket) this.schedulePoll();
    else void this.load();
  }

  /** Live changes from the portal's one event stream (shared with the list). */
  private watch(): void {
    if (this.api && !this.stopLive) this.stopLive = watchLive(this.api, this.onLive, this);
  }

  private readonly onLive = (event: LiveEvent): void => {
    switch (event.type) {
      case 'status':
        this.liveStatus = event.status;
        this.schedulePoll();
        return;
      case 'message':
        if (event.localId === this.ticketId) this.addMessage(event.message);
        return;
      case 'ticket':
        if (event.ticket.localId !== this.ticketId) return;
        // The list's fields at once (status, owner, last activity); the rest with a quiet read.
        if (this.ticket) this.setTicket({ ...this.ticket, ...event.ticket });
        this.readSoon();
        return;
      case 'ticket-removed':
      case 'conversation':
        if (event.localId === this.ticketId) {
          // Messages went away: the next read says which, nothing is kept over it.
          this.liveMessages.clear();
          this.readSoon();
        }
        return;
      case 'resync':
        this.readSoon();
        return;
      case 'counts':
      case 'sync':
        // The list's business.
        return;
    }
  };

  /** A burst of events is one read. */
  private readSoon(): void {
    clearTimeout(this.liveTimer);
    this.liveTimer = setTimeout(() => void this.load(), 150);
  }

  /** A message that arrived live: added in its place, or replacing its earlier state. */
  private addMessage(message: TicketMessage): void {
    const t = this.ticket;
    if (!t || typeof message?.id !== 'string') return;
    const known = t.messages.some((m) => m.id === message.id);
    const messages = known
      ? t.messages.map((m) => (m.id === message.id ? message : m))
      : [...t.messages, message].sort((a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt));
    // The customer's own reply, echoed before the POST answered: shown once.
    if (message.from === 'customer') this.outgoing = this.outgoing.filter((r) => r.body !== message.text);
    this.liveMessages.set(message.id, message);
    this.setTicket({ ...t, messages });
  }

  private get requests(): RequestsApi | null {
    return this.api ? new RequestsApi(this.api) : null;
  }

  private get locale(): string {
    return resolveLocale(this.config?.locale);
  }

  /** Something is still on its way to HubSpot, so the page keeps asking. */
  private get waiting(): boolean {
    const t = this.ticket;
    return (
      !!t &&
      (t.syncState === 'pending' ||
        t.messages.some((m) => m.syncState === 'pending') ||
        this.outgoing.some((r) => !r.failed))
    );
  }

  private async load(): Promise<void> {
    const api = this.requests;
    if (!api || !this.ticketId) return;
    if (this.loading) {
      this.readAgain = true;
      return;
    }
    this.loading = true;
    clearTimeout(this.pollTimer);
    try {
      const read = await api.get(this.ticketId, this.abort.signal);
      // A message that arrived live while this read was on its way is newer than the read.
      const later = [...this.liveMessages.values()].filter((m) => !read.messages.some((r) => r.id === m.id));
      this.liveMessages = new Map(later.map((m) => [m.id, m]));
      this.setTicket(
        later.length === 0
          ? read
          : {
              ...read,
              messages: [...read.messages, ...later].sort(
                (a, b) => Date.parse(a.sentAt) - Date.parse(b.sentAt),
              ),
            },
      );
      this.loadError = null;
    } catch (error) {
      if (isAbortError(error)) return;
      // A failed poll keeps what is on screen; only a first load shows the error, and a ticket that
      // is gone (deleted, or no longer the customer's) says so.
      const gone = error instanceof ApiError && error.status === 404;
      if (gone) this.ticket = this.summary = null;
      if (gone || !this.ticket) this.loadError = error;
    } finally {
      this.loading = false;
    }
    if (this.readAgain) {
      this.readAgain = false;
      this.readSoon();
    }
    this.schedulePoll();
  }

  private setTicket(ticket: TicketDetail): void {
    const before = this.ticket;
    this.ticket = ticket;
    // Say it when support received the request, replied, or moved the ticket while the customer
    // watches: one sentence, not every field.
    if (!before) return;
    if (before.syncState === 'pending' && ticket.syncState === 'synced' && ticket.id) {
      this.status = msg(str`Support has received your request: ticket ${ticket.id}.`);
    } else if (countFromSupport(ticket) > countFromSupport(before)) {
      this.status = msg('New reply from support.');
    } else {
      const changes = [
        before.status.label !== ticket.status.label ? msg(str`status ${ticket.status.label}`) : '',
        before.owner?.name !== ticket.owner?.name
          ? msg(str`owner ${ticket.owner?.name ?? msg('Unassigned')}`)
          : '',
      ].filter(Boolean);
      if (changes.length > 0) this.status = msg(str`This ticket changed: ${changes.join(', ')}.`);
    }
  }

  private schedulePoll(): void {
    clearTimeout(this.pollTimer);
    if (document.hidden || !this.isConnected || !this.ticket) return;
    // An empty conversation never sends a `message` event: ask until it has been read.
    const reading = this.ticket.conversationState === 'loading';
    if (this.liveStatus === 'live' && !reading) return;
    const interval = this.waiting || reading ? TpTicketPage.pollInterval : TpTicketPage.idlePollInterval;
    this.pollTimer = setTimeout(() => void this.load(), interval);
  }

  private readonly onVisibility = (): void => {
    if (document.hidden) clearTimeout(this.pollTimer);
    else if (this.ticket) void this.load();
  };

  private readonly retryLoad = (): void => {
    this.loadError = null;
    void this.load();
  };

  private readonly back = (event: Event): void => {
    event.preventDefault();
    this.navigate({ screen: 'shell', view: { kind: 'list' }, history: 'back' });
  };

  // ---- reply

  private readonly onReply = async (event: Event): Promise<void> => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const box = form.querySelector('textarea')!;
    if (this.waitingForFiles || (await this.replyInvalid(box))) return;
    const picker = form.querySelector<TpAttachmentPicker>('tp-attachment-picker');
    if (picker?.uploading) {
      // Send needs no waiting for the bars: the reply goes once its files are up.
      this.waitingForFiles = true;
      this.status = msg('Waiting for your files to upload…');
      try {
        await picker.whenSettled();
      } finally {
        this.waitingForFiles = false;
      }
      // The customer may have edited the reply meanwhile: what is sent is what the box says now.
      if (await this.replyInvalid(box)) return;
    }
    const problem = picker?.problem;
    if (picker && problem) {
      this.status = '';
      picker.showError(problem);
      picker.focus();
      return;
    }
    const reply: OutgoingReply = {
      key: newIdempotencyKey(),
      body: box.value.trim(),
      sentAt: new Date().toISOString(),
      failed: null,
      attachments: picker?.value ?? [],
    };
    this.outgoing = [...this.outgoing, reply];
    box.value = '';
    // The files belong to this reply now: the box starts empty for the next one.
    picker?.reset([]);
    this.status = msg('Reply sent. It shows in the conversation while it goes to support.');
    await this.sendReply(reply);
  };

  /** Shows why the reply cannot be sent (and focuses the box), if it cannot. */
  private replyInvalid(box: HTMLTextAreaElement): Promise<boolean> {
    const length = [...box.value.trim()].length;
    const error =
      length === 0
        ? msg('Write your reply first.')
        : length > REPLY_MAX
          ? msg(
              str`Use at most ${REPLY_MAX.toLocaleString(this.locale)} characters (you have ${length.toLocaleString(this.locale)}).`,
            )
          : undefined;
    return this.showFieldErrors(error ? { reply: error } : {});
  }

  /** Sends (or sends again, with the same Idempotency-Key) one reply. */
  private async sendReply(reply: OutgoingReply): Promise<void> {
    const api = this.requests;
    if (!api) return;
    this.outgoing = this.outgoing.map((r) => (r.key === reply.key ? { ...r, failed: null } : r));
    try {
      const message = await api.reply(
        this.ticketId,
        reply.body,
        reply.key,
        this.abort.signal,
        reply.attachments.map((a) => a.id),
      );
      this.outgoing = this.outgoing.filter((r) => r.key !== reply.key);
      if (
        this.ticket &&
        typeof message?.id === 'string' &&
        !this.ticket.messages.some((m) => m.id === message.id)
      ) {
        this.ticket = { ...this.ticket, messages: [...this.ticket.messages, message] };
      }
      this.schedulePoll();
    } catch (error) {
      if (isAbortError(error)) return;
      // The API names an upload it no longer has by its id: the customer knows it by its name.
      const text = reply.attachments.reduce((t, a) => t.replaceAll(a.id, a.name), this.errorText(error));
      this.outgoing = this.outgoing.map((r) => (r.key === reply.key ? { ...r, failed: text } : r));
      this.status = '';
      this.problem = { tone: 'error', text: msg(str`Your reply was not sent. ${text}`) };
    }
  }

  // ---- close, reopen, retry

  private readonly askClose = async (): Promise<void> => {
    this.confirmingClose = true;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-action="confirm-close"]')?.focus();
  };

  private readonly cancelClose = async (): Promise<void> => {
    this.confirmingClose = false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[data-action="close"]')?.focus();
  };

  private async act(action: Action): Promise<void> {
    const api = this.requests;
    if (!api || this.acting) return;
    this.acting = action;
    this.clearProblem();
    try {
      this.setTicket(await api.act(this.ticketId, action, this.abort.signal));
      this.confirmingClose = false;
      this.status = {
        close: msg('This ticket is closed. You can reopen it if you need more help.'),
        reopen: msg('This ticket is open again.'),
        retry: msg('We are sending it to support again.'),
      }[action];
      this.acting = null; // before focusing: a disabled button cannot take focus
      await this.updateComplete;
      // The button pressed is gone: continue from the one that replaced it.
      this.renderRoot
        .querySelector<HTMLElement>(action === 'close' ? '[data-action="reopen"]' : '[data-action="close"]')
        ?.focus();
      this.schedulePoll();
    } catch (error) {
      if (isAbortError(error)) return;
      this.showProblem(error);
      if (error instanceof NetworkError || (error instanceof ApiError && error.status >= 500)) {
        this.retry = () => void this.act(action);
      }
    } finally {
      this.acting = null;
    }
  }

  private errorText(error: unknown): string {
    if (error instanceof NetworkError) return messages.unreachable;
    return error instanceof Error && error.message ? error.message : msg('Please try again in a moment.');
  }

  // ---- rendering

  private body(message: TicketMessage): HTMLElement {
    const key = `${message.id}\u0000${message.html}`;
    let element = this.bodies.get(key);
    if (!element) {
      element = document.createElement('div');
      element.className = 'message__body';
      element.setAttribute('part', 'message-body');
      if (message.html) sanitizeHtml(message.html, element);
      else element.textContent = message.text;
      this.bodies.set(key, element);
    }
    return element;
  }

  override render() {
    const ticket = this.ticket ?? this.summary;
    return html`<div class="view" part="ticket">
      <a class="back" href=${shellHref({ kind: 'list' }, location.href)} part="link back" @click=${this.back}
        >${msg('← Back to your tickets')}</a
      >
      ${
        ticket
          ? this.renderTicket(ticket)
          : this.loadError
            ? this.renderLoadError()
            : html`<h3 id="heading" class="heading" part="heading ticket-heading" tabindex="-1">
                ${msg('Loading ticket…')}
              </h3>`
      }
      <div class="visually-hidden" role="status" aria-live="polite">${this.status}</div>
    </div>`;
  }

  private renderLoadError() {
    const notFound = this.loadError instanceof ApiError && this.loadError.status === 404;
    return html`<h3 id="heading" class="heading" part="heading ticket-heading" tabindex="-1">
        ${notFound ? msg('Ticket not found') : msg('This ticket could not be loaded')}
      </h3>
      ${this.renderLoadProblem()}`;
  }

  /** Why the ticket could not be loaded, with Retry unless it does not exist for this customer. */
  private renderLoadProblem() {
    const notFound = this.loadError instanceof ApiError && this.loadError.status === 404;
    return html`<div role="alert">
        <p class="notice notice--error" part="alert">
          ${notFound ? msg('This ticket does not exist, or it belongs to another account.') : this.errorText(this.loadError)}
        </p>
      </div>
      ${
        notFound
          ? nothing
          : html`<div class="actions">
              <button type="button" class="secondary" part="button button-secondary" @click=${this.retryLoad}>
                ${msg('Retry')}
              </button>
            </div>`
      }`;
  }

  private renderTicket(ticket: Ticket) {
    const detail = this.ticket;
    const locale = this.locale;
    return html`<h3 id="heading" class="heading" part="heading ticket-heading" tabindex="-1">
        ${ticket.subject}
      </h3>
      ${this.renderNotices()} ${this.renderSyncState(detail)}
      <dl class="details" part="details">
        ${this.item(msg('Ticket ID'), ticket.id ?? ticketIdText(ticket))}
        ${this.item(msg('Status'), renderStatus(ticket))}
        ${this.item(msg('Created'), renderWhen(ticket.createdAt, locale, { relative: false }))}
        ${this.item(msg('Ticket Owner'), ticket.owner?.name ?? msg('Unassigned'))}
        ${this.item(msg('Last Activity'), renderWhen(ticket.lastActivityAt, locale, { relative: true }))}
        ${this.item(msg('Requested By'), ticket.requestedBy.name ?? ticket.requestedBy.email)}
        ${detail?.priority ? this.item(msg('Priority'), detail.priority.label) : nothing}
        ${detail?.category ? this.item(msg('Category'), detail.category.label) : nothing}
        ${detail?.closedAt ? this.item(msg('Closed', { id: 'ticket-closed-at', desc: 'The date a ticket was closed' }), renderWhen(detail.closedAt, locale, { relative: false })) : nothing}
      </dl>
      ${
        detail
          ? html`<section class="section" aria-labelledby="description-heading">
                <h4 id="description-heading">${msg('Description')}</h4>
                <p class="description" part="description">${detail.description ?? msg('No description.')}</p>
                ${this.renderFiles(detail.attachments, msg('Files sent with the request'))}
              </section>
              ${this.renderPeople(detail)} ${this.renderConversation(detail)} ${this.renderReply(detail)}
              ${this.renderActions(detail)}`
          : this.loadError
            ? this.renderLoadProblem()
            : html`<p class="loading-more" role="status">${msg('Loading the conversation…')}</p>`
      }`;
  }

  /** Who is on the ticket (an API before issue 15 does not say: nothing is shown). */
  private renderPeople(detail: TicketDetail) {
    return detail.people
      ? html`<tp-ticket-people
          exportparts=${PEOPLE_PARTS}
          ticket-id=${detail.localId}
          .people=${detail.people}
          .ownEmail=${this.sessions?.current?.customer.email}
          @tp-ticket-people-changed=${this.onPeopleChanged}
        ></tp-ticket-people>`
      : nothing;
  }

  private readonly onPeopleChanged = (event: TicketPeopleChangedEvent): void => {
    this.setTicket(event.ticket);
    this.schedulePoll();
  };

  private item(label: string, value: unknown) {
    return html`<div class="details__item">
      <dt>${label}</dt>
      <dd>${value}</dd>
    </div>`;
  }

  private renderSyncState(detail: TicketDetail | null) {
    if (!detail) return nothing;
    if (detail.syncState === 'pending') {
      return html`<p class="sync sync--pending" part="sync-state">
        <span class="badge badge--pending">${msg('Sending to support…')}</span>
        ${msg('Your request is saved; support will see it in a moment.')}
      </p>`;
    }
    if (detail.syncState === 'failed') {
      return html`<div class="sync sync--failed notice notice--error" part="sync-state" role="alert">
        <p>
          <strong>${msg('Support could not receive this request.')}</strong>
          ${detail.syncError ?? msg('It was refused.')} ${msg('Nothing you wrote is lost.')}
        </p>
        <div class="actions">
          <button
            type="button"
            part="button"
            ?disabled=${this.acting !== null}
            @click=${() => void this.act('retry')}
          >
            ${this.acting === 'retry' ? msg('Retrying…') : msg('Retry')}
          </button>
        </div>
      </div>`;
    }
    return nothing;
  }

  private renderConversation(detail: TicketDetail) {
    const locale = this.locale;
    const messages = detail.messages;
    // Never "no messages" while the conversation is still being read from HubSpot.
    const reading = detail.conversationState === 'loading';
    return html`<section class="section" aria-labelledby="conversation-heading">
      <h4 id="conversation-heading">${msg('Conversation')}</h4>
      ${
        messages.length === 0 && this.outgoing.length === 0
          ? reading
            ? html`<p class="loading-more">${msg('Loading the conversation…')}</p>`
            : html`<p class="muted">${msg("No messages yet. Support's answers will appear here.")}</p>`
          : html`<ol class="conversation" part="conversation">
                ${messages.map((m) => this.renderMessage(m, locale))}
                ${this.outgoing.map((r) => this.renderOutgoing(r, locale))}
              </ol>
              ${reading ? html`<p class="loading-more">${msg('Loading the rest of the conversation…')}</p>` : nothing}`
      }
    </section>`;
  }

  private renderMessage(message: TicketMessage, locale: string) {
    // A person's name (the API resolves it); support whose agent is unknown reads as the support
    // team the portal names ("Need Help?"), never as an address.
    const who =
      message.author.name ??
      (message.from === 'support'
        ? this.config?.support?.name?.trim() || msg('Support')
        : (message.author.email ?? msg('You')));
    return html`<li class="message message--${message.from}" part="message" data-from=${message.from}>
      <p class="message__meta">
        <strong>${who}</strong>
        <span class="visually-hidden">${message.from === 'support' ? msg('(support)') : msg('(you)')}</span>
        <time datetime=${message.sentAt}>${formatDateTime(message.sentAt, locale)}</time>
        ${
          message.syncState === 'pending'
            ? html`<span class="badge badge--pending" data-sync="pending"
                >${msg('Sending to support…')}</span
              >`
            : message.syncState === 'failed'
              ? html`<span class="badge badge--failed" data-sync="failed"
                  >${message.syncError ? msg(str`Not delivered: ${message.syncError}`) : msg('Not delivered')}</span
                >`
              : nothing
        }
      </p>
      ${this.body(message)} ${this.renderFiles(message.attachments, msg(str`Files from ${who}`))}
    </li>`;
  }

  private renderFiles(files: readonly (Attachment | UploadedAttachment)[] | undefined, label: string) {
    return files?.length
      ? html`<tp-attachment-list
          exportparts=${ATTACHMENT_PARTS}
          .attachments=${files}
          label=${label}
        ></tp-attachment-list>`
      : nothing;
  }

  private renderOutgoing(reply: OutgoingReply, locale: string) {
    return html`<li class="message message--customer" part="message" data-from="customer" data-local>
      <p class="message__meta">
        <strong>${msg('You')}</strong>
        <time datetime=${reply.sentAt}>${formatDateTime(reply.sentAt, locale)}</time>
        ${
          reply.failed
            ? html`<span class="badge badge--failed" data-sync="failed">${msg('Not sent')}</span>
                <button type="button" class="link" part="button" @click=${() => void this.sendReply(reply)}>
                  ${msg('Retry')}
                </button>`
            : html`<span class="badge badge--pending" data-sync="sending">${msg('Sending…')}</span>`
        }
      </p>
      <div class="message__body message__body--text" part="message-body">${reply.body}</div>
      ${this.renderFiles(reply.attachments, msg('Your files'))}
    </li>`;
  }

  private renderReply(detail: TicketDetail) {
    const error = this.errors.reply;
    const closed = detail.status.state === 'closed';
    return html`<form class="reply" part="reply form" novalidate @submit=${this.onReply}>
      <div class="field" part="field">
        <label for="reply" part="label">${msg('Your reply')}</label>
        ${closed ? html`<p id="reply-hint" class="hint" part="hint">${msg('Replying reopens the conversation with support.')}</p>` : nothing}
        <textarea
          id="reply"
          name="reply"
          part="textarea"
          rows="4"
          aria-invalid=${error ? 'true' : 'false'}
          aria-describedby=${[closed ? 'reply-hint' : '', error ? 'reply-error' : ''].filter(Boolean).join(' ') || nothing}
        ></textarea>
        ${error ? html`<p id="reply-error" class="field-error" part="field-error">${error}</p>` : nothing}
      </div>
      <tp-attachment-picker exportparts=${ATTACHMENT_PARTS}></tp-attachment-picker>
      <div class="actions">
        <button type="submit" part="button" aria-disabled=${this.waitingForFiles ? 'true' : 'false'}>
          ${msg('Send reply')}
        </button>
      </div>
    </form>`;
  }

  private renderActions(detail: TicketDetail) {
    const busy = this.acting !== null;
    if (detail.status.state === 'closed') {
      return html`<div class="actions ticket-actions">
        <button
          type="button"
          class="secondary"
          part="button button-secondary"
          data-action="reopen"
          ?disabled=${busy}
          @click=${() => void this.act('reopen')}
        >
          ${this.acting === 'reopen' ? msg('Reopening…') : msg('Reopen ticket')}
        </button>
      </div>`;
    }
    if (this.confirmingClose) {
      return html`<div class="actions ticket-actions confirm" role="group" aria-labelledby="confirm-close">
        <p id="confirm-close">${msg('Close this ticket? You can reopen it later.')}</p>
        <button
          type="button"
          part="button"
          data-action="confirm-close"
          ?disabled=${busy}
          @click=${() => void this.act('close')}
        >
          ${this.acting === 'close' ? msg('Closing…') : msg('Close ticket')}
        </button>
        <button
          type="button"
          class="secondary"
          part="button button-secondary"
          ?disabled=${busy}
          @click=${this.cancelClose}
        >
          ${msg('Keep it open')}
        </button>
      </div>`;
    }
    return html`<div class="actions ticket-actions">
      <button
        type="button"
        class="secondary"
        part="button button-secondary"
        data-action="close"
        @click=${this.askClose}
      >
        ${msg('Close ticket')}
      </button>
    </div>`;
  }

  /** @internal for tests: polls now instead of waiting. */
  pollNow(): Promise<void> {
    return this.load();
  }
}

const countFromSupport = (ticket: TicketDetail): number =>
  ticket.messages.filter((m) => m.from === 'support').length;
