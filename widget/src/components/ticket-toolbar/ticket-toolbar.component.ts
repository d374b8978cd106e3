import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { Involvement, TicketCounts } from '../../api/api-types.js';
import type { HistoryMode } from '../../controllers/list-state.controller.js';
import { StateRequestEvent } from '../../events/ticket-events.js';
import { prefetchView } from '../../internal/lazy-views.js';
import { PortalElement } from '../../internal/portal-element.js';
import commonStyles, { buttonStyles } from '../../styles/ticket-common.styles.js';
import { DATE_PRESETS, presetLabel, type DateFilter } from '../../tickets/date-range.js';
import {
  MAX_QUERY_LENGTH,
  defaultState,
  hasFilters,
  type ListState,
  type ListView,
} from '../../tickets/list-state.js';
import { listMessages as t } from '../../tickets/ticket-messages.js';
import styles from './ticket-toolbar.styles.js';
import { msg } from '../../internal/msg.js';

/** Every part of the toolbar; <tp-ticket-list> re-exports them (they open its TICKET_LIST_PARTS). */
export const TOOLBAR_PARTS = [
  'toolbar',
  'search',
  'search-input',
  'filter',
  'status-filter',
  'involvement-filter',
  'created-filter',
  'activity-filter',
  'view-switch',
  'sort',
  'clear-filters',
  'export',
  'button',
];

export const SEARCH_DEBOUNCE_MS = 250;

type DateKey = 'created' | 'activity';

/**
 * The ticket list's toolbar: search, the Status / Show (Mine, In copy, My company: when the customer's
 * visibility rule offers several) / Created / Last Activity filters, Table View / Card
 * View, Sort by (Card View), Clear filters and Export CSV. It holds no list state of its own: it
 * shows `state` and asks <tp-ticket-list> for changes with internal events. Only the search box's
 * text is its own, because it runs ahead of the state while the customer types.
 *
 * @fires state-request - internal: change search, filters, view or sort (`patch`, `mode`)
 * @fires clear-filters - internal: Clear filters was chosen
 * @fires export-request - internal: Export CSV was chosen
 * @csspart toolbar - search, filters, view switch and actions
 * @csspart search - the search form
 * @csspart search-input - the search box
 * @csspart filter - each filter (Status, Created, Last Activity)
 * @csspart status-filter - the Status filter
 * @csspart involvement-filter - the Show filter: All, Mine, In copy, My company
 * @csspart created-filter - the Created filter
 * @csspart activity-filter - the Last Activity filter
 * @csspart view-switch - Table View / Card View
 * @csspart sort - Sort by and order (Card View)
 * @csspart clear-filters - the Clear filters button
 * @csspart export - the Export CSV button
 * @csspart button - Clear filters and Export CSV
 */
export class TicketToolbar extends PortalElement {
  static override styles = [commonStyles, buttonStyles, styles];

  /** The list's state: what the controls show. */
  @property({ attribute: false }) state: ListState = defaultState();

  /** Open, closed and awaiting tickets for the Status filter's counts; none before the first answer. */
  @property({ attribute: false }) counts?: TicketCounts | undefined;

  /** What the customer's visibility rule offers (GET me `involvements`); the filter needs two or more. */
  @property({ attribute: false }) involvements: readonly Involvement[] = [];

  /** The list is too narrow for the table: Card View only, no view switch. */
  @property({ type: Boolean }) narrow = false;

  @property() locale = 'en';

  /** Progress of a running CSV export (the button says it and refuses a second one). */
  @property({ attribute: false }) exporting: { loaded: number; total: number } | null = null;

  @state() private searchText = '';
  private searchTimer: ReturnType<typeof setTimeout> | undefined;

  /** Sets the search box (Back / Forward, Clear filters), dropping a search still waiting for a pause. */
  resetSearch(q: string): void {
    clearTimeout(this.searchTimer);
    this.searchText = q;
  }

