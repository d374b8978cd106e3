// The iframe mode (ADR 0013), loaded on first use by <ticket-portal mode="iframe"> (the page's side:
// IframeHost) and by <ticket-portal mode="frame"> in the API's /widget/frame (the frame's side:
// FrameGuest). A chunk of its own: it imports nothing of the first render but types, so the split
// build's shared chunk stays as it is.
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { Address } from '../internal/page-address.js';
import {
  RELAYED_EVENTS,
  readFrameMessage,
  readPageMessage,
  stateOf,
  withState,
  type FrameMessage,
  type PageMessage,
  type RelayedEvent,
} from './frame-messages.js';

/** <ticket-portal>, as the iframe mode sees it. */
export interface FramedElement extends HTMLElement, ReactiveControllerHost {
  mode: string;
  apiUrl: string;
  address: string;
  theme: string;
  locale: string;
  view: string;
  pageSize: number;
  supportUrl: string;
  companyName: string;
  signOut(): Promise<void>;
  openTicket(id: string): void;
}

/** What <ticket-portal> uses of either side. */
export interface Framing {
  /** The frame's element: the page's address, relayed (null with `address="off"`, and on the page). */
  readonly address: Address | null;
  /** The page's element: the <iframe> it shows. */
  readonly view: HTMLElement | null;
  /** The page's element: its attributes changed (a new frame address loads the frame again). */
  update(): void;
  signOut(): Promise<void>;
  openTicket(id: string): void;
}

/** @internal The window that framed this one; tests stand another window in for it. */
export const frame = { parent: (): Window => window.parent };

export function attachFraming(element: FramedElement): Framing {
  return element.mode === 'frame' ? new FrameGuest(element) : new IframeHost(element);
}

// `tp-action` / `tp-token`: a mail link, which the portal reads and removes (portal-fragment.ts).
const MAIL_LINK = /^tp-(action|token)=/;
// The frame's own address while the portal's state is relayed: only the `?…#…` part matters.
const RELAY_BASE = 'http://tp.invalid/';
const LOCALE = /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8}){0,4}$/;

/**
 * The page's side: an <iframe> of `${api-url}/widget/frame` with the element's settings in its query
 * and the portal's part of the page address in its fragment (never sent to a server). It sizes the
 * frame to the height the frame reports, records the portal's moves in the page address (as the
 * shadow mode does, unless `address="off"`), tells the frame about Back and Forward, fires the frame's
 * events on the element, and relays `signOut()` and `openTicket()`. It never sees the session.
 */
class IframeHost implements Framing, ReactiveController {
  readonly address = null;
  readonly view: HTMLIFrameElement;
  private src = '';
  private apiOrigin = '';
  private ready = false;
  private held: PageMessage[] = [];
  private lastId = 0;
  private readonly signOuts = new Map<number, () => void>();

  constructor(private readonly element: FramedElement) {
    const frame = document.createElement('iframe');
    frame.title = 'Customer portal';
    // Style properties, not a style attribute: a page's CSP may refuse inline styles, never these.
    Object.assign(frame.style, { display: 'block', width: '100%', height: '20em', border: '0' });
    this.view = frame;
    element.addController(this);
    this.update();
  }

  private get relaysAddress(): boolean {
    return this.element.address !== 'off';
  }

