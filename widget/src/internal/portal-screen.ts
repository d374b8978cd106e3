import { consume } from '@lit/context';
import { html, nothing, type CSSResult, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApiClient } from '../api/api-client.js';
import { ApiError, NetworkError, isAbortError } from '../api/api-error.js';
import { apiClientContext, portalConfigContext, sessionStoreContext } from '../context/contexts.js';
import type { PortalConfig } from '../context/portal-config.js';
import { withLinkedScreen, type LinkableScreen } from '../controllers/portal-fragment.js';
import { emit } from '../events/portal-events.js';
import type { SessionStore } from '../session/session-store.js';
import sharedStyles from '../styles/shared.styles.js';
import { renderHelp } from './help.js';
import { messages } from './messages.js';
import { NavigateEvent, type PortalRoute } from './navigation.js';
import { renderNotice, type Notice } from './notice.js';
import { PortalElement } from './portal-element.js';
import type { FieldErrors } from './validation.js';

/**
 * Base of the screens <ticket-portal> switches between: services from context, a heading that
 * takes focus on screen change, field errors, a problem notice with Retry, and the Need Help line.
 */
export class PortalScreen extends PortalElement {
  static override styles: CSSResult[] = [sharedStyles];

  @consume({ context: apiClientContext })
  protected api?: ApiClient;

  @consume({ context: sessionStoreContext })
  protected sessions?: SessionStore;

  @consume({ context: portalConfigContext, subscribe: true })
  @state()
  protected config?: PortalConfig;

  /** A message handed over by the previous screen (e.g. "Your account is confirmed."). */
  @property({ attribute: false })
  notice: Notice | null = null;

  @state() protected errors: FieldErrors = {};
  @state() protected problem: Notice | null = null;
  @state() protected retry: (() => void) | null = null;

  /** Called by <ticket-portal> after a screen change, so keyboard and screen-reader users land here. */
  focusHeading(): void {
    this.renderRoot.querySelector<HTMLElement>('.heading')?.focus();
  }

  protected get client(): ApiClient {
    if (!this.api) throw new Error(`<${this.localName}> must be rendered inside <ticket-portal>.`);
    return this.api;
  }

  protected navigate(route: PortalRoute): void {
    // Internal (not composed): only <ticket-portal> hears it, so it is not part of the public API.
    const request = new NavigateEvent(route);
    this.dispatchEvent(request);
  }

  /** Shows field errors and moves focus to the first one (its error is read out with it). */
  protected async showFieldErrors(errors: FieldErrors): Promise<boolean> {
    this.errors = errors;
    if (Object.keys(errors).length === 0) return false;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
    return true;
  }

  /**
   * Puts the API's per-field reasons on the matching inputs of this screen. Returns false (and
   * shows nothing) when none of them belongs to an input here.
   * @internal
   */
  showApiFieldErrors(error: unknown): boolean {
    if (!(error instanceof ApiError)) return false;
    const names = new Set([...this.renderRoot.querySelectorAll('[name]')].map((i) => i.getAttribute('name')));
    const errors = Object.fromEntries(Object.entries(error.fields).filter(([name]) => names.has(name)));
    if (Object.keys(errors).length === 0) return false;
    void this.showFieldErrors(errors);
    return true;
  }

  /** @internal */
  clearFieldErrors(): void {
    this.errors = {};
  }

  /** @internal */
  clearProblem(): void {
    this.problem = null;
    this.retry = null;
  }

  /**
   * Shows an error from the API in the screen's alert. Network failures and server faults also
   * reach the host page as `tp-error`; a refusal caused by what the person typed does not.
   */
  /** @internal */
  showProblem(error: unknown, retry?: () => void): void {
    if (isAbortError(error)) return;
    // A field this screen has no input for (the mail link's `token`): its own sentence, without the
    // API's `token: ` prefix, which means nothing to a person.
    const fieldText = error instanceof ApiError ? Object.values(error.fields) : [];
    const message = fieldText.length
      ? fieldText.join(' ')
      : error instanceof Error
        ? error.message
        : messages.badResponse(0);
    const network = error instanceof NetworkError;
    this.problem = { tone: 'error', text: network ? messages.unreachable : message };
    this.retry = network && retry ? retry : null;
    if (network || !(error instanceof ApiError) || error.status >= 500) {
      emit(this, 'tp-error', {
        code: error instanceof ApiError || error instanceof NetworkError ? error.code : 'UNEXPECTED',
        message: this.problem.text,
        status: error instanceof ApiError ? error.status : null,
      });
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // A new hand-over message replaces an older problem.
    if (changed.has('notice') && this.notice) this.clearProblem();
  }

  protected renderNotices() {
    return html`${renderNotice(this.problem ?? this.notice)}
    ${
      this.retry
        ? html`<div class="actions">
            <button type="button" class="secondary" part="button button-secondary" @click=${this.retry}>
              ${messages.retry}
            </button>
          </div>`
        : nothing
    }`;
  }

  /**
   * A link to another screen. Its href (`#tp-screen=…`) also works when opened in a new tab;
   * a plain click stays in the widget and leaves the page address alone. Absolute: a relative
   * href would follow the page's `<base href>`, which may name another site.
   */
  protected renderLink(label: string, route: PortalRoute) {
    const onClick = (event: MouseEvent) => {
      event.preventDefault();
      this.navigate(route);
    };
    const url = new URL(location.href);
    url.hash = withLinkedScreen(url.hash, route.screen as LinkableScreen);
    return html`<a href=${url.href} part="link" @click=${onClick}>${label}</a>`;
  }

  protected renderHeading(text: string) {
    return html`<h2 id="heading" class="heading" part="heading" tabindex="-1">${text}</h2>`;
  }

  /** "Need Help?" with the site's support link, as the guide words it. */
  protected renderHelp() {
    return renderHelp(this.config);
  }
}
