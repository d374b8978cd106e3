import { TaskStatus } from '@lit/task';
import { html, nothing, type ReactiveController } from 'lit';
import type { ApiClient } from '../api/api-client.js';
import type { Ticket } from '../api/api-types.js';
import type { TicketList } from '../components/ticket-list/ticket-list.component.js';
import { formatDateTime, formatRelative } from '../tickets/format.js';
import type { LiveEvent, LiveListHost, LiveStatus } from './live-events.js';
import { watchLive } from './live-stream.js';
import { describeChanges } from './live-summary.js';
import { msg } from '../internal/msg.js';

// The ticket list's live updates, in the lazy chunk so that the first render stays within its
// budget (ADR 0008): the list itself only loads the chunk and hands itself over (attachList), then
// draws what this sets. A change reads the page shown again quietly — same search, filters, sort and page, rows
// left in place meanwhile — marks the rows that changed, keeps focus on its ticket and says what
// changed in one polite sentence. While the stream is not live it polls quietly instead.

/** How long a row changed by a live update stays marked (the CSS animation's length). */
export const MARK_MS = 4000;

/** How often the list asks while the stream is not live (ms); TicketList.pendingRefreshMs while a request is on its way. */
export const listPolling = { idle: 30_000 };

/** A burst of events (one notice names several tickets, then counts) is one reload. */
const DEBOUNCE_MS = 150;

/** Hands the list its live updates (once; the controller follows the list's connections from then on). */
export function attachList(list: LiveListHost): void {
  list.live ??= new LiveListController(list);
}

/**
 * The list's live updates: listens to the portal's event stream while the list is connected (the
 * ApiClient comes through context, and may change), reloads quietly on a change, and polls
 * quietly while the stream is not live.
 */
export class LiveListController implements ReactiveController {
  /** undefined until the stream says (connecting). */
  status: LiveStatus | undefined;
  /** When the stream last delivered anything (ms epoch). */
  since: number | null = null;
  private client: ApiClient | undefined;
  private stop: (() => void) | undefined;
  private debounce: ReturnType<typeof setTimeout> | undefined;
  private poll: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | null = null;
  private again = false;

  constructor(private readonly list: LiveListHost) {
    list.addController(this);
  }

  hostConnected(): void {
    // The list's own timer for requests on their way gives way to this controller's polling.
    clearTimeout(this.list.pendingTimer);
    this.hostUpdated();
    this.schedulePoll();
  }

  hostUpdated(): void {
    const client = this.list.client;
    if (client === this.client) return;
    this.unwatch();
    this.client = client;
    if (client) this.stop = watchLive(client, this.onEvent, this.list);
  }

  hostDisconnected(): void {
    this.unwatch();
    clearTimeout(this.poll);
  }

  private unwatch(): void {
    clearTimeout(this.debounce);
    this.stop?.();
    this.stop = this.client = this.status = undefined;
  }

  private readonly onEvent = (event: LiveEvent): void => {
    switch (event.type) {
      case 'status':
        this.status = event.status;
        this.since = event.since;
        this.list.requestUpdate();
        this.schedulePoll();
        return;
      case 'sync':
        if (this.list.data) this.list.data = { ...this.list.data, syncedAt: event.syncedAt };
        return;
      case 'message':
      case 'conversation':
        // The ticket page's business; the ticket's own event brings its new activity here.
        return;
      case 'ticket':
      case 'ticket-removed':
      case 'counts':
      case 'resync':
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => this.reload(), DEBOUNCE_MS);
    }
  };

  /** One reload at a time; a change during one means one more after it. */
  private reload(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = reloadQuietly(this.list).finally(() => {
      this.running = null;
      if (this.again) {
        this.again = false;
        this.reload();
      } else this.schedulePoll();
    });
  }

  /** While the stream is not live (or there is none): every 30 s, every 4 s while a request is on its way. */
  private schedulePoll(): void {
    clearTimeout(this.poll);
    if (this.status === 'live' || !this.list.isConnected) return;
    const pending = this.list.data?.items.some((t) => t.syncState === 'pending');
    // The next one is scheduled when this reload is done (with what it found still pending or not).
    this.poll = setTimeout(
      () => (document.hidden ? this.schedulePoll() : this.reload()),
      pending ? (this.list.constructor as typeof TicketList).pendingRefreshMs : listPolling.idle,
    );
  }

  /** The connection, honestly (see renderSynced). */
  synced() {
    return renderSynced(this.list, this.status, this.since);
  }
}

