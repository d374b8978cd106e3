import { assert, expect, oneEvent, waitUntil } from '../../../test/testing.js';
import { sendKeys } from '@web/test-runner-commands';

import { TicketList, type TpTicketOpenEvent } from '../ticket-list/ticket-list.js';
import { FakeApi, makeTickets } from '../../../test/fake-api.js';
import {
  $,
  $$,
  cards,
  headers,
  mountList,
  resetAddress,
  rows,
  table,
  textOf,
  times,
  COLUMNS,
} from '../../../test/list-helpers.js';

/** true when each value is <= the next (asc) or >= (desc). */
function ordered<T>(values: T[], order: 'asc' | 'desc', compare: (a: T, b: T) => number): boolean {
  return values.every(
    (v, i) =>
      i === 0 || (order === 'asc' ? compare(values[i - 1]!, v) <= 0 : compare(values[i - 1]!, v) >= 0),
  );
}

describe('TicketList', () => {
  beforeEach(() => resetAddress());
  after(() => resetAddress());

  describe('table view', () => {
    it("should show the guide's seven columns in order, in a captioned table, by default", async () => {
      const { list, server } = await mountList();
      assert.deepEqual(headers(list), COLUMNS);
      assert.deepEqual(
        textOf($(table(list)!, 'caption')),
        'Your tickets, sorted by Last Activity, descending',
      );
      assert.lengthOf(rows(list), 25);
      assert.deepEqual(server.lastListQuery.get('limit'), '25');
      assert.deepEqual(server.lastListQuery.get('page'), '1');
      // Newest activity first until the customer picks another sort.
      assert.isTrue(ordered(times(list, 5), 'desc', (a, b) => a - b));
      assert.deepEqual($(table(list)!, 'th[aria-sort]').dataset.field, 'lastActivity');
      assert.isNull(cards(list));
      await expect(list).to.be.accessible();
    });

    it('should show every piece of a ticket in its row', async () => {
      const [first] = makeTickets(1);
      const server = new FakeApi({
        tickets: [
          { ...first!, owner: null, requestedBy: { name: null, email: 'only-email@example.com' } },
          { ...first!, id: null, localId: 'new-1', syncState: 'pending', subject: 'Just sent' },
        ],
      });
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

    it('should ask again while a submitted request is on its way, until it has its Ticket ID', async () => {
      const pendingMs = TicketList.pendingRefreshMs;
      TicketList.pendingRefreshMs = 50;
      try {
        const [first] = makeTickets(1);
        const server = new FakeApi({
          tickets: [{ ...first!, id: null, localId: 'new-1', syncState: 'pending', subject: 'Just sent' }],
        });
        const { list } = await mountList({ server });
        assert.deepEqual(rows(list)[0]![0], 'Sending…');
        server.tickets = [{ ...server.tickets[0]!, id: '9001', syncState: 'synced' }];
        await waitUntil(() => rows(list)[0]![0] === '9001', 'the Ticket ID did not appear');
        const asked = server.listQueries.length;
        await new Promise((resolve) => setTimeout(resolve, 200));
        assert.strictEqual(server.listQueries.length, asked, 'it kept asking after nothing was pending');
      } finally {
        TicketList.pendingRefreshMs = pendingMs;
      }
    });

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
});
