import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isSafeImageUrl, isSafeLinkUrl, sanitizeHtml } from './sanitize-html.js';

const clean = (html: string) => sanitizeHtml(html).html;

describe('sanitizeHtml', () => {
  it.each([
    ['allowed tags stay', '<p>a <strong>b</strong> <em>c</em></p>', '<p>a <strong>b</strong> <em>c</em></p>'],
    ['h1 becomes h2', '<h1>Titel</h1>', '<h2>Titel</h2>'],
    ['scripts go with their content', '<p>a</p><script>alert(1)</script><p>b</p>', '<p>a</p><p>b</p>'],
    ['styles go with their content', '<style>p{}</style><p>x</p>', '<p>x</p>'],
    ['event handlers go', '<p onclick="x()" onmouseover=y>t</p>', '<p>t</p>'],
    ['ids and classes go', '<p id="field-x" class="error">t</p>', '<p>t</p>'],
    ['javascript: links lose their href', '<a href="jav&#x61;script:alert(1)">x</a>', '<a>x</a>'],
    ['scheme with a tab inside', '<a href="java\tscript:x">x</a>', '<a>x</a>'],
    [
      'http, mailto, relative and fragment links stay',
      '<a href="/a">1</a><a href="#b">2</a><a href="mailto:c@d.de">3</a>',
      '<a href="/a">1</a><a href="#b">2</a><a href="mailto:c@d.de">3</a>',
    ],
    ['protocol-relative links go', '<a href="//evil.example">x</a>', '<a>x</a>'],
    ['unknown tags go, their text stays', '<form><input name="x"><font>t</font></form>', 't'],
    ['comments go', 'a<!-- <script> -->b', 'ab'],
    ['unclosed tags are closed', '<ul><li>a<li>b', '<ul><li>a<li>b</li></li></ul>'],
    ['stray end tags go', '</div>x</p>', 'x'],
    ['text is escaped', 'a < b & "c" > d', 'a &lt; b &amp; &quot;c&quot; &gt; d'],
    ['entities are kept as what they mean', '&auml;&#x41;&nbsp;&unknown;', 'äA\u00a0&amp;unknown;'],
    [
      'images need a safe src and an alt',
      '<img src="https://e.org/a.png" alt="A"><img src="x.png" alt="B"><img src="https://e.org/c.png">',
      '<img src="https://e.org/a.png" alt="A">',
    ],
    ['svg data images go', '<img src="data:image/svg+xml;base64,PHN2Zz4=" alt="x">', ''],
    ['table attributes are checked', '<td colspan="2" rowspan="x" style="color:red">1</td>', '<td colspan="2">1</td>'],
  ])('%s', (_case, input, expected) => {
    expect(clean(input)).toBe(expected);
  });

  it('reports what it removed', () => {
    expect(sanitizeHtml('<p onclick="x">a</p><script>y</script>').removed).toEqual([
      'attribute onclick on <p>',
      '<script>',
    ]);
  });

  it('never lets a script, a handler or a javascript: URL through, whatever the input', () => {
    const pieces = fc.constantFrom(
      '<',
      '>',
      '/',
      '"',
      "'",
      '=',
      ' ',
      'script',
      'a',
      'img',
      'p',
      'href',
      'src',
      'onclick',
      'javascript:',
      '&#x61;',
      '<!--',
      '-->',
      'x',
    );
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 40 }), (parts) => {
        const html = clean(parts.join(''));

        expect(html).not.toMatch(/<script|<\/?(?!(?:p|a|img|strong|em|br)\b)[a-z]+[\s>]/i);
        expect(html).not.toMatch(/\son[a-z]+=/i);
        expect(html).not.toMatch(/(?:href|src)="[^"]*javascript:/i);
      }),
    );
  });
});

describe('URL checks', () => {
  it.each([
    ['https://example.org', true],
    ['mailto:a@b.de', true],
    ['javascript:alert(1)', false],
    ['JAVASCRIPT:alert(1)', false],
    ['/relative', false],
  ])('link %s → %s', (url, safe) => {
    expect(isSafeLinkUrl(url)).toBe(safe);
  });

  it.each([
    ['https://example.org/a.png', true],
    ['data:image/png;base64,iVBORw0KGgo=', true],
    ['data:image/svg+xml;base64,PHN2Zz4=', false],
    ['data:text/html;base64,PHNjcmlwdD4=', false],
    ['javascript:alert(1)', false],
  ])('image %s → %s', (url, safe) => {
    expect(isSafeImageUrl(url)).toBe(safe);
  });
});
