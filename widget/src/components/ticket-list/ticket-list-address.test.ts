import { aTimeout, assert, oneEvent, waitUntil } from '../../../test/testing.js';

import { BOM } from '../../tickets/csv.js';

import { FakeApi, makeTickets } from '../../../test/fake-api.js';
import {
  $,
  $$,
  button,
  cards,
  control,
  mountList,
  nextRequest,
  pager,
  resetAddress,
  rows,
  settled,
  table,
  textOf,
  toolbar,
  tpParams,
} from '../../../test/list-helpers.js';

/** Captures the next download the list starts (anchor with `download`), reading the blob back. */
async function captureDownload(
  action: () => void,
): Promise<{ name: string; text: string; bytes: Uint8Array }> {
  const original = HTMLAnchorElement.prototype.click;
  let resolve!: (a: HTMLAnchorElement) => void;
  const clicked = new Promise<HTMLAnchorElement>((r) => (resolve = r));
  HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
    if (this.download) resolve(this);
    else original.call(this);
  };
  try {
    action();
    const anchor = await clicked;
    const blob = await (await fetch(anchor.href)).blob();
    const bytes = new Uint8Array(await blob.arrayBuffer());
    return {
      name: anchor.download,
      text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes),
      bytes,
    };
  } finally {
    HTMLAnchorElement.prototype.click = original;
  }
}

