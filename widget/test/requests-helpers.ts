import { fixture, html, waitUntil } from './testing.js';
import { ApiClient } from '../src/api/api-client.js';
import { uploadTransport } from '../src/requests/attachments-api.js';
import type { TicketPortal } from '../src/ticket-portal.js';
import { FakeApi } from './fake-api.js';
import { clearStorage, screen, signIn } from './helpers.js';
import { resetAddress } from './list-helpers.js';

export const EMAIL = 'ada@example.com';
export const PASSWORD = 'correct horse battery';

export interface SignedIn {
  portal: TicketPortal;
  api: FakeApi;
  client: ApiClient;
}

export interface MountOptions {
  /** The page's query string before the portal starts (e.g. `tp-ticket=101`). */
  search?: string;
  attrs?: Record<string, string>;
  setup?: (api: FakeApi) => void;
  signIn?: boolean;
  /** A reload: the same fake API, the storage as it was (a saved session is restored). */
  reload?: { api: FakeApi };
}

/** <ticket-portal> over the fake API, with Synchtank's support contact, signed in as Ada. */
export async function mountSignedIn(options: MountOptions = {}): Promise<SignedIn> {
  if (!options.reload) clearStorage();
  if (options.search !== undefined || !options.reload) resetAddress(options.search ?? '');
  let api = options.reload?.api;
  if (!api) {
    api = new FakeApi();
    api.addAccount(EMAIL, PASSWORD, { name: 'Ada Lovelace' });
    api.support = { url: null, email: 'help@synchtank.example', name: 'Synchtank Support' };
  }
  options.setup?.(api);
  // Uploads go through XMLHttpRequest (for its progress events): this fake's stand-in answers them.
  uploadTransport.create = api.xhr;
  const client = new ApiClient({ baseUrl: api.baseUrl, fetch: api.fetch });
  const wrapper = await fixture<HTMLElement>(html`<tp-test-api .client=${client}></tp-test-api>`);
  const portal = document.createElement('ticket-portal');
  portal.setAttribute('api-url', api.baseUrl);
  for (const [name, value] of Object.entries(options.attrs ?? {})) portal.setAttribute(name, value);
  wrapper.append(portal);
  await portal.updateComplete;
  if (options.reload) await screen(portal, 'tp-portal-shell');
  else if (options.signIn !== false) await signIn(portal, EMAIL, PASSWORD);
  return { portal, api, client };
}

/** The element shown in the shell's main slot, once it is rendered. */
export async function view<K extends 'tp-ticket-page' | 'tp-request-form' | 'tp-ticket-list'>(
  portal: TicketPortal,
  tag: K,
): Promise<HTMLElementTagNameMap[K]> {
  await waitUntil(() => portal.shadowRoot?.querySelector(tag)?.shadowRoot, `expected <${tag}>`, {
    timeout: 10_000,
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