async function reloadQuietly(list: LiveListHost): Promise<void> {
  const api = list.ticketsApi;
  // A load of the list's own under way: let it finish, it may predate the change.
  if (list.loader.status === TaskStatus.PENDING) await list.loader.taskComplete.catch(() => undefined);
  const before = list.data;
  if (!api || !before || list.loader.status !== TaskStatus.COMPLETE) {
    // Nothing shown yet, or an error shown: the list's own load (with its loading state) is right.
    await list.refresh();
    return;
  }
  const key = list.queryKey();
  const page = await api.list(list.query()).catch(() => null);
  // The reader moved on meanwhile (another page, filter or sort), or the answer failed: keep what is there.
  if (!page || key !== list.queryKey() || list.data !== before) return;
  if (page.items.length === 0 && page.total > 0) {
    // This page emptied (its last tickets went away): the list's own load moves to the last page.
    await list.refresh();
    return;
  }
  const summary = settle(list, before.items, page.items);
  list.data = page;
  list.now = Date.now();
  if (summary) list.announcement = summary;
}

/**
 * Notes which ticket has focus, and once the new rows are drawn marks the changed ones
 * (`data-changed`) and puts focus back on that ticket if its row moved. Answers what to say.
 */
function settle(list: LiveListHost, before: readonly Ticket[], after: readonly Ticket[]): string {
  const { changed, summary } = describeChanges(before, after);
  const results = list.shadowRoot?.querySelector<LiveListHost>('tp-ticket-table, tp-ticket-cards');
  const root = results?.shadowRoot;
  const focused = root?.activeElement?.closest<HTMLElement>('[data-ticket]')?.dataset.ticket;
  // Rows carry the HubSpot ID (the local id until there is one).
  const marks = new Set(after.filter((t) => changed.has(t.localId)).map((t) => t.id ?? t.localId));
  if (!results || !root || (marks.size === 0 && !focused)) return summary;
  void list.updateComplete
    .then(() => results.updateComplete)
    .then(() => {
      for (const row of root.querySelectorAll<HTMLElement>('[data-ticket]')) {
        // Rows are drawn in place: a mark left on a row now showing another ticket goes.
        row.removeAttribute('data-changed');
        if (!marks.has(row.dataset.ticket ?? '')) continue;
        // A fading highlight (the Web Animations API: no style in the first render's CSS); the
        // attribute lets a page style it too.
        row.setAttribute('data-changed', '');
        row.animate?.([{ background: 'var(--tp-color-info-surface, #eff6ff)' }, {}], MARK_MS);
        setTimeout(() => row.removeAttribute('data-changed'), MARK_MS);
      }
      if (!focused) return;
      const row = root.querySelector(`[data-ticket="${CSS.escape(focused)}"]`);
      if (row && !row.contains(root.activeElement)) row.querySelector<HTMLElement>('.open')?.focus();
    });
  return summary;
}

/**
 * The connection, honestly: "Live · Last synced 2 minutes ago", "Reconnecting… · Last synced …", or
 * "Offline · Last updated 10 minutes ago" (when the stream last delivered anything: what is on
 * screen is as of then). Polling says only when support last synced, as before.
 */
function renderSynced(list: LiveListHost, status: LiveStatus | undefined, since: number | null) {
  const offline = status === 'offline';
  const at = offline ? (since ? new Date(since).toISOString() : null) : list.data?.syncedAt;
  const label = offline
    ? msg('Offline')
    : status === 'live'
      ? msg('Live')
      : status === 'reconnecting'
        ? msg('Reconnecting…')
        : undefined;
  if (!at && !label) return nothing;
  const locale = list.effectiveLocale;
  const exact = at ? formatDateTime(at, locale) : '';
  const relative = at ? formatRelative(at, locale, list.now) : '';
  return html`<p class="synced" part="synced">
    ${label ? html`<span part="connection" data-state=${status}>${label}</span>` : nothing}
    ${
      at
        ? html`${label ? ' · ' : ''}${offline ? msg('Last updated') : msg('Last synced')}
            <time datetime=${at} title=${exact}><span aria-hidden="true">${relative}</span></time
            ><span class="visually-hidden">${relative} (${exact})</span>`
        : nothing
    }
  </p>`;
}
