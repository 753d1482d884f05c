import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GENERAL_INQUIRY_FORM_FILES, allComponentsForm, generalInquiryForm } from './fixtures/fixtures.js';
import { createFormRenderer } from './render.js';
import {
  FormTranslationError,
  missingTranslations,
  parseFormTranslation,
  translateForm,
  translationFileName,
} from './translate.js';
import { validateSubmission } from './validate.js';

const GENERAL_INQUIRY = new URL('../workflows/catalog/general-inquiry/', import.meta.url);

function problemsOf(json: unknown): string[] {
  try {
    parseFormTranslation(json, allComponentsForm(), 'all-components.en.json');
  } catch (error) {
    if (error instanceof FormTranslationError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a FormTranslationError');
}

describe('the shipped English translations', () => {
  it.each(GENERAL_INQUIRY_FORM_FILES)('%s: every text translated, every entry valid', (file) => {
    const form = generalInquiryForm(file);
    const name = translationFileName(file, 'en');

    const translation = parseFormTranslation(
      JSON.parse(readFileSync(new URL(name, GENERAL_INQUIRY), 'utf8')),
      form,
      name,
    );

    expect(missingTranslations(form, translation)).toEqual([]);
  });

  it('renders the start form in English, with English messages naming the English labels', () => {
    const form = generalInquiryForm('general-inquiry-start.form');
    const name = 'general-inquiry-start.en.json';
    const english = translateForm(
      form,
      parseFormTranslation(JSON.parse(readFileSync(new URL(name, GENERAL_INQUIRY), 'utf8')), form, name),
    );
    const { values, errors } = validateSubmission(english, {});

    const html = createFormRenderer().renderFields(english, { values, errors, locale: 'en' });

    expect(html).toContain('Describe your request.');
    expect(html).toContain(
      '<legend class="field__label">Preferred way to contact you <span class="field__required">(required)</span></legend>',
    );
    expect(html).toContain('<label class="field__option-label" for="field-Field_Channel-3">In person</label>');
    expect(html).toContain('Enter Subject.');
    expect(english.components.map((component) => component.id)).toEqual(
      form.components.map((component) => component.id),
    );
  });
});

describe('translateForm', () => {
  it('replaces texts in nested components and keeps the rest, without changing the form', () => {
    const form = allComponentsForm();
    const before = JSON.stringify(form);

    const english = translateForm(form, {
      components: {
        Field_ContactName: { label: 'Name (EN)' },
        Group_Address: { label: 'Address' },
        Field_Topics: { values: { site: 'Location' } },
        Table_Programs: { columns: { name: 'Programme' } },
        Field_Call: { dateLabel: 'Date', timeLabel: 'Time' },
      },
    });

    expect(JSON.stringify(form)).toBe(before);
    const text = JSON.stringify(english);
    for (const expected of [
      'Name (EN)',
      '"label":"Address"',
      '"label":"Location","value":"site"',
      '"label":"Programme"',
      '"dateLabel":"Date"',
    ]) {
      expect(text).toContain(expected);
    }
    expect(text).toContain('"label":"Förderung","value":"funding"');
  });
});

describe('parseFormTranslation', () => {
  it.each([
    [
      { components: { Field_Nope: { label: 'x' } } },
      'Translation all-components.en.json, component Field_Nope: unknown component id (not in form all-components)',
    ],
    [
      { components: { Field_Company: { values: { a: 'b' } } } },
      'component Field_Company: a textfield component has no translatable values',
    ],
    [
      { components: { Field_Sector: { values: { mining: 'Mining' } } } },
      'component Field_Sector: values: "mining" is not an option value',
    ],
    [{ components: { Field_Company: { label: '' } } }, 'component Field_Company: label: must not be empty'],
    [
      { components: { Field_Company: { label: '=name' } } },
      'component Field_Company: FEEL expressions (=…) are not supported here',
    ],
    [{ components: { Field_Company: { placeholder: 'x' } } }, 'component Field_Company: unknown property placeholder'],
    [
      { components: { Text_Intro: { text: 'Hi {{#if x}}' } } },
      'component Text_Intro: template blocks like {{#if x}} are not supported yet',
    ],
    [{ components: { Html_Note: { content: '<script>x</script>' } } }, 'component Html_Note: <script> is not allowed'],
    [
      { components: { Table_Programs: { columns: { other: 'x' } } } },
      'component Table_Programs: columns: "other" is not a column key',
    ],
    [{ fields: {} }, 'Translation all-components.en.json: components:'],
  ])('rejects %j', (json, expected) => {
    const problems = problemsOf(json);

    expect(
      problems.some((problem) => problem.includes(expected)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('lists what is still German', () => {
    const form = generalInquiryForm('general-inquiry-start.form');

    expect(missingTranslations(form, { components: { Field_Subject: { label: 'Subject' } } })).toEqual([
      'Text_Intro.text',
      'Field_Message.label',
      'Field_Message.description',
      'Field_Channel.label',
      'Field_Channel.values',
      'Field_Phone.label',
    ]);
  });

  it('names the file next to the form', () => {
    expect(translationFileName('workflows/catalog/x/start.form', 'en')).toBe('workflows/catalog/x/start.en.json');
  });
});
