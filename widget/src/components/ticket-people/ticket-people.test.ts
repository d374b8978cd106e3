import { assert, expect, waitUntil } from '../../../test/testing.js';
import { deepActiveElement } from '../../../test/helpers.js';
import { $, $$, button, textOf } from '../../../test/shadow.js';
import { makeDetail, type FakeApi } from '../../../test/fake-api.js';
import { afterEachRequests, mountSignedIn, view } from '../../../test/requests-helpers.js';
import type { TicketDetail } from '../../api/api-types.js';
import type { TpTicketPeople } from './ticket-people.component.js';

async function openPeople(
  ticket: TicketDetail,
  extra: (api: FakeApi) => void = () => undefined,
  attrs: Record<string, string> = {},
) {
  const mounted = await mountSignedIn({
    attrs,
    search: `tp-ticket=${ticket.localId}`,
    setup: (api) => {
      api.events.mode = 'json';
      api.add(ticket);
      extra(api);
    },
  });
  const page = await view(mounted.portal, 'tp-ticket-page');
  await waitUntil(() => page.shadowRoot!.querySelector('tp-ticket-people'), 'no People block');
  const people = page.shadowRoot!.querySelector('tp-ticket-people') as TpTicketPeople;
  await people.updateComplete;
  return { ...mounted, page, people };
}

/** Each person as read: name, email and role marker. */
const listed = (people: TpTicketPeople): string[] =>
  $$(people, '[part~="person"]').map((li) => textOf(li).replace(/\s*Remove$/, ''));

const withPeople = (): TicketDetail =>
  makeDetail({
    people: [
      { name: 'Ada Lovelace', email: 'ada@example.com', role: 'requester', syncState: 'synced' },
      { name: 'Sam Rivera', email: 'sam@example.com', role: 'cc', syncState: 'synced' },
    ],
  });

/** withPeople() as listed on opening: the requester (the signed-in customer) and one colleague. */
const AS_OPENED = ['Ada Lovelace (you) ada@example.com Requester', 'Sam Rivera sam@example.com'];

function typeEmail(people: TpTicketPeople, value: string): void {
  const input = $<HTMLInputElement>(people, '#person-email');
  input.value = value;
  input.dispatchEvent(new Event('input', { bubbles: true }));
}

describe('TpTicketPeople', () => {
  afterEach(afterEachRequests);

  it('should list who is on the ticket, the requester first and marked, with Remove for colleagues only', async () => {
    const { people } = await openPeople(withPeople());
    assert.strictEqual(textOf($(people, 'h4')), 'People');
    assert.deepEqual(listed(people), AS_OPENED);
    const removes = $$(people, 'button').filter((b) => textOf(b) === 'Remove');
    assert.deepEqual(
      removes.map((b) => b.getAttribute('aria-label')),
      ['Remove Sam Rivera'],
    );
    await expect(people).to.be.accessible();
  });

  it('should show a colleague at once when added, keep them once the API agrees, and announce it', async () => {
    const ticket = withPeople();
    const { people, api } = await openPeople(ticket);
    api.hold();
    typeEmail(people, 'Lee@Example.com');
    button(people, 'Add').click();
    await waitUntil(() => listed(people).length === 3, 'not shown at once');
    assert.strictEqual(listed(people)[2], 'lee@example.com Adding…');
    api.release();
    await waitUntil(() => textOf($(people, '[role="status"]')).includes('is now in copy'));
    assert.deepEqual(api.callsTo(`tickets/${ticket.localId}/people`, 'POST')[0]!.body, {
      email: 'lee@example.com',
    });
    assert.strictEqual(listed(people)[2], 'lee@example.com Adding…');
    assert.strictEqual($<HTMLInputElement>(people, '#person-email').value, '');
  });

  it('should refuse a bad address, the own email and someone already there before asking the API', async () => {
    const { people, api } = await openPeople(withPeople());
    const refused = async (value: string): Promise<string> => {
      typeEmail(people, value);
      button(people, 'Add').click();
      await waitUntil(() => people.shadowRoot!.querySelector('#person-email-error'));
      const input = $(people, '#person-email');
      assert.strictEqual(input.getAttribute('aria-invalid'), 'true');
      assert.strictEqual(input.getAttribute('aria-describedby'), 'person-email-error');
      assert.isTrue(deepActiveElement() === input, 'focus is elsewhere');
      return textOf($(people, '#person-email-error'));
    };
    assert.strictEqual(await refused('sam'), 'Enter an email address such as sam@example.com.');
    assert.include(await refused('ADA@example.com'), 'your own email');
    assert.strictEqual(await refused('sam@example.com'), 'sam@example.com is on this ticket already.');
    assert.lengthOf(api.callsTo('tickets/' + people.ticketId + '/people', 'POST'), 0);
    await expect(people).to.be.accessible();
  });

  it('should take an added colleague back off, with the API’s reason at the field, when it refuses', async () => {
    const { people, api } = await openPeople(withPeople());
    api.failures.push({
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'email: This ticket has 5 colleagues in copy already.',
      fields: {
        email: 'This ticket has 5 colleagues in copy already, the most the portal adds. Remove one first.',
      },
    });
    typeEmail(people, 'lee@example.com');
    button(people, 'Add').click();
    await waitUntil(() => people.shadowRoot!.querySelector('#person-email-error'), 'no error shown');
    assert.deepEqual(listed(people), AS_OPENED);
    assert.include(textOf($(people, '#person-email-error')), '5 colleagues in copy already');
    assert.strictEqual($<HTMLInputElement>(people, '#person-email').value, 'lee@example.com');
  });

  it('should take a colleague off at once, and put them back with an alert when the API fails', async () => {
    const ticket = withPeople();
    const { people, api } = await openPeople(ticket);
    api.failures.push('offline');
    button(people, 'Remove').click();
    await waitUntil(() => people.shadowRoot!.querySelector('[part~="people-alert"]'), 'no alert');
    assert.deepEqual(listed(people), AS_OPENED);
    assert.include(textOf($(people, '[part~="people-alert"]')), 'sam@example.com could not be removed');

    api.hold();
    button(people, 'Remove').click();
    await waitUntil(() => listed(people).length === 1, 'not taken off at once');
    api.release();
    await waitUntil(() => textOf($(people, '[role="status"]')).includes('is no longer on this ticket'));
    assert.lengthOf(api.callsTo(`tickets/${ticket.localId}/people/sam%40example.com`, 'DELETE'), 2);
    assert.deepEqual(listed(people), ['Ada Lovelace (you) ada@example.com Requester']);
    assert.isFalse(!!people.shadowRoot!.querySelector('[part~="people-alert"]'));
  });

  it('should take a site editor’s wording (`strings`) for its texts, values included', async () => {
    const { people } = await openPeople(withPeople(), undefined, {
      strings: JSON.stringify({
        People: 'On this ticket',
        '{0} (you)': '{0} — that is you',
        Requester: 'Opened it',
        'Remove {0}': 'Take {0} off',
      }),
    });
    assert.strictEqual(textOf($(people, 'h4')), 'On this ticket');
    assert.deepEqual(listed(people), [
      'Ada Lovelace — that is you ada@example.com Opened it',
      'Sam Rivera sam@example.com',
    ]);
    assert.strictEqual($(people, 'button.link').getAttribute('aria-label'), 'Take Sam Rivera off');
  });
});
