// The page's side of the iframe mode (ADR 0013): <ticket-portal mode="iframe"> shows the API's frame,
// believes only messages from that frame's window and origin, and relays size, address, events and
// methods. The frame here is a page of this test server's own origin (a 404), so the test can watch
// what the element posts into it; what the frame says is played with MessageEvents.
import { assert, waitUntil } from '../../test/testing.js';
import { clearStorage, mountPortal, nextEvent, screen, text } from '../../test/helpers.js';
import { FakeApi } from '../../test/fake-api.js';
import type { TicketPortal } from '../ticket-portal.js';
import type { FrameMessage, PageMessage } from './frame-messages.js';

const API = `${location.origin}/no-such-api`;

/** The test page's address with these query parameters added and this fragment. */
function visit(params: Record<string, string>, hash: string): void {
  const url = new URL(location.href);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  url.hash = hash;
  history.replaceState(null, '', url.href);
}

interface Framed {
  portal: TicketPortal;
  api: FakeApi;
  frame: HTMLIFrameElement;
  /** What the element posted into the frame, with the origin it was addressed to. */
  posted: Array<[PageMessage, string]>;
  /** A message as the frame would send it (its window and origin unless told otherwise). */
  say(data: FrameMessage | Record<string, unknown>, from?: { origin?: string; source?: Window | null }): void;
}

async function mountFramed(attrs: Record<string, string> = {}, api = new FakeApi()): Promise<Framed> {
  const { portal } = await mountPortal({ api, attrs: { mode: 'iframe', 'api-url': API, ...attrs } });
  await waitUntil(() => portal.shadowRoot?.querySelector('iframe'), 'expected the frame');
  const frame = portal.shadowRoot!.querySelector('iframe')!;
  // Its own page, loaded (same origin here): watch what the element posts into it.
  await waitUntil(() => frame.contentWindow?.location.pathname.endsWith('/widget/frame'), 'frame loaded');
  await waitUntil(() => frame.contentDocument?.readyState === 'complete');
  const posted: Array<[PageMessage, string]> = [];
  frame.contentWindow!.postMessage = ((message: PageMessage, origin: string) => {
    posted.push([message, origin]);
  }) as Window['postMessage'];
  const say: Framed['say'] = (data, from = {}) =>
    window.dispatchEvent(
      new MessageEvent('message', {
        data,
        origin: from.origin ?? location.origin,
        source: from.source === undefined ? frame.contentWindow : from.source,
      }),
    );
  return { portal, api, frame, posted, say };
}

