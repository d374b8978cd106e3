import { ContextProvider } from '@lit/context';
import { assert, expect, fixture, html, oneEvent, waitUntil } from '../../../test/testing.js';
import { LitElement } from 'lit';
import { UNAUTHORIZED_EVENT } from '../../api/api-client.js';
import { apiClientContext, portalConfigContext } from '../../context/contexts.js';
import type { PortalConfig } from '../../context/portal-config.js';
import type { TpErrorDetail } from '../../events/portal-events.js';

import type { TicketList } from './ticket-list.js';
import { HttpTicketsApi } from '../../tickets/tickets-api.js';
import { FakeApi, makeTickets } from '../../../test/fake-api.js';
import {
  $,
  button,
  cards,
  control,
  listHasButton,
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
  type,
} from '../../../test/list-helpers.js';

/** Provides the portal's services the way <ticket-portal> does, through context. */
class TpTestServices extends LitElement {
  private readonly apiProvider = new ContextProvider(this, { context: apiClientContext });
  private readonly configProvider = new ContextProvider(this, { context: portalConfigContext });
  set services(value: { client: ReturnType<FakeApi['client']>; config: PortalConfig }) {
    this.apiProvider.setValue(value.client);
    this.configProvider.setValue(value.config);
  }
  override createRenderRoot() {
    return this;
  }
}
if (!customElements.get('tp-test-services')) customElements.define('tp-test-services', TpTestServices);

describe('TicketList states', () => {
  beforeEach(() => resetAddress());
  after(() => resetAddress());

  describe('empty, error and loading', () => {
    it('should say why the list is empty and offer a way out', async () => {
      const { list, server } = await mountList();
      await nextRequest(server, () =>
        $<HTMLInputElement>(toolbar(list), 'input[name="status"][value="closed"]').click(),
      );
      await settled(list);
      type(control(toolbar(list), 'Search tickets'), 'zzzz');
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
      const server = new FakeApi({ tickets: makeTickets(5, Date.now() - 400 * 86_400_000) });
      const { list } = await mountList({ server });
      $<HTMLSelectElement>(toolbar(list), '#created-preset').value = '30d';
      $(toolbar(list), '#created-preset').dispatchEvent(new Event('change'));
      await waitUntil(() => list.shadowRoot!.querySelector('.empty'), 'no empty state');
      assert.deepEqual(textOf($(list, '.empty p')), 'No tickets created in the last 30 days.');
    });

    it('should tell a customer with no tickets that there are none yet, without a Clear filters button', async () => {
      const { list } = await mountList({ server: new FakeApi({ tickets: [] }) });
      assert.deepEqual(textOf($(list, '.empty p')), "You don't have any tickets yet.");
      assert.isFalse(listHasButton(list, 'Clear filters'));
      // Instead, the guide's "Submit a Request" (ticket-list-status.test.ts).
      assert.isTrue(listHasButton(list, 'Submit a Request'));
    });

    it("should show the API's message with Retry, and recover", async () => {
      const server = new FakeApi({ tickets: makeTickets(60) });
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
      const server = new FakeApi({ tickets: makeTickets(60) });
      server.failures.push('offline');
      const heard = oneEvent<CustomEvent<TpErrorDetail>>(document, 'tp-error');
      const { list } = await mountList({ server });
      const event = await heard;
      assert.deepEqual(event.detail.code, 'NETWORK_ERROR');
      assert.include(textOf($(list, '.problem')), "We can't reach the portal right now.");
    });

    it('should end the session when the API refuses the token', async () => {
      const server = new FakeApi({ tickets: makeTickets(60) });
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

    it('should load the current page again on refresh(), keeping search, filters and page', async () => {
      const { list, server } = await mountList();
      await nextRequest(server, () =>
        $<HTMLInputElement>(toolbar(list), 'input[name="status"][value="open"]').click(),
      );
      await settled(list);
      const [first] = server.tickets.filter((t) => t.status.state === 'open');
      first!.subject = 'Renamed by support';
      first!.lastActivityAt = new Date().toISOString();
      const request = await nextRequest(server, () => void list.refresh());
      assert.deepEqual(request.get('status'), 'open');
      await settled(list);
      assert.deepEqual(rows(list)[0]![2], 'Renamed by support');
    });

    it('should show skeletons while the first page loads, and mark the results busy', async () => {
      const server = new FakeApi({ tickets: makeTickets(60) });
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
      const server = new FakeApi({ tickets: makeTickets(60) });
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
      assert.isNull(toolbar(list).shadowRoot!.querySelector('.view-switch'));
      assert.deepEqual(tpParams(), {});
      await settled(list);
      await expect(list).to.be.accessible();
      wrapper.style.width = '900px';
      await waitUntil(() => table(list), 'no table at 900px');
    });

    it('should say when the list last synced, relative with the exact time', async () => {
      const server = new FakeApi({ tickets: makeTickets(60) });
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
      const { list } = await mountList({ server: new FakeApi({ tickets: [ticket!] }), locale: 'de-DE' });
      const expected = new Intl.DateTimeFormat('de-DE', { dateStyle: 'medium' }).format(
        new Date(ticket!.createdAt),
      );
      assert.deepEqual(rows(list)[0]![3], expected);
      assert.match(expected, /\d{2}\.\d{2}\.\d{4}|\d+\. \w+/);
    });

    it("should take the API client, view, page size and locale from <ticket-portal>'s context", async () => {
      const server = new FakeApi({ tickets: makeTickets(60) });
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
      assert.deepEqual(server.lastListQuery.get('limit'), '10');
      assert.isNotNull(cards(list));
      assert.deepEqual(textOf($(pager(list)!, '.range')), '1–10 of 60');
      const created = server.tickets[0]!.createdAt;
      const french = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'medium' }).format(new Date(created));
      assert.include(textOf(cards(list)!.shadowRoot!.querySelector('.card')), french);
    });
  });
});
