import { describe, expect, it } from 'vitest';
import { publicStatusLabel } from './public-status.js';

// Invariant: a company always reads a status — the service's label in its language where one is given, else the
// model's own word; malformed labels (jsonb written by any version) never hide a status.

describe('publicStatusLabel', () => {
  const labels = {
    'In Bearbeitung': { de: 'Wird bearbeitet', en: 'In progress' },
    Eingegangen: { de: '', en: 'Received' },
    Kaputt: 'not an object',
  };

  it('names the status in each language by its label', () => {
    expect(publicStatusLabel('In Bearbeitung', labels)).toEqual({ de: 'Wird bearbeitet', en: 'In progress' });
  });

  it('keeps the model’s word where a language has no label', () => {
    expect(publicStatusLabel('Eingegangen', labels)).toEqual({ de: 'Eingegangen', en: 'Received' });
    expect(publicStatusLabel('Beantwortet', labels)).toEqual({ de: 'Beantwortet', en: 'Beantwortet' });
    expect(publicStatusLabel('Kaputt', labels)).toEqual({ de: 'Kaputt', en: 'Kaputt' });
    expect(publicStatusLabel('Eingegangen', null)).toEqual({ de: 'Eingegangen', en: 'Eingegangen' });
  });
});
