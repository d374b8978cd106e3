import { assert } from '@open-wc/testing';
import { decodeState, defaultState, encodeState, withState, type ListState } from './list-state.js';

const full: ListState = {
  view: 'card',
  q: 'invoice "total", 50% & more',
  status: 'closed',
  involvement: 'cc',
  created: { preset: '30d', from: '', to: '' },
  activity: { preset: 'custom', from: '2026-01-05', to: '2026-02-10' },
  sort: 'subject',
  order: 'asc',
  page: 3,
};

describe('list state encoding', () => {
  it('should round-trip every field through the query string', () => {
    const encoded = encodeState(full).toString();
    assert.deepEqual(decodeState(encoded), full);
  });

  it('should leave defaults out so a plain list has a clean address', () => {
    assert.deepEqual(encodeState(defaultState()).toString(), '');
    assert.deepEqual(encodeState({ ...defaultState(), page: 2 }).toString(), 'tp-page=2');
  });

  it('should write sort and order together when either differs from the default', () => {
    const params = encodeState({ ...defaultState(), order: 'asc' });
    assert.deepEqual(params.get('tp-sort'), 'lastActivity');
    assert.deepEqual(params.get('tp-order'), 'asc');
  });

  it('should fall back to defaults for unknown or malformed values', () => {
    const state = decodeState(
      'tp-view=grid&tp-status=pending&tp-involvement=everyone&tp-sort=priority&tp-order=up&tp-page=-4&tp-created=forever&tp-activity=custom&tp-activity-from=2026-02-30',
    );
    assert.deepEqual(state, { ...defaultState(), activity: { preset: 'custom', from: '', to: '' } });
  });

  it('should cap the search text taken from a link', () => {
    const state = decodeState(`tp-q=${'a'.repeat(5000)}`);
    assert.deepEqual(state.q.length, 200);
  });

  it('should use the given default view when the address names none', () => {
    assert.deepEqual(decodeState('', defaultState('card')).view, 'card');
    assert.deepEqual(decodeState('tp-view=table', defaultState('card')).view, 'table');
    assert.deepEqual(encodeState({ ...defaultState('card') }, defaultState('card')).has('tp-view'), false);
    const params = encodeState({ ...defaultState('card'), view: 'table' }, defaultState('card'));
    assert.deepEqual(params.get('tp-view'), 'table');
  });

  it("should keep the host page's own parameters and fragment when writing the state", () => {
    const href = 'https://pages.example.com/tickets-portal/?utm_source=mail&tp-page=9&lang=en#faq';
    const result = withState(href, full);
    const url = new URL(result, 'https://pages.example.com');
    assert.deepEqual(url.pathname, '/tickets-portal/');
    assert.deepEqual(url.hash, '#faq');
    assert.deepEqual(url.searchParams.get('utm_source'), 'mail');
    assert.deepEqual(url.searchParams.get('lang'), 'en');
    assert.deepEqual(url.searchParams.get('tp-page'), '3');
    assert.deepEqual(decodeState(url.search), full);
    assert.deepEqual(
      withState(href, defaultState()),
      'https://pages.example.com/tickets-portal/?utm_source=mail&lang=en#faq',
    );
  });
});
