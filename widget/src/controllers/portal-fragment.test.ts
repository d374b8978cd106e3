import { assert } from '@open-wc/testing';
import { readLinkedScreen, readPortalLink, readPortalParams, stripPortalParams } from './portal-fragment.js';

describe('portal fragment', () => {
  it("should read a confirm or reset link among the host page's own fragment parts", () => {
    assert.deepEqual(readPortalLink('#tp-action=confirm&tp-token=abc%2Fdef'), {
      action: 'confirm',
      token: 'abc/def',
    });
    assert.deepEqual(readPortalLink('#pricing&tp-action=reset&tp-token=xyz'), {
      action: 'reset',
      token: 'xyz',
    });
    assert.strictEqual(readPortalParams('#a=1&tp-view=card').get('view'), 'card');
  });

  it('should ignore unknown actions, empty tokens and foreign parameters', () => {
    assert.strictEqual(readPortalLink('#tp-action=delete&tp-token=abc'), null);
    assert.strictEqual(readPortalLink('#tp-action=confirm&tp-token='), null);
    assert.strictEqual(readPortalLink('#action=confirm&token=abc'), null);
    assert.strictEqual(readPortalLink(''), null);
    assert.strictEqual(readLinkedScreen('#tp-screen=register'), 'register');
    assert.strictEqual(readLinkedScreen('#tp-screen=shell'), null);
  });

  it("should remove only the portal's parameters and keep the rest in order", () => {
    assert.strictEqual(stripPortalParams('#tp-action=confirm&tp-token=abc'), '');
    assert.strictEqual(stripPortalParams('#top&tp-action=confirm&tp-token=abc&x=1'), '#top&x=1');
    assert.strictEqual(
      stripPortalParams('#tp-action=reset&tp-token=a&tp-view=card', ['action', 'token']),
      '#tp-view=card',
    );
    assert.strictEqual(stripPortalParams('#section-2'), '#section-2');
  });
});
