import { assert } from '@open-wc/testing';
import { readFrameMessage, readPageMessage, stateOf, withState } from './frame-messages.js';

describe('frame-messages', () => {
  it('should read the messages of the protocol and nothing else', () => {
    assert.deepEqual(readFrameMessage({ type: 'tp:height', height: 412 }), {
      type: 'tp:height',
      height: 412,
    });
    assert.deepEqual(
      readFrameMessage({ type: 'tp:address', state: '?tp-ticket=7', mode: 'push', extra: 1 }),
      {
        type: 'tp:address',
        state: '?tp-ticket=7',
        mode: 'push',
      },
    );
    assert.deepEqual(readPageMessage({ type: 'tp:open-ticket', id: '42' }), {
      type: 'tp:open-ticket',
      id: '42',
    });
    for (const data of [
      null,
      'tp:hello',
      ['tp:hello'],
      { type: 'hello' },
      { type: 'tp:unknown' },
      { type: 'tp:height', height: '412' },
      { type: 'tp:height', height: -1 },
      { type: 'tp:height', height: 1e9 },
      { type: 'tp:address', state: 'https://evil.example/', mode: 'push' },
      { type: 'tp:address', state: '?tp-page=2', mode: 'assign' },
      { type: 'tp:event', name: 'click', detail: {} },
      { type: 'tp:event', name: 'tp-ready', detail: 'yes' },
      { type: 'tp:sign-out-done', id: 0 },
    ]) {
      assert.isNull(readFrameMessage(data), JSON.stringify(data));
    }
    for (const data of [
      { type: 'tp:hello' },
      { type: 'tp:sign-out', id: 1.5 },
      { type: 'tp:open-ticket', id: 42 },
      { type: 'tp:open-ticket', id: '' },
      { type: 'tp:address', state: `?${'x'.repeat(5000)}` },
    ]) {
      assert.isNull(readPageMessage(data), JSON.stringify(data));
    }
  });

  it("should take only the portal's parameters out of an address", () => {
    assert.strictEqual(
      stateOf('https://site.example/help?lang=en&tp-q=late%20invoice&tp-page=2#faq&tp-screen=register'),
      '?tp-q=late+invoice&tp-page=2#tp-screen=register',
    );
    assert.strictEqual(stateOf('https://site.example/help?lang=en#faq'), '');
  });

  it("should change only the portal's parameters of the page address", () => {
    const page = 'https://site.example/help?lang=en&tp-page=2#faq&tp-screen=register';
    assert.strictEqual(
      withState(page, '?tp-ticket=7&lang=de&tp-page=2#tp-other=1&faq2'),
      'https://site.example/help?lang=en&tp-ticket=7&tp-page=2#faq&tp-other=1',
    );
    assert.strictEqual(withState(page, ''), 'https://site.example/help?lang=en#faq');
    // Nothing of the portal's before or after: the page's query is left exactly as it was written.
    assert.strictEqual(withState('https://site.example/?a=b%20c', ''), 'https://site.example/?a=b%20c');
  });
});
