import {
  htmlToText,
  MAX_MESSAGE_CHARS,
  renderMessage,
  sanitizeMessageHtml,
  SHORTENED_NOTE,
  textToHtml,
} from './message-html';

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

describe('htmlToText on hostile input', () => {
  const timed = <T>(run: () => T): { value: T; ms: number } => {
    const started = performance.now();
    const value = run();
    return { value, ms: performance.now() - started };
  };

  it('should read 100 KB of spaces at once (was seconds: a backtracking regex)', () => {
    const { value, ms } = timed(() => htmlToText(' '.repeat(100_000)));
    expect(value).toBe('');
    expect(ms).toBeLessThan(500);
  });

  it.each([
    ['spaces then a letter', ' '.repeat(100_000) + 'x'],
    ['tabs and spaces', '\t '.repeat(50_000) + 'x\n'],
    ['blank lines with spaces', ' \n'.repeat(50_000)],
    ['ampersands', '&'.repeat(100_000)],
    ['open brackets', '<'.repeat(100_000)],
    ['unclosed tags', '<b>'.repeat(30_000)],
    ['breaks', '<br>'.repeat(25_000)],
  ])('should handle %s quickly', (_name, input) => {
    expect(timed(() => htmlToText(input)).ms).toBeLessThan(500);
  });

  it('should still drop blanks at line ends and keep at most one empty line', () => {
    expect(htmlToText('a  \t<br>b<br><br><br><br>c \n')).toBe('a\nb\n\nc');
  });
});

describe('renderMessage', () => {
  it('should show sanitised HTML and its text', () => {
    expect(renderMessage(null, '<p>Hi <script>x()</script><b>there</b></p>')).toEqual({
      html: '<p>Hi <b>there</b></p>',
      text: 'Hi there',
      shortened: false,
    });
    expect(renderMessage('a\n\nb', null)).toEqual({
      html: '<p>a</p><p>b</p>',
      text: 'a\n\nb',
      shortened: false,
    });
  });

  it.each([
    ['HTML-only spaces', null, ' '.repeat(1_000_000)],
    ['text-only spaces', ' '.repeat(1_000_000), null],
    ['nested tags', null, '<blockquote><b>'.repeat(70_000)],
    ['a long paragraph', null, `<p>${'word '.repeat(200_000)}</p>`],
  ])(
    'should cut a 1 MB message (%s) to what the portal shows, with a note, within a second',
    (_n, text, html) => {
      const started = performance.now();
      const rendered = renderMessage(text, html);
      expect(performance.now() - started).toBeLessThan(1000);
      expect(rendered.shortened).toBe(true);
      expect(rendered.html.length).toBeLessThan(MAX_MESSAGE_CHARS * 2);
      expect(rendered.html).toContain(`<p><em>${SHORTENED_NOTE}</em></p>`);
      expect(rendered.text.endsWith(SHORTENED_NOTE)).toBe(true);
    },
  );
});
