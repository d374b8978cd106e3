import { fixture, html, waitUntil } from './testing.js';
import { HttpTicketsApi } from '../src/tickets/tickets-api.js';
import type { TicketList } from '../src/components/ticket-list/ticket-list.js';
import '../src/components/ticket-list/ticket-list.js';
// In the build Card View arrives with the lazy chunk (the list asks for it); these tests are about the view.
import '../src/components/ticket-cards/ticket-cards.js';
import '../src/components/card-sort/card-sort.js';
import '../src/components/involvement-filter/involvement-filter.js';
import { FakeApi, makeTickets } from './fake-api.js';
import { $$, hasButton, textOf } from './shadow.js';

export { $, $$, button, hasButton, textOf } from './shadow.js';

/** The guide's seven columns, in its order and with its names. */
export const COLUMNS = [
  'Ticket ID',
  'Status',
  'Subject',
  'Created',
  'Ticket Owner',
  'Last Activity',
  'Requested By',
];

export interface ListFixture {
  list: TicketList;
  server: FakeApi;
  wrapper: HTMLElement;
}

/** Removes the list's `tp-*` parameters from the test page's address (the runner's own stay). */
export function resetAddress(search = ''): void {
  const params = new URLSearchParams(window.location.search);
  for (const key of [...params.keys()]) if (key.startsWith('tp-')) params.delete(key);
  for (const [key, value] of new URLSearchParams(search)) params.append(key, value);
  const query = params.toString();
  window.history.replaceState(null, '', `${window.location.pathname}${query ? `?${query}` : ''}`);
}

export interface MountListOptions {
  server?: FakeApi;
  width?: number;
  defaultView?: 'table' | 'card';
  pageSize?: number;
  locale?: string;
  /** Wait for the first answer (default true). */
  settle?: boolean;
}

export async function mountList(options: MountListOptions = {}): Promise<ListFixture> {
  const server = options.server ?? new FakeApi({ tickets: makeTickets(60) });
  const api = new HttpTicketsApi(server.client());
  const wrapper = await fixture<HTMLElement>(
    html`<div style="width: ${options.width ?? 960}px">
      <tp-ticket-list
        .api=${api}
        .defaultView=${options.defaultView}
        .pageSize=${options.pageSize}
        locale=${options.locale ?? 'en-GB'}
      ></tp-ticket-list>
    </div>`,
  );
  const list = wrapper.querySelector('tp-ticket-list')!;
  if (options.settle !== false) await settled(list);
  return { list, server, wrapper };
}

/** Waits until the list shows an answer: rows, cards, the empty state or the error state. */
export async function settled(list: TicketList): Promise<void> {
  await waitUntil(
    () => {
      const root = list.shadowRoot;
      if (!root) return false;
      if (root.querySelector('.problem, .empty')) return true;
      const results = root.querySelector('tp-ticket-table, tp-ticket-cards');
      if (!results?.shadowRoot) return false;
      return (
        results.shadowRoot.querySelector('[aria-busy="false"]') !== null &&
        results.shadowRoot.querySelector('[part~="skeleton"]') === null
      );
    },
    'the list did not settle',
    { timeout: 10_000 },
  );
  await list.updateComplete;
  await table(list)?.updateComplete;
  await cards(list)?.updateComplete;
}

export const table = (list: TicketList) => list.shadowRoot?.querySelector('tp-ticket-table') ?? null;
export const cards = (list: TicketList) => list.shadowRoot?.querySelector('tp-ticket-cards') ?? null;
export const pager = (list: TicketList) => list.shadowRoot?.querySelector('tp-ticket-pager') ?? null;
/** Search, filters, view switch, Sort by, Clear filters and Export CSV. */
export const toolbar = (list: TicketList) => list.shadowRoot!.querySelector('tp-ticket-toolbar')!;

/** Whether the list shows a button of this name anywhere: its toolbar or its own (empty state, Retry). */
export const listHasButton = (list: TicketList, name: string): boolean =>
  hasButton(list, name) || hasButton(toolbar(list), name);

/** Header texts of the table, in order. */
export const headers = (list: TicketList): string[] =>
  $$(table(list)!, 'thead th button span:first-child').map((s) => textOf(s));

/** Each row's cells as text (the visible text only, not the screen-reader extras). */
export function rows(list: TicketList): string[][] {
  return $$(table(list)!, 'tbody tr[part="row"]').map((tr) =>
    [...tr.querySelectorAll('td')].map((td) => {
      const clone = td.cloneNode(true) as HTMLElement;
      clone.querySelectorAll('.visually-hidden').forEach((n) => n.remove());
      return textOf(clone);
    }),
  );
}

/** The `datetime` of each row's time in a column (3 = Created, 5 = Last Activity). */
export const times = (list: TicketList, column: number): number[] =>
  $$(table(list)!, 'tbody tr[part="row"]').map((tr) =>
    Date.parse(tr.querySelectorAll('td')[column]!.querySelector('time')!.getAttribute('datetime')!),
  );

/** The control a <label> with this text points to. */
export function control<T extends HTMLElement>(host: Element, label: string): T {
  const found = $$<HTMLLabelElement>(host, 'label').find((l) => textOf(l) === label);
  if (!found) throw new Error(`<${host.localName}> has no label "${label}"`);
  const target = (
    found.htmlFor ? host.shadowRoot!.getElementById(found.htmlFor) : found.querySelector('input')
  ) as T;
  if (!target) throw new Error(`label "${label}" points to nothing`);
  return target;
}

export function choose(select: HTMLSelectElement, value: string): void {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
}

export function type(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}

export function setDate(input: HTMLInputElement, value: string): void {
  input.value = value;
  input.dispatchEvent(new Event('change', { bubbles: true }));
}

/** The deepest focused element, through shadow roots. */
export function deepActiveElement(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

export const tpParams = (): Record<string, string> =>
  Object.fromEntries([...new URLSearchParams(window.location.search)].filter(([k]) => k.startsWith('tp-')));

/** Resolves on the next request the fake server receives after `action`. */
export async function nextRequest(server: FakeApi, action: () => void): Promise<URLSearchParams> {
  const before = server.listQueries.length;
  action();
  await waitUntil(() => server.listQueries.length > before, 'no request was made', { timeout: 10_000 });
  return server.listQueries[server.listQueries.length - 1]!;
}

/** true when each value is <= the next (asc) or >= (desc). */
export function ordered<T>(values: T[], order: 'asc' | 'desc', compare: (a: T, b: T) => number): boolean {
  return values.every(
    (v, i) =>
      i === 0 || (order === 'asc' ? compare(values[i - 1]!, v) <= 0 : compare(values[i - 1]!, v) >= 0),
  );
}
export const byText = (a: string, b: string): number => a.localeCompare(b, 'en', { sensitivity: 'base' });
