import { describe, expect, it } from 'vitest';
import { aboutOf } from './catalog.service.js';

// Invariant: the catalog shows only well-formed, non-blank parts of a service's stored metadata (jsonb from any
// version of service.json), and nothing at all when nothing is left.

describe('aboutOf', () => {
  it('keeps the well-formed parts and pairs the document lists by position', () => {
    expect(
      aboutOf({
        title: { de: 'T', en: 'T' },
        category: ' Förderung ',
        description: { de: 'Beschreibung', en: 'Description' },
        requiredDocuments: { de: ['Bilanz', ' ', 'Businessplan'], en: ['Balance sheet'] },
        expectedDuration: { de: '2 Wochen', en: '2 weeks' },
      }),
    ).toEqual({
      category: 'Förderung',
      description: { de: 'Beschreibung', en: 'Description' },
      requiredDocuments: [
        { de: 'Bilanz', en: 'Balance sheet' },
        { de: 'Businessplan', en: 'Businessplan' },
      ],
      expectedDuration: { de: '2 Wochen', en: '2 weeks' },
    });
  });

  it('leaves out malformed and blank parts, and is undefined when nothing is left', () => {
    expect(aboutOf(null)).toBeUndefined();
    expect(aboutOf({ title: { de: 'T', en: 'T' } })).toBeUndefined();
    expect(
      aboutOf({
        category: 42,
        description: { de: '', en: 'Only English' },
        requiredDocuments: ['not', 'by', 'language'],
        expectedDuration: 'zwei Wochen',
      }),
    ).toBeUndefined();
  });
});
