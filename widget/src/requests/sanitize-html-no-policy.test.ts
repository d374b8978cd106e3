// Trusted Types with a `trusted-types` list that names Lit's policy only: the portal cannot parse
// message HTML at all, and shows each message's text instead of hanging or throwing.
import { assert } from '@open-wc/testing';
import { htmlToText, sanitizeHtml } from './sanitize-html.js';

describe('sanitizeHtml under Trusted Types without its policy', () => {
  before(() => {
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = "require-trusted-types-for 'script'; trusted-types lit-html";
    document.head.append(meta);
  });

  it("should show the message's text, line by line, with no markup", () => {
    const out = sanitizeHtml(
      '<p>Hello <b>there</b> &amp; welcome</p><p>Line&nbsp;2 &#x1F600;</p><script>alert(1)</script><img src=x onerror=alert(1)>',
    );
    assert.lengthOf(out.children, 0);
    assert.strictEqual(out.textContent, 'Hello there & welcome\nLine\u00a02 😀');
    assert.strictEqual(out.style.whiteSpace, 'pre-line');
  });

  it('should leave unknown entities and stray brackets as text', () => {
    assert.strictEqual(htmlToText('a &bogus; b &#0; c'), 'a &bogus; b &#0; c');
    assert.strictEqual(htmlToText('1 < 2 <b>x</b>'), '1 < 2 x');
  });
});
