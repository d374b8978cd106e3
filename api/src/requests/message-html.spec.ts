import { htmlToText, sanitizeMessageHtml, textToHtml } from './message-html';

describe('sanitizeMessageHtml', () => {
  const inert = (html: string): void => {
    const out = sanitizeMessageHtml(html).toLowerCase();
    for (const bad of [
      '<script',
      '<style',
      'style=',
      '<iframe',
      '<svg',
      '<img',
      '<object',
      '<embed',
      '<form',
      '<input',
      '<button',
      '<math',
      '<link',
      '<meta',
      '<base',
      'javascript:',
      'vbscript:',
      'data:',
      ' on',
      'alert(',
      'expression(',
    ]) {
      expect(out).not.toContain(bad);
    }
  };

  it.each([
    ['script', '<p>hi<script>alert(1)</script></p>'],
    ['onerror', '<img src=x onerror="alert(1)">'],
    ['handler on an allowed tag', '<b onmouseover="alert(1)">x</b>'],
    ['style element', '<style>*{display:none}</style><p>x</p>'],
    ['style attribute', '<p style="background:url(javascript:alert(1))">x</p>'],
    ['CSS expression', '<p style="width:expression(alert(1))">x</p>'],
    ['javascript: href', '<a href="javascript:alert(1)">x</a>'],
    ['obfuscated javascript: href', '<a href="jav&#x09;ascript:alert(1)">x</a>'],
    ['upper-case scheme', '<a href="JaVaScRiPt:alert(1)">x</a>'],
    ['vbscript: href', '<a href="vbscript:msgbox(1)">x</a>'],
    ['data: url', '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>'],
    ['iframe', '<iframe src="https://evil.example" srcdoc="<script>alert(1)</script>"></iframe>'],
    ['svg', '<svg onload="alert(1)"><script>alert(1)</script></svg>'],
    ['math', '<math><mi xlink:href="javascript:alert(1)">x</mi></math>'],
    ['form', '<form action="https://evil.example"><input name="p"><button>go</button></form>'],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'],
    ['base', '<base href="javascript:alert(1)//">'],
    ['link', '<link rel="stylesheet" href="https://evil.example/x.css">'],
    ['object/embed', '<object data="x.swf"></object><embed src="x.swf">'],
    ['unclosed tricks', '<<script>alert(1)//<</script>'],
    ['comment trick', '<!--<img src=x onerror=alert(1)>-->'],
  ])('should make %s inert', (_name, html) => inert(html));

  it('should keep the safe subset and force rel and target on links', () => {
    const html =
      '<p>Hi <b>A</b> <strong>B</strong> <i>C</i> <em>D</em> <u>E</u><br></p><ul><li>1</li></ul><ol><li>2</li></ol>' +
      '<blockquote>q</blockquote><pre><code>c</code></pre><a href="https://x.example/" target="_self" rel="opener">l</a>' +
      '<a href="mailto:help@x.example">m</a>';
    expect(sanitizeMessageHtml(html)).toBe(
      '<p>Hi <b>A</b> <strong>B</strong> <i>C</i> <em>D</em> <u>E</u><br /></p><ul><li>1</li></ul><ol><li>2</li></ol>' +
        '<blockquote>q</blockquote><pre><code>c</code></pre>' +
        '<a href="https://x.example/" rel="noopener noreferrer nofollow" target="_blank">l</a>' +
        '<a href="mailto:help@x.example" rel="noopener noreferrer nofollow" target="_blank">m</a>',
    );
  });

  it('should unwrap unknown tags to their text', () => {
    expect(sanitizeMessageHtml('<div><span class="x">Hello</span> <font color=red>world</font></div>')).toBe(
      'Hello world',
    );
  });
});

describe('textToHtml', () => {
  it('should escape markup and keep line breaks', () => {
    expect(textToHtml('a <b>&\nb\n\nc')).toBe('<p>a &lt;b&gt;&amp;<br>b</p><p>c</p>');
  });
});

describe('htmlToText', () => {
  it('should read the text of HTML without scripts', () => {
    expect(htmlToText('<p>Hello&nbsp;<b>you</b></p><script>x()</script><p>Bye</p>')).toBe('Hello you\nBye');
  });
});