  focusSearch(): void {
    this.renderRoot.querySelector<HTMLInputElement>('#search')?.focus();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.searchTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (!this.hasUpdated) this.searchText = this.state.q;
  }

  private change(patch: Partial<ListState>, mode?: HistoryMode): void {
    this.dispatchEvent(new StateRequestEvent(patch, mode));
  }

  private readonly onSearchInput = (event: Event): void => {
    this.searchText = (event.target as HTMLInputElement).value;
    clearTimeout(this.searchTimer);
    this.searchTimer = setTimeout(() => this.commitSearch('replace'), SEARCH_DEBOUNCE_MS);
  };

  private readonly onSearchSubmit = (event: Event): void => {
    event.preventDefault();
    const input = (event.currentTarget as HTMLFormElement).querySelector('input');
    if (input) this.searchText = input.value;
    clearTimeout(this.searchTimer);
    this.commitSearch('push');
  };

  private commitSearch(mode: HistoryMode): void {
    const q = this.searchText.trim().slice(0, MAX_QUERY_LENGTH);
    if (q === this.state.q) return;
    this.change({ q, page: 1 }, mode);
  }

  private setDateFilter(key: DateKey, patch: Partial<DateFilter>): void {
    const next: DateFilter = { ...this.state[key], ...patch };
    if (next.preset !== 'custom') {
      next.from = '';
      next.to = '';
    }
    this.change({ [key]: next, page: 1 });
  }

  override render() {
    const s = this.state;
    return html`<div class="toolbar" part="toolbar">
      <form class="search" role="search" part="search" @submit=${this.onSearchSubmit}>
        <label for="search">${t.search}</label>
        <input
          id="search"
          type="search"
          part="search-input"
          autocomplete="off"
          spellcheck="false"
          maxlength=${MAX_QUERY_LENGTH}
          placeholder=${t.searchHint}
          aria-describedby="search-hint"
          .value=${this.searchText}
          @input=${this.onSearchInput}
        />
        <span id="search-hint" class="visually-hidden">${t.searchHint}</span>
      </form>
      <div class="filters ${this.involvements.length > 1 ? 'filters--three' : ''}">
        ${this.renderStatusFilter(s)} ${this.renderInvolvementFilter(s)}
        ${this.renderDateFilter('created', t.created, s.created)}
        ${this.renderDateFilter('activity', t.activity, s.activity)}
      </div>
      <div class="actions">
        ${this.narrow ? nothing : this.renderViewSwitch(s.view)}
        ${
          this.narrow || s.view === 'card'
            ? html`<tp-card-sort
                  class="sort"
                  part="sort"
                  .sort=${s.sort}
                  .order=${s.order}
                  @change=${this.onLazySelect}
                ></tp-card-sort
                >${this.loadLazy()}`
            : nothing
        }
        ${
          hasFilters(s)
            ? html`<button
                type="button"
                class="secondary clear"
                part="button clear-filters"
                @click=${() => this.dispatchEvent(new Event('clear-filters'))}
              >
                ${t.clearFilters}
              </button>`
            : nothing
        }
        <button
          type="button"
          class="secondary"
          part="button export"
          aria-disabled=${this.exporting ? 'true' : 'false'}
          @click=${() => this.dispatchEvent(new Event('export-request'))}
        >
          ${this.exporting ? t.exporting(this.exporting.loaded, this.exporting.total, this.locale) : t.exportCsv}
        </button>
      </div>
    </div>`;
  }

