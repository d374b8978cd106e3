import { assert } from '@open-wc/testing';
import { sendKeys } from '@web/test-runner-commands';
import {
  $$,
  deepActiveElement,
  mountList,
  nextRequest,
  byText,
  ordered,
  resetAddress,
  rows,
  settled,
  table,
  times,
  tpParams,
  COLUMNS,
} from '../../../test/list-helpers.js';

const FIELDS = ['id', 'status', 'subject', 'created', 'owner', 'lastActivity', 'requestedBy'];

describe('TicketList', () => {
  beforeEach(() => resetAddress());
  after(() => resetAddress());

  describe('sorting', () => {
    for (const [index, column] of COLUMNS.entries()) {
      it(`should sort by ${column} ascending, then descending, keeping focus on the header`, async () => {
        const { list, server } = await mountList({ pageSize: 60 });
        const field = FIELDS[index]!;
        const th = () => $$(table(list)!, 'thead th')[index]!;
        const headerButton = th().querySelector('button')!;
        headerButton.focus();

        for (const order of ['asc', 'desc'] as const) {
          const request = await nextRequest(server, () => headerButton.click());
          assert.deepEqual(
            [request.get('sort'), request.get('order'), request.get('page')],
            [field, order, '1'],
          );
          await settled(list);
          assert.deepEqual(th().getAttribute('aria-sort'), order === 'asc' ? 'ascending' : 'descending');
          assert.lengthOf($$(table(list)!, 'th[aria-sort]'), 1);
          assert.strictEqual(deepActiveElement(), headerButton);
          // The default sort (Last Activity, descending) leaves the address clean.
          const isDefault = field === 'lastActivity' && order === 'desc';
          assert.deepEqual(tpParams(), isDefault ? {} : { 'tp-sort': field, 'tp-order': order });
          const values = rows(list).map((r) => r[index]!);
          if (field === 'id') assert.isTrue(ordered(values.map(Number), order, (a, b) => a - b));
          else if (field === 'created' || field === 'lastActivity') {
            assert.isTrue(ordered(times(list, index), order, (a, b) => a - b));
          } else assert.isTrue(ordered(values, order, byText), `${values.join(' | ')} is not ${order}`);
        }
      });
    }
  });

  it("should draw a sort button's focus ring inside its cell, where the scrolling table cannot clip it", async () => {
    const { list } = await mountList();
    const first = $$<HTMLButtonElement>(table(list)!, 'th button')[0]!;
    // After a key press a focus counts as the keyboard's, so :focus-visible applies.
    await sendKeys({ press: 'Shift' });
    first.focus();
    assert.isTrue(first.matches(':focus-visible'));
    const style = getComputedStyle(first);
    assert.strictEqual(style.outlineStyle, 'solid');
    assert.isAtMost(parseFloat(style.outlineOffset), -parseFloat(style.outlineWidth));
  });
});
