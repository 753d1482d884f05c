// Sanity, not a benchmark: a 100-field form validates and renders in milliseconds. The bounds are
// generous (shared CI machines); a quadratic step or a FEEL parse per field and item would break them.
import { describe, expect, it } from 'vitest';
import { createFormRenderer } from './render.js';
import { parseForm, type FormSchema } from './schema.js';
import { validateSubmission } from './validate.js';

function bigForm(conditions: number): FormSchema {
  return parseForm({
    id: 'big',
    type: 'default',
    schemaVersion: 16,
    components: Array.from({ length: 100 }, (_, index) => ({
      id: `Field_${index}`,
      type: index % 4 === 0 ? 'number' : index % 4 === 1 ? 'select' : 'textfield',
      key: `field${index}`,
      label: `Feld ${index}`,
      ...(index % 4 === 1
        ? {
            values: [
              { label: 'A', value: 'a' },
              { label: 'B', value: 'b' },
            ],
          }
        : {}),
      ...(index < conditions ? { conditional: { hide: '=field0 > 100' } } : {}),
      validate: { required: index % 2 === 0 },
    })),
  });
}

const body = Object.fromEntries(
  Array.from({ length: 100 }, (_, index) => [
    `field${index}`,
    index % 4 === 0 ? '12,5' : index % 4 === 1 ? 'a' : 'Text',
  ]),
);

function millisecondsPerRound(form: FormSchema): number {
  const renderer = createFormRenderer();
  const round = () => {
    const { values, errors } = validateSubmission(form, body);
    renderer.renderFields(form, { values, errors, locale: 'de' });
  };
  for (let warmup = 0; warmup < 20; warmup++) round();
  const rounds = 50;
  const start = performance.now();
  for (let index = 0; index < rounds; index++) round();
  return (performance.now() - start) / rounds;
}

describe('a 100-field form', () => {
  it('validates and renders in a few milliseconds without conditions', () => {
    expect(millisecondsPerRound(bigForm(0))).toBeLessThan(15);
  });

  it('stays fast with ten FEEL conditions (each costs about one feelin parse)', () => {
    expect(millisecondsPerRound(bigForm(10))).toBeLessThan(50);
  });
});
