import { consume } from '@lit/context';
import { Task, TaskStatus, initialState } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApiClient } from '../../api/api-client.js';
import { ApiError, NetworkError, errorText, isAbortError } from '../../api/api-error.js';
import type { Involvement, TicketPage, TicketQuery } from '../../api/api-types.js';
import { apiClientContext, portalConfigContext, sessionStoreContext } from '../../context/contexts.js';
import type { SessionStore } from '../../session/session-store.js';
import type { PortalConfig } from '../../context/portal-config.js';
import { CsvExportController } from '../../controllers/csv-export.controller.js';
import { ListStateController, type HistoryMode } from '../../controllers/list-state.controller.js';
import { emit } from '../../events/portal-events.js';
import type { PageRequestEvent, SortRequestEvent, StateRequestEvent } from '../../events/ticket-events.js';
import { loadView, prefetchView, viewReady } from '../../internal/lazy-views.js';
import { NavigateEvent } from '../../internal/navigation.js';
import { pageAddress } from '../../internal/page-address.js';
import { PortalElement } from '../../internal/portal-element.js';
import type { LiveModule } from '../../live/live-events.js';
import type { LiveListController } from '../../live/live-list.js';
import commonStyles, { buttonStyles } from '../../styles/ticket-common.styles.js';
import { ANY_TIME, toInstants } from '../../tickets/date-range.js';
import { formatDateTime, formatRelative, resolveLocale } from '../../tickets/format.js';
import { encodeState, hasFilters, type ListState, type ListView } from '../../tickets/list-state.js';
import { emptyMessage, listMessages as t } from '../../tickets/ticket-messages.js';
import { HttpTicketsApi, type TicketsApi } from '../../tickets/tickets-api.js';
// Card View arrives with the lazy chunk (ADR 0008, ADR 0012): the first render is the table.
import type { TicketCards } from '../ticket-cards/ticket-cards.component.js';
import '../ticket-pager/ticket-pager.js';
import type { TicketTable } from '../ticket-table/ticket-table.component.js';
import '../ticket-table/ticket-table.js';
import { TOOLBAR_PARTS, type TicketToolbar } from '../ticket-toolbar/ticket-toolbar.component.js';
import '../ticket-toolbar/ticket-toolbar.js';
import styles from './ticket-list.styles.js';

/**
 * Every part the list exposes, its inner elements' included. <ticket-portal> puts this in the
 * `exportparts` of its <tp-ticket-list> so a page can style `ticket-portal::part(row)`.
 */
export const TICKET_LIST_PARTS = [
  ...TOOLBAR_PARTS,
  'retry',
  'synced',
  'alert',
  'empty',
  'new-request',
  'error',
  'table',
  'caption',
  'row',
  'ticket-link',
  'status-badge',
  'heading',
  'cards',
  'card',
  'skeleton',
  'pager',
].join(', ');

/** Below this host width the table turns into cards (a phone, or a narrow column of the page). */
export const NARROW_WIDTH = 640;
export const DEFAULT_PAGE_SIZE = 25;
export const MAX_PAGE_SIZE = 100;
const CLOCK_MS = 30_000;

// One HttpTicketsApi per ApiClient, so the loader's arguments stay equal between renders.
const apis = new WeakMap<ApiClient, TicketsApi>();
const apiFor = (client: ApiClient): TicketsApi => {
  let api = apis.get(client);
  if (!api) {
    api = new HttpTicketsApi(client);
    apis.set(client, api);
  }
  return api;
};

// The last page shown per data source: coming back from a ticket shows it at once, then refreshes.
const lastPages = new WeakMap<TicketsApi, { key: string; page: TicketPage }>();

