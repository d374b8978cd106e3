import { aTimeout, assert, expect, waitUntil } from '../../../test/testing.js';

import { localDay } from '../../tickets/date-range.js';

import { FakeApi, makeTickets } from '../../../test/fake-api.js';
import {
  $,
  $$,
  button,
  choose,
  control,
  deepActiveElement,
  hasButton,
  listHasButton,
  mountList,
  nextRequest,
  pager,
  resetAddress,
  rows,
  setDate,
  settled,
  textOf,
  times,
  toolbar,
  tpParams,
  type,
} from '../../../test/list-helpers.js';

describe('TicketToolbar', () => {
  beforeEach(() => resetAddress());
  after(() => resetAddress());

  describe('search', () => {
    it('should wait for a pause in typing, then search without a reload', async () => {
      const { list, server } = await mountList();
      const before = server.listQueries.length;
      const historyLength = window.history.length;
      const input = control<HTMLInputElement>(toolbar(list), 'Search tickets');
      type(input, 'inv');
      await aTimeout(100);
      type(input, 'invoice');
      await aTimeout(100);
      assert.deepEqual(server.listQueries.length, before, 'searched while the customer was still typing');
      await waitUntil(() => server.listQueries.length > before, 'no search', { timeout: 10_000 });
      await settled(list);
      assert.deepEqual(server.listQueries.length, before + 1);
      assert.deepEqual(server.lastListQuery.get('q'), 'invoice');
      const subjects = rows(list).map((r) => r[2]!);
      assert.isAbove(subjects.length, 0);
      assert.isTrue(subjects.every((s) => s.toLowerCase().includes('invoice')));
      assert.deepEqual(tpParams(), { 'tp-q': 'invoice' });
      // Typing refines the current history entry instead of adding one per word.
      assert.deepEqual(window.history.length, historyLength);
    });

    it('should search at once on Enter and find a ticket by its ID with #', async () => {
      const { list, server } = await mountList();
      const input = control<HTMLInputElement>(toolbar(list), 'Search tickets');
      input.value = '#1007';
      input.dispatchEvent(new Event('input'));
      const request = await nextRequest(server, () =>
        $<HTMLFormElement>(toolbar(list), 'form[role="search"]').requestSubmit(),
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
    it('should filter by status and show the open, closed and awaiting counts', async () => {
      const server = new FakeApi({ tickets: makeTickets(60) });
      const { list } = await mountList({ server });
      const open = server.tickets.filter((t) => t.status.state === 'open').length;
      const awaiting = server.tickets.filter((t) => t.status.kind === 'awaiting_customer').length;
      const counts = $$(toolbar(list), '.status .count').map((c) => textOf(c));
      assert.deepEqual(counts, [String(60), String(open), String(60 - open), String(awaiting)]);

      const closed = control<HTMLInputElement>(toolbar(list), 'Closed 15');
      const request = await nextRequest(server, () => closed.click());
      assert.deepEqual(request.get('status'), 'closed');
      await settled(list);
      assert.isTrue(rows(list).every((r) => r[1] === 'Closed'));
      assert.deepEqual(textOf($(pager(list)!, '.range')), `1–15 of 15`);
      assert.deepEqual(tpParams(), { 'tp-status': 'closed' });
      assert.isTrue(hasButton(toolbar(list), 'Clear filters'));
      await expect(list).to.be.accessible();
    });

    it('should turn the Created presets into instants of the reader’s days', async () => {
      const { list, server } = await mountList({ pageSize: 100 });
      const select = control<HTMLSelectElement>(toolbar(list), 'Created');
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
      // Tickets are created a day (plus an hour more each) apart going back from now, so how many fall in
      // the last 7 local days depends on the time of day: count them from the data, not a constant.
      const to = new Date(request.get('createdTo')!).getTime();
      const expected = server.tickets.filter((t) => {
        const at = Date.parse(t.createdAt);
        return at >= from.getTime() && at <= to;
      }).length;
      const created = times(list, 3);
      assert.isTrue(created.every((t) => t >= from.getTime()));
      assert.isAtLeast(expected, 5);
      assert.deepEqual(created.length, expected);
      assert.deepEqual(tpParams(), { 'tp-created': '7d' });

      const activity = await nextRequest(server, () =>
        choose(control(toolbar(list), 'Last Activity'), 'today'),
      );
      assert.deepEqual(
        new Date(activity.get('activityFrom')!).getTime(),
        new Date(today.getFullYear(), today.getMonth(), today.getDate()).getTime(),
      );
      assert.deepEqual(activity.get('createdFrom'), request.get('createdFrom'));
    });

    it('should filter on a custom range entered in two date inputs', async () => {
      const { list, server } = await mountList({ pageSize: 100 });
      await nextRequest(server, () => choose(control(toolbar(list), 'Created'), 'custom'));
      await settled(list);
      const from = control<HTMLInputElement>(toolbar(list), 'Created From');
      const to = control<HTMLInputElement>(toolbar(list), 'Created To');
      assert.deepEqual([from.type, to.type], ['date', 'date']);
      const start = new Date(Date.now() - 20 * 86_400_000);
      const end = new Date(Date.now() - 10 * 86_400_000);
      await nextRequest(server, () => setDate(from, localDay(start)));
      await settled(list);
      const request = await nextRequest(server, () =>
        setDate(control(toolbar(list), 'Created To'), localDay(end)),
      );
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

    it('should say so when the From date is after the To date, and show the days between them', async () => {
      const { list, server } = await mountList({ pageSize: 100 });
      await nextRequest(server, () => choose(control(toolbar(list), 'Created'), 'custom'));
      await settled(list);
      const note = () => textOf($(toolbar(list), '.range-note'));
      assert.strictEqual(note(), '');
      const later = new Date(Date.now() - 10 * 86_400_000);
      const earlier = new Date(Date.now() - 20 * 86_400_000);
      await nextRequest(server, () => setDate(control(toolbar(list), 'Created From'), localDay(later)));
      await settled(list);
      const request = await nextRequest(server, () =>
        setDate(control(toolbar(list), 'Created To'), localDay(earlier)),
      );
      await settled(list);
      assert.strictEqual(note(), 'The From date is after the To date: showing the days between them.');
      assert.strictEqual($(toolbar(list), '.range-note').getAttribute('role'), 'status');
      assert.isBelow(Date.parse(request.get('createdFrom')!), Date.parse(request.get('createdTo')!));
    });

    it('should mark the chosen status beyond its weight in forced-colours mode', async () => {
      // The test runner's Chromium (puppeteer) cannot emulate forced colours: read the rule itself.
      const { list } = await mountList();
      const rules = toolbar(list)
        .shadowRoot!.adoptedStyleSheets.flatMap((sheet) => [...sheet.cssRules])
        .filter((rule): rule is CSSMediaRule => rule instanceof CSSMediaRule)
        .filter((rule) => rule.conditionText.includes('forced-colors: active'))
        .flatMap((rule) => [...rule.cssRules] as CSSStyleRule[]);
      const checked = rules.find((rule) => rule.selectorText.includes('input:checked'));
      assert.isDefined(checked, 'no forced-colours rule for the chosen option');
      assert.strictEqual(checked.style.textDecorationLine, 'underline');
      assert.isTrue(
        $<HTMLInputElement>(toolbar(list), 'input[name="status"]:checked')
          .closest('label')!
          .matches(checked.selectorText),
      );
    });

    it('should clear search and every filter in one click and return focus to the search box', async () => {
      const { list, server } = await mountList();
      assert.isFalse(listHasButton(list, 'Clear filters'));
      type(control(toolbar(list), 'Search tickets'), 'report');
      await nextRequest(server, () => undefined);
      await settled(list);
      $<HTMLInputElement>(toolbar(list), 'input[name="status"][value="open"]').click();
      await settled(list);
      choose(control(toolbar(list), 'Last Activity'), '90d');
      await settled(list);
      assert.deepEqual(Object.keys(tpParams()).sort(), ['tp-activity', 'tp-q', 'tp-status']);

      const request = await nextRequest(server, () => button(toolbar(list), 'Clear filters').click());
      assert.deepEqual([...request.keys()].sort(), ['limit', 'order', 'page', 'sort', 'status']);
      assert.deepEqual(request.get('status'), 'all');
      await settled(list);
      assert.deepEqual(tpParams(), {});
      assert.deepEqual(control<HTMLInputElement>(toolbar(list), 'Search tickets').value, '');
      assert.deepEqual(control<HTMLSelectElement>(toolbar(list), 'Last Activity').value, 'any');
      assert.isFalse(listHasButton(list, 'Clear filters'));
      assert.strictEqual(deepActiveElement(), control(toolbar(list), 'Search tickets'));
    });
  });
});
