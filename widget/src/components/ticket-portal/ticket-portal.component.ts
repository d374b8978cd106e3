import { ContextConsumer, ContextProvider } from '@lit/context';
import { Task } from '@lit/task';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { keyed } from 'lit/directives/keyed.js';
import { ApiClient } from '../../api/api-client.js';
import { ApiError, NetworkError } from '../../api/api-error.js';
import type { Customer } from '../../api/api-types.js';
import { apiClientContext, portalConfigContext, sessionStoreContext } from '../../context/contexts.js';
import type { PortalConfig } from '../../context/portal-config.js';
import { LocationController, type AddressIntent } from '../../controllers/location.controller.js';
import { SessionController } from '../../controllers/session.controller.js';
import { emit } from '../../events/portal-events.js';
import { messages } from '../../internal/messages.js';
import { type NavigateEvent, type PortalRoute } from '../../internal/navigation.js';
import { SCREEN_PARTS } from '../../internal/parts.js';
import { PortalElement } from '../../internal/portal-element.js';
import type { PortalScreen } from '../../internal/portal-screen.js';
import { SessionStore, type SessionChangeEvent } from '../../session/session-store.js';
import '../check-inbox/check-inbox.js';
import '../confirm-account/confirm-account.js';
import '../forgot-password/forgot-password.js';
import '../portal-error/portal-error.js';
import '../portal-shell/portal-shell.js';
import '../register/register.js';
import '../reset-password/reset-password.js';
import '../sign-in/sign-in.js';
import { TICKET_LIST_PARTS } from '../../tickets/ticket-list.js';
import styles from './ticket-portal.styles.js';

/** Only links a browser can open safely; anything else (e.g. `javascript:`) is dropped. */
const safeUrl = (value: string): string => {
  try {
    const url = new URL(value, document.baseURI);
    return ['http:', 'https:', 'mailto:'].includes(url.protocol) ? url.href : '';
  } catch {
    return '';
  }
};

/**
 * The customer support portal: register, confirm, sign in, reset a password, and (signed in) the
 * customer's tickets. Paste `<script type="module" src="…/ticket-portal.js"></script>` and
 * `<ticket-portal api-url="https://portal-api.example.com"></ticket-portal>` into any page.
 *
 * @summary Embeddable customer support portal (HubSpot Service Hub tickets).
 *
 * @fires {CustomEvent<TpSignedInDetail>} tp-signed-in - A customer signed in, or a saved session was restored at load (`detail.restored`).
 * @fires {CustomEvent<TpSignedOutDetail>} tp-signed-out - The session ended: `detail.reason` is `user`, `expired`, `unauthorized`, `password-reset` or `other-window`.
 * @fires {CustomEvent<TpErrorDetail>} tp-error - The portal could not do something for a reason other than what the customer typed: the API is unreachable or failed, or `api-url` is missing.
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
 * @csspart main - The region that holds the tickets.
 * @csspart placeholder - "Your tickets will appear here." until the ticket list ships.
 *
 * @cssprop [--tp-color-primary=#1d4ed8] - Buttons and accents.
 * @cssprop [--tp-color-primary-hover=#1e40af] - Button hover.
 * @cssprop [--tp-color-primary-contrast=#ffffff] - Text on primary buttons.
 * @cssprop [--tp-color-text=#1f2937] - Body text.
 * @cssprop [--tp-color-muted=#4b5563] - Secondary text.
 * @cssprop [--tp-color-link=#1d4ed8] - Links.
 * @cssprop [--tp-color-background=#ffffff] - Input background.
 * @cssprop [--tp-color-surface=#ffffff] - Card background.
 * @cssprop [--tp-color-border=#d1d5db] - Card and divider borders.
 * @cssprop [--tp-color-input-border=#6b7280] - Input borders.
 * @cssprop [--tp-color-focus=#2563eb] - Focus ring.
 * @cssprop [--tp-color-danger=#b91c1c] - Error text and borders.
 * @cssprop [--tp-color-danger-surface=#fef2f2] - Error background.
 * @cssprop [--tp-color-success=#166534] - Success text.
 * @cssprop [--tp-color-success-surface=#f0fdf4] - Success background.
 * @cssprop [--tp-color-info-surface=#eff6ff] - Information background.
 * @cssprop [--tp-font-family=system-ui, …] - Font.
 * @cssprop [--tp-font-size=1rem] - Base font size; everything scales from it.
 * @cssprop [--tp-radius=0.375rem] - Corner radius of cards, inputs and buttons.
 * @cssprop [--tp-space-xs=0.25rem] - Smallest spacing step.
 * @cssprop [--tp-space-s=0.5rem] - Small spacing step.
 * @cssprop [--tp-space-m=1rem] - Medium spacing step.
 * @cssprop [--tp-space-l=1.5rem] - Large spacing step.
 * @cssprop [--tp-form-width=30rem] - Maximum width of the signed-out screens.
 */
export class TicketPortal extends PortalElement {
  static override styles = styles;

  /** Base URL of the portal API, e.g. `https://portal-api.example.com` (required). */
  @property({ attribute: 'api-url' }) apiUrl = '';

  /** Link for "contact the … Support team" (http, https or mailto). */
  @property({ attribute: 'support-url' }) supportUrl = '';

  /** Company whose support team customers contact, e.g. `Synchtank` → "Synchtank Support". */
  @property({ attribute: 'company-name' }) companyName = '';

