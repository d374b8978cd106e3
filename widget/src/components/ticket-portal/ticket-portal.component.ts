import { ContextConsumer, ContextProvider } from '@lit/context';
import { Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { ApiClient } from '../../api/api-client.js';
import { ApiError, NetworkError } from '../../api/api-error.js';
import type { Customer, PortalInfo } from '../../api/api-types.js';
import { apiClientContext, portalConfigContext, sessionStoreContext } from '../../context/contexts.js';
import type { PortalConfig } from '../../context/portal-config.js';
import { LanguageController } from '../../controllers/language.controller.js';
import { LocationController, type AddressIntent } from '../../controllers/location.controller.js';
import { SessionController } from '../../controllers/session.controller.js';
import { emit } from '../../events/portal-events.js';
import { messages } from '../../internal/messages.js';
import { safeUrl } from '../../internal/help.js';
import { loadView, prefetchView, viewReady, type LazyView } from '../../internal/lazy-views.js';
import { type NavigateEvent, type PortalRoute, type ShellView } from '../../internal/navigation.js';
import { SCREEN_PARTS, TICKET_PAGE_PARTS } from '../../internal/parts.js';
import type { Notice } from '../../internal/notice.js';
import type { StringOverrides } from '../../internal/locale.js';
import { PortalElement } from '../../internal/portal-element.js';
import type { PortalScreen } from '../../internal/portal-screen.js';
import { memoryAddress, pageAddress, type Address } from '../../internal/page-address.js';
import { readShellView, writeShellView } from '../../internal/shell-address.js';
import { readLinkedScreen } from '../../controllers/portal-fragment.js';
import { forgetTypedEmail } from '../../internal/typed-email.js';
import { SessionStore, type SessionChangeEvent } from '../../session/session-store.js';
import type * as LazyChunk from '../../internal/lazy-chunk.js';
import type { SiteSignInHost, SiteTokenCallback } from '../../session/site-sign-in.js';
import type { Framing } from '../../frame/framing.js';
import '../portal-error/portal-error.js';
import '../portal-shell/portal-shell.js';
import '../sign-in/sign-in.js';
import type { TpTicketOpenDetail, TpTicketOpenEvent } from '../../events/ticket-events.js';
import { TICKET_LIST_PARTS } from '../ticket-list/ticket-list.js';
import styles from './ticket-portal.styles.js';

/**
 * The customer support portal: register, confirm, sign in, reset a password, and (signed in) the
 * customer's tickets. Paste `<script type="module" src="…/ticket-portal.js"></script>` and
 * `<ticket-portal api-url="https://portal-api.example.com"></ticket-portal>` into any page.
 *
 * @summary Embeddable customer support portal (HubSpot Service Hub tickets).
 *
 * @fires {CustomEvent<TpSignedInDetail>} tp-signed-in - A customer signed in, or a saved session was restored at load (`detail.restored`).
 * @fires {CustomEvent<TpSignedOutDetail>} tp-signed-out - The session ended: `detail.reason` is `user`, `expired`, `unauthorized`, `password-reset` or `other-window`.
 * @fires {CustomEvent<TpLiveDetail>} tp-live - The live connection changed (signed in): `detail.state` is `live`, `reconnecting`, `offline` or `polling`; `detail.since` is when it last received anything.
 * @fires {CustomEvent<TpReadyDetail>} tp-ready - The portal shows its first screen (once per element): `detail.signedIn` says whether that is the customer's tickets. Its methods can be called from here on.
 * @fires {CustomEvent<TpTicketOpenDetail>} tp-ticket-open - The customer chose a ticket in the list; cancelable: `preventDefault()` keeps the list on screen (open your own page for `detail.ticket` instead).
 * @fires {CustomEvent<TpErrorDetail>} tp-error - The portal could not do something for a reason other than what the customer typed: the API is unreachable or failed, `api-url` is missing, or the page's origin is not in the API's `PORTAL_ORIGINS` (`ORIGIN_NOT_ALLOWED`).
 *
 * @csspart base - The wrapper around every screen.
 * @csspart loading - The "Loading your account…" indicator.
 * @csspart screen - The card that holds a signed-out screen.
 * @csspart heading - Each screen's heading.
 * @csspart form - Each form.
 * @csspart field - A label, hint, input and error group.
 * @csspart label - Field labels (and the Remember me label).
 * @csspart input - Text, email and password inputs.
 * @csspart checkbox - The Remember me checkbox.
 * @csspart hint - Help text under a label (password rules, the one-time password note).
 * @csspart field-error - A field's error message.
 * @csspart button - Every button.
 * @csspart button-secondary - Less prominent buttons (Sign out, Resend, Retry); also has part `button`.
 * @csspart link - Links between screens and to support.
 * @csspart alert - Errors and warnings (role=alert).
 * @csspart notice - Confirmations and information (role=status).
 * @csspart help - The "Need Help?" line.
 * @csspart shell - The signed-in frame.
 * @csspart header - The signed-in header bar.
 * @csspart user - "Signed in as …".
 * @csspart main - The region that holds the tickets, a ticket's page or the request form.
 * @csspart new-request - The "Submit a Request" button (also `button`).
 * @csspart placeholder - "Your tickets will appear here." (only if the list cannot be drawn).
 * @csspart back - "← Back to your tickets" (also `link`).
 * @csspart ticket - The ticket page's and the request form's wrapper.
 * @csspart ticket-heading - The ticket's subject (also `heading`).
 * @csspart details - The ticket's fields.
 * @csspart sync-state - "Sending to support…", or why support could not receive the request.
 * @csspart description - The ticket's description.
 * @csspart conversation - The conversation, oldest first.
 * @csspart message - A message (`data-from="customer"` or `"support"`).
 * @csspart message-body - A message's text (support's HTML, cleaned).
 * @csspart reply - The reply form.
 * @csspart textarea - The description and reply boxes.
 * @csspart select - Priority and Category.
 *
 * @cssprop [--tp-color-primary=#1d4ed8] - Buttons and accents (dark theme: #60a5fa).
 * @cssprop [--tp-color-primary-hover=#1e40af] - Button hover (dark: #93c5fd).
 * @cssprop [--tp-color-primary-contrast=#fff] - Text on primary buttons (dark: #111827).
 * @cssprop [--tp-color-text=#1f2937] - Body text (dark: #f3f4f6).
 * @cssprop [--tp-color-muted=#4b5563] - Secondary text (dark: #9ca3af).
 * @cssprop [--tp-color-link=#1d4ed8] - Links (dark: #93c5fd).
 * @cssprop [--tp-color-background=#fff] - Inputs, the table and cards (dark: #1f2937).
 * @cssprop [--tp-color-surface=#fff] - The portal's own background and its cards (dark: #111827).
 * @cssprop [--tp-color-border=#d1d5db] - Card and divider borders (dark: #4b5563).
 * @cssprop [--tp-color-input-border=#6b7280] - Input borders (dark: #9ca3af).
 * @cssprop [--tp-color-focus=#2563eb] - Focus ring (dark: #93c5fd).
 * @cssprop [--tp-color-danger=#b91c1c] - Error text and borders (dark: #fca5a5).
 * @cssprop [--tp-color-danger-surface=#fef2f2] - Error background (dark: #450a0a).
 * @cssprop [--tp-color-success=#166534] - Success text (dark: #86efac).
 * @cssprop [--tp-color-success-surface=#f0fdf4] - Success background (dark: #052e16).
 * @cssprop [--tp-color-info-surface=#eff6ff] - Information background (dark: #172554).
 * @cssprop [--tp-color-hover=rgb(0 0 0/4%)] - A row under the pointer (dark: rgb(255 255 255/8%)).
 * @cssprop [--tp-color-skeleton=#e6e9ed] - Placeholder rows while loading (dark: #374151).
 * @cssprop [--tp-color-skeleton-highlight=#f3f5f7] - Their shimmer (dark: #4b5563).
 * @cssprop [--tp-font-family=system-ui, …] - Font.
 * @cssprop [--tp-font-size=medium] - Base font size (the visitor's default size, not the page's); every size and space inside is in em of it.
 * @cssprop [--tp-radius=.375em] - Corner radius of cards, inputs and buttons.
 * @cssprop [--tp-space-xs=.25em] - Smallest spacing step.
 * @cssprop [--tp-space-s=.5em] - Small spacing step.
 * @cssprop [--tp-space-m=1em] - Medium spacing step.
 * @cssprop [--tp-space-l=1.5em] - Large spacing step.
 * @cssprop [--tp-form-width=30em] - Maximum width of the signed-out screens.
 */
export class TicketPortal extends PortalElement {
  static override styles = styles;

  /** Base URL of the portal API, e.g. `https://portal-api.example.com` (required). */
  @property({ attribute: 'api-url' }) apiUrl = '';

  /**
   * Link for "contact the … Support team" in "Need Help?" (http, https or mailto). Without it the
   * API's support contact is used (GET /api/v1/portal: SUPPORT_URL, else a mailto: to SUPPORT_EMAIL).
   */
  @property({ attribute: 'support-url' }) supportUrl = '';

  /** Company whose support team customers contact, e.g. `Synchtank` → "Synchtank Support"; else the API's SUPPORT_NAME. */
  @property({ attribute: 'company-name' }) companyName = '';

  /**
   * BCP 47 language tag, e.g. `de` or `en-GB`: the interface language (English, German, French,
   * Spanish or Arabic; English for any other) and the format of dates and numbers. Defaults to the browser's.
   */
  @property() locale = '';

  /**
   * Replacement texts, as JSON in the attribute or an object: `{"Need Help?": "Questions?"}`. Keys are
   * the English text of a message (`{0}` for its values), in every language (docs/embedding.md).
   */
  @property({ type: Object }) strings: StringOverrides | null = null;

  /**
   * `auto` (the default: light or dark as the visitor's system is set, `prefers-color-scheme`),
   * `light` or `dark`. Pin it on a page that has only one of them.
   */
  @property({ reflect: true }) theme: 'auto' | 'light' | 'dark' = 'auto';

  /**
   * `off` keeps the portal out of the page's address and history: its list state, ticket pages and
   * screens live in memory (Back and a reload do not see them). Mail links still work.
   */
  @property() address: '' | 'off' = '';

  /** The ticket list's first view: `table` (default) or `card`. */
  @property() view: 'table' | 'card' = 'table';

  /** Tickets per page in the list (1–100, default 25). */
  @property({ attribute: 'page-size', type: Number }) pageSize = 25;

  /**
   * A sign-in token (JWT) your site's backend made for the visitor it knows: they are signed in without
   * a password. Single use and valid for at most 10 minutes, so render a new one with each page.
   */
  @property({ attribute: 'site-token' }) siteToken = '';

  /**
   * `async () => token`: a fresh site token from your backend (or null when the visitor is not signed
   * in to your site). Called when the portal has no session and whenever its session ends.
   */
  @property({ attribute: false }) getSiteToken?: SiteTokenCallback | null;

  /**
   * `iframe`: the portal runs in a frame served by the API (`/widget/frame`), out of reach of the
   * page's scripts and styles; set it before the element starts. (`frame` is that frame's element.)
   */
  @property() mode: '' | 'shadow' | 'iframe' | 'frame' = '';
  /** The iframe mode's link between the page and the frame (src/frame/, loaded on use; ADR 0013). */
  private framing: Framing | null = null;
  private framingLoad: Promise<unknown> | null = null;

  @state() private route: PortalRoute = { screen: 'loading' };
  /** The lazy view's code: being fetched, or failed (Retry). */
  @state() private viewLoad: '' | 'loading' | 'failed' = '';
  /** GET /portal: the support contact for "Need Help?" and the sign-in methods that are on. */
  @state() private info: PortalInfo | null = null;

  private readonly clientProvider = new ContextProvider(this, { context: apiClientContext });
  private readonly storeProvider = new ContextProvider(this, { context: sessionStoreContext });
  private readonly configProvider = new ContextProvider(this, { context: portalConfigContext });
  // A host app or a test may hand in its own ApiClient (e.g. over a fake server) from above.
  private injectedClient: ApiClient | undefined;

  private client: ApiClient | null = null;
  private store: SessionStore | null = null;
  private readonly text = new LanguageController(this);
  private readonly session = new SessionController(this, (event) => this.onSessionChange(event));
  private readonly location = new LocationController(
    this,
    (intent) => this.follow(intent),
    () => this.addr,
  );
  /** Where the portal's state lives: the page's address, or memory (`address="off"`). */
  private addr: Address = pageAddress;
  private ready = false;
  private focusOnUpdate = false;
  // GET portal said this page's origin is not in PORTAL_ORIGINS: nothing else can work here.
  private originRefused = false;
  private portalCheck: Promise<unknown> = Promise.resolve();
  // The current entry was pushed by us from the list, so the widget's Back can be history.back().
  private cameFromList = false;
  // The row of the last tp-ticket-open the page cancelled (openTicket of that id draws it at once).
  private heldTicket: TpTicketOpenDetail['ticket'] | undefined;

  private readonly validation = new Task<[], Customer>(this, {
    autoRun: false,
    task: (_args, { signal }) => {
      if (!this.client) throw new Error('no client');
      return this.client.me(signal);
    },
    onComplete: (customer) => {
      this.store?.updateCustomer(customer);
      this.route = { screen: 'shell', view: readShellView(this.addr) };
      emit(this, 'tp-signed-in', { customer, restored: true });
    },
    onError: (error) => {
      // A 401 already ended the session (SessionController); anything else may pass with a retry.
      if (error instanceof ApiError && error.status === 401) return;
      // On a page not in PORTAL_ORIGINS every call fails like this one: GET portal says which it is.
      void this.portalCheck.then(() => {
        if (this.originRefused) return;
        const message = error instanceof NetworkError ? messages.unreachable : (error as Error).message;
        this.route = { screen: 'error', message, retry: true };
        emit(this, 'tp-error', {
          code: error instanceof ApiError || error instanceof NetworkError ? error.code : 'UNEXPECTED',
          message,
          status: error instanceof ApiError ? error.status : null,
        });
      });
    },
  });

  constructor() {
    super();
    // Asks the ancestors (our own provider ignores requests from its host); kept by the host as a controller.
    new ContextConsumer(this, {
      context: apiClientContext,
      callback: (client) => (this.injectedClient = client),
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.validation.abort();
    window.removeEventListener('popstate', this.onPopState);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    if (!this.hasUpdated) return;
    // Moved in the page (frameworks do that): carry on, unless a check was cut off by the move or
    // the session ended while the element was detached (its timers were off meanwhile).
    if (this.route.screen === 'loading') this.start();
    // The store announces the expiry (onSessionChange shows Sign in, or the site signs in again).
    else if (this.route.screen === 'shell' && !this.store?.current) this.store?.clear('expired');
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('address') || changed.has('mode')) this.addr = this.pickAddress();
    if (this.mode === 'iframe') this.framing?.update();
    if (
      changed.has('apiUrl') ||
      changed.has('supportUrl') ||
      changed.has('companyName') ||
      changed.has('locale') ||
      changed.has('view') ||
      changed.has('pageSize') ||
      changed.has('address') ||
      changed.has('info' as keyof TicketPortal)
    ) {
      this.configProvider.setValue(this.config());
    }
    if (changed.has('apiUrl') || !this.hasUpdated) this.setUp();
    if (changed.has('route' as keyof TicketPortal) && this.hasUpdated) {
      // Follow the person into the new screen only if they were inside the widget: never take
      // focus away from the host page (an expiry while they read something else, say).
      this.focusOnUpdate = this.matches(':focus-within');
    }
    if (changed.has('route' as keyof TicketPortal)) {
      this.writeScreenAddress(changed.get('route' as keyof TicketPortal) as PortalRoute | undefined);
      this.loadRouteView();
    }
  }

  /**
   * Register and Forgot password live in the address (`#tp-screen=…`): moving between them and Sign in
   * adds a history entry, so Back and Forward move between the screens and a reload reopens the same
   * one. Every other screen takes the parameter out without an entry of its own.
   */
  private writeScreenAddress(previous: PortalRoute | undefined): void {
    const screen = this.route.screen;
    const linkable = (s: string | undefined) =>
      s === 'sign-in' || s === 'register' || s === 'forgot-password';
    this.location.writeScreen(
      screen === 'register' || screen === 'forgot-password' ? screen : null,
      linkable(screen) && linkable(previous?.screen) ? 'push' : 'replace',
    );
  }

  /** The lazy part the current screen needs, if any. */
  private neededView(): LazyView | null {
    const route = this.route;
    if (route.screen === 'shell') {
      const kind = route.view?.kind;
      return kind === 'ticket' || kind === 'new' ? kind : null;
    }
    // Every other screen but the first ones (register, check inbox, confirm, forgot and reset password).
    return ['loading', 'sign-in', 'error'].includes(route.screen) ? null : 'accounts';
  }

  /**
   * Fetches the code of the screen about to be shown; prefetches Register & co. when idle on Sign in.
   * (Signed in, the list loads the same chunk for its live updates once it has drawn its rows.)
   */
  private loadRouteView(): void {
    const view = this.neededView();
    if (!view || viewReady(view)) {
      this.viewLoad = '';
      if (this.route.screen === 'sign-in') setTimeout(() => prefetchView('accounts'), 1500);
      return;
    }
    this.viewLoad = 'loading';
    const route = this.route;
    loadView(view).then(
      () => {
        if (this.route === route) this.viewLoad = '';
      },
      (error: unknown) => {
        if (this.route !== route) return;
        this.viewLoad = 'failed';
        console.error('<ticket-portal>: could not load part of the portal', error);
      },
    );
  }

  private readonly onPopState = (): void => {
    const screen = this.route.screen;
    if (!this.addr.page) return;
    if (screen === 'sign-in' || screen === 'register' || screen === 'forgot-password') {
      // Back or Forward between Sign in, Register and Forgot password (writeScreenAddress).
      const next = readLinkedScreen(new URL(this.addr.href).hash) ?? 'sign-in';
      if (next !== screen) this.go({ screen: next });
      return;
    }
    if (screen !== 'shell') return;
    const view = readShellView(this.addr);
    const current = this.route.view ?? { kind: 'list' };
    if (
      view.kind === current.kind &&
      (view.kind !== 'ticket' || (current.kind === 'ticket' && view.id === current.id))
    ) {
      return;
    }
    this.cameFromList = false;
    this.route = { screen: 'shell', view };
  };

  private readonly onTicketOpen = (event: TpTicketOpenEvent): void => {
    // The page hears it from the element itself, and may cancel it before the ticket opens.
    event.stopPropagation();
    const ticket = event.detail.ticket;
    const open = new CustomEvent(event.type, {
      detail: { ticket },
      bubbles: true,
      composed: true,
      cancelable: true,
    });
    if (!this.dispatchEvent(open)) {
      // The page may still open it with openTicket(id), as the iframe mode's page does: keep the row.
      this.heldTicket = ticket;
      return;
    }
    this.go({ screen: 'shell', view: { kind: 'ticket', id: ticket.localId, ticket }, history: 'push' });
  };

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.ready && this.route.screen !== 'loading' && this.text.version) {
      this.ready = true;
      emit(this, 'tp-ready', { signedIn: this.route.screen === 'shell' });
    }
    // A screen whose code is still on its way takes focus once it is there.
    if (!this.focusOnUpdate || this.viewLoad === 'loading') return;
    this.focusOnUpdate = false;
    const screen = this.renderRoot.querySelector<PortalScreen>('.portal > *');
    if (screen && 'focusHeading' in screen) {
      void screen.updateComplete.then(() => screen.focusHeading());
    }
  }

  private config(): PortalConfig {
    return {
      apiUrl: this.apiUrl.trim(),
      supportUrl: this.supportUrl ? safeUrl(this.supportUrl.trim()) : '',
      companyName: this.companyName,
      locale: this.locale,
      view: this.view === 'card' ? 'card' : 'table',
      pageSize: Number.isInteger(this.pageSize) && this.pageSize > 0 ? this.pageSize : 25,
      support: this.info?.support,
      address: this.addr,
    };
  }

  /**
   * Where the portal's state lives: memory with `address="off"`, and for the page's element in the
   * iframe mode (the frame holds the state and relays it); the page's address, relayed, in the frame.
   */
  private pickAddress(): Address {
    if (this.address === 'off' || this.mode === 'iframe') return memoryAddress();
    if (this.mode === 'frame') return this.framing?.address ?? memoryAddress();
    return pageAddress;
  }

  /** Loads the iframe mode's side of this element; the frame's element starts once it is there. */
  private loadFraming(): void {
    this.framingLoad ??= import('../../frame/framing.js').then(
      ({ attachFraming }) => {
        this.framing = attachFraming(this);
        this.addr = this.pickAddress();
        this.requestUpdate();
      },
      (error: unknown) => {
        this.route = { screen: 'error', message: messages.loadFailed, retry: false };
        console.error('<ticket-portal>: could not load part of the portal', error);
      },
    );
  }

  /** (Re)builds the services for the current api-url, then picks the first screen. */
  private setUp(): void {
    // The frame's element: its api-url and address come with the frame's side (framing.ts).
    if (this.mode === 'frame' && !this.framing) return this.loadFraming();
    const apiUrl = this.apiUrl.trim();
    if (!apiUrl) {
      this.client = this.store = null;
      this.route = { screen: 'error', message: messages.missingApiUrl, retry: false };
      console.error(`<ticket-portal>: ${messages.missingApiUrl}`);
      emit(this, 'tp-error', {
        code: 'CONFIG_MISSING_API_URL',
        message: messages.missingApiUrl,
        status: null,
      });
      return;
    }
    this.client = this.injectedClient ?? new ApiClient({ baseUrl: apiUrl });
    if (this.mode === 'iframe') {
      // The frame is the portal and holds the session: this element only shows it, once GET portal
      // has not refused this page (the frame could not be shown on it).
      this.originRefused = false;
      this.loadPortal(this.client, apiUrl);
      return this.loadFraming();
    }
    this.store = new SessionStore(apiUrl);
    this.session.bind(this.store, this.client);
    this.clientProvider.setValue(this.client);
    this.storeProvider.setValue(this.store);
    this.originRefused = false;
    this.loadPortal(this.client, apiUrl);
    this.start();
  }

  /**
   * GET portal, which any page may read: whether this page may use the portal at all (a browser
   * hides a CORS refusal, so every other call would look like "offline"), the support contact for
   * "Need Help?" and whether password sign-in is on.
   */
  private loadPortal(client: ApiClient, apiUrl: string): void {
    this.info = null;
    this.portalCheck = client.portal().then(
      (info) => {
        if (this.client !== client) return;
        if (typeof info?.support?.name === 'string') this.info = info;
        if (info?.originAllowed === false) this.refuseOrigin(apiUrl);
      },
      () => undefined,
    );
  }

  private refuseOrigin(apiUrl: string): void {
    const origin = window.location.origin;
    this.originRefused = true;
    this.validation.abort();
    this.route = { screen: 'error', message: messages.originNotAllowed, retry: false };
    console.error(
      `<ticket-portal>: this page's origin ${origin} is not in PORTAL_ORIGINS of the portal API at ${apiUrl}, which refuses its calls. Add ${origin} to PORTAL_ORIGINS on the API.`,
    );
    emit(this, 'tp-error', { code: 'ORIGIN_NOT_ALLOWED', message: messages.originNotAllowed, status: 403 });
  }

  private start(): void {
    if (!this.store) return;
    const intent = this.location.consume();
    if (intent.link || intent.screen) this.follow(intent);
    else this.resume();
  }

  /**
   * Checks the saved session; without one, the host site's token (if it gave one) signs the visitor
   * in, with code from the lazy chunk (ADR 0010), which the shell needs soon anyway; else Sign in.
   */
  private resume(notice?: Notice, token = this.siteToken): void {
    const store = this.store!;
    this.route = { screen: 'loading' };
    if (token || (this.getSiteToken && !store.current)) {
      loadView('accounts').then(
        (chunk) => (chunk as typeof LazyChunk).siteSignIn(this as unknown as SiteSignInHost, notice, token),
        () => (this.route = { screen: 'error', message: messages.loadFailed, retry: true }),
      );
    } else if (store.current) void this.validation.run([]);
    else this.route = { screen: 'sign-in', notice };
  }

  private follow(intent: AddressIntent): void {
    if (intent.link?.action === 'confirm') this.route = { screen: 'confirm', token: intent.link.token };
    else if (intent.link?.action === 'reset') {
      this.route = { screen: 'reset-password', token: intent.link.token };
    } else if (intent.screen) this.go({ screen: intent.screen });
  }

  private go(route: PortalRoute): void {
    if (route.screen === 'loading') {
      this.start();
    } else if ((route.screen === 'sign-in' || route.screen === 'register') && this.store?.current) {
      this.route = { screen: 'shell', view: readShellView(this.addr) };
    } else if (route.screen === 'shell') {
      this.show(route.view ?? readShellView(this.addr), route.history);
    } else {
      this.route = route;
    }
  }

  /** Moves the signed-in shell to a view, recording it in the page address. */
  private show(view: ShellView, history?: 'push' | 'replace' | 'back'): void {
    if (
      history === 'back' &&
      this.cameFromList &&
      this.addr.page &&
      readShellView(this.addr).kind !== 'list'
    ) {
      // Back to the entry the customer came from: the list's state (search, filters, page) as it was.
      this.cameFromList = false;
      this.addr.back();
      return;
    }
    if (history) writeShellView(this.addr, view, history === 'back' ? 'push' : history);
    const fromList = this.route.screen === 'shell' && (this.route.view?.kind ?? 'list') === 'list';
    if (history === 'push') this.cameFromList = fromList;
    this.route = { screen: 'shell', view };
  }

  private readonly onNavigate = (event: Event): void => {
    event.stopPropagation();
    this.go((event as NavigateEvent).route);
  };

  private onSessionChange(event: SessionChangeEvent): void {
    switch (event.reason) {
      case 'signed-in':
        forgetTypedEmail();
        if (event.session) {
          this.route = { screen: 'shell', view: readShellView(this.addr) };
          emit(this, 'tp-signed-in', { customer: event.session.customer, restored: false });
        }
        break;
      case 'restored':
      case 'updated':
        break;
      case 'user':
      case 'other-window':
      case 'expired':
      case 'unauthorized':
      case 'password-reset': {
        emit(this, 'tp-signed-out', { reason: event.reason });
        if (this.route.screen !== 'shell' && this.route.screen !== 'loading') break;
        const ended = event.reason === 'expired' || event.reason === 'unauthorized';
        const notice: Notice = ended
          ? { tone: 'warning', text: messages.sessionExpired }
          : { tone: 'info', text: messages.signedOut };
        // A site that hands out fresh tokens signs its visitor in again, and so does the page's own
        // token when the saved session it deferred to turns out to be gone (still loading); else Sign in.
        if (ended) this.resume(notice, this.route.screen === 'loading' ? this.siteToken : '');
        else this.route = { screen: 'sign-in', notice };
        break;
      }
    }
  }

  /**
   * Signs the customer out, as the Sign out button does (in every element of this API on the page).
   * Resolves once the API was told (best effort: the session ends here at once either way).
   */
  async signOut(): Promise<void> {
    if (this.mode === 'iframe') return this.framing?.signOut();
    const token = this.store?.current?.accessToken;
    this.store?.clear('user');
    if (token) await this.client?.logout(token).catch(() => undefined);
  }

  /**
   * Opens a ticket's page by the portal's id for it (`detail.ticket.localId` of `tp-ticket-open`);
   * when nobody is signed in yet, it opens once the customer has signed in.
   */
  openTicket(id: string): void {
    if (this.mode === 'iframe') return this.framing?.openTicket(String(id));
    const ticket = this.heldTicket?.localId === String(id) ? this.heldTicket : undefined;
    const view: ShellView = { kind: 'ticket', id: String(id), ticket };
    if (this.route.screen === 'shell') this.go({ screen: 'shell', view, history: 'push' });
    else writeShellView(this.addr, view, 'push');
  }

  override render() {
    return html`<div
      class="portal"
      part="base"
      lang=${this.text.lang}
      dir=${this.text.lang.startsWith('ar') ? 'rtl' : 'ltr'}
      @tp-navigate=${this.onNavigate}
      @tp-ticket-open=${this.onTicketOpen}
      @tp-view-retry=${() => this.loadRouteView()}
    >
      ${
        this.mode === 'iframe' && this.route.screen === 'loading' && this.framing
          ? this.framing.view
          : this.text.version
            ? keyed(this.text.version, this.renderRoute())
            : nothing
      }
    </div>`;
  }

  private renderRoute() {
    const route = this.route;
    if (route.screen !== 'shell' && this.viewLoad === 'loading') return this.renderLoading();
    if (route.screen !== 'shell' && this.viewLoad === 'failed') {
      return html`<tp-portal-error
        exportparts=${SCREEN_PARTS}
        .message=${messages.loadFailed}
        .canRetry=${true}
        .retryAction=${() => this.loadRouteView()}
      ></tp-portal-error>`;
    }
    switch (route.screen) {
      case 'loading':
        return this.renderLoading();
      case 'sign-in':
        // PASSWORD_LOGIN=off: no form; why the site could not sign the visitor in, Retry with a fresh token.
        if (this.info?.signIn?.password === false) {
          return html`<tp-portal-error
            exportparts=${SCREEN_PARTS}
            .message=${route.notice?.text ?? messages.passwordOff}
            .canRetry=${!!this.getSiteToken}
          ></tp-portal-error>`;
        }
        return html`<tp-sign-in
          exportparts=${SCREEN_PARTS}
          .notice=${route.notice ?? null}
          .email=${route.email ?? ''}
        ></tp-sign-in>`;
      case 'register':
        return html`<tp-register exportparts=${SCREEN_PARTS}></tp-register>`;
      case 'check-inbox':
        return html`<tp-check-inbox
          exportparts=${SCREEN_PARTS}
          .reason=${route.reason}
          .email=${route.email}
          .message=${route.message}
        ></tp-check-inbox>`;
      case 'confirm':
        // Keyed by token: another mail link gets a fresh element, so its token is used too.
        return keyed(
          route.token,
          html`<tp-confirm-account exportparts=${SCREEN_PARTS} .token=${route.token}></tp-confirm-account>`,
        );
      case 'forgot-password':
        return html`<tp-forgot-password
          exportparts=${SCREEN_PARTS}
          .email=${route.email ?? ''}
        ></tp-forgot-password>`;
      case 'reset-password':
        // Keyed by token: another mail link gets a fresh element, so its token is used too.
        return keyed(
          route.token,
          html`<tp-reset-password exportparts=${SCREEN_PARTS} .token=${route.token}></tp-reset-password>`,
        );
      case 'shell': {
        // The list, a ticket's page or the request form fills the shell's `main` slot; each reads
        // the API client and config from context. The last two arrive on first use (lazy-views.ts).
        const view = route.view ?? { kind: 'list' };
        return html`<tp-portal-shell
          exportparts=${SCREEN_PARTS}
          .customer=${this.store?.current?.customer ?? null}
          .view=${view.kind}
          .loadState=${this.viewLoad}
        >
          ${this.renderShellView(view)}
        </tp-portal-shell>`;
      }
      case 'error':
        return html`<tp-portal-error
          exportparts=${SCREEN_PARTS}
          .message=${route.message}
          .canRetry=${route.retry}
        ></tp-portal-error>`;
    }
  }

  private renderLoading() {
    return html`<div class="loading" part="loading" role="status">
      <span class="spinner" aria-hidden="true"></span>${messages.loading}
    </div>`;
  }

  private renderShellView(view: ShellView) {
    if (view.kind === 'list') {
      return html`<tp-ticket-list slot="main" exportparts=${TICKET_LIST_PARTS}></tp-ticket-list>`;
    }
    if (this.viewLoad) return nothing;
    return view.kind === 'ticket'
      ? keyed(
          view.id,
          html`<tp-ticket-page
            slot="main"
            exportparts=${TICKET_PAGE_PARTS}
            .ticketId=${view.id}
            .initial=${view.ticket ?? null}
            .notice=${view.notice ?? null}
          ></tp-ticket-page>`,
        )
      : html`<tp-request-form slot="main" exportparts=${TICKET_PAGE_PARTS}></tp-request-form>`;
  }
}