describe('TicketList states', () => {
  beforeEach(() => resetAddress());
  after(() => resetAddress());

  describe('address', () => {
    it('should restore view, search, filters, sort and page from a shared link', async () => {
      resetAddress(
        'tp-view=card&tp-q=report&tp-status=open&tp-created=custom&tp-created-from=2020-01-01&tp-sort=subject&tp-order=asc&tp-page=2',
      );
      const { list, server } = await mountList({ pageSize: 2 });
      const first = server.listQueries[0]!;
      assert.deepEqual(
        [
          first.get('q'),
          first.get('status'),
          first.get('sort'),
          first.get('order'),
          first.get('page'),
          first.get('limit'),
        ],
        ['report', 'open', 'subject', 'asc', '2', '2'],
      );
      assert.deepEqual(Date.parse(first.get('createdFrom')!), new Date(2020, 0, 1).getTime());
      assert.isNull(first.get('createdTo'));
      assert.isNotNull(cards(list));
      assert.deepEqual(control<HTMLInputElement>(toolbar(list), 'Search tickets').value, 'report');
      assert.isTrue($<HTMLInputElement>(toolbar(list), 'input[name="status"][value="open"]').checked);
      assert.deepEqual(control<HTMLSelectElement>(toolbar(list), 'Created').value, 'custom');
      assert.deepEqual(control<HTMLInputElement>(toolbar(list), 'Created From').value, '2020-01-01');
      assert.deepEqual(control<HTMLSelectElement>(toolbar(list), 'Sort by').value, 'subject');
      assert.deepEqual($(pager(list)!, '[aria-current="page"]').getAttribute('aria-label'), 'Page 2');
    });

    it("should leave the host page's own parameters and fragment alone", async () => {
      resetAddress('campaign=spring');
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#pricing`);
      const { list } = await mountList();
      control<HTMLInputElement>(toolbar(list), 'Card View').click();
      await list.updateComplete;
      const params = new URLSearchParams(window.location.search);
      assert.deepEqual(params.get('campaign'), 'spring');
      assert.deepEqual(params.get('tp-view'), 'card');
      assert.deepEqual(window.location.hash, '#pricing');
      window.history.replaceState(null, '', window.location.pathname + window.location.search);
      resetAddress();
    });

    it('should move between states with Back and Forward', async () => {
      const { list, server } = await mountList();
      control<HTMLInputElement>(toolbar(list), 'Card View').click();
      await settled(list);
      await nextRequest(server, () =>
        $<HTMLInputElement>(toolbar(list), 'input[name="status"][value="closed"]').click(),
      );
      await settled(list);
      assert.deepEqual(tpParams(), { 'tp-view': 'card', 'tp-status': 'closed' });

      const back = await nextRequest(server, () => window.history.back());
      assert.deepEqual(back.get('status'), 'all');
      await settled(list);
      assert.deepEqual(tpParams(), { 'tp-view': 'card' });
      assert.isTrue($<HTMLInputElement>(toolbar(list), 'input[name="status"][value="all"]').checked);
      assert.isNotNull(cards(list));

      await oneEventOrTimeout(() => window.history.back());
      await list.updateComplete;
      await settled(list);
      assert.isNotNull(table(list));

      await oneEventOrTimeout(() => window.history.forward());
      await list.updateComplete;
      assert.isNotNull(cards(list));
    });

    it('should restore the search box text on Back', async () => {
      const { list, server } = await mountList();
      const input = control<HTMLInputElement>(toolbar(list), 'Search tickets');
      input.value = 'cue sheet';
      await nextRequest(server, () =>
        $<HTMLFormElement>(toolbar(list), 'form[role="search"]').requestSubmit(),
      );
      await settled(list);
      assert.deepEqual(tpParams(), { 'tp-q': 'cue sheet' });
      await nextRequest(server, () => window.history.back());
      await list.updateComplete;
      assert.deepEqual(control<HTMLInputElement>(toolbar(list), 'Search tickets').value, '');
    });

    it('should show the last page when a link names a page past the end', async () => {
      resetAddress('tp-page=9');
      const { list, server } = await mountList();
      await waitUntil(
        () => server.listQueries.some((r) => r.get('page') === '3'),
        'did not fall back to page 3',
      );
      await settled(list);
      assert.deepEqual(textOf($(pager(list)!, '.range')), '51–60 of 60');
      assert.deepEqual(tpParams(), { 'tp-page': '3' });
    });
  });

  describe('export', () => {
    // The export's code is in the lazy chunk (ADR 0008). Served from source, that chunk's first
    // import compiles dozens of modules; do it once here rather than inside a test's time limit.
    before(async function () {
      this.timeout(60_000);
      await import('../../internal/lazy-chunk.js');
    });

    it('should download every matching ticket as CSV with a BOM and quoted fields', async () => {
      const tickets = makeTickets(230);
      tickets[3] = {
        ...tickets[3]!,
        subject: 'Comma, "quote" and\nnew line',
        status: { label: 'Closed', state: 'closed' },
      };
      const server = new FakeApi({ tickets });
      const { list } = await mountList({ server });
      await nextRequest(server, () =>
        $<HTMLInputElement>(toolbar(list), 'input[name="status"][value="closed"]').click(),
      );
      await settled(list);
      const closed = tickets.filter((t) => t.status.state === 'closed');
      assert.isAbove(closed.length, 50);

      const before = server.listQueries.length;
      const file = await captureDownload(() => button(toolbar(list), 'Export CSV').click());
      assert.match(file.name, /^tickets-\d{4}-\d{2}-\d{2}\.csv$/);
      assert.deepEqual([...file.bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.isTrue(file.text.startsWith(BOM));
      const exportRequests = server.listQueries.slice(before);
      assert.isTrue(exportRequests.every((r) => r.get('status') === 'closed' && r.get('limit') === '200'));
      const body = file.text.slice(1);
      assert.isTrue(
        body.startsWith('Ticket ID,Status,Subject,Created,Ticket Owner,Last Activity,Requested By\r\n'),
      );
      assert.include(body, `${tickets[3].id},Closed,"Comma, ""quote"" and\nnew line",`);
      // One line per closed ticket plus the header (the quoted subject holds a bare \n, not \r\n).
      assert.deepEqual(body.trimEnd().split('\r\n').length, closed.length + 1);
      for (const ticket of closed) assert.include(body, `\r\n${ticket.id},`);
      await waitUntil(() => textOf($(list, '[role="status"]')) === `Exported ${closed.length} tickets.`);
    });

    it('should say when the export failed and keep the list usable', async () => {
      const { list, server } = await mountList();
      server.failures.push({
        status: 503,
        code: 'UNAVAILABLE',
        message: 'The portal is busy; try again shortly.',
      });
      button(toolbar(list), 'Export CSV').click();
      await waitUntil(() => $$(list, '.export-problem .notice').length === 1, 'no export error shown');
      assert.include(textOf($(list, '.export-problem')), 'The portal is busy; try again shortly.');
      assert.lengthOf(rows(list), 25);
    });
  });
});

/** Waits for the next popstate after `action` (a history move that may not need a request). */
async function oneEventOrTimeout(action: () => void): Promise<void> {
  const popped = oneEvent(window, 'popstate');
  action();
  await Promise.race([popped, aTimeout(1000)]);
}
