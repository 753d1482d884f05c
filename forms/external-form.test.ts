import { describe, expect, it } from 'vitest';
import { createFormRenderer } from './render.js';

// A task whose form is in another system (ADR 0034): the page shows a note and a link instead of fields.
const renderer = createFormRenderer();

describe('renderExternalForm', () => {
  it('links to a static http(s) reference, with the note in the page language', () => {
    const de = renderer.renderExternalForm('https://forms.example.org/check?case=1&x=2', { locale: 'de' });
    const en = renderer.renderExternalForm('https://forms.example.org/check', { locale: 'en' });

    expect(de).toContain(
      '<a href="https://forms.example.org/check?case&#x3D;1&amp;x&#x3D;2" rel="noopener noreferrer">',
    );
    expect(de).toContain('Formular im anderen System öffnen');
    expect(de).toContain('liegt in einem anderen System');
    expect(en).toContain('Open the form in the other system');
  });

  it('evaluates a FEEL reference against the case', () => {
    const html = renderer.renderExternalForm('="https://forms.example.org/cases/" + caseNumber', {
      locale: 'de',
      context: { caseNumber: 'A-7' },
    });

    expect(html).toContain('href="https://forms.example.org/cases/A-7"');
  });

  it.each([
    ['a script URL', 'javascript:alert(1)'],
    ['a relative reference', 'forms/check'],
    ['FEEL that fails', '=unknown.path + 1'],
  ])('shows %s as text, never as a link', (_case, reference) => {
    const html = renderer.renderExternalForm(reference, { locale: 'en' });

    expect(html).not.toContain('<a ');
    expect(html).toContain('<code>');
  });

  it('escapes what it shows', () => {
    expect(renderer.renderExternalForm('<img src=x onerror=alert(1)>', { locale: 'de' })).toContain(
      '&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;',
    );
  });
});
