// The portal's part of the address is a set of `tp-*` pairs inside the fragment, e.g.
// `#tp-action=confirm&tp-token=…`. Everything else in the fragment belongs to the host page.

const PREFIX = 'tp-';

export type PortalAction = 'confirm' | 'reset';

/** Screens a `#tp-screen=…` link may open (the widget's own links carry it for new tabs). */
export type LinkableScreen = 'sign-in' | 'register' | 'forgot-password';

const LINKABLE: readonly string[] = ['sign-in', 'register', 'forgot-password'];

/** The parameters of a mail link (removed once read: a token must not stay in the address). */
export const ACCOUNT_PARAMS = ['action', 'token'] as const;

export interface PortalLink {
  action: PortalAction;
  token: string;
}

const pairs = (hash: string): string[] => hash.replace(/^#/, '').split('&').filter(Boolean);

const decode = (value: string): string => {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
};

/** The `tp-*` parameters of a fragment, without their prefix. */
export function readPortalParams(hash: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const pair of pairs(hash)) {
    const [key = '', ...rest] = pair.split('=');
    if (key.startsWith(PREFIX)) params.set(key.slice(PREFIX.length), decode(rest.join('=')));
  }
  return params;
}

/** A mail link (`confirm` / `reset` with a token), or null. */
export function readPortalLink(hash: string): PortalLink | null {
  const params = readPortalParams(hash);
  const action = params.get('action');
  const token = params.get('token')?.trim() ?? '';
  if ((action === 'confirm' || action === 'reset') && token !== '') return { action, token };
  return null;
}

/** The fragment with `tp-screen` set to `screen` (or removed for null), the host page's parts kept. */
export function withLinkedScreen(hash: string, screen: LinkableScreen | null): string {
  const rest = stripPortalParams(hash, ['screen']).replace(/^#/, '');
  const own = screen ? `${PREFIX}screen=${screen}` : '';
  const joined = [rest, own].filter(Boolean).join('&');
  return joined ? `#${joined}` : '';
}

export function readLinkedScreen(hash: string): LinkableScreen | null {
  const screen = readPortalParams(hash).get('screen') ?? '';
  return LINKABLE.includes(screen) ? (screen as LinkableScreen) : null;
}

/**
 * The fragment without the given `tp-*` parameters (all of them when none are named), keeping the
 * host page's own parts, in order.
 */
export function stripPortalParams(hash: string, names?: readonly string[]): string {
  const rest = pairs(hash).filter((pair) => {
    if (!pair.startsWith(PREFIX)) return true;
    const name = pair.slice(PREFIX.length).split('=')[0] ?? '';
    return names !== undefined && !names.includes(name);
  });
  return rest.length ? `#${rest.join('&')}` : '';
}
