import { assert, expect, oneEvent, waitUntil } from '../../../test/testing.js';

import type { StatusKind } from '../../api/api-types.js';
import { NAVIGATE_EVENT, type NavigateEvent } from '../../internal/navigation.js';
import { FakeApi, makeDetail, makeTickets, message } from '../../../test/fake-api.js';
import { afterEachRequests, mountSignedIn, view } from '../../../test/requests-helpers.js';
import {
  $,
  $$,
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
} from '../../../test/list-helpers.js';

// Issue 13: statuses read from the customer's side, coloured by kind; "Awaiting your reply" beside
// the guide's All / Open / Closed; a customer without tickets is offered "Submit a Request".

const KINDS: StatusKind[] = ['new', 'in_progress', 'awaiting_customer', 'closed'];

describe('TicketList statuses', () => {
  beforeEach(() => resetAddress());
  after(() => resetAddress());

  it('should colour each status by its kind, the same in the table and the cards', async () => {
    const { list } = await mountList();
    const badges = $$(table(list)!, '[part~="status-badge"]');
    assert.sameMembers([...new Set(badges.map((b) => b.dataset.kind))], KINDS);
    const colours = new Map<string, string>();
    for (const kind of KINDS) {
      const badge = badges.find((b) => b.dataset.kind === kind)!;
      const style = getComputedStyle(badge);
      colours.set(kind, `${style.color} on ${style.backgroundColor}`);
      assert.strictEqual(badge.dataset.state, kind === 'closed' ? 'closed' : 'open');
    }
    // Four kinds, four looks.
    assert.strictEqual(new Set(colours.values()).size, 4);
    await expect(list).to.be.accessible();

    const narrow = await mountList({ defaultView: 'card' });
    const cardBadges = $$(cards(narrow.list)!, '[part~="status-badge"]');
    const awaiting = cardBadges.find((b) => b.dataset.kind === 'awaiting_customer')!;
    const style = getComputedStyle(awaiting);
    assert.strictEqual(`${style.color} on ${style.backgroundColor}`, colours.get('awaiting_customer'));
    await expect(narrow.list).to.be.accessible();
  });

  it('should take the --tp-status-* tokens of the page', async () => {
    const { list, wrapper } = await mountList();
    wrapper.style.setProperty('--tp-status-awaiting', 'rgb(120, 0, 90)');
    wrapper.style.setProperty('--tp-status-awaiting-surface', 'rgb(255, 240, 250)');
    const badge = $$(table(list)!, '[data-kind="awaiting_customer"]')[0]!;
    assert.strictEqual(getComputedStyle(badge).color, 'rgb(120, 0, 90)');
    assert.strictEqual(getComputedStyle(badge).backgroundColor, 'rgb(255, 240, 250)');
  });

  it('should read a status without a kind (an older API) by its open / closed state', async () => {
    const tickets = makeTickets(2);
    tickets[0]!.status = { label: 'Open', state: 'open' };
    tickets[1]!.status = { label: 'Done', state: 'closed' };
    const { list } = await mountList({ server: new FakeApi({ tickets }) });
    assert.deepEqual(
      $$(table(list)!, '[part~="status-badge"]').map((b) => b.dataset.kind),
      ['in_progress', 'closed'],
    );
  });

  it('should offer "Awaiting your reply" beside All / Open / Closed, with its count, kept in the address', async () => {
    const server = new FakeApi({ tickets: makeTickets(60) });
    const { list } = await mountList({ server });
    const awaiting = server.tickets.filter((t) => t.status.kind === 'awaiting_customer').length;
    const labels = $$(toolbar(list), '.status .segment').map((s) => textOf(s.querySelector('span')));
    assert.deepEqual(labels, ['All', 'Open', 'Closed', 'Awaiting your reply']);
    assert.strictEqual(textOf($$(toolbar(list), '.status .count')[3]), String(awaiting));

    const filter = control<HTMLInputElement>(toolbar(list), `Awaiting your reply ${awaiting}`);
    const request = await nextRequest(server, () => filter.click());
    assert.strictEqual(request.get('status'), 'awaiting');
    await settled(list);
    assert.isTrue(rows(list).every((r) => r[1] === 'Waiting on you'));
    assert.strictEqual(textOf($(pager(list)!, '.range')), `1–${awaiting} of ${awaiting}`);
    assert.deepEqual(tpParams(), { 'tp-status': 'awaiting' });
    await expect(list).to.be.accessible();

    // A shared link opens the same filter.
    const again = await mountList({ server });
    assert.isTrue(control<HTMLInputElement>(toolbar(again.list), `Awaiting your reply ${awaiting}`).checked);
  });

  it('should say when nothing awaits the customer', async () => {
    const tickets = makeTickets(8).filter((t) => t.status.kind !== 'awaiting_customer');
    resetAddress('tp-status=awaiting');
    const { list } = await mountList({ server: new FakeApi({ tickets }) });
    assert.strictEqual(textOf($(list, '.empty p')), 'No tickets awaiting your reply.');
    assert.isTrue(listHasButton(list, 'Clear filters'));
    assert.isFalse(listHasButton(list, 'Submit a Request'));
  });

  it('should offer a new customer "Submit a Request" in the empty list, opening the request form', async () => {
    const { list } = await mountList({ server: new FakeApi({ tickets: [] }) });
    assert.strictEqual(textOf($(list, '.empty p')), "You don't have any tickets yet.");
    const submit = $<HTMLButtonElement>(list, '.empty button');
    assert.strictEqual(textOf(submit), 'Submit a Request');
    assert.include(submit.getAttribute('part') ?? '', 'new-request');
    await expect(list).to.be.accessible();
    setTimeout(() => submit.click());
    const event = await oneEvent<NavigateEvent>(list, NAVIGATE_EVENT);
    assert.deepEqual(event.route, { screen: 'shell', view: { kind: 'new' }, history: 'push' });
  });

  it('should open the request form from the empty list inside <ticket-portal>', async () => {
    const { portal } = await mountSignedIn({ setup: (api) => api.tickets.splice(0) });
    const list = await view(portal, 'tp-ticket-list');
    await waitUntil(() => list.shadowRoot?.querySelector('.empty button'), 'no empty state');
    $<HTMLButtonElement>(list, '.empty button').click();
    assert.ok(await view(portal, 'tp-request-form'));
    assert.include(window.location.search, 'tp-new=request');
    afterEachRequests();
  });
});

