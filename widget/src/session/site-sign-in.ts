// Sign-in through the host site (ADR 0010), loaded on first use: most pages never set a site token,
// and the first render has no bytes to spare (ADR 0008), so it lives in the lazy chunk.
import type { ApiClient } from '../api/api-client.js';
import { errorText } from '../api/api-error.js';
import type { LoginResponse } from '../api/api-types.js';
import type { PortalRoute } from '../internal/navigation.js';
import type { Notice } from '../internal/notice.js';
import type { SessionStore } from './session-store.js';
import { messages } from '../internal/messages.js';
import { msg } from '../internal/msg.js';

/**
 * `getSiteToken` on <ticket-portal>: returns (or resolves to) a fresh token from the site's backend,
 * or null when the visitor is not signed in to the site.
 */
export type SiteTokenCallback = () => string | null | undefined | Promise<string | null | undefined>;

/**
 * Trades the site's token for a portal session (POST auth/site-token), which the store announces as
 * a sign-in. Resolves false when the site has no token for this visitor (show the sign-in screen);
 * rejects with an error whose message the visitor can read.
 */
export async function signInWithSiteToken(
  client: ApiClient,
  store: SessionStore,
  source: string | SiteTokenCallback,
): Promise<boolean> {
  let token: unknown;
  try {
    token = typeof source === 'function' ? await source() : source;
  } catch (error) {
    console.error('<ticket-portal>: getSiteToken failed', error);
    throw new Error(msg('This website could not sign you in to the portal. Reload the page to try again.'), {
      cause: error,
    });
  }
  if (typeof token !== 'string' || token.trim() === '') return false;
  const result = await client.request<LoginResponse>('POST', 'auth/site-token', {
    body: { token: token.trim() },
  });
  if (typeof result?.accessToken !== 'string' || typeof result.customer?.email !== 'string') {
    throw new Error(messages.badResponse(502));
  }
  // Tab-only: the site vouches for its visitor page by page; closing the tab ends the session.
  store.signIn(result, false);
  return true;
}

/**
 * The email a site token names, read without verifying it (the API verifies): a saved session of
 * somebody else (the site's visitor changed in this tab) must not be shown to this visitor.
 */
export function siteTokenEmail(token: string): string | null {
  try {
    const part = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(part.replace(/-/g, '+').replace(/_/g, '/'))) as { email?: unknown };
    return typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null;
  } catch {
    return null;
  }
}

/** What of <ticket-portal> the site sign-in reads and sets (it lives in the lazy chunk, ADR 0008). */
export interface SiteSignInHost {
  readonly client: ApiClient | null;
  readonly store: SessionStore | null;
  readonly getSiteToken?: SiteTokenCallback | null;
  route: PortalRoute;
  readonly validation: { run(args: []): unknown };
}

/**
 * How <ticket-portal> starts (or goes on after its session ended) when the site gave a token: the
 * saved session is checked unless the page's token names somebody else; else the site's token signs
 * the visitor in (the store announces it, and the shell shows); else Sign in, with the reason when the
 * site's token was refused. `pageToken` is the `site-token` attribute when it has not been used yet.
 */
export async function siteSignIn(
  host: SiteSignInHost,
  notice: Notice | undefined,
  pageToken: string,
): Promise<void> {
  const { client, store } = host;
  const saved = store?.current;
  if (!client || !store) return;
  if (saved) {
    const email = siteTokenEmail(pageToken);
    if (!email || email === saved.customer.email.toLowerCase()) {
      void host.validation.run([]);
      return;
    }
  }
  let route: PortalRoute | null;
  try {
    const signedIn = await signInWithSiteToken(client, store, host.getSiteToken ?? pageToken);
    if (saved) {
      // The previous visitor's session ends on the server too (best effort).
      if (signedIn) client.logout(saved.accessToken).catch(() => undefined);
      else store.clear('user');
    }
    route = signedIn ? null : { screen: 'sign-in', notice };
  } catch (error) {
    route = { screen: 'sign-in', notice: { tone: 'error', text: errorText(error) } };
  }
  // Unless api-url changed meanwhile.
  if (route && host.store === store) host.route = route;
}
