import { ContextProvider } from '@lit/context';
import { aTimeout, assert, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { LitElement } from 'lit';
import { UNAUTHORIZED_EVENT } from '../../src/api/api-client.js';
import { apiClientContext, portalConfigContext } from '../../src/context/contexts.js';
import type { PortalConfig } from '../../src/context/portal-config.js';
import type { TpErrorDetail } from '../../src/events/portal-events.js';
import { BOM } from '../../src/tickets/csv.js';
import type { TicketList } from '../../src/tickets/ticket-list.js';
import { HttpTicketsApi } from '../../src/tickets/tickets-api.js';
import { FakeTicketsServer, makeTickets } from './fake-tickets-server.js';
import {
  $,
  $$,
  button,
  cards,
  control,
  hasButton,
  mountList,
  nextRequest,
  pager,
  resetAddress,
  rows,
  settled,
  table,
  textOf,
  tpParams,
  type,
} from './list-helpers.js';

/** Provides the portal's services the way <ticket-portal> does, through context. */
class TpTestServices extends LitElement {
  private readonly apiProvider = new ContextProvider(this, { context: apiClientContext });
  private readonly configProvider = new ContextProvider(this, { context: portalConfigContext });
  set services(value: { client: ReturnType<FakeTicketsServer['client']>; config: PortalConfig }) {
    this.apiProvider.setValue(value.client);
    this.configProvider.setValue(value.config);
  }
  override createRenderRoot() {
    return this;
  }
}
if (!customElements.get('tp-test-services')) customElements.define('tp-test-services', TpTestServices);

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
      const first = server.requests[0]!;
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
      assert.deepEqual(control<HTMLInputElement>(list, 'Search tickets').value, 'report');
      assert.isTrue($<HTMLInputElement>(list, 'input[name="status"][value="open"]').checked);
      assert.deepEqual(control<HTMLSelectElement>(list, 'Created').value, 'custom');
      assert.deepEqual(control<HTMLInputElement>(list, 'Created From').value, '2020-01-01');
      assert.deepEqual(control<HTMLSelectElement>(list, 'Sort by').value, 'subject');
      assert.deepEqual($(pager(list)!, '[aria-current="page"]').getAttribute('aria-label'), 'Page 2');
    });

    it("should leave the host page's own parameters and fragment alone", async () => {
      resetAddress('campaign=spring');
      window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}#pricing`);
      const { list } = await mountList();
      control<HTMLInputElement>(list, 'Card View').click();
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
      control<HTMLInputElement>(list, 'Card View').click();
      await settled(list);
      await nextRequest(server, () =>
        $<HTMLInputElement>(list, 'input[name="status"][value="closed"]').click(),
      );
      await settled(list);
      assert.deepEqual(tpParams(), { 'tp-view': 'card', 'tp-status': 'closed' });

      const back = await nextRequest(server, () => window.history.back());
      assert.deepEqual(back.get('status'), 'all');
      await settled(list);
      assert.deepEqual(tpParams(), { 'tp-view': 'card' });
      assert.isTrue($<HTMLInputElement>(list, 'input[name="status"][value="all"]').checked);
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
      const input = control<HTMLInputElement>(list, 'Search tickets');
      input.value = 'cue sheet';
      await nextRequest(server, () => $<HTMLFormElement>(list, 'form[role="search"]').requestSubmit());
      await settled(list);
      assert.deepEqual(tpParams(), { 'tp-q': 'cue sheet' });
      await nextRequest(server, () => window.history.back());
      await list.updateComplete;
      assert.deepEqual(control<HTMLInputElement>(list, 'Search tickets').value, '');
    });

    it('should show the last page when a link names a page past the end', async () => {
      resetAddress('tp-page=9');
      const { list, server } = await mountList();
      await waitUntil(
        () => server.requests.some((r) => r.get('page') === '3'),
        'did not fall back to page 3',
      );
      await settled(list);
      assert.deepEqual(textOf($(pager(list)!, '.range')), '51–60 of 60');
      assert.deepEqual(tpParams(), { 'tp-page': '3' });
    });
  });

  describe('export', () => {
    it('should download every matching ticket as CSV with a BOM and quoted fields', async () => {
      const tickets = makeTickets(230);
      tickets[3] = {
        ...tickets[3]!,
        subject: 'Comma, "quote" and\nnew line',
        status: { label: 'Closed', state: 'closed' },
      };
      const server = new FakeTicketsServer(tickets);
      const { list } = await mountList({ server });
      await nextRequest(server, () =>
        $<HTMLInputElement>(list, 'input[name="status"][value="closed"]').click(),
      );
      await settled(list);
      const closed = tickets.filter((t) => t.status.state === 'closed');
      assert.isAbove(closed.length, 50);

      const before = server.requests.length;
      const file = await captureDownload(() => button(list, 'Export CSV').click());
      assert.match(file.name, /^tickets-\d{4}-\d{2}-\d{2}\.csv$/);
      assert.deepEqual([...file.bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
      assert.isTrue(file.text.startsWith(BOM));
      const exportRequests = server.requests.slice(before);
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
      button(list, 'Export CSV').click();
      await waitUntil(() => $$(list, '.export-problem .notice').length === 1, 'no export error shown');
      assert.include(textOf($(list, '.export-problem')), 'The portal is busy; try again shortly.');
      assert.lengthOf(rows(list), 25);
    });
  });

  describe('empty, error and loading', () => {
    it('should say why the list is empty and offer a way out', async () => {
      const { list, server } = await mountList();
      await nextRequest(server, () =>
        $<HTMLInputElement>(list, 'input[name="status"][value="closed"]').click(),
      );
      await settled(list);
      type(control(list, 'Search tickets'), 'zzzz');
      await waitUntil(() => list.shadowRoot!.querySelector('.empty'), 'no empty state');
      assert.deepEqual(textOf($(list, '.empty p')), 'No closed tickets match “zzzz”.');
      assert.deepEqual(textOf($(list, '[role="status"]')), '0 tickets');
      await expect(list).to.be.accessible();

      assert.deepEqual(textOf($(list, '.empty button')), 'Clear filters');
      const request = await nextRequest(server, () => $(list, '.empty button').click());
      assert.deepEqual([request.get('q'), request.get('status')], [null, 'all']);
      await settled(list);
      assert.lengthOf(rows(list), 25);
    });

    it('should describe date filters in the empty message', async () => {
      const server = new FakeTicketsServer(makeTickets(5, Date.now() - 400 * 86_400_000));
      const { list } = await mountList({ server });
      $<HTMLSelectElement>(list, '#created-preset').value = '30d';
      $(list, '#created-preset').dispatchEvent(new Event('change'));
      await waitUntil(() => list.shadowRoot!.querySelector('.empty'), 'no empty state');
      assert.deepEqual(textOf($(list, '.empty p')), 'No tickets created in the last 30 days.');
    });

    it('should tell a customer with no tickets that there are none yet, without a Clear filters button', async () => {
      const { list } = await mountList({ server: new FakeTicketsServer([]) });
      assert.deepEqual(textOf($(list, '.empty')), "You don't have any tickets yet.");
      assert.isFalse(hasButton(list, 'Clear filters'));
    });

    it("should show the API's message with Retry, and recover", async () => {
      const server = new FakeTicketsServer();
      server.failures.push({
        status: 400,
        code: 'VALIDATION_FAILED',
        message: 'sort must be one of id, status.',
      });
      const { list } = await mountList({ server });
      const problem = $(list, '.problem');
      assert.deepEqual(problem.getAttribute('role'), 'alert');
      assert.include(textOf(problem), 'Your tickets could not be loaded.');
      assert.include(textOf(problem), 'sort must be one of id, status.');
      await expect(list).to.be.accessible();

      await nextRequest(server, () => button(list, 'Retry').click());
      await settled(list);
      assert.lengthOf(rows(list), 25);
    });

    it('should report a dropped connection to the host page as tp-error', async () => {
      const server = new FakeTicketsServer();
      server.failures.push('offline');
      const heard = oneEvent<CustomEvent<TpErrorDetail>>(document, 'tp-error');
      const { list } = await mountList({ server });
      const event = await heard;
      assert.deepEqual(event.detail.code, 'NETWORK_ERROR');
      assert.include(textOf($(list, '.problem')), "We can't reach the portal right now.");
    });

    it('should end the session when the API refuses the token', async () => {
      const server = new FakeTicketsServer();
      const client = server.client();
      client.tokenSource = () => 'revoked';
      const unauthorized = oneEvent(client, UNAUTHORIZED_EVENT);
      const element = await fixture<TicketList>(
        html`<tp-ticket-list .api=${new HttpTicketsApi(client)}></tp-ticket-list>`,
      );
      await unauthorized;
      await settled(element);
      assert.include(textOf($(element, '.problem')), 'Sign in again.');
    });

    it('should show skeletons while the first page loads, and mark the results busy', async () => {
      const server = new FakeTicketsServer();
      server.hold();
      const { list } = await mountList({ server, settle: false });
      await waitUntil(() => table(list)?.shadowRoot?.querySelector('[part~="skeleton"]'), 'no skeleton');
      assert.deepEqual($(table(list)!, 'table').getAttribute('aria-busy'), 'true');
      assert.include(textOf($(list, '.results')), 'Loading tickets…');
      await expect(list).to.be.accessible();
      server.release();
      await settled(list);
      assert.deepEqual($(table(list)!, 'table').getAttribute('aria-busy'), 'false');

      server.hold();
      button(pager(list)!, 'Next').click();
      await waitUntil(
        () => $(table(list)!, 'table').getAttribute('aria-busy') === 'true',
        'not busy while paging',
      );
      // The current rows stay (dimmed) so focus and scroll position survive.
      assert.lengthOf(rows(list), 25);
      server.release();
      await settled(list);
    });

    it('should skeleton the cards too', async () => {
      const server = new FakeTicketsServer();
      server.hold();
      const { list } = await mountList({ server, settle: false, defaultView: 'card' });
      await waitUntil(() => cards(list)?.shadowRoot?.querySelector('[part~="skeleton"]'), 'no skeleton');
      await expect(list).to.be.accessible();
      server.release();
      await settled(list);
    });
  });

  describe('layout, dates and services', () => {
    it('should show cards instead of the table in a narrow container, and the table again when wide', async () => {
      const { list, wrapper } = await mountList({ width: 480 });
      await waitUntil(() => cards(list), 'no cards at 480px');
      assert.isNull(table(list));
      assert.isNull(list.shadowRoot!.querySelector('.view-switch'));
      assert.deepEqual(tpParams(), {});
      await settled(list);
      await expect(list).to.be.accessible();
      wrapper.style.width = '900px';
      await waitUntil(() => table(list), 'no table at 900px');
    });

    it('should say when the list last synced, relative with the exact time', async () => {
      const server = new FakeTicketsServer();
      server.syncedAt = new Date(Date.now() - 5 * 60_000 - 5_000).toISOString();
      const { list } = await mountList({ server, locale: 'en-US' });
      const synced = $(list, '[part="synced"]');
      const time = synced.querySelector('time')!;
      assert.deepEqual(textOf(time), '5 minutes ago');
      assert.deepEqual(time.getAttribute('datetime'), server.syncedAt);
      const exact = new Intl.DateTimeFormat('en-US', { dateStyle: 'medium', timeStyle: 'short' }).format(
        new Date(server.syncedAt),
      );
      assert.deepEqual(time.title, exact);
      assert.include(textOf(synced.querySelector('.visually-hidden')), exact);
      assert.match(textOf(synced), /^Last synced 5 minutes ago/);
    });

    it('should write dates in the given locale', async () => {
      const [ticket] = makeTickets(1, Date.parse('2026-03-15T12:00:00Z') + 86_400_000 * 40);
      const { list } = await mountList({ server: new FakeTicketsServer([ticket!]), locale: 'de-DE' });
      const expected = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium' }).format(
        new Date(ticket!.createdAt),
      );
      assert.deepEqual(rows(list)[0]![3], expected);
      assert.match(expected, /\d{2}\.\d{2}\.\d{4}|\d+\. \w+/);
    });

    it("should take the API client, view, page size and locale from <ticket-portal>'s context", async () => {
      const server = new FakeTicketsServer();
      const config: PortalConfig = {
        apiUrl: server.baseUrl,
        supportUrl: '',
        companyName: 'Synchtank',
        locale: 'fr-FR',
        view: 'card',
        pageSize: 10,
      };
      const host = await fixture<TpTestServices>(
        html`<tp-test-services .services=${{ client: server.client(), config }}
          ><div style="width: 900px"><tp-ticket-list></tp-ticket-list></div
        ></tp-test-services>`,
      );
      const list = host.querySelector('tp-ticket-list')!;
      await settled(list);
      assert.deepEqual(server.last.get('limit'), '10');
      assert.isNotNull(cards(list));
      assert.deepEqual(textOf($(pager(list)!, '.range')), '1–10 of 60');
      const created = server.tickets[0]!.createdAt;
      const french = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium' }).format(new Date(created));
      assert.include(textOf(cards(list)!.shadowRoot!.querySelector('.card')), french);
    });
  });
});

/** Waits for the next popstate after `action` (a history move that may not need a request). */
async function oneEventOrTimeout(action: () => void): Promise<void> {
  const popped = oneEvent(window, 'popstate');
  action();
  await Promise.race([popped, aTimeout(1000)]);
}
