import { assert, expect, waitUntil } from '../../../test/testing.js';
import { TICKET_LIST_PARTS } from './ticket-list.js';

import {
  $,
  $$,
  button,
  byText,
  cards,
  choose,
  COLUMNS,
  control,
  deepActiveElement,
  mountList,
  nextRequest,
  ordered,
  pager,
  resetAddress,
  rows,
  settled,
  table,
  textOf,
  toolbar,
  tpParams,
} from '../../../test/list-helpers.js';

describe('TicketList', () => {
  beforeEach(() => resetAddress());
  after(() => resetAddress());

  describe('views and paging', () => {
    it('should switch between Table View and Card View', async () => {
      const { list } = await mountList();
      const tableRadio = control<HTMLInputElement>(toolbar(list), 'Table View');
      const cardRadio = control<HTMLInputElement>(toolbar(list), 'Card View');
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
      assert.deepEqual(textOf(card.querySelector('[role="heading"]')), firstRow[2]);
      assert.include(textOf(card), firstRow[0]!);
      assert.include(textOf(card), firstRow[6]!);
      assert.deepEqual(tpParams(), { 'tp-view': 'card' });
      // Card View has no headers to click, so it offers the sort fields and both orders.
      assert.deepEqual(
        [...control<HTMLSelectElement>(toolbar(list), 'Sort by').options].map((o) => o.textContent?.trim()),
        COLUMNS,
      );
      await expect(list).to.be.accessible();

      control<HTMLInputElement>(toolbar(list), 'Table View').click();
      await list.updateComplete;
      assert.isNotNull(table(list));
      assert.deepEqual(tpParams(), {});
    });

    it('should start in Card View when that is the default view, and sort cards from the toolbar', async () => {
      const { list, server } = await mountList({ defaultView: 'card' });
      assert.isNotNull(cards(list));
      assert.isTrue(control<HTMLInputElement>(toolbar(list), 'Card View').checked);
      assert.deepEqual(tpParams(), {});
      await nextRequest(server, () => choose(control(toolbar(list), 'Sort by'), 'subject'));
      await settled(list);
      const request = await nextRequest(server, () => choose(control(toolbar(list), 'Order'), 'asc'));
      assert.deepEqual([request.get('sort'), request.get('order')], ['subject', 'asc']);
      await settled(list);
      const titles = $$(cards(list)!, '.card [role="heading"]').map((h) => textOf(h));
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
      const request = await nextRequest(server, () =>
        control<HTMLInputElement>(toolbar(list), 'Open 45').click(),
      );
      assert.deepEqual(request.get('page'), '1');
    });

    it('should let the page style its parts, those of the table and pager included', async () => {
      const style = document.createElement('style');
      style.textContent = ['toolbar', 'row', 'status-badge', 'pager', 'caption']
        .map((part) => `tp-ticket-list::part(${part}) { outline: 3px solid rgb(255, 0, 0); }`)
        .join('\n');
      document.head.append(style);
      try {
        const { list } = await mountList();
        const outlined = (el: Element) => getComputedStyle(el).outlineColor === 'rgb(255, 0, 0)';
        assert.isTrue(outlined($(toolbar(list), '[part~="toolbar"]')), 'toolbar');
        assert.isTrue(outlined($(table(list)!, '[part~="row"]')), 'row');
        assert.isTrue(outlined($(table(list)!, '[part~="status-badge"]')), 'status-badge');
        assert.isTrue(outlined($(table(list)!, '[part~="caption"]')), 'caption');
        assert.isTrue(outlined($(pager(list)!, '[part~="pager"]')), 'pager');
        const exported = TICKET_LIST_PARTS.split(', ');
        for (const part of ['table', 'row', 'card', 'pager', 'status-badge', 'toolbar', 'search', 'filter']) {
          assert.include(exported, part);
        }
      } finally {
        style.remove();
      }
    });
  });
});
