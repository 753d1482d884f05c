import { describe, expect, it } from 'vitest';
import { renderLegalMarkdown } from './legal-markdown.js';

describe('renderLegalMarkdown', () => {
  it.each([
    ['## Anbieter', '<h2>Anbieter</h2>'],
    ['# Titel', '<h2>Titel</h2>'],
    ['### Kontakt', '<h3>Kontakt</h3>'],
    ['Kreis Musterland\nKreishaus\n12345 Musterstadt', '<p>Kreis Musterland<br>Kreishaus<br>12345 Musterstadt</p>'],
    ['- eins\n- **zwei**', '<ul><li>eins</li><li><strong>zwei</strong></li></ul>'],
    [
      '[Schlichtungsstelle](https://www.schlichtungsstelle-bgg.de)',
      '<p><a href="https://www.schlichtungsstelle-bgg.de" rel="noopener">Schlichtungsstelle</a></p>',
    ],
    ['[Mail](mailto:info@kreis.example)', '<p><a href="mailto:info@kreis.example">Mail</a></p>'],
    ['[Formular](/barrierefreiheit#feedback)', '<p><a href="/barrierefreiheit#feedback">Formular</a></p>'],
  ])('%j', (source, html) => {
    expect(renderLegalMarkdown(source)).toBe(html);
  });

  it('separates blocks by blank lines', () => {
    expect(renderLegalMarkdown('## A\n\nText\n\n\n- x')).toBe('<h2>A</h2>\n<p>Text</p>\n<ul><li>x</li></ul>');
  });

  it.each([
    ['<script>alert(1)</script>', '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>'],
    ['<img src=x onerror=alert(1)>', '<p>&lt;img src=x onerror=alert(1)&gt;</p>'],
    ['[klick](javascript:alert(1))', '<p>[klick](javascript:alert(1))</p>'],
    ['[klick](//evil.example)', '<p>[klick](//evil.example)</p>'],
    [
      '[x](https://a.example/"onmouseover="alert(1))',
      '<p><a href="https://a.example/&quot;onmouseover=&quot;alert(1" rel="noopener">x</a>)</p>',
    ],
    ['**<b>fett</b>**', '<p><strong>&lt;b&gt;fett&lt;/b&gt;</strong></p>'],
  ])('never lets markup through: %j', (source, html) => {
    expect(renderLegalMarkdown(source)).toBe(html);
  });
});
