import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { pageAddress, type Address } from '../internal/page-address.js';
import {
  ACCOUNT_PARAMS,
  readLinkedScreen,
  readPortalParams,
  readPortalLink,
  stripPortalParams,
  withLinkedScreen,
  type LinkableScreen,
  type PortalLink,
} from './portal-fragment.js';

export interface AddressIntent {
  /** A mail link: confirm an account or reset a password. */
  link: PortalLink | null;
  /** A screen opened from one of the widget's own links in a new tab. */
  screen: LinkableScreen | null;
}

/**
 * The portal's part of the page address: reads `#tp-…` parameters, removes a mail link's once
 * consumed, and keeps `#tp-screen=register` / `forgot-password` while that signed-out screen is shown
 * (so Back, Forward and a reload find it), leaving the host page's path, query and own fragment
 * alone. Hears mail links opened in a tab where the page is already loaded (hashchange).
 * With `address="off"` the screen goes to the portal's in-memory address; mail links still arrive in
 * the page's address, so they are read (and removed) there.
 */
export class LocationController implements ReactiveController {
  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onIntent: (intent: AddressIntent) => void,
    private readonly address: () => Address,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('hashchange', this.onHashChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('hashchange', this.onHashChange);
  }

  /** Reads what the address asks for and removes it, so a reload or a shared URL cannot replay a token. */
  consume(): AddressIntent {
    // The page's address, or the one the iframe mode relays (ADR 0013); with address="off", mail
    // links still arrive in the page's.
    const address = this.address().page ? this.address() : pageAddress;
    const url = new URL(address.href);
    const hash = url.hash;
    const intent = { link: readPortalLink(hash), screen: readLinkedScreen(hash) };
    const params = readPortalParams(hash);
    if (ACCOUNT_PARAMS.some((name) => params.has(name))) {
      url.hash = stripPortalParams(hash, ACCOUNT_PARAMS);
      // replace: the token must not stay in the history either, and Back must not bring it back.
      address.write(url.href, 'replace');
    }
    return intent;
  }

  /** Puts the signed-out screen in the address (`null`: none, i.e. Sign in or a screen not linkable). */
  writeScreen(screen: LinkableScreen | null, mode: 'push' | 'replace'): void {
    const address = this.address();
    const url = new URL(address.href);
    const next = withLinkedScreen(url.hash, screen === 'sign-in' ? null : screen);
    if (next === url.hash) return;
    url.hash = next;
    address.write(url.href, mode);
  }

  private readonly onHashChange = (): void => {
    const intent = this.consume();
    if (intent.link || intent.screen) {
      this.onIntent(intent);
      this.host.requestUpdate();
    }
  };
}
