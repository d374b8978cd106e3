import { assert } from '@open-wc/testing';
import { HOSTILE_HTML } from '../../test/fake-api.js';
import { safeHref, sanitizeHtml } from './sanitize-html.js';

describe('sanitizeHtml', () => {
  it('should keep the allowed subset and drop scripts, styles, handlers, embeds and javascript: links', () => {
    const out = sanitizeHtml(HOSTILE_HTML);
    assert.lengthOf(out.querySelectorAll('script, style, iframe, img, svg, form, input'), 0);
    for (const element of out.querySelectorAll('*')) {
      const names = element.getAttributeNames();
      if (element.localName === 'a') {
        assert.includeMembers(['href', 'target', 'rel'], names);
      } else {
        assert.deepEqual(names, [], `${element.localName} kept ${names.join(', ')}`);
      }
    }
    const hrefs = [...out.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    assert.deepEqual(hrefs, [null, null, 'https://example.com/help']);
    assert.strictEqual(out.querySelector('b')?.textContent, 'there');
    assert.include(out.textContent, 'kept text');
    assert.notInclude(out.textContent, '__pwned');
  });

  it('should accept only http, https and mailto links, however the scheme is disguised', () => {
    assert.strictEqual(safeHref('https://example.com/a?b=1'), 'https://example.com/a?b=1');
    assert.strictEqual(safeHref('mailto:help@example.com'), 'mailto:help@example.com');
    for (const bad of [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,x',
      'vbscript:x',
      '/relative',
      null,
    ]) {
      assert.isNull(safeHref(bad), String(bad));
    }
  });

  it('should flatten absurdly deep markup to text instead of walking it without end', () => {
    const deep = '<b>'.repeat(500) + 'bottom' + '</b>'.repeat(500);
    const out = sanitizeHtml(deep);
    assert.strictEqual(out.textContent, 'bottom');
  });
});
