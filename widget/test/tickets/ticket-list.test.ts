import { aTimeout, assert, expect, oneEvent, waitUntil } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import { localDay } from '../../src/tickets/date-range.js';
import type { TpTicketOpenEvent } from '../../src/tickets/ticket-list.js';
import { FakeTicketsServer, makeTickets } from './fake-tickets-server.js';
import {
  $,
  $$,
  button,
  cards,
  choose,
  control,
  deepActiveElement,
  hasButton,
  headers,
  mountList,
  nextRequest,
  pager,
  resetAddress,
  rows,
  setDate,
  settled,
  table,
  textOf,
  times,
  tpParams,
  type,
} from './list-helpers.js';

const COLUMNS = [
  'Ticket ID',
  'Status',
  'Subject',
  'Created',
  'Ticket Owner',
  'Last Activity',
  'Requested By',
];
const FIELDS = ['id', 'status', 'subject', 'created', 'owner', 'lastActivity', 'requestedBy'];

/** true when each value is <= the next (asc) or >= (desc). */
function ordered<T>(values: T[], order: 'asc' | 'desc', compare: (a: T, b: T) => number): boolean {
  return values.every(
    (v, i) =>
      i === 0 || (order === 'asc' ? compare(values[i - 1]!, v) <= 0 : compare(values[i - 1]!, v) >= 0),
  );
}
const byText = (a: string, b: string): number => a.localeCompare(b, 'en', { sensitivity: 'base' });