/**
 * The customer's ticket list: loads the page its state names (search, filters, sort, page, all kept
 * in the page address), shows it as a table or as cards with paging, and keeps it fresh: live
 * changes update it in place (src/live/live-list.ts, which arrives with the lazy chunk after the
 * first render); until then it asks every 30 s. Search, filters and the view switch are
 * <tp-ticket-toolbar>'s; Export CSV runs in CsvExportController.
 *
 * @fires tp-ticket-open - a ticket was chosen; `detail.ticket` (bubbles, composed)
 * @fires tp-error - the list could not be loaded because of the network or a server fault (bubbles, composed)
 * @csspart toolbar - search, filters, view switch and actions
 * @csspart search - the search form
 * @csspart search-input - the search box
 * @csspart filter - each filter (Status, Created, Last Activity)
 * @csspart status-filter - the Status filter
 * @csspart created-filter - the Created filter
 * @csspart activity-filter - the Last Activity filter
 * @csspart view-switch - Table View / Card View
 * @csspart sort - Sort by and order (Card View)
 * @csspart clear-filters - the Clear filters buttons
 * @csspart export - the Export CSV button
 * @csspart button - every button of the list (Clear filters, Export CSV, Retry, Submit a Request)
 * @csspart retry - the Retry button
 * @csspart synced - "Live · Last synced … ago", "Reconnecting… · Last synced … ago" or "Offline · Last updated … ago"
 * @csspart alert - an export problem
 * @csspart empty - the empty state
 * @csspart new-request - "Submit a Request" in the empty list of a customer without tickets (also `button`)
 * @csspart error - the error state
 * @csspart table - the table (Table View)
 * @csspart caption - the table's caption
 * @csspart row - a ticket's row
 * @csspart ticket-link - the subject button that opens a ticket
 * @csspart status-badge - a ticket's status
 * @csspart heading - the label above the cards (Card View)
 * @csspart cards - the list of cards
 * @csspart card - a ticket's card
 * @csspart skeleton - a placeholder row or card while loading
 * @csspart pager - paging: "1–25 of 312", Previous, page numbers, Next
 */
export class TicketList extends PortalElement {
  static override styles = [commonStyles, buttonStyles, styles];

  /** While a request the customer submitted is still on its way to HubSpot, ask again this soon (ms). */
  static pendingRefreshMs = 4000;

  /** The data source; defaults to GET /api/v1/tickets through the portal's ApiClient (context). */
  @property({ attribute: false }) api?: TicketsApi;

  /** View when the address names none; else <ticket-portal view="…">; else table. */
  @property({ attribute: 'default-view' }) defaultView?: ListView;

  /** Tickets per page; else <ticket-portal page-size="…">; else 25 (at most 100). */
  @property({ type: Number, attribute: 'page-size' }) pageSize?: number;

  /** aria-level of the card titles in Card View (4 under the portal's "Your tickets" h3). */
  @property({ type: Number, attribute: 'heading-level' }) headingLevel = 4;

  /** BCP 47 tag for dates and numbers; else the portal's `locale`; else the browser's language. */
  @property() locale = '';

  // Internal rather than private where the live code in the lazy chunk uses them (LiveListHost).
  /** @internal */
  @consume({ context: apiClientContext, subscribe: true })
  @state()
  client?: ApiClient;

  @consume({ context: portalConfigContext, subscribe: true })
  @state()
  private config?: PortalConfig;

  @state() private narrow = false;
  /** @internal */
  @state() data: TicketPage | null = null;
  /** @internal */
  @state() announcement = '';
  /** @internal */
  @state() now = Date.now();
  /** @internal Live updates, once the lazy chunk is there. */
  live: LiveListController | undefined;

  private readonly listState = new ListStateController(
    this,
    (restored) => this.toolbar?.resetSearch(restored.q),
    () => this.config?.address ?? pageAddress,
  );
  private readonly csvExport = new CsvExportController(this, (count) => {
    this.announcement = t.exported(count, this.effectiveLocale);
  });
  private clock: ReturnType<typeof setInterval> | undefined;
  /** @internal */
  pendingTimer: ReturnType<typeof setTimeout> | undefined;
  private resizeObserver: ResizeObserver | undefined;
  private focusResultsAfterLoad = false;

  @consume({ context: sessionStoreContext })
  private sessions?: SessionStore;

