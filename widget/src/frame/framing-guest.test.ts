// The frame's side of the iframe mode (ADR 0013): <ticket-portal mode="frame">, as /widget/frame shows
// it, talks only to the page that framed it — on the origin its address names — and relays its
// height, its address and its events; it follows the page's Back and Forward and its methods. The
// page is played by a window of this origin standing in for `window.parent`.
import { assert, waitUntil } from '../../test/testing.js';
import { clearStorage, mountPortal, screen, signIn } from '../../test/helpers.js';
import { FakeApi, listRow, makeTickets } from '../../test/fake-api.js';
import type { TicketPortal } from '../ticket-portal.js';
import type { FrameMessage, PageMessage } from './frame-messages.js';
import { frame } from './framing.js';

const HOST = 'http://host.example';

interface Guest {
  portal: TicketPortal;
  api: FakeApi;
  /** What the frame posted to the page, with the origin it was addressed to. */
  posted: Array<[FrameMessage, string]>;
  /** A message as the page would send it (its window and origin unless told otherwise). */
  say(data: PageMessage, from?: { origin?: string; source?: Window }): void;
}

let parentFrame: HTMLIFrameElement | undefined;

async function mountGuest(state = ''): Promise<Guest> {
  parentFrame = document.createElement('iframe');
  document.body.append(parentFrame);
  const parent = parentFrame.contentWindow!;
  const posted: Array<[FrameMessage, string]> = [];
  parent.postMessage = ((message: FrameMessage, origin: string) => {
    posted.push([message, origin]);
  }) as Window['postMessage'];
  frame.parent = () => parent;
  // The page hands the portal's state over in the frame's fragment.
  history.replaceState(null, '', `${location.pathname}${location.search}#${encodeURIComponent(state)}`);
  const api = new FakeApi();
  api.addAccount('ada@example.com', 'correct horse battery', { name: 'Ada' });
  const { portal } = await mountPortal({ api, attrs: { mode: 'frame', 'host-origin': HOST } });
  const say: Guest['say'] = (data, from = {}) =>
    window.dispatchEvent(
      new MessageEvent('message', { data, origin: from.origin ?? HOST, source: from.source ?? parent }),
    );
  return { portal, api, posted, say };
}

const ofType = <T extends FrameMessage['type']>(posted: Array<[FrameMessage, string]>, type: T) =>
  posted.filter(([m]) => m.type === type).map(([m]) => m as Extract<FrameMessage, { type: T }>);

describe('<ticket-portal mode="frame">', () => {
  afterEach(() => {
    frame.parent = () => window.parent;
    parentFrame?.remove();
    history.replaceState(null, '', `${location.pathname}${location.search}`);
    clearStorage();
  });

  it('should greet the page on its origin only, report its height and start where the page address says', async () => {
    const { portal, posted } = await mountGuest('#tp-screen=register');
    await screen(portal, 'tp-register');
    // The hand-over does not stay in the frame's own address.
    assert.strictEqual(location.hash, '');
    assert.deepEqual(posted[0], [{ type: 'tp:hello' }, HOST]);
    assert.isTrue(posted.every(([, origin]) => origin === HOST));
    await waitUntil(() => ofType(posted, 'tp:height').some((m) => m.height > 100), 'expected a height');
    const last = ofType(posted, 'tp:height').at(-1)!;
    assert.strictEqual(last.height, Math.ceil(portal.getBoundingClientRect().height));
  });

  it('should send its moves to the page and its events, never the token', async () => {
    const { portal, posted } = await mountGuest();
    await screen(portal, 'tp-sign-in');
    await signIn(portal, 'ada@example.com', 'correct horse battery');
    await waitUntil(() => ofType(posted, 'tp:event').some((m) => m.name === 'tp-signed-in'));
    const signedIn = ofType(posted, 'tp:event').find((m) => m.name === 'tp-signed-in')!;
    assert.strictEqual(
      (signedIn.detail as { customer: { email: string } }).customer.email,
      'ada@example.com',
    );
    portal.openTicket('77');
    await waitUntil(() => ofType(posted, 'tp:address').some((m) => m.state === '?tp-ticket=77'));
    assert.strictEqual(ofType(posted, 'tp:address').at(-1)!.mode, 'push');
    // The frame's own address stays as it was: the page keeps the history.
    assert.notInclude(location.href, 'tp-ticket');
    const token = JSON.parse(sessionStorage.getItem(`tp-session:${portal.apiUrl}`) ?? '{}') as {
      accessToken?: string;
    };
    assert.isString(token.accessToken);
    assert.notInclude(JSON.stringify(posted), token.accessToken!);
  });

  it("should run the page element's signOut() and openTicket(), and let the page decide on tp-ticket-open", async () => {
    const { portal, api, posted, say } = await mountGuest();
    api.tickets.push(...makeTickets(1));
    await screen(portal, 'tp-sign-in');
    await signIn(portal, 'ada@example.com', 'correct horse battery');
    // A ticket chosen in the list (the list's event, inside the portal) waits for the page's answer.
    const ticket = listRow(api.tickets[0]!);
    portal
      .shadowRoot!.querySelector('tp-portal-shell')!
      .dispatchEvent(
        new CustomEvent('tp-ticket-open', { detail: { ticket }, bubbles: true, composed: true }),
      );
    const relayed = ofType(posted, 'tp:event').at(-1)!;
    assert.strictEqual(relayed.name, 'tp-ticket-open');
    assert.deepEqual(relayed.detail, JSON.parse(JSON.stringify({ ticket })));
    await portal.updateComplete;
    assert.isFalse(!!portal.shadowRoot!.querySelector('tp-ticket-page'), 'no ticket page before the answer');
    // The page's answer opens it, drawn at once from the row the list had.
    say({ type: 'tp:open-ticket', id: ticket.localId });
    await waitUntil(
      () =>
        (portal.shadowRoot!.querySelector('tp-ticket-page') as { initial?: unknown } | null)?.initial ===
        ticket,
      'expected the ticket page with its row',
    );
    assert.strictEqual(ofType(posted, 'tp:address').at(-1)!.state, `?tp-ticket=${ticket.localId}`);
    say({ type: 'tp:open-ticket', id: '12' });
    await waitUntil(() => ofType(posted, 'tp:address').some((m) => m.state === '?tp-ticket=12'));
    say({ type: 'tp:sign-out', id: 5 });
    await waitUntil(() => ofType(posted, 'tp:sign-out-done').some((m) => m.id === 5));
    await screen(portal, 'tp-sign-in');
  });

  it("should follow the page's Back and Forward, and ignore other windows, other origins and unknown messages", async () => {
    const { portal, say } = await mountGuest();
    await screen(portal, 'tp-sign-in');
    say({ type: 'tp:address', state: '#tp-screen=register' }, { origin: 'http://evil.example' });
    say({ type: 'tp:address', state: '#tp-screen=register' }, { source: window });
    say({ type: 'tp:navigate', state: '#tp-screen=register' } as unknown as PageMessage);
    await new Promise((resolve) => requestAnimationFrame(resolve));
    assert.isNotNull(portal.shadowRoot!.querySelector('tp-sign-in'));
    say({ type: 'tp:address', state: '#tp-screen=register' });
    await screen(portal, 'tp-register');
    say({ type: 'tp:address', state: '' });
    await screen(portal, 'tp-sign-in');
  });
});
