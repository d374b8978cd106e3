import { msg, str } from '../internal/msg.js';
import { isActive, type DateFilter } from './date-range.js';
import { formatDay, formatNumber } from './format.js';
import type { ListState } from './list-state.js';

// The ticket list's sentences, in one place; column, filter and view names are the guide's. Getters:
// each is read in the interface language when it is shown (ADR 0012).

export const listMessages = {
  get heading() {
    return msg('Your tickets');
  },
  get search() {
    return msg('Search tickets');
  },
  get searchHint() {
    return msg('Ticket ID, subject, keywords or other ticket properties');
  },
  get status() {
    return msg('Status');
  },
  /** The Status filter beside All / Open / Closed (the guide's), for tickets waiting on the customer. */
  get awaiting() {
    return msg('Awaiting your reply');
  },
  /** The empty list's invitation for a customer without tickets (the guide's button name). */
  get submitRequest() {
    return msg('Submit a Request');
  },
  get created() {
    return msg('Created');
  },
  get activity() {
    return msg('Last Activity');
  },
  get from() {
    return msg('From');
  },
  get to() {
    return msg('To');
  },
  get reversedRange() {
    return msg('The From date is after the To date: showing the days between them.');
  },
  get view() {
    return msg('View');
  },
  get tableView() {
    return msg('Table View');
  },
  get cardView() {
    return msg('Card View');
  },
  get clearFilters() {
    return msg('Clear filters');
  },
  get exportCsv() {
    return msg('Export CSV');
  },
  get retry() {
    return msg('Retry');
  },
  get loading() {
    return msg('Loading tickets…');
  },
  get noTicketsYet() {
    return msg("You don't have any tickets yet.");
  },
  get loadFailed() {
    return msg('Your tickets could not be loaded.');
  },
  get exportFailed() {
    return msg('The export could not be completed.');
  },
  exporting: (loaded: number, total: number, locale: string): string =>
    msg(str`Exporting… ${formatNumber(loaded, locale)} of ${formatNumber(total, locale)}`),
  exported: (count: number, locale: string): string =>
    count === 1 ? msg('Exported 1 ticket.') : msg(str`Exported ${formatNumber(count, locale)} tickets.`),
  count: (n: number, locale: string): string =>
    n === 1 ? msg('1 ticket') : msg(str`${formatNumber(n, locale)} tickets`),
  page: (count: string, page: number, pages: number): string => msg(str`${count}, page ${page} of ${pages}`),
  get syncedLabel() {
    return msg('Last synced');
  },
};

function datePhrase(filter: DateFilter, locale: string): string {
  switch (filter.preset) {
    case 'any':
      return '';
    case 'today':
      return msg('today');
    case '7d':
      return msg('in the last 7 days');
    case '30d':
      return msg('in the last 30 days');
    case '90d':
      return msg('in the last 90 days');
    case 'year':
      return msg('this year');
    case 'custom': {
      const [from, to] = [filter.from, filter.to].sort();
      if (filter.from && filter.to) {
        return msg(str`between ${formatDay(from!, locale)} and ${formatDay(to!, locale)}`);
      }
      if (filter.from) return msg(str`on or after ${formatDay(filter.from, locale)}`);
      if (filter.to) return msg(str`on or before ${formatDay(filter.to, locale)}`);
      return '';
    }
  }
}

/**
 * Why the list is empty, in one sentence: "No closed tickets match “foo” created today." (Each part
 * is its own message, so that a language can word it its own way.)
 */
export function emptyMessage(state: ListState, locale: string): string {
  const q = state.q.trim();
  if (!q && state.status === 'all' && !isActive(state.created) && !isActive(state.activity)) {
    return listMessages.noTicketsYet;
  }
  let text = {
    all: msg('No tickets'),
    open: msg('No open tickets'),
    closed: msg('No closed tickets'),
    awaiting: msg('No tickets awaiting your reply'),
  }[state.status];
  if (q) text += msg(str` match “${q}”`);
  const created = datePhrase(state.created, locale);
  if (created) text += msg(str` created ${created}`);
  const activity = datePhrase(state.activity, locale);
  if (activity) {
    text += created ? msg(str` and with activity ${activity}`) : msg(str` with activity ${activity}`);
  }
  return `${text}.`;
}