  /**
   * What the customer's visibility rule offers the Show filter (GET me `involvements`, kept with the
   * session: a restored session's GET me said it; after a sign-in the list asks once).
   */
  private get involvements(): readonly Involvement[] {
    return this.sessions?.current?.customer.involvements ?? [];
  }

  /** @internal */
  readonly loader = new Task(this, {
    args: () => [this.ticketsApi, this.queryKey()] as const,
    task: async ([api], { signal }) => {
      if (!api) return initialState;
      return api.list(this.query(), signal);
    },
    onComplete: (page) => void this.onLoaded(page),
    onError: (error) => this.onFailed(error),
  });

  /** The list's current state (what the address holds). */
  get state(): ListState {
    return this.listState.state;
  }

  /** Loads the current page again (e.g. after a ticket was submitted or changed). */
  refresh(): Promise<void> {
    return this.loader.run();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // Connected again (moved in the page): the search box starts over from the address too.
    this.toolbar?.resetSearch(this.listState.state.q);
    if (this.sessions?.current && !this.involvements.length) {
      this.client?.me().then(
        (me) => {
          this.sessions?.updateCustomer(me);
          this.requestUpdate();
        },
        () => undefined,
      );
    }
    const api = this.ticketsApi;
    const last = api && lastPages.get(api);
    if (last && !this.data && last.key === this.queryKey()) this.data = last.page;
    // Each tick redraws relative times; until the live code is there it also reloads the page shown
    // (rows stay on screen), so support's changes reach an open list anyway; not while hidden.
    this.clock = setInterval(() => {
      this.now = Date.now();
      if (!document.hidden && this.loader.status === TaskStatus.COMPLETE && !this.live) void this.refresh();
    }, CLOCK_MS);
    if (typeof ResizeObserver === 'function') {
      this.resizeObserver = new ResizeObserver((entries) => {
        const width = entries[entries.length - 1]?.contentRect.width ?? 0;
        // A hidden host measures 0: keep the last layout rather than flip to cards.
        if (width <= 0 || width < NARROW_WIDTH === this.narrow) return;
        // Next frame: re-laying out inside the observer's callback would loop it.
        requestAnimationFrame(() => (this.narrow = width < NARROW_WIDTH));
      });
      this.resizeObserver.observe(this);
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.clock);
    clearTimeout(this.pendingTimer);
    this.resizeObserver?.disconnect();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    this.listState.setDefaultView(this.defaultView ?? this.config?.view ?? 'table');
  }

  // ---- derived values

  /** @internal */
  get ticketsApi(): TicketsApi | undefined {
    return this.api ?? (this.client ? apiFor(this.client) : undefined);
  }

  /** @internal */
  get effectiveLocale(): string {
    return resolveLocale(this.locale || this.config?.locale);
  }

