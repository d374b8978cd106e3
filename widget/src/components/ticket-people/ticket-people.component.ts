import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { ApiClient } from '../../api/api-client.js';
import { ApiError, errorText, isAbortError } from '../../api/api-error.js';
import type { TicketDetail, TicketPerson } from '../../api/api-types.js';
import { apiClientContext } from '../../context/contexts.js';
import { msg, str } from '../../internal/msg.js';
import { PortalElement } from '../../internal/portal-element.js';
import { CC_MAX, RequestsApi, checkEmail } from '../../requests/requests-api.js';
import sharedStyles from '../../styles/shared.styles.js';
import formStyles from '../request-form/request-form.styles.js';
import styles from './ticket-people.styles.js';

/** The parts <tp-ticket-page> passes on (`exportparts`). */
export const PEOPLE_PARTS =
  'people, person, person-role, people-form, people-input, people-error, people-alert';

/**
 * Sent when the API answered a change of the ticket's people with the whole ticket: the page takes it.
 * Internal (not composed): only the page that holds this element listens.
 */
export class TicketPeopleChangedEvent extends Event {
  static readonly type = 'tp-ticket-people-changed';
  constructor(readonly ticket: TicketDetail) {
    super(TicketPeopleChangedEvent.type, { bubbles: false, composed: false });
  }
}

/**
 * "People" on a ticket's page (issue 15): who is on the ticket — the requester first, marked, then
 * the colleagues in copy — with Add a colleague and Remove for each colleague. Both are shown at once
 * and taken back, with the reason, when the API refuses them; the outcome is announced.
 *
 * @csspart people - The section.
 * @csspart person - Each person (`person-role`: "Requester", "Adding…").
 * @csspart people-form - Add a colleague (`people-input`, `people-error`).
 * @csspart people-alert - A removal that failed.
 */
export class TpTicketPeople extends PortalElement {
  static override styles = [sharedStyles, formStyles, styles];

  @consume({ context: apiClientContext })
  private api?: ApiClient;

  /** The ticket's localId. */
  @property({ attribute: 'ticket-id' }) ticketId = '';

  /** Everyone on the ticket, as the API last answered it. */
  @property({ attribute: false }) people: readonly TicketPerson[] = [];

  /** The signed-in customer's email: never offered for Remove, refused for Add. */
  @property({ attribute: false }) ownEmail: string | undefined;

  /** What is shown while a change is on its way (null: `people`). */
  @state() private shown: readonly TicketPerson[] | null = null;
  @state() private email = '';
  @state() private error = '';
  @state() private alert = '';
  @state() private busy = false;
  @state() private status = '';