  private renderStatusFilter(s: ListState) {
    const counts = this.counts;
    const options: { value: ListState['status']; label: string; count: number | undefined }[] = [
      { value: 'all', label: msg('All'), count: counts ? counts.open + counts.closed : undefined },
      { value: 'open', label: msg('Open'), count: counts?.open },
      { value: 'closed', label: msg('Closed'), count: counts?.closed },
      { value: 'awaiting', label: t.awaiting, count: counts?.awaiting },
    ];
    return html`<fieldset class="status" part="filter status-filter">
      <legend>${t.status}</legend>
      <div class="segmented">
        ${options.map(
          (o) =>
            html`<label class="segment">
              <input
                type="radio"
                name="status"
                value=${o.value}
                .checked=${s.status === o.value}
                @change=${() => this.change({ status: o.value, page: 1 })}
              />
              <span>${o.label}</span>
              ${
                o.count === undefined
                  ? nothing
                  : html`<span class="count" data-count=${o.count}
                      >${new Intl.NumberFormat(this.locale).format(o.count)}</span
                    >`
              }
            </label>`,
        )}
      </div>
    </fieldset>`;
  }

  /**
   * Show (Mine / In copy / My company), when GET me says the rule offers two or more:
   * <tp-involvement-filter>, whose code is in the lazy chunk (ADR 0017), asked for when it is first
   * shown. A list like the date filters', so a narrow portal keeps the three side by side.
   */
  private renderInvolvementFilter(s: ListState) {
    return this.involvements.length > 1
      ? html`<tp-involvement-filter
            class="date-filter"
            part="filter involvement-filter"
            .involvements=${this.involvements}
            .value=${s.involvement}
            @change=${this.onLazySelect}
          ></tp-involvement-filter
          >${this.loadLazy()}`
      : nothing;
  }

  /** A list of <tp-card-sort> or <tp-involvement-filter>: its id names the state's key. */
  private readonly onLazySelect = (event: Event): void => {
    const select = event.target as HTMLSelectElement;
    this.change({ [select.id]: select.value, page: 1 });
  };

  /** The lazy controls' code (ADR 0017): they upgrade in place when it arrives. */
  private loadLazy() {
    prefetchView('ticket');
    return nothing;
  }

  private renderDateFilter(key: DateKey, label: string, filter: DateFilter) {
    return html`<div class="date-filter" part="filter ${key}-filter">
      <label for="${key}-preset">${label}</label>
      <select
        id="${key}-preset"
        @change=${(e: Event) =>
          this.setDateFilter(key, { preset: (e.target as HTMLSelectElement).value as DateFilter['preset'] })}
      >
        ${DATE_PRESETS.map(
          (preset) =>
            html`<option value=${preset} ?selected=${filter.preset === preset}>
              ${presetLabel(preset)}
            </option>`,
        )}
      </select>
      ${
        filter.preset === 'custom'
          ? html`<div class="range">
              <label for="${key}-from"><span class="visually-hidden">${label} </span>${t.from}</label>
              <input
                id="${key}-from"
                type="date"
                .value=${filter.from}
                max=${filter.to || nothing}
                @change=${(e: Event) => this.setDateFilter(key, { from: (e.target as HTMLInputElement).value })}
              />
              <label for="${key}-to"><span class="visually-hidden">${label} </span>${t.to}</label>
              <input
                id="${key}-to"
                type="date"
                .value=${filter.to}
                min=${filter.from || nothing}
                @change=${(e: Event) => this.setDateFilter(key, { to: (e.target as HTMLInputElement).value })}
              />
              <p class="range-note" role="status">
                ${filter.from && filter.to && filter.from > filter.to ? t.reversedRange : nothing}
              </p>
            </div>`
          : nothing
      }
    </div>`;
  }

  private renderViewSwitch(view: ListView) {
    const option = (value: ListView, label: string) =>
      html`<label class="segment">
        <input
          type="radio"
          name="view"
          value=${value}
          .checked=${view === value}
          @change=${() => this.change({ view: value })}
        />
        <span>${label}</span>
      </label>`;
    return html`<fieldset class="view-switch" part="view-switch">
      <legend class="visually-hidden">${t.view}</legend>
      <div class="segmented">${option('table', t.tableView)} ${option('card', t.cardView)}</div>
    </fieldset>`;
  }
}
