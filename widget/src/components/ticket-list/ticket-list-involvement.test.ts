import { assert, expect, waitUntil } from '../../../test/testing.js';
import { makeDetail, makeTickets, type FakeApi } from '../../../test/fake-api.js';
import { $$, textOf } from '../../../test/shadow.js';
import { settled, toolbar } from '../../../test/list-helpers.js';
import { afterEachRequests, mountSignedIn, tpParams, view } from '../../../test/requests-helpers.js';
import type { Involvement } from '../../api/api-types.js';

/** The list inside a signed-in portal whose customer's rule offers `involvements`. */
async function openList(involvements: Involvement[], search = '', extra: (api: FakeApi) => void = () => {}) {
  const mounted = await mountSignedIn({
    search,
    setup: (api) => {
      api.involvements = involvements;
      api.tickets = makeTickets(6);
      extra(api);
    },
  });
  const list = await view(mounted.portal, 'tp-ticket-list');
  await settled(list);
  return { ...mounted, list };
}

/** The Show filter's list, once its element (lazy in the build) has drawn it. */
const filter = (list: Element) =>
  toolbar(list as never).shadowRoot!.querySelector('[part~="involvement-filter"] #involvement');
const options = (list: Element): string[] =>
  $$(toolbar(list as never), '[part~="involvement-filter"] option').map((o) => textOf(o));
const listQueries = (api: FakeApi): URLSearchParams[] => api.callsTo('tickets', 'GET').map((c) => c.query);

describe('TicketList: Mine / In copy / My company', () => {
  afterEach(afterEachRequests);

  it('should offer the values the customer’s rule allows, with their labels, and nothing when it allows one', async () => {
    const company = await openList(['mine', 'cc', 'company']);
    await waitUntil(() => filter(company.list), 'no filter');
    assert.strictEqual(textOf($$(toolbar(company.list), '[part~="involvement-filter"] label')[0]), 'Show');
    assert.deepEqual(options(company.list), ['All', 'Mine', 'In copy', 'My company']);
    await expect(toolbar(company.list)).to.be.accessible();
    company.portal.remove();
    afterEachRequests();

    const contact = await openList(['mine', 'cc']);
    await waitUntil(() => filter(contact.list), 'no filter');
    assert.deepEqual(options(contact.list), ['All', 'Mine', 'In copy']);
    contact.portal.remove();
    afterEachRequests();

    const unlinked = await openList(['mine']);
    await unlinked.list.updateComplete;
    assert.isNull(toolbar(unlinked.list).shadowRoot!.querySelector('[part~="involvement-filter"]'));
  });

  it('should ask the API for the chosen part, keep it in the address, and clear it with Clear filters', async () => {
    const inCopy = makeDetail({
      subject: 'Copied to Ada',
      people: [
        { name: 'Sam Rivera', email: 'sam@example.com', role: 'requester', syncState: 'synced' },
        { name: 'Ada Lovelace', email: 'ada@example.com', role: 'cc', syncState: 'synced' },
      ],
    });
    const { list, api } = await openList(['mine', 'cc', 'company'], '', (a) => a.add(inCopy));
    await waitUntil(() => filter(list), 'no filter');
    const select = $$<HTMLSelectElement>(toolbar(list), '#involvement')[0]!;
    select.value = 'cc';
    select.dispatchEvent(new Event('change', { bubbles: true }));
    await waitUntil(() => listQueries(api).some((q) => q.get('involvement') === 'cc'), 'not asked');
    assert.deepEqual(tpParams(), { 'tp-involvement': 'cc' });
    await settled(list);
    await waitUntil(() =>
      textOf(list.shadowRoot!.querySelector('tp-ticket-table')!.shadowRoot!.querySelector('tbody')).includes(
        'Copied to Ada',
      ),
    );
    assert.strictEqual(
      list.shadowRoot!.querySelector('tp-ticket-table')!.shadowRoot!.querySelectorAll('tbody tr[part="row"]')
        .length,
      1,
    );

    const clear = $$<HTMLButtonElement>(toolbar(list), 'button').find((b) => textOf(b) === 'Clear filters')!;
    clear.click();
    await waitUntil(() => !('tp-involvement' in tpParams()), 'still in the address');
    const last = listQueries(api).at(-1)!;
    assert.isNull(last.get('involvement'));
  });

  it('should restore the filter from a shared link, and ignore one the customer’s rule does not offer', async () => {
    const shared = await openList(['mine', 'cc', 'company'], 'tp-involvement=company');
    await waitUntil(
      () => listQueries(shared.api).some((q) => q.get('involvement') === 'company'),
      'not restored',
    );
    await waitUntil(() => filter(shared.list));
    assert.strictEqual($$<HTMLSelectElement>(toolbar(shared.list), '#involvement')[0]!.value, 'company');
    shared.portal.remove();
    afterEachRequests();

    const stale = await openList(['mine', 'cc'], 'tp-involvement=company');
    await waitUntil(() => filter(stale.list));
    await settled(stale.list);
    assert.isTrue(listQueries(stale.api).every((q) => q.get('involvement') === null));
  });
});
