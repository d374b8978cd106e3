// Issue 14: at 375 px the status buttons wrapped badly and the first ticket started 1.5 screens down
// (an iPhone's 667 px). The toolbar goes compact by the portal's own width (a container query), not
// the viewport's: a narrow column of a wide page gets it too.
import { assert, fixture, html, waitUntil } from './testing.js';
import { makeTickets } from './fake-api.js';
import { afterEachRequests, mountSignedIn, view } from './requests-helpers.js';

describe('<ticket-portal> at 375 px', () => {
  afterEach(afterEachRequests);

  it('should show a compact toolbar with the first ticket on the first screen', async () => {
    const wrapper = await fixture<HTMLElement>(html`<div style="width: 375px"></div>`);
    const { portal } = await mountSignedIn({ setup: (api) => makeTickets(30).forEach((t) => api.add(t)) });
    wrapper.append(portal.parentElement!);
    const list = await view(portal, 'tp-ticket-list');
    let first: Element | null | undefined;
    await waitUntil(() => {
      const cards = list.shadowRoot!.querySelector('tp-ticket-cards');
      first = cards?.shadowRoot?.querySelector('[part~="card"]');
      return first;
    }, 'expected cards');
    const toolbar = list.shadowRoot!.querySelector('tp-ticket-toolbar')!;
    const segments = [...toolbar.shadowRoot!.querySelectorAll('.status .segment')];
    const widths = new Set(segments.map((segment) => Math.round(segment.getBoundingClientRect().width)));
    assert.strictEqual(widths.size, 1, 'the status buttons share their rows evenly');
    for (const segment of segments) {
      assert.isAtMost(segment.getBoundingClientRect().right, wrapper.getBoundingClientRect().right + 1);
    }
    // An iPhone SE shows about 550 px of a page under the browser's own bars.
    const firstAt = first!.getBoundingClientRect().top - portal.getBoundingClientRect().top;
    assert.isBelow(firstAt, 540, 'the first ticket starts on the first screen');
  });
});
