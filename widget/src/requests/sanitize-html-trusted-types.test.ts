// Issue 14: a page with `require-trusted-types-for 'script'` refuses a string in innerHTML, and the
// ticket page stayed on "Loading the conversation…" for good. Each file gets a fresh tab, and a CSP
// once set cannot be loosened: this one allows any policy (no `trusted-types` list), the next file
// (sanitize-html-no-policy.test.ts) allows only Lit's.
import { assert } from '@open-wc/testing';
import { HOSTILE_HTML } from '../../test/fake-api.js';
import { sanitizeHtml } from './sanitize-html.js';

describe('sanitizeHtml under Trusted Types', () => {
  const violations: string[] = [];
  before(() => {
    document.addEventListener('securitypolicyviolation', (e) => violations.push(e.violatedDirective));
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = "require-trusted-types-for 'script'";
    document.head.append(meta);
    assert.throws(() => {
      document.createElement('template').innerHTML = '<b>x</b>';
    }, TypeError);
  });

  it('should parse through its own policy and keep only the allowed markup', () => {
    const out = sanitizeHtml('<p>Hello <b>there</b></p><script>window.__pwned = 1</script>');
    assert.strictEqual(out.innerHTML, '<p>Hello <b>there</b></p>');
    const hostile = sanitizeHtml(HOSTILE_HTML);
    assert.lengthOf(hostile.querySelectorAll('script, style, iframe, img, svg, form, input'), 0);
    assert.deepEqual(violations, []);
  });
});
