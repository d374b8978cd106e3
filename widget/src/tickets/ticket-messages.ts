import { isActive, type DateFilter } from './date-range.js';
import { formatDay, formatNumber } from './format.js';
import type { ListState } from './list-state.js';

// The ticket list's sentences, in one place; column, filter and view names are the guide's.

export const listMessages = {
  heading: 'Your tickets',
  search: 'Search tickets',
  searchHint: 'Ticket ID, subject, keywords or other ticket properties',
  status: 'Status',
  /** The "Mine / In copy / My company" filter (issue 15), shown when the customer's rule offers several. */
  involvement: 'Show',
  involvementAll: 'All',
  mine: 'Mine',
  inCopy: 'In copy',
  myCompany: 'My company',
  /** The Status filter beside All / Open / Closed (the guide's), for tickets waiting on the customer. */
  awaiting: 'Awaiting your reply',
  /** The empty list's invitation for a customer without tickets (the guide's button name). */
  submitRequest: 'Submit a Request',
  created: 'Created',
  activity: 'Last Activity',
  from: 'From',
  to: 'To',
  reversedRange: 'The From date is after the To date: showing the days between them.',
  view: 'View',
  tableView: 'Table View',
  cardView: 'Card View',
  sortBy: 'Sort by',
  order: 'Order',
  ascending: 'Ascending',
  descending: 'Descending',
  clearFilters: 'Clear filters',
  exportCsv: 'Export CSV',
  retry: 'Retry',
  loading: 'Loading tickets…',
  noTicketsYet: "You don't have any tickets yet.",
  loadFailed: 'Your tickets could not be loaded.',
  exportFailed: 'The export could not be completed.',
  exporting: (loaded: number, total: number, locale: string): string =>
    `Exporting… ${formatNumber(loaded, locale)} of ${formatNumber(total, locale)}`,
  exported: (count: number, locale: string): string =>
    `Exported ${formatNumber(count, locale)} ${count === 1 ? 'ticket' : 'tickets'}.`,
  count: (n: number, locale: string): string =>
    `${formatNumber(n, locale)} ${n === 1 ? 'ticket' : 'tickets'}`,
  syncedLabel: 'Last synced',
};

function datePhrase(filter: DateFilter, locale: string): string {
  switch (filter.preset) {
    case 'any':
      return '';
    case 'today':
      return 'today';
    case '7d':
      return 'in the last 7 days';
    case '30d':
      return 'in the last 30 days';
    case '90d':
      return 'in the last 90 days';
    case 'year':
      return 'this year';
    case 'custom': {
      const [from, to] = [filter.from, filter.to].sort();
      if (filter.from && filter.to) {
        return `between ${formatDay(from!, locale)} and ${formatDay(to!, locale)}`;
      }
      if (filter.from) return `on or after ${formatDay(filter.from, locale)}`;
      if (filter.to) return `on or before ${formatDay(filter.to, locale)}`;
      return '';
    }
  }
}

/** Why the list is empty, in one sentence: "No closed tickets match “foo” created today." */
export function emptyMessage(state: ListState, locale: string): string {
  const q = state.q.trim();
  if (!q && state.status === 'all' && !isActive(state.created) && !isActive(state.activity)) {
    return listMessages.noTicketsYet;
  }
  let text =
    state.status === 'awaiting'
      ? 'No tickets awaiting your reply'
      : `No ${state.status === 'all' ? '' : `${state.status} `}tickets`;
  if (q) text += ` match “${q}”`;
  const created = datePhrase(state.created, locale);
  if (created) text += ` created ${created}`;
  const activity = datePhrase(state.activity, locale);
  if (activity) text += `${created ? ' and' : ''} with activity ${activity}`;
  return `${text}.`;
}