  private abort = new AbortController();

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort.abort();
    this.abort = new AbortController();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    // A fresh answer (a read, a live update) replaces what was shown, unless a change is on its way.
    if (changed.has('people') && !this.busy) this.shown = null;
  }

  private get list(): readonly TicketPerson[] {
    return this.shown ?? this.people;
  }

  private readonly onInput = (event: Event): void => {
    this.email = (event.target as HTMLInputElement).value;
    if (this.error) this.error = this.check(this.email) ?? '';
  };

  private check(email: string): string | undefined {
    const wrong = checkEmail(email, this.ownEmail);
    if (wrong) return wrong;
    const value = email.trim().toLowerCase();
    if (this.list.some((p) => p.email?.toLowerCase() === value)) {
      return msg(str`${email.trim()} is on this ticket already.`);
    }
    if (this.list.filter((p) => p.role === 'cc').length >= CC_MAX) {
      return msg(
        str`This ticket has ${CC_MAX} colleagues in copy already, the most the portal adds. Remove one first.`,
      );
    }
    return undefined;
  }

  private readonly add = async (event: Event): Promise<void> => {
    event.preventDefault();
    if (this.busy || !this.api) return;
    const error = this.check(this.email);
    this.alert = '';
    if (error) {
      this.error = error;
      await this.updateComplete;
      this.input?.focus();
      return;
    }
    const email = this.email.trim().toLowerCase();
    const before = this.list;
    this.error = '';
    this.busy = true;
    this.shown = [...before, { name: null, email, role: 'cc', syncState: 'pending' }];
    this.status = msg(str`Adding ${email}…`);
    try {
      const ticket = await new RequestsApi(this.api).addPerson(this.ticketId, email, this.abort.signal);
      this.email = '';
      this.status = msg(str`${email} is now in copy on this ticket.`);
      this.changed(ticket);
    } catch (failure) {
      if (isAbortError(failure)) return;
      this.shown = before;
      this.error =
        failure instanceof ApiError && failure.fields.email ? failure.fields.email : errorText(failure);
      this.status = msg(str`${email} was not added.`);
      await this.updateComplete;
      this.input?.focus();
    } finally {
      this.busy = false;
    }
  };

  private async removePerson(person: TicketPerson): Promise<void> {
    if (this.busy || !this.api || !person.email) return;
    const email = person.email;
    const before = this.list;
    this.busy = true;
    this.alert = '';
    this.shown = before.filter((p) => p !== person);
    this.status = msg(str`Removing ${email}…`);
    try {
      const ticket = await new RequestsApi(this.api).removePerson(this.ticketId, email, this.abort.signal);
      this.status = msg(str`${email} is no longer on this ticket.`);
      this.changed(ticket);
      await this.updateComplete;
      this.input?.focus();
    } catch (failure) {
      if (isAbortError(failure)) return;
      this.shown = before;
      this.alert = msg(str`${email} could not be removed: ${errorText(failure)}`);
      this.status = '';
    } finally {
      this.busy = false;
    }
  }

  private changed(ticket: TicketDetail): void {
    this.shown = null;
    this.dispatchEvent(new TicketPeopleChangedEvent(ticket));
  }

  private get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector('#person-email');
  }

  override render() {
    const own = this.ownEmail?.toLowerCase();
    return html`<section class="section" part="people" aria-labelledby="people-heading">
      <h4 id="people-heading">${msg('People')}</h4>
      <ul class="people" aria-labelledby="people-heading">
        ${this.list.map((p) => this.renderPerson(p, own))}
      </ul>
      ${
        this.alert
          ? html`<p class="notice notice--error" part="people-alert" role="alert">${this.alert}</p>`
          : nothing
      }
      <form class="add" part="people-form" novalidate @submit=${this.add}>
        <div class="field">
          <label for="person-email">${msg('Add a colleague')}</label>
          <input
            id="person-email"
            name="email"
            type="email"
            part="people-input"
            autocomplete="off"
            placeholder="sam@example.com"
            .value=${this.email}
            aria-invalid=${this.error ? 'true' : 'false'}
            aria-describedby=${this.error ? 'person-email-error' : nothing}
            @input=${this.onInput}
          />
        </div>
        <button type="submit" part="button" aria-disabled=${this.busy ? 'true' : 'false'}>
          ${msg('Add')}
        </button>
      </form>
      ${
        this.error
          ? html`<p id="person-email-error" class="field-error" part="people-error">${this.error}</p>`
          : nothing
      }
      <div class="visually-hidden" role="status" aria-live="polite">${this.status}</div>
    </section>`;
  }

  private renderPerson(person: TicketPerson, own: string | undefined) {
    const who = person.name ?? person.email ?? msg('Someone without an email');
    const you = own !== undefined && person.email?.toLowerCase() === own;
    return html`<li class="person" part="person" data-role=${person.role}>
      <span class="person__name">${you ? msg(str`${who} (you)`) : who}</span>
      ${person.name && person.email ? html`<span class="person__email">${person.email}</span>` : nothing}
      ${
        person.role === 'requester'
          ? html`<span class="person__role" part="person-role">${msg('Requester')}</span>`
          : person.syncState === 'pending'
            ? html`<span class="person__role" part="person-role">${msg('Adding…')}</span>`
            : nothing
      }
      ${
        person.role === 'cc' && person.email && !you
          ? html`<button
              type="button"
              class="link"
              part="button"
              aria-label=${msg(str`Remove ${who}`)}
              aria-disabled=${this.busy ? 'true' : 'false'}
              @click=${() => void this.removePerson(person)}
            >
              ${msg('Remove')}
            </button>`
          : nothing
      }
    </li>`;
  }
}
