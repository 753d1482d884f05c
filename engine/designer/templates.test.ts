import { describe, expect, it } from 'vitest';
import { definitionFromFiles, readMetadata, validateServiceFiles } from './service-files.js';
import { TEMPLATE_IDS, TEMPLATES, templateFiles } from './templates.js';

// Invariant: every template is publishable as it is (no validation error) under the slug and title given, and
// names itself in German and English.

describe('templates', () => {
  it.each(TEMPLATE_IDS)('%s is valid and publishable under its new slug and title', async (id) => {
    const files = templateFiles(id, { slug: 'neue-leistung', title: { de: 'Neue Leistung', en: 'New service' } });
    expect((await validateServiceFiles(files)).filter((problem) => problem.severity === 'error')).toEqual([]);
    const definition = await definitionFromFiles(files);
    expect(definition.slug).toBe('neue-leistung');
    expect(readMetadata(files)?.title).toEqual({ de: 'Neue Leistung', en: 'New service' });
    // Every form has its English texts.
    for (const form of Object.values(definition.forms)) expect(form.translations?.en, form.id).toBeDefined();
  });

  it('are described in both languages', () => {
    expect(TEMPLATES.map((template) => template.id)).toEqual([...TEMPLATE_IDS]);
    for (const template of TEMPLATES) {
      expect(template.title.de && template.title.en && template.description.de && template.description.en).toBeTruthy();
    }
  });
});
