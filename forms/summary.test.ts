import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseForm } from './schema.js';
import { summarizeAnswers } from './summary.js';

const startForm = parseForm(
  JSON.parse(
    readFileSync(new URL('../workflows/catalog/general-inquiry/general-inquiry-start.form', import.meta.url), 'utf8'),
  ),
);
const answerForm = parseForm(
  JSON.parse(
    readFileSync(new URL('../workflows/catalog/general-inquiry/general-inquiry-answer.form', import.meta.url), 'utf8'),
  ),
);

describe('summarizeAnswers', () => {
  it('lists answered fields in form order with labels, option labels instead of values, and skips empty ones', () => {
    const lines = summarizeAnswers(
      startForm,
      { message: 'Hallo Welt!', subject: 'Frage', contactChannel: 'phone', other: 'x' },
      'de',
    );
    expect(lines).toEqual([
      { key: 'subject', label: 'Betreff', value: 'Frage' },
      { key: 'message', label: 'Ihre Nachricht', value: 'Hallo Welt!' },
      { key: 'contactChannel', label: 'Bevorzugter Kontaktweg', value: 'Telefon' },
    ]);
  });

  it.each([
    [true, 'de', 'Ja'],
    [false, 'de', 'Nein'],
    [true, 'en', 'Yes'],
  ] as const)('shows checkbox %s as %s/%s', (checked, locale, expected) => {
    const lines = summarizeAnswers(answerForm, { answer: 'Antwort', followUpCall: checked }, locale);
    expect(lines.find((line) => line.key === 'followUpCall')?.value).toBe(expected);
  });
});
