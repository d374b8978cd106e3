import { ContextProvider } from '@lit/context';
import { fixture, html, waitUntil } from './testing.js';
import { LitElement } from 'lit';
import { ApiClient } from '../src/api/api-client.js';
import { apiClientContext } from '../src/context/contexts.js';
import type { TicketPortal } from '../src/ticket-portal.js';
import '../src/ticket-portal.js';
import { FakeApi } from './fake-api.js';
import { button } from './shadow.js';

export { button };

/** Hands an ApiClient over a fake server to the <ticket-portal> inside it, through context. */
class TpTestApi extends LitElement {
  private readonly provider = new ContextProvider(this, { context: apiClientContext });

  set client(client: ApiClient) {
    this.provider.setValue(client);
  }

  override createRenderRoot() {
    return this;
  }
}
if (!customElements.get('tp-test-api')) customElements.define('tp-test-api', TpTestApi);

export interface MountOptions {
  api?: FakeApi;
  attrs?: Record<string, string>;
  /** Properties set before the element is connected (e.g. getSiteToken). */
  props?: Partial<Pick<TicketPortal, 'getSiteToken' | 'siteToken'>>;
}

export interface Mounted {
  portal: TicketPortal;
  api: FakeApi;
  client: ApiClient;
}

/** Renders <ticket-portal api-url=…> wired to a fake API and waits for its first screen. */
export async function mountPortal(options: MountOptions = {}): Promise<Mounted> {
  const api = options.api ?? new FakeApi();
  const client = new ApiClient({ baseUrl: api.baseUrl, fetch: api.fetch });
  const wrapper = await fixture<HTMLElement>(html`<tp-test-api .client=${client}></tp-test-api>`);
  const portal = document.createElement('ticket-portal');
  portal.setAttribute('api-url', api.baseUrl);
  for (const [name, value] of Object.entries(options.attrs ?? {})) portal.setAttribute(name, value);
  Object.assign(portal, options.props ?? {});
  wrapper.append(portal);
  await portal.updateComplete;
  return { portal, api, client };
}

export type ScreenTag =
  | 'tp-sign-in'
  | 'tp-register'
  | 'tp-check-inbox'
  | 'tp-confirm-account'
  | 'tp-forgot-password'
  | 'tp-reset-password'
  | 'tp-portal-shell'
  | 'tp-portal-error';

/** The screen element currently shown, once it is rendered. */
export async function screen<K extends ScreenTag>(
  portal: TicketPortal,
  tag: K,
): Promise<HTMLElementTagNameMap[K]> {
  await waitUntil(() => portal.shadowRoot?.querySelector(tag), `expected <${tag}> to be shown`, {
    timeout: 10_000,
  });
  const element = portal.shadowRoot!.querySelector(tag)!;
  await element.updateComplete;
  return element;
}

export function currentScreen(portal: TicketPortal): string | undefined {
  return portal.shadowRoot?.querySelector('.portal > *')?.localName;
}

export function $<T extends Element = HTMLElement>(host: Element, selector: string): T {
  const found = host.shadowRoot?.querySelector<T>(selector);
  if (!found) throw new Error(`<${host.localName}> has no ${selector}`);
  return found;
}

export function text(host: Element): string {
  return (host.shadowRoot?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** Types into the input labelled `label` as a person would (value + input event). */
export function fill(host: Element, label: string, value: string): HTMLInputElement {
  const labelEl = [...(host.shadowRoot?.querySelectorAll('label') ?? [])].find(
    (l) => l.textContent?.replace(/\s+/g, ' ').trim() === label,
  );
  if (!labelEl) throw new Error(`<${host.localName}> has no label "${label}"`);
  const input = (
    labelEl.htmlFor ? host.shadowRoot!.getElementById(labelEl.htmlFor) : labelEl.querySelector('input')
  ) as HTMLInputElement | null;
  if (!input) throw new Error(`label "${label}" is not tied to an input`);
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  return input;
}

export function link(host: Element, name: string): HTMLAnchorElement {
  const found = [...(host.shadowRoot?.querySelectorAll('a') ?? [])].find(
    (a) => a.textContent?.replace(/\s+/g, ' ').trim() === name,
  );
  if (!found) throw new Error(`<${host.localName}> has no link "${name}"`);
  return found;
}

/** The deepest focused element, through shadow roots. */
export function deepActiveElement(): Element | null {
  let active: Element | null = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active;
}

/** Resolves with the next event of that name heard on the document. */
export function nextEvent<T = unknown>(name: string): Promise<CustomEvent<T>> {
  return new Promise((resolve) =>
    document.addEventListener(name, (event) => resolve(event as CustomEvent<T>), { once: true }),
  );
}

export async function signIn(portal: TicketPortal, email: string, password: string, remember = false) {
  const form = await screen(portal, 'tp-sign-in');
  fill(form, 'Email', email);
  fill(form, 'Password', password);
  if (remember) $<HTMLInputElement>(form, 'input[name=remember]').checked = true;
  button(form, 'Sign in').click();
  return screen(portal, 'tp-portal-shell');
}

/** Shortens the current session so that it ends in `ms` (the widget's own expiry timer does the rest). */
export function expireSoon(portal: TicketPortal, ms: number): void {
  // Bracket access reaches the private store on purpose: the test plays the clock, nothing else.
  const store = portal['store'];
  const session = store?.current;
  if (!store || !session) throw new Error('not signed in');
  store.signIn({ ...session, expiresAt: new Date(Date.now() + ms).toISOString() }, session.remember);
}

/** Forgets what the portal kept for this tab: Web Storage and its screen in the address. */
export function clearStorage(): void {
  localStorage.clear();
  sessionStorage.clear();
  // The signed-out screen in the address (#tp-screen=register) would reopen in the next test.
  if (location.hash.includes('tp-screen=')) {
    history.replaceState(history.state, '', `${location.pathname}${location.search}`);
  }
}