  hostConnected(): void {
    window.addEventListener('message', this.onMessage);
    window.addEventListener('popstate', this.onAddressChange);
    window.addEventListener('hashchange', this.onAddressChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('message', this.onMessage);
    window.removeEventListener('popstate', this.onAddressChange);
    window.removeEventListener('hashchange', this.onAddressChange);
  }

  update(): void {
    const e = this.element;
    const api = new URL(`${e.apiUrl.trim().replace(/\/+$/, '')}/widget/frame`, location.href);
    // Only values the frame accepts (GET /widget/frame refuses the others); the rest stay defaults.
    const settings: Array<[string, string | false]> = [
      ['origin', location.origin],
      ['theme', ['light', 'dark'].includes(e.theme) && e.theme],
      ['locale', LOCALE.test(e.locale) && e.locale],
      ['view', e.view === 'card' && e.view],
      [
        'page-size',
        Number.isInteger(e.pageSize) && e.pageSize >= 1 && e.pageSize <= 100 && String(e.pageSize),
      ],
      ['address', e.address === 'off' && 'off'],
      [
        'support-url',
        /^(https?:\/\/|mailto:)\S+$/i.test(e.supportUrl) && e.supportUrl.length <= 2000 && e.supportUrl,
      ],
      [
        'company-name',
        e.companyName.length <= 200 && [...e.companyName].every((c) => c >= ' ') && e.companyName,
      ],
    ];
    for (const [name, value] of settings) if (value) api.searchParams.set(name, value);
    if (api.href === this.src) return;
    this.src = api.href;
    this.apiOrigin = api.origin;
    this.ready = false;
    this.view.src = `${api.href}#${this.handOver()}`;
  }

  /**
   * What the frame starts from, in its fragment: the portal's state in the page address (encoded), or
   * with `address="off"` only a mail link's parameters, as they are — then taken out of the page
   * address here, as the shadow mode does.
   */
  private handOver(): string {
    if (this.relaysAddress) return encodeURIComponent(stateOf(location.href));
    const url = new URL(location.href);
    const pairs = url.hash.slice(1).split('&');
    const link = pairs.filter((pair) => MAIL_LINK.test(pair));
    if (link.length === 0) return '';
    url.hash = pairs.filter((pair) => pair && !MAIL_LINK.test(pair)).join('&');
    history.replaceState(history.state, '', url.href);
    return link.join('&');
  }

  private send(message: PageMessage): void {
    if (!this.ready) {
      this.held.push(message);
      return;
    }
    this.view.contentWindow?.postMessage(message, this.apiOrigin);
  }

  signOut(): Promise<void> {
    // No frame on the page (its origin was refused, or the element was removed): no session either.
    if (!this.view.isConnected) return Promise.resolve();
    return new Promise((resolve) => {
      const id = ++this.lastId;
      this.signOuts.set(id, resolve);
      this.send({ type: 'tp:sign-out', id });
    });
  }

  openTicket(id: string): void {
    this.send({ type: 'tp:open-ticket', id: String(id) });
  }

  private readonly onAddressChange = (event: Event): void => {
    if (this.relaysAddress) {
      this.send({ type: 'tp:address', state: stateOf(location.href) });
    } else if (event.type === 'hashchange') {
      // A mail link opened in this tab while the page was loaded: the frame reads it from its fragment.
      const link = this.handOver();
      if (link) this.view.contentWindow?.location.replace(`${this.src}#${link}`);
    }
  };

  private readonly onMessage = (event: MessageEvent): void => {
    if (event.source !== this.view.contentWindow || event.origin !== this.apiOrigin) return;
    const message = readFrameMessage(event.data);
    if (message) this.receive(message);
  };

  private receive(message: FrameMessage): void {
    switch (message.type) {
      case 'tp:hello': {
        this.ready = true;
        const held = this.held;
        this.held = [];
        for (const m of held) this.send(m);
        break;
      }
      case 'tp:height':
        this.view.style.height = `${Math.ceil(message.height)}px`;
        break;
      case 'tp:address': {
        if (!this.relaysAddress) break;
        const href = withState(location.href, message.state);
        if (href === location.href) break;
        try {
          history[message.mode === 'push' ? 'pushState' : 'replaceState'](history.state, '', href);
        } catch {
          // Sandboxed pages refuse history changes: the portal works without them.
        }
        break;
      }
      case 'tp:back':
        if (this.relaysAddress) history.back();
        break;
      case 'tp:event': {
        const open = message.name === 'tp-ticket-open';
        const event = new CustomEvent(message.name, {
          detail: message.detail,
          bubbles: true,
          composed: true,
          cancelable: open,
        });
        const ticket = (message.detail as { ticket?: { localId?: unknown } }).ticket;
        // Not cancelled by the page: the frame opens the ticket (it waits for this answer).
        if (this.element.dispatchEvent(event) && open && typeof ticket?.localId === 'string') {
          this.openTicket(ticket.localId);
        }
        break;
      }
      case 'tp:sign-out-done':
        this.signOuts.get(message.id)?.();
        this.signOuts.delete(message.id);
        break;
    }
  }
}

/**
 * The frame's side: the page's address relayed (what the portal writes goes to the page; Back and
 * Forward there come back as `popstate` here), the portal's height, its public events, and the page
 * element's `signOut()` / `openTicket()`. Talks only to the page that framed it, on the origin the
 * frame address names (GET /widget/frame let it frame this page only if it is in PORTAL_ORIGINS).
 */
class FrameGuest implements Framing, ReactiveController {
  readonly view = null;
  readonly address: Address | null;
  private readonly hostOrigin: string;
  private readonly parent = frame.parent();
  private readonly resize = new ResizeObserver(() => this.postHeight());

