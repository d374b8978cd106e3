import { assert } from '@open-wc/testing';
import { pageWindow } from './ticket-pager.component.js';

describe('pageWindow', () => {
  it('should show the first, the last and the pages around the current one', () => {
    assert.deepEqual(pageWindow(1, 1), [1]);
    assert.deepEqual(pageWindow(1, 3), [1, 2, 3]);
    assert.deepEqual(pageWindow(5, 10), [1, 'gap', 4, 5, 6, 'gap', 10]);
    assert.deepEqual(pageWindow(4, 10), [1, 2, 3, 4, 5, 'gap', 10]);
    assert.deepEqual(pageWindow(10, 10), [1, 'gap', 9, 10]);
  });
});
