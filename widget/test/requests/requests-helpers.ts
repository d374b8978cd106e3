import { fixture, html, waitUntil } from '@open-wc/testing';
import { ApiClient } from '../../src/api/api-client.js';
import type { TicketPortal } from '../../src/ticket-portal.js';
import { FakePortalApi } from '../fake-portal-api.js';
import { clearStorage, screen, signIn } from '../helpers.js';
import { resetAddress } from '../list-helpers.js';
import { FakeRequestsApi } from './fake-requests-api.js';

export const EMAIL = 'ada@example.com';
export const PASSWORD = 'correct horse battery';

export interface SignedIn {
  portal: TicketPortal;
  accounts: FakePortalApi;
  requests: FakeRequestsApi;
  client: ApiClient;
}

export interface MountOptions {
  /** The page's query string before the portal starts (e.g. `tp-ticket=101`). */
  search?: string;
  attrs?: Record<string, string>;
  setup?: (requests: FakeRequestsApi) => void;
  signIn?: boolean;
  /** A reload: the same fake API, the storage as it was (a saved session is restored). */
  reload?: { accounts: FakePortalApi; requests: FakeRequestsApi };
}

/** <ticket-portal> over a fake API (accounts + requests), signed in as Ada. */
export async function mountSignedIn(options: MountOptions = {}): Promise<SignedIn> {
  if (!options.reload) clearStorage();
  if (options.search !== undefined || !options.reload) resetAddress(options.search ?? '');
  const accounts = options.reload?.accounts ?? new FakePortalApi();
  if (!options.reload) accounts.addAccount(EMAIL, PASSWORD, { name: 'Ada Lovelace' });
  const requests = options.reload?.requests ?? new FakeRequestsApi(accounts.baseUrl);
  options.setup?.(requests);
  const fetch = (input: string, init: RequestInit) =>
    requests.handles(input) ? requests.fetch(input, init) : accounts.fetch(input, init);
  const client = new ApiClient({ baseUrl: accounts.baseUrl, fetch });
  const wrapper = await fixture<HTMLElement>(html`<tp-test-api .client=${client}></tp-test-api>`);
  const portal = document.createElement('ticket-portal');
  portal.setAttribute('api-url', accounts.baseUrl);
  for (const [name, value] of Object.entries(options.attrs ?? {})) portal.setAttribute(name, value);
  wrapper.append(portal);
  await portal.updateComplete;
  if (options.reload) await screen(portal, 'tp-portal-shell');
  else if (options.signIn !== false) await signIn(portal, EMAIL, PASSWORD);
  return { portal, accounts, requests, client };
}

/** The element shown in the shell's main slot, once it is rendered. */
export async function view<K extends 'tp-ticket-page' | 'tp-request-form' | 'tp-ticket-list'>(
  portal: TicketPortal,
  tag: K,
): Promise<HTMLElementTagNameMap[K]> {
  await waitUntil(() => portal.shadowRoot?.querySelector(tag)?.shadowRoot, `expected <${tag}>`, {
    timeout: 4000,
  });
  const element = portal.shadowRoot!.querySelector(tag)!;
  await element.updateComplete;
  return element;
}

export const shell = (portal: TicketPortal) => portal.shadowRoot!.querySelector('tp-portal-shell')!;

export const tpParams = (): Record<string, string> =>
  Object.fromEntries([...new URLSearchParams(window.location.search)].filter(([k]) => k.startsWith('tp-')));

export function afterEachRequests(): void {
  resetAddress('');
  clearStorage();
}
