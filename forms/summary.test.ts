import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allComponentsForm, componentForm } from './fixtures/fixtures.js';
import { parseForm } from './schema.js';
import { summarizeAnswers } from './summary.js';

const startForm = parseForm(
  JSON.parse(
    readFileSync(new URL('../workflows/catalog/general-inquiry/general-inquiry-start.form', import.meta.url), 'utf8'),
  ),
).form;
const answerForm = parseForm(
  JSON.parse(
    readFileSync(new URL('../workflows/catalog/general-inquiry/general-inquiry-answer.form', import.meta.url), 'utf8'),
  ),
).form;

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

describe('summarizeAnswers for nested forms and the new component types', () => {
  it('lists list items with their number, groups by their fields, and formats numbers, dates and files', () => {
    const form = allComponentsForm();
    const values = {
      companyName: 'Muster GmbH',
      employees: 1234,
      founded: '2020-02-29',
      call: '2025-07-01T14:30',
      topics: ['site', 'funding'],
      consent: true,
      plan: ['0b9ee6ae-5a56-4c1e-9d8a-6a0f1c2d3e4f'],
      address: { street: 'Hauptstr. 1' },
      contacts: [{ name: 'Anna', role: 'lead', email: 'anna@muster.de' }, { name: 'Bob' }],
      summary: 'Muster GmbH (2)',
    };

    expect(summarizeAnswers(form, values, 'de')).toEqual([
      { key: 'companyName', label: 'Unternehmen', value: 'Muster GmbH' },
      { key: 'employees', label: 'Beschäftigte', value: '1.234' },
      { key: 'founded', label: 'Gründungsdatum', value: '29.02.2020' },
      { key: 'call', label: 'Rückruf', value: '01.07.2025, 14:30' },
      { key: 'topics', label: 'Themen', value: 'Standort, Förderung' },
      { key: 'consent', label: 'Ich stimme zu.', value: 'Ja' },
      { key: 'plan', label: 'Businessplan', value: '1 Datei' },
      { key: 'address.street', label: 'Straße', value: 'Hauptstr. 1' },
      { key: 'contacts[0].name', label: 'Name (Ansprechpersonen, Eintrag 1)', value: 'Anna' },
      { key: 'contacts[0].role', label: 'Rolle (Ansprechpersonen, Eintrag 1)', value: 'Leitung' },
      { key: 'contacts[0].email', label: 'E-Mail (Ansprechpersonen, Eintrag 1)', value: 'anna@muster.de' },
      { key: 'contacts[1].name', label: 'Name (Ansprechpersonen, Eintrag 2)', value: 'Bob' },
    ]);
  });

  it('speaks English and resolves dynamic options from the context', () => {
    const form = componentForm('select');

    const lines = summarizeAnswers(form, { region: 'south' }, 'en', { regions: [{ label: 'South', value: 'south' }] });

    expect(lines).toEqual([{ key: 'region', label: 'Region', value: 'South' }]);
  });
});