describe('TicketList', () => {
  beforeEach(() => resetAddress());
  after(() => resetAddress());

  describe('table view', () => {
    it("should show the guide's seven columns in order, in a captioned table, by default", async () => {
      const { list, server } = await mountList();
      assert.deepEqual(headers(list), COLUMNS);
      assert.deepEqual(textOf($(table(list)!, 'caption')), 'Your tickets');
      assert.lengthOf(rows(list), 25);
      assert.deepEqual(server.last.get('limit'), '25');
      assert.deepEqual(server.last.get('page'), '1');
      // Newest activity first until the customer picks another sort.
      assert.isTrue(ordered(times(list, 5), 'desc', (a, b) => a - b));
      assert.deepEqual($(table(list)!, 'th[aria-sort]').dataset.field, 'lastActivity');
      assert.isNull(cards(list));
      await expect(list).to.be.accessible();
    });

    it('should show every piece of a ticket in its row', async () => {
      const [first] = makeTickets(1);
      const server = new FakeTicketsServer([
        { ...first!, owner: null, requestedBy: { name: null, email: 'only-email@example.com' } },
        { ...first!, id: null, localId: 'new-1', syncState: 'pending', subject: 'Just sent' },
      ]);
      const { list } = await mountList({ server });
      const [row, pending] = rows(list);
      assert.deepEqual(row![0], first!.id);
      assert.deepEqual(row![1], first!.status.label);
      assert.deepEqual(row![2], first!.subject);
      assert.deepEqual(row![4], 'Unassigned');
      assert.deepEqual(row![6], 'only-email@example.com');
      assert.deepEqual(pending![0], 'Sending…');
      const created = $(table(list)!, 'tbody tr td:nth-child(4) time');
      assert.deepEqual(created.getAttribute('datetime'), first!.createdAt);
      assert.include(created.title, new Date(first!.createdAt).getFullYear().toString());
      // Recent activity reads relative, with the exact time for hover and for screen readers.
      const activity = $(table(list)!, 'tbody tr td:nth-child(6)');
      assert.match(textOf(activity.querySelector('time')), /ago|now/);
      assert.include(
        textOf(activity.querySelector('.visually-hidden')),
        activity.querySelector('time')!.title,
      );
    });

    for (const [index, column] of COLUMNS.entries()) {
      it(`should sort by ${column} ascending, then descending, keeping focus on the header`, async () => {
        const { list, server } = await mountList({ pageSize: 60 });
        const field = FIELDS[index]!;
        const th = () => $$(table(list)!, 'thead th')[index]!;
        const headerButton = th().querySelector('button')!;
        headerButton.focus();

        for (const order of ['asc', 'desc'] as const) {
          const request = await nextRequest(server, () => headerButton.click());
          assert.deepEqual(
            [request.get('sort'), request.get('order'), request.get('page')],
            [field, order, '1'],
          );
          await settled(list);
          assert.deepEqual(th().getAttribute('aria-sort'), order === 'asc' ? 'ascending' : 'descending');
          assert.lengthOf($$(table(list)!, 'th[aria-sort]'), 1);
          assert.strictEqual(deepActiveElement(), headerButton);
          // The default sort (Last Activity, descending) leaves the address clean.
          const isDefault = field === 'lastActivity' && order === 'desc';
          assert.deepEqual(tpParams(), isDefault ? {} : { 'tp-sort': field, 'tp-order': order });
          const values = rows(list).map((r) => r[index]!);
          if (field === 'id') assert.isTrue(ordered(values.map(Number), order, (a, b) => a - b));
          else if (field === 'created' || field === 'lastActivity') {
            assert.isTrue(ordered(times(list, index), order, (a, b) => a - b));
          } else assert.isTrue(ordered(values, order, byText), `${values.join(' | ')} is not ${order}`);
        }
      });
    }

    it('should open a ticket from a row click and from the keyboard', async () => {
      const { list } = await mountList();
      const row = $$(table(list)!, 'tbody tr')[2]!;
      const clicked = oneEvent<TpTicketOpenEvent>(document, 'tp-ticket-open');
      (row.querySelector('td') as HTMLElement).click();
      const event = await clicked;
      assert.isTrue(event.bubbles && event.composed);
      assert.deepEqual(event.detail.ticket.id, textOf(row.querySelector('td')));

      const link = $$<HTMLButtonElement>(table(list)!, 'tbody tr button.open')[4]!;
      link.focus();
      const keyed = oneEvent<TpTicketOpenEvent>(document, 'tp-ticket-open');
      await sendKeys({ press: 'Enter' });
      assert.deepEqual((await keyed).detail.ticket.subject, textOf(link));
    });
  });

  describe('search', () => {
    it('should wait for a pause in typing, then search without a reload', async () => {
      const { list, server } = await mountList();
      const before = server.requests.length;
      const historyLength = window.history.length;
      const input = control<HTMLInputElement>(list, 'Search tickets');
      type(input, 'inv');
      await aTimeout(100);
      type(input, 'invoice');
      await aTimeout(100);
      assert.deepEqual(server.requests.length, before, 'searched while the customer was still typing');
      await waitUntil(() => server.requests.length > before, 'no search', { timeout: 1000 });
      await settled(list);
      assert.deepEqual(server.requests.length, before + 1);
      assert.deepEqual(server.last.get('q'), 'invoice');
      const subjects = rows(list).map((r) => r[2]!);
      assert.isAbove(subjects.length, 0);
      assert.isTrue(subjects.every((s) => s.toLowerCase().includes('invoice')));
      assert.deepEqual(tpParams(), { 'tp-q': 'invoice' });
      // Typing refines the current history entry instead of adding one per word.
      assert.deepEqual(window.history.length, historyLength);
    });

    it('should search at once on Enter and find a ticket by its ID with #', async () => {
      const { list, server } = await mountList();
      const input = control<HTMLInputElement>(list, 'Search tickets');
      input.value = '#1007';
      input.dispatchEvent(new Event('input'));
      const request = await nextRequest(server, () =>
        $<HTMLFormElement>(list, 'form[role="search"]').requestSubmit(),
      );
      assert.deepEqual(request.get('q'), '#1007');
      await settled(list);
      assert.deepEqual(
        rows(list).map((r) => r[0]),
        ['1007'],
      );
      assert.deepEqual(textOf($(list, '[role="status"]')), '1 ticket');
    });
  });

  describe('filters', () => {
    it('should filter by status and show the open and closed counts', async () => {
      const server = new FakeTicketsServer(makeTickets(60));
      const { list } = await mountList({ server });
      const open = server.tickets.filter((t) => t.status.state === 'open').length;
      const counts = $$(list, '.status .count').map((c) => textOf(c));
      assert.deepEqual(counts, [String(60), String(open), String(60 - open)]);

      const closed = control<HTMLInputElement>(list, 'Closed 15');
      const request = await nextRequest(server, () => closed.click());
      assert.deepEqual(request.get('status'), 'closed');
      await settled(list);
      assert.isTrue(rows(list).every((r) => r[1] === 'Closed'));
      assert.deepEqual(textOf($(pager(list)!, '.range')), `1–15 of 15`);
      assert.deepEqual(tpParams(), { 'tp-status': 'closed' });
      assert.isTrue(hasButton(list, 'Clear filters'));
      await expect(list).to.be.accessible();
    });

    it('should turn the Created presets into instants of the reader’s days', async () => {
      const { list, server } = await mountList({ pageSize: 100 });
      const select = control<HTMLSelectElement>(list, 'Created');
      assert.deepEqual(
        [...select.options].map((o) => o.textContent?.trim()),
        ['Any time', 'Today', 'Last 7 days', 'Last 30 days', 'Last 90 days', 'This year', 'Custom range'],
      );
      const request = await nextRequest(server, () => choose(select, '7d'));
      const today = new Date();
      const from = new Date(request.get('createdFrom')!);
      assert.deepEqual(
        localDay(from),
        localDay(new Date(today.getFullYear(), today.getMonth(), today.getDate() - 6)),
      );
      assert.deepEqual([from.getHours(), from.getMinutes()], [0, 0]);
      assert.deepEqual(localDay(new Date(request.get('createdTo')!)), localDay(today));
      await settled(list);
      // Tickets are created one a day (plus an hour) back from now: the last 7 days hold 6 of them.
      const created = times(list, 3);
      assert.isTrue(created.every((t) => t >= from.getTime()));
      assert.deepEqual(created.length, 6);
      assert.deepEqual(tpParams(), { 'tp-created': '7d' });

      const activity = await nextRequest(server, () => choose(control(list, 'Last Activity'), 'today'));
      assert.deepEqual(
        new Date(activity.get('activityFrom')!).getTime(),
        new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime(),
      );
      assert.deepEqual(activity.get('createdFrom'), request.get('createdFrom'));
    });

    it('should filter on a custom range entered in two date inputs', async () => {
      const { list, server } = await mountList({ pageSize: 100 });
      await nextRequest(server, () => choose(control(list, 'Created'), 'custom'));
      await settled(list);
      const from = control<HTMLInputElement>(list, 'Created From');
      const to = control<HTMLInputElement>(list, 'Created To');
      assert.deepEqual([from.type, to.type], ['date', 'date']);
      const start = new Date(Date.now() - 20 * 86_400_000);
      const end = new Date(Date.now() - 10 * 86_400_000);
      await nextRequest(server, () => setDate(from, localDay(start)));
      await settled(list);
      const request = await nextRequest(server, () => setDate(control(list, 'Created To'), localDay(end)));
      const expectFrom = new Date(start.getFullYear(), start.getMonth(), start.getDate()).getTime();
      const expectTo = new Date(end.getFullYear(), end.getMonth(), end.getDate() + 1).getTime() - 1;
      assert.deepEqual(
        [Date.parse(request.get('createdFrom')!), Date.parse(request.get('createdTo')!)],
        [expectFrom, expectTo],
      );
      await settled(list);
      const created = times(list, 3);
      assert.isAbove(created.length, 0);
      assert.isTrue(created.every((t) => t >= expectFrom && t <= expectTo));
      assert.deepEqual(tpParams(), {
        'tp-created': 'custom',
        'tp-created-from': localDay(start),
        'tp-created-to': localDay(end),
      });
    });

    it('should clear search and every filter in one click and return focus to the search box', async () => {
      const { list, server } = await mountList();
      assert.isFalse(hasButton(list, 'Clear filters'));
      type(control(list, 'Search tickets'), 'report');
      await nextRequest(server, () => undefined);
      await settled(list);
      $<HTMLInputElement>(list, 'input[name="status"][value="open"]').click();
      await settled(list);
      choose(control(list, 'Last Activity'), '90d');
      await settled(list);
      assert.deepEqual(Object.keys(tpParams()).sort(), ['tp-activity', 'tp-q', 'tp-status']);

      const request = await nextRequest(server, () => button(list, 'Clear filters').click());
      assert.deepEqual([...request.keys()].sort(), ['limit', 'order', 'page', 'sort', 'status']);
      assert.deepEqual(request.get('status'), 'all');
      await settled(list);
      assert.deepEqual(tpParams(), {});
      assert.deepEqual(control<HTMLInputElement>(list, 'Search tickets').value, '');
      assert.deepEqual(control<HTMLSelectElement>(list, 'Last Activity').value, 'any');
      assert.isFalse(hasButton(list, 'Clear filters'));
      assert.strictEqual(deepActiveElement(), control(list, 'Search tickets'));
    });
  });

  describe('views and paging', () => {
    it('should switch between Table View and Card View', async () => {
      const { list } = await mountList();
      const tableRadio = control<HTMLInputElement>(list, 'Table View');
      const cardRadio = control<HTMLInputElement>(list, 'Card View');
      assert.deepEqual([tableRadio.type, tableRadio.checked, cardRadio.checked], ['radio', true, false]);
      const firstRow = rows(list)[0]!;
      cardRadio.click();
      await list.updateComplete;
      await cards(list)!.updateComplete;
      assert.isNull(table(list));
      const card = $(cards(list)!, '[part~="card"]');
      const dts = [...card.querySelectorAll('dt')].map((d) => textOf(d));
      assert.deepEqual(dts, [
        'Ticket ID',
        'Status',
        'Created',
        'Ticket Owner',
        'Last Activity',
        'Requested By',
      ]);
      assert.deepEqual(textOf(card.querySelector('h3')), firstRow[2]);
      assert.include(textOf(card), firstRow[0]!);
      assert.include(textOf(card), firstRow[6]!);
      assert.deepEqual(tpParams(), { 'tp-view': 'card' });
      // Card View has no headers to click, so it offers the sort fields and both orders.
      assert.deepEqual(
        [...control<HTMLSelectElement>(list, 'Sort by').options].map((o) => o.textContent?.trim()),
        COLUMNS,
      );
      await expect(list).to.be.accessible();

      control<HTMLInputElement>(list, 'Table View').click();
      await list.updateComplete;
      assert.isNotNull(table(list));
      assert.deepEqual(tpParams(), {});
    });

    it('should start in Card View when that is the default view, and sort cards from the toolbar', async () => {
      const { list, server } = await mountList({ defaultView: 'card' });
      assert.isNotNull(cards(list));
      assert.isTrue(control<HTMLInputElement>(list, 'Card View').checked);
      assert.deepEqual(tpParams(), {});
      await nextRequest(server, () => choose(control(list, 'Sort by'), 'subject'));
      await settled(list);
      const request = await nextRequest(server, () => choose(control(list, 'Order'), 'asc'));
      assert.deepEqual([request.get('sort'), request.get('order')], ['subject', 'asc']);
      await settled(list);
      const titles = $$(cards(list)!, '.card h3').map((h) => textOf(h));
      assert.isTrue(ordered(titles, 'asc', byText));
      await expect(list).to.be.accessible();
    });

    it('should page with Previous, Next and page numbers, then move focus to the caption', async () => {
      const { list, server } = await mountList();
      const p = pager(list)!;
      assert.deepEqual(textOf($(p, '.range')), '1–25 of 60');
      assert.deepEqual(textOf($(list, '[role="status"]')), '60 tickets, page 1 of 3');
      assert.isTrue(button(p, 'Previous').disabled);
      const firstPage = rows(list).map((r) => r[0]);

      const request = await nextRequest(server, () => button(p, 'Next').click());
      assert.deepEqual(request.get('page'), '2');
      await settled(list);
      await waitUntil(
        () => deepActiveElement()?.localName === 'caption',
        'focus did not move to the caption',
      );
      assert.deepEqual(textOf($(p, '.range')), '26–50 of 60');
      assert.deepEqual($(p, '[aria-current="page"]').getAttribute('aria-label'), 'Page 2');
      assert.notDeepEqual(
        rows(list).map((r) => r[0]),
        firstPage,
      );
      assert.deepEqual(tpParams(), { 'tp-page': '2' });

      await nextRequest(server, () => $(p, 'button[aria-label="Page 3"]').click());
      await settled(list);
      assert.deepEqual(textOf($(p, '.range')), '51–60 of 60');
      assert.lengthOf(rows(list), 10);
      assert.isTrue(button(p, 'Next').disabled);
      await expect(list).to.be.accessible();
    });

    it('should go back to the first page when a filter changes', async () => {
      const { list, server } = await mountList();
      await nextRequest(server, () => button(pager(list)!, 'Next').click());
      await settled(list);
      const request = await nextRequest(server, () => control<HTMLInputElement>(list, 'Open 45').click());
      assert.deepEqual(request.get('page'), '1');
    });
  });
});