  private get effectivePageSize(): number {
    const size = Math.trunc(this.pageSize ?? this.config?.pageSize ?? DEFAULT_PAGE_SIZE);
    return Number.isFinite(size) && size >= 1 ? Math.min(size, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  }

  private get toolbar(): TicketToolbar | null {
    return this.renderRoot?.querySelector('tp-ticket-toolbar') ?? null;
  }

  /** @internal */
  queryKey(): string {
    const { view: _view, ...rest } = this.listState.state;
    return `${encodeState({ ...rest, view: 'table' }).toString()}|${this.effectivePageSize}`;
  }

  /** Search, filters and sort as API parameters (no paging): the list and the export share it. */
  private baseQuery(): TicketQuery {
    const s = this.listState.state;
    const created = toInstants(s.created);
    const activity = toInstants(s.activity);
    // A filter kept in the address that the customer's rule does not offer (any more) is ignored.
    const involvement =
      s.involvement !== 'all' && this.involvements.includes(s.involvement) ? s.involvement : undefined;
    return {
      q: s.q || undefined,
      status: s.status,
      involvement,
      createdFrom: created.from,
      createdTo: created.to,
      activityFrom: activity.from,
      activityTo: activity.to,
      sort: s.sort,
      order: s.order,
    };
  }

  /** @internal */
  query(): TicketQuery {
    return { ...this.baseQuery(), limit: this.effectivePageSize, page: this.listState.state.page };
  }

  // ---- state changes

  private change(patch: Partial<ListState>, mode: HistoryMode = 'push'): void {
    this.csvExport.problem = '';
    this.listState.set(patch, mode);
  }

  private readonly onStateRequest = (event: StateRequestEvent): void => {
    this.change(event.patch, event.mode);
  };

  /** The empty list's "Submit a Request": the same request form as the shell's button. */
  private readonly newRequest = (): void => {
    this.dispatchEvent(new NavigateEvent({ screen: 'shell', view: { kind: 'new' }, history: 'push' }));
  };

  private readonly prefetchForm = (): void => prefetchView('new');

  private readonly clearFilters = async (): Promise<void> => {
    this.toolbar?.resetSearch('');
    this.change({ q: '', status: 'all', involvement: 'all', created: ANY_TIME, activity: ANY_TIME, page: 1 });
    await this.updateComplete;
    await this.toolbar?.updateComplete;
    // The button that had focus is gone: continue from the search box.
    this.toolbar?.focusSearch();
  };

  private readonly onSort = (event: SortRequestEvent): void => {
    this.change({ sort: event.sort, order: event.order, page: 1 });
  };

  private readonly onPage = (event: PageRequestEvent): void => {
    this.focusResultsAfterLoad = true;
    this.change({ page: event.page });
  };

  private readonly exportCsv = (): void => {
    const api = this.ticketsApi;
    if (api) void this.csvExport.run(api, this.baseQuery(), this.data?.total ?? 0);
  };

  // ---- loading

  private async onLoaded(page: TicketPage): Promise<void> {
    const s = this.listState.state;
    const pages = Math.max(1, Math.ceil(page.total / this.effectivePageSize));
    if (page.items.length === 0 && page.total > 0 && s.page > pages) {
      // A stale link or fewer tickets than before: show the last page that exists.
      this.listState.set({ page: pages }, 'replace');
      return;
    }
    this.data = page;
    // Live updates (and their polling fallback) arrive with the lazy chunk, once the list is drawn.
    if (!this.live) {
      loadView('ticket').then(
        (lib) => (lib as LiveModule).attachList(this),
        () => undefined,
      );
    }
    clearTimeout(this.pendingTimer);
    if (page.items.some((i) => i.syncState === 'pending') && !this.live) {
      this.pendingTimer = setTimeout(() => void this.refresh(), TicketList.pendingRefreshMs);
    }
    const api = this.ticketsApi;
    if (api) lastPages.set(api, { key: this.queryKey(), page });
    this.now = Date.now();
    const count = t.count(page.total, this.effectiveLocale);
    this.announcement = pages > 1 ? t.page(count, s.page, pages) : count;
    if (this.focusResultsAfterLoad) {
      this.focusResultsAfterLoad = false;
      await this.updateComplete;
      this.results?.focusStart();
    }
  }

  private onFailed(error: unknown): void {
    if (isAbortError(error)) return;
    this.focusResultsAfterLoad = false;
    this.announcement = '';
    if (!(error instanceof ApiError) || error.status >= 500) {
      emit(this, 'tp-error', {
        code: error instanceof ApiError || error instanceof NetworkError ? error.code : 'UNEXPECTED',
        message: errorText(error),
        status: error instanceof ApiError ? error.status : null,
      });
    }
  }

  private get results(): TicketTable | TicketCards | null {
    return this.renderRoot.querySelector<TicketTable | TicketCards>('tp-ticket-table, tp-ticket-cards');
  }

  // ---- rendering

  override render() {
    const problem = this.csvExport.problem;
    return html`<tp-ticket-toolbar
        exportparts=${TOOLBAR_PARTS.join(', ')}
        .state=${this.listState.state}
        .counts=${this.data?.counts}
        .involvements=${this.involvements}
        .narrow=${this.narrow}
        .locale=${this.effectiveLocale}
        .exporting=${this.csvExport.progress}
        @state-request=${this.onStateRequest}
        @clear-filters=${this.clearFilters}
        @export-request=${this.exportCsv}
      ></tp-ticket-toolbar>
      ${this.renderSynced()}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
        ${this.announcement}
      </div>
      <div class="export-problem" role="alert">
        ${problem ? html`<p class="notice" part="alert">${problem}</p>` : nothing}
      </div>
      <div class="results">${this.renderResults()}</div>`;
  }

  private renderSynced() {
    // With live updates: the connection too (live, reconnecting, offline since when).
    if (this.live) return this.live.synced();
    const syncedAt = this.data?.syncedAt;
    if (!syncedAt) return nothing;
    const locale = this.effectiveLocale;
    const exact = formatDateTime(syncedAt, locale);
    const relative = formatRelative(syncedAt, locale, this.now);
    return html`<p class="synced" part="synced">
      ${t.syncedLabel}
      <time datetime=${syncedAt} title=${exact}><span aria-hidden="true">${relative}</span></time
      ><span class="visually-hidden">${relative} (${exact})</span>
    </p>`;
  }

  /** Card View's code, on first use (the element draws itself once it is defined). */
  private loadCards() {
    loadView('ticket').then(
      () => this.requestUpdate(),
      () => undefined,
    );
    return nothing;
  }

  private renderResults() {
    const status = this.loader.status;
    if (status === TaskStatus.ERROR) {
      return html`<div class="problem" part="error" role="alert">
        <p><strong>${t.loadFailed}</strong> ${errorText(this.loader.error)}</p>
        <button type="button" part="button retry" @click=${() => void this.refresh()}>${t.retry}</button>
      </div>`;
    }
    const loading = status === TaskStatus.PENDING || status === TaskStatus.INITIAL;
    const data = this.data;
    const s = this.listState.state;
    const locale = this.effectiveLocale;
    if (data && !loading && data.items.length === 0) {
      return html`<div class="empty" part="empty">
        <p>${emptyMessage(s, locale)}</p>
        ${
          hasFilters(s)
            ? html`<button type="button" part="button clear-filters" @click=${this.clearFilters}>
                ${t.clearFilters}
              </button>`
            : html`<button
                type="button"
                part="button new-request"
                @click=${this.newRequest}
                @pointerenter=${this.prefetchForm}
                @focus=${this.prefetchForm}
              >
                ${t.submitRequest}
              </button>`
        }
      </div>`;
    }
    const tickets = data?.items ?? [];
    // Skeletons on the first load, and when there were no rows to keep on screen meanwhile.
    const first = !data || (loading && tickets.length === 0);
    const view =
      !this.narrow && s.view === 'table'
        ? html`<tp-ticket-table
            exportparts="table, caption, row, ticket-link, status-badge, skeleton"
            .tickets=${tickets}
            .sort=${s.sort}
            .order=${s.order}
            .locale=${locale}
            .now=${this.now}
            caption=${t.heading}
            ?loading=${first}
            ?busy=${loading}
            @sort-request=${this.onSort}
          ></tp-ticket-table>`
        : html`${viewReady('ticket') ? nothing : this.loadCards()}<tp-ticket-cards
              exportparts="heading, cards, card, ticket-link, status-badge, skeleton"
              .tickets=${tickets}
              .locale=${locale}
              .now=${this.now}
              heading=${t.heading}
              .headingLevel=${this.headingLevel}
              ?loading=${first}
              ?busy=${loading}
            ></tp-ticket-cards>`;
    return html`${loading ? html`<p class="visually-hidden">${t.loading}</p>` : nothing} ${view}
    ${
      data
        ? html`<tp-ticket-pager
            exportparts="pager"
            .page=${s.page}
            .pageSize=${this.effectivePageSize}
            .total=${data.total}
            .locale=${locale}
            @page-request=${this.onPage}
          ></tp-ticket-pager>`
        : nothing
    }`;
  }
}