  /** BCP 47 language tag for dates and numbers, e.g. `en-GB`; defaults to the browser's. */
  @property() locale = '';

  /** Coming with the ticket list: `table` (default) or `card`. */
  @property() view: 'table' | 'card' = 'table';

  /** Coming with the ticket list: tickets per page. */
  @property({ attribute: 'page-size', type: Number }) pageSize = 25;

  @state() private route: PortalRoute = { screen: 'loading' };

  private readonly clientProvider = new ContextProvider(this, { context: apiClientContext });
  private readonly storeProvider = new ContextProvider(this, { context: sessionStoreContext });
  private readonly configProvider = new ContextProvider(this, { context: portalConfigContext });
  // A host app or a test may hand in its own ApiClient (e.g. over a fake server) from above.
  private injectedClient: ApiClient | undefined;

  private client: ApiClient | null = null;
  private store: SessionStore | null = null;
  private readonly session = new SessionController(this, (event) => this.onSessionChange(event));
  private readonly address = new LocationController(this, (intent) => this.follow(intent));
  private focusOnUpdate = false;

  private readonly validation = new Task<[], Customer>(this, {
    autoRun: false,
    task: (_args, { signal }) => {
      if (!this.client) throw new Error('no client');
      return this.client.me(signal);
    },
    onComplete: (customer) => {
      this.store?.updateCustomer(customer);
      this.route = { screen: 'shell' };
      emit(this, 'tp-signed-in', { customer, restored: true });
    },
    onError: (error) => {
      // A 401 already ended the session (SessionController); anything else may pass with a retry.
      if (error instanceof ApiError && error.status === 401) return;
      const message = error instanceof NetworkError ? messages.unreachable : (error as Error).message;
      this.route = { screen: 'error', message, retry: true };
      emit(this, 'tp-error', {
        code: error instanceof ApiError || error instanceof NetworkError ? error.code : 'UNEXPECTED',
        message,
        status: error instanceof ApiError ? error.status : null,
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
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (!this.hasUpdated) return;
    // Moved in the page (frameworks do that): carry on, unless a check was cut off by the move or
    // the session ended while the element was detached (its timers were off meanwhile).
    if (this.route.screen === 'loading') this.start();
    else if (this.route.screen === 'shell' && !this.store?.current) {
      this.store?.clear('expired');
      this.route = { screen: 'sign-in', notice: { tone: 'warning', text: messages.sessionExpired } };
    }
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (
      changed.has('apiUrl') ||
      changed.has('supportUrl') ||
      changed.has('companyName') ||
      changed.has('locale') ||
      changed.has('view') ||
      changed.has('pageSize')
    ) {
      this.configProvider.setValue(this.config());
    }
    if (changed.has('apiUrl') || !this.hasUpdated) this.setUp();
    if (changed.has('route' as keyof TicketPortal) && this.hasUpdated) {
      // Follow the person into the new screen only if they were inside the widget: never take
      // focus away from the host page (an expiry while they read something else, say).
      this.focusOnUpdate = this.matches(':focus-within');
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    if (!this.focusOnUpdate) return;
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
    };
  }

  /** (Re)builds the services for the current api-url, then picks the first screen. */
  private setUp(): void {
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
    this.store = new SessionStore(apiUrl);
    this.session.bind(this.store, this.client);
    this.clientProvider.setValue(this.client);
    this.storeProvider.setValue(this.store);
    this.start();
  }

  private start(): void {
    if (!this.store) return;
    const intent = this.address.consume();
    if (intent.link || intent.screen) {
      this.follow(intent);
    } else if (this.store.current) {
      this.route = { screen: 'loading' };
      void this.validation.run([]);
    } else {
      this.route = { screen: 'sign-in' };
    }
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
      this.route = { screen: 'shell' };
    } else {
      this.route = route;
    }
  }

  private readonly onNavigate = (event: Event): void => {
    event.stopPropagation();
    this.go((event as NavigateEvent).route);
  };

  private onSessionChange(event: SessionChangeEvent): void {
    switch (event.reason) {
      case 'signed-in':
        if (event.session) {
          this.route = { screen: 'shell' };
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
        this.route = {
          screen: 'sign-in',
          notice: ended
            ? { tone: 'warning', text: messages.sessionExpired }
            : { tone: 'info', text: messages.signedOut },
        };
        break;
      }
    }
  }

  override render() {
    return html`<div
      class="portal"
      part="base"
      lang=${this.locale || nothing}
      @tp-navigate=${this.onNavigate}
    >
      ${this.renderRoute()}
    </div>`;
  }

  private renderRoute() {
    const route = this.route;
    switch (route.screen) {
      case 'loading':
        return html`<div class="loading" part="loading" role="status">
          <span class="spinner" aria-hidden="true"></span>${messages.loading}
        </div>`;
      case 'sign-in':
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
      case 'shell':
        // The ticket list fills the shell's `main` slot; it reads the API client and config from context.
        return html`<tp-portal-shell
          exportparts=${SCREEN_PARTS}
          .customer=${this.store?.current?.customer ?? null}
        >
          <tp-ticket-list slot="main" exportparts=${TICKET_LIST_PARTS}></tp-ticket-list>
        </tp-portal-shell>`;
      case 'error':
        return html`<tp-portal-error
          exportparts=${SCREEN_PARTS}
          .message=${route.message}
          .canRetry=${route.retry}
        ></tp-portal-error>`;
    }
  }
}
