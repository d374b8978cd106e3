/**
 * Where the portal keeps its own state (the list's `tp-*` parameters, a ticket's page, the signed-out
 * screen): the page's address by default, or — `address="off"` — a URL in memory, so the widget never
 * touches the host page's address or history.
 *
 * Writes always pass an absolute URL built from `location.href`: a relative one resolves against the
 * page's `<base href>`, and a base on another origin made every replaceState throw a SecurityError.
 */
export interface Address {
  /** The absolute URL the portal reads its state from. */
  readonly href: string;
  /** true for the page's own address (hears Back and Forward); false for the in-memory one. */
  readonly page: boolean;
  /** Records `href` (absolute, same origin), as a new history entry or in place. Never throws. */
  write(href: string, mode: 'push' | 'replace'): void;
  /** Back in the page's history (only asked of an address with `page`). */
  back(): void;
}

export const pageAddress: Address = {
  get href() {
    return location.href;
  },
  page: true,
  write(href, mode) {
    if (href === location.href) return;
    try {
      // Keep the host page's history.state: routers on the page may rely on it.
      history[mode === 'push' ? 'pushState' : 'replaceState'](history.state, '', href);
    } catch {
      // Sandboxed frames and opaque origins refuse history changes: the portal works without them.
    }
  },
  back() {
    history.back();
  },
};

/** A fresh in-memory address (`address="off"`), one per element. */
export const memoryAddress = (): Address => ({
  href: 'http://tp.invalid/',
  page: false,
  write(href) {
    (this as { href: string }).href = href;
  },
  back() {
    // Never asked: it has no history.
  },
});