  constructor(private readonly element: FramedElement) {
    const origin = element.getAttribute('host-origin') ?? '';
    const framed = this.parent !== window && /^https?:\/\/[^/?#]+$/.test(origin);
    this.hostOrigin = framed ? origin : '';
    // The API is where the frame came from: …/widget/frame → … (a path prefix kept).
    element.apiUrl = new URL('..', location.href).href.replace(/\/$/, '');
    this.address = element.address === 'off' ? null : this.relay();
    element.addController(this);
    this.post({ type: 'tp:hello' });
  }

  /** The page's address as the portal sees it: `?tp-…#tp-…` in memory, each write sent to the page. */
  private relay(): Address {
    const state = decodeURIComponent(location.hash.slice(1));
    // The hand-over (a mail link's token, maybe) does not stay in the frame's own address.
    history.replaceState(history.state, '', location.pathname + location.search);
    const post = (message: FrameMessage) => this.post(message);
    return {
      href: new URL(/^[?#]/.test(state) ? state : '', RELAY_BASE).href,
      page: true,
      write(href, mode) {
        if (href === this.href) return;
        (this as { href: string }).href = href;
        post({ type: 'tp:address', state: stateOf(href), mode });
      },
      back() {
        post({ type: 'tp:back' });
      },
    };
  }

  hostConnected(): void {
    window.addEventListener('message', this.onMessage);
    for (const name of RELAYED_EVENTS) this.element.addEventListener(name, this.onEvent);
    this.resize.observe(this.element);
  }

  hostDisconnected(): void {
    window.removeEventListener('message', this.onMessage);
    for (const name of RELAYED_EVENTS) this.element.removeEventListener(name, this.onEvent);
    this.resize.disconnect();
  }

  update(): void {
    // The frame's settings come with its address: a change loads another frame.
  }

  signOut(): Promise<void> {
    return this.element.signOut();
  }

  openTicket(id: string): void {
    this.element.openTicket(id);
  }

  private post(message: FrameMessage): void {
    if (this.hostOrigin) this.parent.postMessage(message, this.hostOrigin);
  }

  private postHeight(): void {
    this.post({ type: 'tp:height', height: Math.ceil(this.element.getBoundingClientRect().height) });
  }

  private readonly onEvent = (event: Event): void => {
    // The page decides: it opens the ticket (tp:open-ticket) unless its own listener cancels it.
    if (event.type === 'tp-ticket-open') event.preventDefault();
    // Plain data only: what the page's listeners get is a copy.
    const detail = JSON.parse(JSON.stringify((event as CustomEvent).detail ?? {})) as unknown;
    this.post({ type: 'tp:event', name: event.type as RelayedEvent, detail });
  };

  private readonly onMessage = (event: MessageEvent): void => {
    if (!this.hostOrigin || event.source !== this.parent || event.origin !== this.hostOrigin) return;
    const message = readPageMessage(event.data);
    if (!message) return;
    switch (message.type) {
      case 'tp:address': {
        const relay = this.address;
        if (!relay) break;
        const href = new URL(message.state, RELAY_BASE).href;
        if (href === relay.href) break;
        const hashChanged = new URL(href).hash !== new URL(relay.href).hash;
        (relay as { href: string }).href = href;
        // As the browser tells the shadow mode's portal when the page's address moves.
        window.dispatchEvent(new PopStateEvent('popstate', { state: null }));
        if (hashChanged) window.dispatchEvent(new HashChangeEvent('hashchange'));
        break;
      }
      case 'tp:sign-out':
        void this.element.signOut().then(() => this.post({ type: 'tp:sign-out-done', id: message.id }));
        break;
      case 'tp:open-ticket':
        this.element.openTicket(message.id);
        break;
    }
  };
}
