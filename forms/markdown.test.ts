import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown.js';

const fill = (expression: string) => `[${expression}]`;
const render = (source: string) => renderMarkdown(source, fill);

describe('renderMarkdown', () => {
  it.each([
    ['paragraphs and line breaks', 'Eins\nZwei\n\nDrei', ['<p>Eins<br>Zwei</p>', '<p>Drei</p>']],
    ['headings start at h2', '# Titel\n### Unter', ['<h2>Titel</h2>', '<h3>Unter</h3>']],
    [
      'bold and italic',
      '**fett** und *kursiv* und __auch__ _so_',
      ['<p><strong>fett</strong> und <em>kursiv</em> und <strong>auch</strong> <em>so</em></p>'],
    ],
    ['no emphasis inside words with _', 'snake_case_name', ['<p>snake_case_name</p>']],
    ['bullet list', '- a\n- b', ['<ul><li>a</li><li>b</li></ul>']],
    ['numbered list keeps its start', '3. c\n4. d', ['<ol start="3"><li>c</li><li>d</li></ol>']],
    ['a list interrupts a paragraph', 'Hinweis:\n- a', ['<p>Hinweis:</p>', '<ul><li>a</li></ul>']],
    ['code', 'Feld `key` setzen', ['<p>Feld <code>key</code> setzen</p>']],
    ['escaped markers', '\\*kein\\* Markdown', ['<p>*kein* Markdown</p>']],
    [
      'links',
      '[Seite](https://example.org/a_(b)) [Mail](mailto:a@b.de)',
      ['<p><a href="https://example.org/a_(b)">Seite</a> <a href="mailto:a@b.de">Mail</a></p>'],
    ],
    ['unsafe links become text', '[x](javascript:alert(1)) [y](data:text/html,x) [z](/relativ)', ['<p>x y z</p>']],
    ['placeholders', 'Hallo {{ companyName }}!', ['<p>Hallo [companyName]!</p>']],
    ['HTML is text', '<b onclick="x">&amp;</b>', ['<p>&lt;b onclick&#x3D;&quot;x&quot;&gt;&amp;amp;&lt;/b&gt;</p>']],
  ])('%s', (_case, source, blocks) => {
    expect(render(source)).toEqual(blocks);
  });

  it('escapes placeholder values and never reads them as Markdown', () => {
    const blocks = renderMarkdown('Hallo {{name}}', () => '**<script>** [x](https://evil.example)');

    expect(blocks).toEqual(['<p>Hallo **&lt;script&gt;** [x](https://evil.example)</p>']);
  });

  it('never lets a tag or an event handler through, whatever the source', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'<>"\'=*_[]()`{}#-\n ab:/\\'), maxLength: 80 }), (source) => {
        const html = render(source).join('');
        const tags = [...html.matchAll(/<\/?([a-z0-9]+)/g)].map(([, tag]) => tag);

        for (const tag of tags)
          expect(['p', 'br', 'strong', 'em', 'code', 'a', 'ul', 'ol', 'li', 'h2', 'h3', 'h4', 'h5', 'h6']).toContain(
            tag,
          );
        expect(html).not.toMatch(/href="(?!https?:|mailto:)/);
      }),
    );
  });
});
