import { assert, expect, waitUntil } from '../../test/testing.js';
import { $, $$, textOf } from '../../test/shadow.js';
import { deepActiveElement, screen } from '../../test/helpers.js';
import { listRow, makeDetail, makeTickets, message, type FakeApi } from '../../test/fake-api.js';
import { cards, rows, table } from '../../test/list-helpers.js';
import { afterEachRequests, mountSignedIn, view } from '../../test/requests-helpers.js';
import type { TicketList } from '../components/ticket-list/ticket-list.component.js';
import { listPolling } from './live-list.js';
import { LiveStream } from './live-stream.js';

// Issue 12, the widget's half: the list, the cards and the ticket page follow GET tickets/events
// (the fake API's `events`, which these tests push into) in place, and say honestly whether they do.

const timing = { ...LiveStream.timing };
const idle = listPolling.idle;

/** The line under the toolbar: "Live · Last synced …", "Reconnecting…", "Offline · Last updated …". */
const connection = (list: TicketList): string => {
  const line = list.shadowRoot!.querySelector('[part~="synced"]');
  if (!line) return '';
  const clone = line.cloneNode(true) as HTMLElement;
  clone.querySelectorAll('.visually-hidden').forEach((n) => n.remove());
  return textOf(clone);
};
const spoken = (list: TicketList): string => textOf(list.shadowRoot!.querySelector('[aria-live="polite"]'));

async function openList(
  options: { tickets?: number; setup?: (api: FakeApi) => void; attrs?: Record<string, string> } = {},
) {
  const mounted = await mountSignedIn({
    setup: (api) => {
      api.tickets = makeTickets(options.tickets ?? 8);
      options.setup?.(api);
    },
    ...(options.attrs ? { attrs: options.attrs } : {}),
  });
  const list = await view(mounted.portal, 'tp-ticket-list');
  await waitUntil(() => (table(list) ? rows(list).length > 0 : cards(list)), 'the list did not load');
  return { ...mounted, list };
}

/** Waits until the list says the stream is live and has read its page again after `ready`. */
async function live(list: TicketList, api: FakeApi): Promise<void> {
  await waitUntil(() => connection(list).startsWith('Live'), `not live: "${connection(list)}"`);
  await waitUntil(() => api.listQueries.length >= 2, 'no reload after ready');
}