describe('<ticket-portal mode="iframe">', () => {
  const start = location.href;
  afterEach(() => {
    history.replaceState(null, '', start);
    clearStorage();
  });

  it('should show only a frame of the API with its settings, and keep no session of its own', async () => {
    visit({ lang: 'en', 'tp-page': '2' }, 'faq&tp-screen=register');
    const { portal, frame } = await mountFramed({ theme: 'dark', locale: 'en-GB', 'page-size': '500' });
    assert.deepEqual(
      [...portal.shadowRoot!.querySelectorAll('*')].map((e) => e.localName),
      ['div', 'iframe'],
    );
    assert.strictEqual(frame.title, 'Customer portal');
    assert.strictEqual(frame.style.width, '100%');
    assert.strictEqual(getComputedStyle(frame).borderTopStyle, 'none');
    const src = new URL(frame.src);
    assert.strictEqual(`${src.origin}${src.pathname}`, `${API}/widget/frame`);
    // A page size the frame would refuse is left out (the frame uses its default, as the shadow mode does).
    assert.deepEqual(Object.fromEntries(src.searchParams), {
      origin: location.origin,
      theme: 'dark',
      locale: 'en-GB',
    });
    // The portal's part of the page address, in the fragment (never sent to a server).
    assert.strictEqual(decodeURIComponent(src.hash.slice(1)), '?tp-page=2#tp-screen=register');
    assert.strictEqual(localStorage.length + sessionStorage.length, 0);
    // The element left the page address alone.
    assert.strictEqual(location.hash, '#faq&tp-screen=register');
  });

  it('should follow the height the frame reports, and ignore other windows, other origins and unknown messages', async () => {
    const { frame, say } = await mountFramed();
    const before = frame.style.height;
    say({ type: 'tp:height', height: 999 }, { origin: 'http://evil.example' });
    say({ type: 'tp:height', height: 998 }, { source: window });
    say({ type: 'tp:height', height: '997' });
    say({ type: 'height', height: 996 });
    say({ type: 'tp:resize', height: 995 });
    assert.strictEqual(frame.style.height, before);
    say({ type: 'tp:height', height: 412.3 });
    assert.strictEqual(frame.style.height, '413px');
  });

  it("should record the portal's moves in the page address, keeping the page's own parts", async () => {
    visit({ lang: 'en' }, 'faq');
    const query = () =>
      [...new URL(location.href).searchParams].filter(([name]) => name !== 'wtr-session-id');
    const { say } = await mountFramed();
    const entries = history.length;
    say({ type: 'tp:address', state: '?tp-ticket=7&utm=x#tp-screen=register', mode: 'push' });
    assert.deepEqual(query(), [
      ['lang', 'en'],
      ['tp-ticket', '7'],
    ]);
    assert.strictEqual(location.hash, '#faq&tp-screen=register');
    assert.strictEqual(history.length, entries + 1);
    say({ type: 'tp:address', state: '?tp-new=request', mode: 'replace' });
    assert.deepEqual(query(), [
      ['lang', 'en'],
      ['tp-new', 'request'],
    ]);
    assert.strictEqual(location.hash, '#faq');
    assert.strictEqual(history.length, entries + 1);
    say({ type: 'tp:address', state: '?tp-ticket=8', mode: 'push' }, { origin: 'http://evil.example' });
    assert.deepEqual(query(), [
      ['lang', 'en'],
      ['tp-new', 'request'],
    ]);
  });

  it('should leave the page address alone with address="off"', async () => {
    const { say, frame } = await mountFramed({ address: 'off' });
    assert.strictEqual(new URL(frame.src).searchParams.get('address'), 'off');
    const before = location.href;
    say({ type: 'tp:address', state: '?tp-ticket=7', mode: 'push' });
    say({ type: 'tp:back' });
    assert.strictEqual(location.href, before);
  });

  it('should hold its messages until the frame listens, then tell it about Back and Forward', async () => {
    const { portal, say, posted } = await mountFramed();
    say({ type: 'tp:address', state: '?tp-ticket=7', mode: 'push' });
    portal.openTicket('9');
    assert.deepEqual(posted, []);
    say({ type: 'tp:hello' });
    assert.deepEqual(posted, [[{ type: 'tp:open-ticket', id: '9' }, location.origin]]);
    const popped = new Promise((resolve) => window.addEventListener('popstate', resolve, { once: true }));
    history.back();
    await popped;
    assert.deepEqual(posted[1], [{ type: 'tp:address', state: '' }, location.origin]);
  });

  it("should fire the frame's events on the element, and open a ticket only if the page does not cancel it", async () => {
    const { portal, say, posted } = await mountFramed();
    say({ type: 'tp:hello' });
    const signedIn = nextEvent<{ customer: { email: string } }>('tp-signed-in');
    say({
      type: 'tp:event',
      name: 'tp-signed-in',
      detail: { customer: { email: 'ada@example.com' }, restored: false },
    });
    assert.strictEqual((await signedIn).detail.customer.email, 'ada@example.com');
    say({ type: 'tp:event', name: 'click', detail: {} });

    const ticket = { localId: '42', subject: 'Invoice' };
    say({ type: 'tp:event', name: 'tp-ticket-open', detail: { ticket } });
    assert.deepEqual(posted, [[{ type: 'tp:open-ticket', id: '42' }, location.origin]]);
    const cancel = (event: Event) => event.preventDefault();
    portal.addEventListener('tp-ticket-open', cancel);
    say({ type: 'tp:event', name: 'tp-ticket-open', detail: { ticket: { ...ticket, localId: '43' } } });
    portal.removeEventListener('tp-ticket-open', cancel);
    assert.lengthOf(posted, 1);
  });

  it('should resolve signOut() once the frame has signed out', async () => {
    const { portal, say, posted } = await mountFramed();
    say({ type: 'tp:hello' });
    let done = false;
    const signingOut = portal.signOut().then(() => (done = true));
    assert.deepEqual(posted, [[{ type: 'tp:sign-out', id: 1 }, location.origin]]);
    say({ type: 'tp:sign-out-done', id: 1 }, { origin: 'http://evil.example' });
    await Promise.resolve();
    assert.isFalse(done);
    say({ type: 'tp:sign-out-done', id: 1 });
    await signingOut;
  });

  it('should say "not set up" instead of the frame on a page the API does not allow', async () => {
    const api = new FakeApi();
    api.originAllowed = false;
    const log = console.error;
    console.error = () => undefined;
    try {
      const failed = nextEvent<{ code: string }>('tp-error');
      const { portal } = await mountPortal({ api, attrs: { mode: 'iframe', 'api-url': API } });
      assert.strictEqual((await failed).detail.code, 'ORIGIN_NOT_ALLOWED');
      const error = await screen(portal, 'tp-portal-error');
      await waitUntil(() => text(error).includes('not set up for the customer portal'));
      assert.isNull(portal.shadowRoot!.querySelector('iframe'));
    } finally {
      console.error = log;
    }
  });
});
