import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LEGAL_PAGES, feedbackOf, loadLegalTexts, renderLegalMarkdown } from './legal-pages.service.js';

const SHIPPED = fileURLToPath(new URL('../../config/legal', import.meta.url));

describe('legal texts', () => {
  it('render the agency’s Markdown with addresses kept on their lines and headings below the page title', () => {
    expect(renderLegalMarkdown('## Anbieter\n\nKreis Musterland\nKreishaus\n\n- [Mail](mailto:a@b.example)')).toBe(
      '<h2>Anbieter</h2>\n<p>Kreis Musterland<br>Kreishaus</p>\n<ul><li><a href="mailto:a@b.example">Mail</a></li></ul>',
    );
  });

  it.each(['<script>alert(1)</script>', '<img src=x onerror=alert(1)>', '[klick](javascript:alert(1))'])(
    'never let markup through: %s',
    (source) => {
      expect(renderLegalMarkdown(source)).not.toMatch(/<(script|img)|href="javascript/);
    },
  );
});

describe('loadLegalTexts', () => {
  it('reads every page in both languages from the shipped sample texts, marked as samples', () => {
    const texts = loadLegalTexts(SHIPPED);
    for (const page of LEGAL_PAGES) {
      expect(texts[page].de).toContain('<strong>Beispielinhalt:</strong>');
      expect(texts[page].en).toContain('<strong>Sample content:</strong>');
    }
    expect(texts.barrierefreiheit.de).toContain('href="https://www.schlichtungsstelle-bgg.de"');
  });

  it('refuses to start without a page, naming the file', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lotse-legal-'));
    for (const page of LEGAL_PAGES) {
      writeFileSync(path.join(dir, `${page}.de.md`), '## Text');
      if (page !== 'datenschutz') writeFileSync(path.join(dir, `${page}.en.md`), '## Text');
    }
    expect(() => loadLegalTexts(dir)).toThrow(/datenschutz\.en\.md/);
  });
});

describe('feedbackOf', () => {
  it('needs only the message; name, e-mail and page are optional', () => {
    expect(feedbackOf({ message: '  Kontrast zu schwach  ' })).toEqual({
      values: { name: '', email: '', message: 'Kontrast zu schwach', location: '' },
      problems: [],
    });
  });

  it.each([
    [{ message: '' }, [{ field: 'message', messageKey: 'legal.error.messageRequired' }]],
    [{ message: 'x'.repeat(5001) }, [{ field: 'message', messageKey: 'legal.error.messageTooLong' }]],
    [{ message: 'ok', email: 'keine-adresse' }, [{ field: 'email', messageKey: 'legal.error.email' }]],
    [{ message: 'ok', name: 'n'.repeat(201) }, [{ field: 'name', messageKey: 'legal.error.tooLong' }]],
    [{ message: ['a', 'b'] }, [{ field: 'message', messageKey: 'legal.error.messageRequired' }]],
  ])('%j', (input, problems) => {
    expect(feedbackOf(input).problems).toEqual(problems);
  });
});