describe('live updates (GET tickets/events)', () => {
  beforeEach(() => {
    Object.assign(LiveStream.timing, { retry: 20, maxRetry: 100, offlineAfter: 2, grace: 0, ready: 500 });
  });
  afterEach(() => {
    Object.assign(LiveStream.timing, timing);
    listPolling.idle = idle;
    afterEachRequests();
  });

  it('should read the stream with the bearer header, never a token in the URL, and say Live', async () => {
    const { list, api } = await openList();
    await live(list, api);
    const [call] = api.callsTo('tickets/events', 'GET');
    assert.match(call!.headers.get('Authorization') ?? '', /^Bearer at-/);
    assert.strictEqual(call!.headers.get('Accept'), 'text/event-stream');
    assert.notInclude(call!.url, 'at-');
    assert.match(connection(list), /^Live · Last synced /);
    await expect(list).to.be.accessible();
  });

  it('should update a changed row in place, mark it, keep sort, filters and page, and say what changed', async () => {
    const { list, api } = await openList({ tickets: 40 });
    await live(list, api);
    const query = api.lastListQuery.toString();
    const target = api.tickets[2]!;
    target.status = { label: 'Escalated', state: 'open' };
    target.owner = { name: 'Sam Rivera' };
    api.events.ticket(target.localId);

    await waitUntil(() => rows(list)[2]?.[1] === 'Escalated', 'the row did not change');
    assert.strictEqual(rows(list)[2]![4], 'Sam Rivera');
    assert.strictEqual(api.lastListQuery.toString(), query, 'the same search, filters, sort and page');
    const row = $$(table(list)!, 'tbody tr')[2]!;
    assert.isTrue(row.hasAttribute('data-changed'), 'the changed row is marked');
    assert.isFalse($$(table(list)!, 'tbody tr')[1]!.hasAttribute('data-changed'));
    await waitUntil(() => spoken(list) === `Ticket ${target.id}: status Escalated, owner Sam Rivera`);
    assert.isFalse(!!table(list)!.shadowRoot!.querySelector('[part~="skeleton"]'));
    assert.strictEqual(table(list)!.shadowRoot!.querySelector('table')!.getAttribute('aria-busy'), 'false');
  });

  it('should keep focus on the ticket the reader was on when a change moves it', async () => {
    const { list, api } = await openList();
    await live(list, api);
    const third = api.tickets[2]!;
    const button = $$(table(list)!, 'tbody tr')[2]!.querySelector<HTMLElement>('.open')!;
    button.focus();
    // Support answers the first ticket's neighbour: it moves to the top (sorted by last activity).
    const moved = api.tickets[4]!;
    moved.lastActivityAt = new Date().toISOString();
    api.events.ticket(moved.localId);
    await waitUntil(() => rows(list)[0]?.[0] === moved.id, 'the ticket did not move up');
    await waitUntil(() => deepActiveElement()?.closest('tr')?.dataset.ticket === third.id);
    assert.strictEqual(textOf(deepActiveElement()), third.subject);
  });

  it('should show a ticket support created for the company, and new counts', async () => {
    const { list, api } = await openList();
    await live(list, api);
    const [fresh] = makeTickets(1);
    const created = {
      ...fresh!,
      id: '7777',
      localId: 'loc-new',
      subject: 'Created by support',
      lastActivityAt: new Date().toISOString(),
    };
    api.add(created);
    api.events.send('ticket', listRow(created));
    api.events.send('counts', { open: 7, closed: 2 });
    await waitUntil(() => rows(list)[0]?.[2] === 'Created by support', 'the new ticket did not show');
    await waitUntil(() => spoken(list).startsWith('New ticket 7777: Created by support'));
  });

  it('should update the cards too', async () => {
    const { list, api } = await openList({ attrs: { view: 'card' } });
    await live(list, api);
    const target = api.tickets[1]!;
    target.status = { label: 'Closed', state: 'closed' };
    api.events.ticket(target.localId);
    await waitUntil(() => {
      const card = cards(list)?.shadowRoot?.querySelector(`[data-ticket="${target.id}"]`);
      return (
        card?.hasAttribute('data-changed') &&
        textOf(card.querySelector('[part~="status-badge"]')) === 'Closed'
      );
    }, 'the card did not change');
  });

  it('should reconnect with Last-Event-ID after the server ends the stream, and read again on resync', async () => {
    const { list, api } = await openList();
    await live(list, api);
    api.events.send('counts', { open: 1, closed: 1 });
    await waitUntil(() => api.listQueries.length >= 3);
    api.events.end();
    await waitUntil(() => api.events.connects.length === 2, 'no reconnection');
    assert.strictEqual(api.events.connects[1], 'e1:2-0', 'resumes after the last event it had');
    await waitUntil(() => connection(list).startsWith('Live'));
    const before = api.listQueries.length;
    api.events.send('resync', { reason: 'retention' });
    await waitUntil(() => api.listQueries.length === before + 1, 'resync did not read the page again');
  });

  it('should say Reconnecting, then Offline with the time of the last data, and tell the host page', async () => {
    Object.assign(LiveStream.timing, { retry: 150, offlineAfter: 3 });
    const { list, api, portal } = await openList();
    await live(list, api);
    const states: string[] = [];
    const lines: string[] = [];
    portal.addEventListener('tp-live', (e) => {
      states.push((e as CustomEvent<{ state: string }>).detail.state);
      void list.updateComplete.then(() => lines.push(connection(list)));
    });
    api.events.mode = 'offline';
    api.events.drop();
    await waitUntil(() => states.includes('offline'), 'not offline');
    await list.updateComplete;
    assert.deepEqual(states.slice(0, 2), ['reconnecting', 'offline']);
    assert.match(lines[0]!, /^Reconnecting… · Last synced/);
    assert.match(connection(list), /^Offline · Last updated (now|\d+ seconds? ago)$/);
    assert.notInclude(connection(list), 'Last synced', 'never "Last synced now" while the API is away');
    await expect(list).to.be.accessible();

    api.events.mode = 'stream';
    await waitUntil(() => connection(list).startsWith('Live'), 'it did not come back', { timeout: 10_000 });
    assert.strictEqual(states.at(-1), 'live');
  });

  it('should fall back to polling when a proxy strips the event stream', async () => {
    listPolling.idle = 100;
    const { list, api } = await openList({ setup: (a) => (a.events.mode = 'json') });
    await waitUntil(() => list.live?.status === 'polling', 'not polling');
    assert.notMatch(connection(list), /Live|Offline|Reconnecting/);
    const asked = api.listQueries.length;
    const target = api.tickets[0]!;
    target.status = { label: 'Waiting on you', state: 'open' };
    await waitUntil(() => api.listQueries.length > asked, 'it did not poll');
    await waitUntil(() => rows(list)[0]?.[1] === 'Waiting on you');
  });

  it('should end the session when the server says session-ended', async () => {
    const { list, api, portal } = await openList();
    await live(list, api);
    api.events.send('session-ended', { reason: 'signed-out' }, false);
    const signIn = await screen(portal, 'tp-sign-in');
    assert.include(textOf($(signIn, '[part~="notice"], [part~="alert"]')), 'session');
  });

  describe('the ticket page', () => {
    async function openTicket(setup: (api: FakeApi) => ReturnType<typeof makeDetail>) {
      let ticket!: ReturnType<typeof makeDetail>;
      const mounted = await mountSignedIn({
        setup: (api) => {
          ticket = setup(api);
          api.add(ticket);
        },
        search: '',
      });
      // The stream says `ready` (and the list re-reads) before the page opens: a `ready` that arrived
      // after it would make the page read itself again, which the tests below count.
      await live(await view(mounted.portal, 'tp-ticket-list'), mounted.api);
      history.replaceState(null, '', `?tp-ticket=${ticket.localId}`);
      window.dispatchEvent(new PopStateEvent('popstate'));
      const page = await view(mounted.portal, 'tp-ticket-page');
      await waitUntil(() => page.shadowRoot!.querySelector('.section'), 'the ticket did not load');
      await waitUntil(() => mounted.api.events.openCount === 1, 'no stream');
      return { ...mounted, page, ticket };
    }
    const status = (page: Element) => textOf($(page, '.visually-hidden[role="status"]'));

    it('should show status, owner and new messages as they happen, and say so', async () => {
      const { page, api, ticket } = await openTicket(() => makeDetail());
      const gets = api.callsTo(`tickets/${ticket.localId}`, 'GET').length;
      const reply = message({ from: 'support', html: '<p>The fix is live.</p>', minutesAgo: 0 });
      api.ticket(ticket.localId)!.messages.push(reply);
      api.events.send('message', { localId: ticket.localId, message: reply });
      await waitUntil(() => textOf($$(page, '[data-from="support"]').at(-1)).includes('The fix is live.'));
      await waitUntil(() => status(page) === 'New reply from support.');
      assert.strictEqual(api.callsTo(`tickets/${ticket.localId}`, 'GET').length, gets, 'no read needed');

      const t = api.ticket(ticket.localId)!;
      t.status = { label: 'Waiting on you', state: 'open' };
      t.owner = { name: 'Sam Rivera' };
      api.events.ticket(ticket.localId);
      await waitUntil(() => textOf($(page, '[part~="details"]')).includes('Waiting on you'));
      assert.include(textOf($(page, '[part~="details"]')), 'Sam Rivera');
      await waitUntil(() => status(page) === 'This ticket changed: status Waiting on you, owner Sam Rivera.');
      await expect(page).to.be.accessible();
    });

    it('should never say there are no messages while the conversation is still being read', async () => {
      const { page, api, ticket } = await openTicket(() =>
        makeDetail({ messages: [], conversationState: 'loading' }),
      );
      const text = () => textOf($(page, 'section[aria-labelledby="conversation-heading"]'));
      assert.include(text(), 'Loading the conversation…');
      assert.notInclude(text(), 'No messages yet');
      const answer = message({ from: 'support', html: '<p>We answered last week.</p>', minutesAgo: 60 * 24 });
      const t = api.ticket(ticket.localId)!;
      t.messages = [answer];
      api.events.send('message', { localId: ticket.localId, message: answer });
      await waitUntil(() => text().includes('We answered last week.'));
      assert.include(text(), 'Loading the rest of the conversation…');
      // The page asks again until the API says the conversation is read.
      t.conversationState = 'loaded';
      await waitUntil(() => !text().includes('Loading'), 'it did not ask again', { timeout: 10_000 });
    });

    it('should say a ticket that went away is not there any more', async () => {
      const { page, api, ticket } = await openTicket(() => makeDetail());
      api.tickets = api.tickets.filter((t) => t.localId !== ticket.localId);
      api.events.send('ticket-removed', { localId: ticket.localId });
      await waitUntil(() => textOf($(page, 'h3')) === 'Ticket not found');
    });
  });
});
