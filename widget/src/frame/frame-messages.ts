// The iframe mode's messages (ADR 0013) between the page's <ticket-portal mode="iframe"> and the
// <ticket-portal mode="frame"> in the API's frame. Every message is an object whose `type` starts with
// `tp:`; anything else, or a known type with the wrong fields, is ignored. Each side also checks who
// sent it (`event.origin` and `event.source`) and posts to one origin only, never `*`.

/** The public events the frame's element fires, relayed to the page's element. */
export const RELAYED_EVENTS = [
  'tp-signed-in',
  'tp-signed-out',
  'tp-error',
  'tp-ready',
  'tp-live',
  'tp-ticket-open',
] as const;
export type RelayedEvent = (typeof RELAYED_EVENTS)[number];

/** The portal's part of the page address, `?tp-…#tp-…` (only `tp-*` parameters). */
export type AddressState = string;

/** From the page to the frame. */
export type PageMessage =
  /** The page's address moved (Back, Forward, a mail link in a loaded tab): the portal follows. */
  | { type: 'tp:address'; state: AddressState }
  /** `signOut()` on the page's element; answered with `tp:sign-out-done`. */
  | { type: 'tp:sign-out'; id: number }
  /** `openTicket(id)`, or a `tp-ticket-open` the page did not cancel. */
  | { type: 'tp:open-ticket'; id: string };

/** From the frame to the page. */
export type FrameMessage =
  /** The frame listens: the page sends what it held back. */
  | { type: 'tp:hello' }
  /** The portal's height in CSS pixels: the page sizes the frame to it. */
  | { type: 'tp:height'; height: number }
  /** The portal moved: the page records its state in its own address. */
  | { type: 'tp:address'; state: AddressState; mode: 'push' | 'replace' }
  /** The portal's own Back link: the page goes back in its history. */
  | { type: 'tp:back' }
  | { type: 'tp:event'; name: RelayedEvent; detail: unknown }
  | { type: 'tp:sign-out-done'; id: number };

const MAX_STATE = 4096;

const record = (data: unknown): Record<string, unknown> | null =>
  typeof data === 'object' && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : null;

const isState = (value: unknown): value is AddressState =>
  typeof value === 'string' && value.length <= MAX_STATE && (value === '' || /^[?#]/.test(value));

const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

/** A message from the page, or null for anything that is not one. */
export function readPageMessage(data: unknown): PageMessage | null {
  const m = record(data);
  switch (m?.type) {
    case 'tp:address':
      return isState(m.state) ? { type: m.type, state: m.state } : null;
    case 'tp:sign-out':
      return isId(m.id) ? { type: m.type, id: m.id } : null;
    case 'tp:open-ticket':
      return typeof m.id === 'string' && m.id.length > 0 && m.id.length <= 64
        ? { type: m.type, id: m.id }
        : null;
    default:
      return null;
  }
}

/** A message from the frame, or null for anything that is not one. */
export function readFrameMessage(data: unknown): FrameMessage | null {
  const m = record(data);
  switch (m?.type) {
    case 'tp:hello':
    case 'tp:back':
      return { type: m.type };
    case 'tp:height':
      return typeof m.height === 'number' && m.height >= 0 && m.height <= 100_000
        ? { type: m.type, height: m.height }
        : null;
    case 'tp:address':
      return isState(m.state) && (m.mode === 'push' || m.mode === 'replace')
        ? { type: m.type, state: m.state, mode: m.mode }
        : null;
    case 'tp:event':
      return (RELAYED_EVENTS as readonly unknown[]).includes(m.name) && record(m.detail)
        ? { type: m.type, name: m.name as RelayedEvent, detail: m.detail }
        : null;
    case 'tp:sign-out-done':
      return isId(m.id) ? { type: m.type, id: m.id } : null;
    default:
      return null;
  }
}

const PREFIX = 'tp-';

/** The `tp-*` parameters of an address, as `?…#…` (empty parts left out). */
export function stateOf(href: string): AddressState {
  const url = new URL(href);
  const query = new URLSearchParams([...url.searchParams].filter(([name]) => name.startsWith(PREFIX)));
  const hash = url.hash
    .slice(1)
    .split('&')
    .filter((pair) => pair.startsWith(PREFIX));
  const search = query.toString();
  return `${search ? `?${search}` : ''}${hash.length ? `#${hash.join('&')}` : ''}`;
}

/**
 * `href` with its `tp-*` parameters replaced by those of `state`; its other query parameters and
 * fragment parts stay as they were (a frame can change only the portal's part of the page address).
 */
export function withState(href: string, state: AddressState): string {
  const url = new URL(href);
  const next = new URL(state, 'http://tp.invalid/');
  const params = [...url.searchParams];
  const own = params.filter(([name]) => !name.startsWith(PREFIX));
  const theirs = [...next.searchParams].filter(([name]) => name.startsWith(PREFIX));
  // The query is written again only when the portal's part of it changes.
  if (own.length !== params.length || theirs.length > 0) {
    url.search = new URLSearchParams([...own, ...theirs]).toString();
  }
  const pairs = (hash: string) => hash.slice(1).split('&').filter(Boolean);
  url.hash = [
    ...pairs(url.hash).filter((pair) => !pair.startsWith(PREFIX)),
    ...pairs(next.hash).filter((pair) => pair.startsWith(PREFIX)),
  ].join('&');
  return url.href;
}