describe('TpTicketPage status and authors', () => {
  afterEach(() => afterEachRequests());

  it("should colour the ticket's status by kind and name support by the portal's team when the agent is unknown", async () => {
    const unknownAgent = message({ from: 'support', html: '<p>We are on it.</p>', minutesAgo: 5 });
    unknownAgent.author = { name: null, email: 'inbox@synchtank.example' };
    const ticket = makeDetail({
      status: { label: 'Awaiting your reply', state: 'open', kind: 'awaiting_customer' },
      messages: [unknownAgent],
    });
    const { portal } = await mountSignedIn({
      search: `tp-ticket=${ticket.localId}`,
      setup: (api) => api.add(ticket),
    });
    const page = await view(portal, 'tp-ticket-page');
    await waitUntil(() => page.shadowRoot!.querySelector('.conversation'), 'the ticket did not load');
    const badge = $(page, '[part~="status-badge"]');
    assert.strictEqual(badge.dataset.kind, 'awaiting_customer');
    assert.strictEqual(textOf(badge), 'Awaiting your reply');
    const who = textOf($(page, '[part~="message"] strong'));
    // The support team GET /portal names ("Need Help?"), not an address.
    assert.strictEqual(who, 'Synchtank Support');
    await expect(page).to.be.accessible();
  });
});
