import { describe, expect, it } from 'vitest';
import {
  COMPONENT_FIXTURES,
  componentCases,
  componentForm,
  everyComponentForm,
  generalInquiryForm,
} from './fixtures/fixtures.js';
import { parseForm } from './schema.js';
import type { Locale } from './validate.js';
import { errorMessage, initialValues, validateSubmission, type FieldError } from './validate.js';

const form = everyComponentForm();

/** A complete, valid urlencoded submission of the every-component fixture. */
const validBody = {
  name: 'Anna',
  code: 'AB-123',
  notes: 'kurz',
  sector: 'it',
  size: 'large',
  consent: 'on',
};

describe('validateSubmission', () => {
  it('turns a valid urlencoded body into typed values', () => {
    const result = validateSubmission(form, validBody);

    expect(result).toEqual({
      values: {
        name: 'Anna',
        code: 'AB-123',
        notes: 'kurz',
        sector: 'it',
        size: 'large',
        consent: true,
        newsletter: false,
        reference: 'REF-1',
        region: 'north',
      },
      errors: [],
    });
  });

  it('accepts the same submission as JSON', () => {
    const result = validateSubmission(form, { ...validBody, consent: true, newsletter: true });

    expect(result.errors).toEqual([]);
    expect(result.values).toMatchObject({ consent: true, newsletter: true });
  });

  // Each rule once valid, once invalid; `change` is merged into the valid body.
  it.each<[string, Record<string, unknown>, Partial<FieldError> | undefined, Record<string, unknown>]>([
    ['required text present', { name: 'Anna' }, undefined, { name: 'Anna' }],
    ['required text absent', { name: undefined }, { key: 'name', code: 'required', params: { expected: 'text' } }, {}],
    ['required text blank', { name: '   ' }, { key: 'name', code: 'required' }, {}],
    ['text is trimmed', { name: '  Anna  ' }, undefined, { name: 'Anna' }],
    ['minLength reached', { name: 'Abc' }, undefined, { name: 'Abc' }],
    [
      'minLength missed, counted after trim',
      { name: ' Ab ' },
      { key: 'name', code: 'minLength', params: { min: 3, actual: 2 } },
      { name: 'Ab' },
    ],
    ['maxLength reached', { name: 'A'.repeat(10) }, undefined, { name: 'A'.repeat(10) }],
    [
      'maxLength exceeded',
      { name: 'A'.repeat(11) },
      { key: 'name', code: 'maxLength', params: { max: 10, actual: 11 } },
      { name: 'A'.repeat(11) },
    ],
    ['length counts characters, not UTF-16 units', { name: '😀😀😀😀😀😀😀😀😀😀' }, undefined, {}],
    ['CRLF counts as one character', { notes: 'a\r\n'.repeat(6) + 'a' }, undefined, { notes: 'a\n'.repeat(6) + 'a' }],
    ['pattern matched', { code: 'XY-999' }, undefined, { code: 'XY-999' }],
    ['pattern missed', { code: 'xy-999' }, { key: 'code', code: 'pattern' }, { code: 'xy-999' }],
    ['optional text empty: no pattern check, value omitted', { code: '' }, undefined, { code: undefined }],
    ['required select chosen', { sector: 'trade' }, undefined, { sector: 'trade' }],
    ['required select empty', { sector: '' }, { key: 'sector', code: 'required', params: { expected: 'choice' } }, {}],
    [
      'select outside the options',
      { sector: 'mining' },
      { key: 'sector', code: 'invalidOption' },
      { sector: undefined },
    ],
    ['optional radio absent', { size: undefined }, undefined, { size: undefined }],
    ['radio outside the options', { size: 'medium' }, { key: 'size', code: 'invalidOption' }, { size: undefined }],
    ['checkbox "true"', { newsletter: 'true' }, undefined, { newsletter: true }],
    ['checkbox "on"', { newsletter: 'on' }, undefined, { newsletter: true }],
    ['checkbox absent is false', { newsletter: undefined }, undefined, { newsletter: false }],
    [
      'required checkbox absent',
      { consent: undefined },
      { key: 'consent', code: 'required', params: { expected: 'confirmation' } },
      { consent: false },
    ],
    [
      'text as an array (repeated field)',
      { name: ['a', 'b'] },
      { key: 'name', code: 'invalidType' },
      { name: undefined },
    ],
    ['text as a number', { name: 12345 }, { key: 'name', code: 'invalidType' }, { name: undefined }],
    ['choice as an object', { sector: { value: 'it' } }, { key: 'sector', code: 'invalidType' }, {}],
    ['checkbox with another value', { newsletter: 'yes' }, { key: 'newsletter', code: 'invalidType' }, {}],
    ['read-only field ignores input', { reference: 'HACKED' }, undefined, { reference: 'REF-1' }],
    ['disabled field ignores input', { region: 'south' }, undefined, { region: 'north' }],
    ['NUL characters are removed', { name: 'An\u0000na' }, undefined, { name: 'Anna' }],
  ])('%s', (_rule, change, expectedError, expectedValues) => {
    const result = validateSubmission(form, { ...validBody, ...change });

    if (expectedError) {
      expect(result.errors).toEqual([expect.objectContaining(expectedError)]);
    } else {
      expect(result.errors).toEqual([]);
    }
    for (const [key, value] of Object.entries(expectedValues)) {
      if (value === undefined) expect(result.values).not.toHaveProperty(key);
      else expect(result.values[key]).toEqual(value);
    }
  });

  it('drops keys that are not in the form (no mass assignment)', () => {
    const result = validateSubmission(form, { ...validBody, isAdmin: 'true', caseId: '42', _csrf: 'token' });

    expect(Object.keys(result.values).sort()).toEqual(
      ['code', 'consent', 'name', 'newsletter', 'notes', 'reference', 'region', 'sector', 'size'].sort(),
    );
  });

  it('does not read inherited properties of the input', () => {
    const inherited = Object.create({ name: 'Anna', consent: 'on', sector: 'it' }) as Record<string, unknown>;

    const result = validateSubmission(form, inherited);

    expect(result.errors.map((error) => error.key)).toEqual(['name', 'sector', 'consent']);
  });

  it('names the component in each error, in form order, one error per field', () => {
    const result = validateSubmission(form, { code: 'nope', sector: 'mining' });

    expect(result.errors).toEqual([
      {
        componentId: 'Field_Name',
        key: 'name',
        fieldId: 'field-Field_Name',
        code: 'required',
        params: { expected: 'text' },
      },
      { componentId: 'Field_Code', key: 'code', fieldId: 'field-Field_Code', code: 'pattern' },
      { componentId: 'Field_Sector', key: 'sector', fieldId: 'field-Field_Sector', code: 'invalidOption' },
      {
        componentId: 'Field_Consent',
        key: 'consent',
        fieldId: 'field-Field_Consent',
        code: 'required',
        params: { expected: 'confirmation' },
      },
    ]);
  });

  it('validates the general inquiry start form as the portal submits it', () => {
    const start = generalInquiryForm('general-inquiry-start.form');

    const result = validateSubmission(start, {
      _csrf: 'x',
      subject: ' Fördermittel ',
      message: 'Welche Programme gibt es für Gründungen?',
      contactChannel: 'phone',
      phone: '',
    });

    expect(result).toEqual({
      values: {
        subject: 'Fördermittel',
        message: 'Welche Programme gibt es für Gründungen?',
        contactChannel: 'phone',
      },
      errors: [],
    });
  });

  it('asks for every required field of an empty general inquiry', () => {
    const start = generalInquiryForm('general-inquiry-start.form');

    const result = validateSubmission(start, {});

    expect(result.errors.map((error) => [error.key, error.code])).toEqual([
      ['subject', 'required'],
      ['message', 'required'],
      ['contactChannel', 'required'],
    ]);
  });
});

describe('initialValues', () => {
  it('gives the defaults and unticked checkboxes', () => {
    expect(initialValues(form)).toEqual({
      size: 'small',
      consent: false,
      newsletter: false,
      reference: 'REF-1',
      region: 'north',
    });
  });

  it('gives the general inquiry start form its default contact channel', () => {
    expect(initialValues(generalInquiryForm('general-inquiry-start.form'))).toEqual({ contactChannel: 'email' });
  });
});

describe('errorMessage', () => {
  const error = (code: FieldError['code'], params?: FieldError['params']): FieldError => ({
    componentId: 'Field_Subject',
    key: 'subject',
    fieldId: 'field-Field_Subject',
    code,
    params,
  });

  it.each<[FieldError, string, string]>([
    [error('required', { expected: 'text' }), 'Bitte füllen Sie „Betreff“ aus.', 'Enter Betreff.'],
    [
      error('required', { expected: 'choice' }),
      'Bitte wählen Sie bei „Betreff“ eine Möglichkeit aus.',
      'Select Betreff.',
    ],
    [error('required', { expected: 'confirmation' }), 'Bitte bestätigen Sie „Betreff“.', 'Confirm “Betreff”.'],
    [
      error('minLength', { min: 3, actual: 2 }),
      '„Betreff“ muss mindestens 3 Zeichen lang sein.',
      'Betreff must be at least 3 characters long.',
    ],
    [
      error('maxLength', { max: 10000, actual: 10001 }),
      '„Betreff“ darf höchstens 10.000 Zeichen lang sein (derzeit 10.001).',
      'Betreff must be 10,000 characters or fewer (currently 10,001).',
    ],
    [error('pattern'), 'Bitte geben Sie „Betreff“ im richtigen Format an.', 'Enter Betreff in the correct format.'],
    [
      error('invalidOption'),
      'Bitte wählen Sie bei „Betreff“ eine der angebotenen Möglichkeiten aus.',
      'Select one of the options for Betreff.',
    ],
    [
      error('invalidType'),
      'Die Eingabe bei „Betreff“ konnte nicht gelesen werden. Bitte geben Sie sie erneut ein.',
      'The entry for Betreff could not be read. Enter it again.',
    ],
    [
      error('required', { expected: 'choices' }),
      'Bitte wählen Sie bei „Betreff“ mindestens eine Möglichkeit aus.',
      'Select at least one option for Betreff.',
    ],
    [
      error('required', { expected: 'file' }),
      'Bitte laden Sie bei „Betreff“ eine Datei hoch.',
      'Upload a file for Betreff.',
    ],
    [
      error('email'),
      'Bitte geben Sie bei „Betreff“ eine E-Mail-Adresse im Format name@beispiel.de an.',
      'Enter Betreff as an email address in the correct format, like name@example.com.',
    ],
    [
      error('phone'),
      'Bitte geben Sie bei „Betreff“ eine Telefonnummer an, z. B. 0351 1234567 oder +49 351 1234567.',
      'Enter Betreff as a telephone number, like 0351 1234567 or +49 351 1234567.',
    ],
    [
      error('notANumber'),
      '„Betreff“ muss eine Zahl sein, z. B. 12 oder 12,5.',
      'Betreff must be a number, like 12 or 12.5.',
    ],
    [
      error('numberFormat', { expected: 'grouped' }),
      '„Betreff“ bitte im Format 1.234.567,89 eingeben: Punkte nur zwischen Dreiergruppen, Komma vor den ' +
        'Nachkommastellen (oder ohne Punkte: 1234567,89).',
      'Enter Betreff like 1,234,567.89: commas only between groups of three digits, a point before the decimals ' +
        '(or without commas: 1234567.89).',
    ],
    [
      error('numberFormat', { expected: 'plain' }),
      '„Betreff“ ist nicht eindeutig. Bitte ohne Tausenderpunkte eingeben, z. B. 50000 oder 1234,5.',
      'Betreff is ambiguous. Enter it without thousands separators, like 50000 or 1234.5.',
    ],
    [error('min', { min: 1.5 }), '„Betreff“ muss mindestens 1,5 sein.', 'Betreff must be 1.5 or more.'],
    [error('max', { max: 10000 }), '„Betreff“ darf höchstens 10.000 sein.', 'Betreff must be 10,000 or less.'],
    [error('decimalDigits', { max: 0 }), '„Betreff“ muss eine ganze Zahl sein.', 'Betreff must be a whole number.'],
    [
      error('decimalDigits', { max: 2 }),
      '„Betreff“ darf höchstens 2 Nachkommastellen haben.',
      'Betreff must have 2 decimal places or fewer.',
    ],
    [
      error('increment', { step: 0.5, lower: 12, higher: 12.5 }),
      '„Betreff“ muss ein Vielfaches von 0,5 sein, z. B. 12 oder 12,5.',
      'Betreff must be a multiple of 0.5, like 12 or 12.5.',
    ],
    [
      error('invalidDate', { expected: 'date' }),
      '„Betreff“ muss ein gültiges Datum sein, z. B. 31.12.2025.',
      'Betreff must be a real date, like 31.12.2025.',
    ],
    [
      error('invalidDate', { expected: 'time' }),
      '„Betreff“ muss eine gültige Uhrzeit sein, z. B. 14:30.',
      'Betreff must be a real time, like 14:30.',
    ],
    [
      error('invalidDate', { expected: 'datetime' }),
      'Bitte geben Sie bei „Betreff“ ein gültiges Datum und eine Uhrzeit an, z. B. 31.12.2025 und 14:30.',
      'Enter a real date and time for Betreff, like 31.12.2025 and 14:30.',
    ],
    [
      error('datePassed'),
      '„Betreff“ darf nicht in der Vergangenheit liegen.',
      'Betreff must be today or in the future.',
    ],
    [
      error('invalidFile'),
      'Die Datei bei „Betreff“ konnte nicht zugeordnet werden. Bitte laden Sie sie erneut hoch.',
      'The file for Betreff could not be found. Upload it again.',
    ],
    [
      error('tooManyFiles', { max: 1 }),
      'Bitte laden Sie bei „Betreff“ nur eine Datei hoch.',
      'Upload only one file for Betreff.',
    ],
  ])('explains %o in German and English', (fieldError, german, english) => {
    expect(errorMessage(fieldError, 'de', 'Betreff')).toBe(german);
    expect(errorMessage(fieldError, 'en', 'Betreff')).toBe(english);
  });

  it('still makes a sentence without a label', () => {
    expect(errorMessage(error('required', { expected: 'text' }), 'de')).toBe('Bitte füllen Sie dieses Feld aus.');
    expect(errorMessage(error('minLength', { min: 3 }), 'en')).toBe('The entry must be at least 3 characters long.');
  });

  it('still makes a sentence for a code it does not know (errors travel as data through the workflow)', () => {
    const unknown = { ...error('required'), code: 'somethingNew' } as unknown as FieldError;

    expect(errorMessage(unknown, 'de', 'Betreff')).toContain('„Betreff“');
  });
});

// Fixture per component and rule: forms/fixtures/components/<type>.form and <type>.cases.json.
describe.each(COMPONENT_FIXTURES)('validateSubmission, component fixture %s', (name) => {
  const schema = componentForm(name);

  it.each(componentCases(name).cases.map((validation) => [validation.rule, validation] as const))(
    '%s',
    (_rule, { input, context, today, values, errors }) => {
      const result = validateSubmission(schema, input, { context, today });

      expect(result.errors).toEqual(errors.map((expected) => expect.objectContaining(expected)));
      if (values !== undefined) expect(result.values).toEqual(values);
    },
  );
});

describe('validateSubmission with nested values', () => {
  const nested = componentForm('dynamiclist');

  it('identifies a field in a list item by path and gives it a stable field id', () => {
    const { errors } = validateSubmission(nested, { 'contacts[0].name': 'Anna', 'contacts[1]._item': '1' });

    expect(errors).toEqual([
      {
        componentId: 'Field_ContactName',
        key: 'contacts[1].name',
        fieldId: 'field-Field_ContactName-1',
        code: 'required',
        params: { expected: 'text' },
      },
    ]);
  });

  it('reads at most 200 items of a list', () => {
    const input = Object.fromEntries(Array.from({ length: 300 }, (_, index) => [`contacts[${index}].name`, 'x']));

    const { values } = validateSubmission(nested, input);

    expect(values['contacts']).toHaveLength(200);
  });

  it('ignores names it cannot read, and never builds objects from __proto__', () => {
    const { values, errors } = validateSubmission(nested, {
      'contacts[0].name': 'Anna',
      'contacts[x].name': 'B',
      '__proto__.polluted': 'yes',
      'contacts[0].__proto__': 'yes',
    });

    expect(errors).toEqual([]);
    expect(values).toEqual({ contacts: [{ name: 'Anna', main: false }] });
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});

describe('validateSubmission with conditions', () => {
  const chain = parseForm({
    id: 'chain',
    type: 'default',
    schemaVersion: 16,
    components: [
      { id: 'Field_A', type: 'checkbox', key: 'a', label: 'A' },
      { id: 'Field_B', type: 'textfield', key: 'b', label: 'B', conditional: { hide: '=a != true' } },
      {
        id: 'Field_C',
        type: 'textfield',
        key: 'c',
        label: 'C',
        validate: { required: true },
        conditional: { hide: '=b = null' },
      },
    ],
  }).form;

  it('removes a hidden value before later conditions see it (form-js semantics)', () => {
    const result = validateSubmission(chain, { b: 'filled although hidden' });

    expect(result).toEqual({ values: { a: false }, errors: [] });
  });

  it('shows what the chain shows when it is visible', () => {
    const result = validateSubmission(chain, { a: 'on', b: 'x' });

    expect(result.errors.map((error) => error.key)).toEqual(['c']);
  });

  it('reads FEEL variables from the context; the form values shadow them', () => {
    const form = componentForm('conditional');

    const shadowed = validateSubmission(form, { contactChannel: 'email' }, { context: { contactChannel: 'phone' } });

    expect(shadowed.errors).toEqual([]);
  });

  it('keeps the two-argument call of earlier versions', () => {
    const form = componentForm('conditional');

    expect(validateSubmission(form, { contactChannel: 'phone', phone: '0351 1' })).toEqual(
      validateSubmission(form, { contactChannel: 'phone', phone: '0351 1' }, {}),
    );
  });

  it('treats a failing condition as "shown": the user sees the field rather than losing it', () => {
    const form = parseForm({
      id: 'failing',
      type: 'default',
      schemaVersion: 16,
      components: [
        {
          id: 'Field_X',
          type: 'textfield',
          key: 'x',
          label: 'X',
          validate: { required: true },
          conditional: { hide: '="a" + 1 = 2' },
        },
      ],
    }).form;

    expect(validateSubmission(form, {}).errors.map((error) => error.key)).toEqual(['x']);
  });
});

describe('initialValues for nested forms', () => {
  it('gives groups their path, lists their default items, checklists an empty list', () => {
    expect(initialValues(componentForm('dynamiclist'))).toEqual({ contacts: [{ main: false }] });
    expect(initialValues(componentForm('checklist'))).toEqual({ topics: ['site'], branches: [] });
    expect(initialValues(componentForm('number'))).toEqual({ share: '0.25' });
    expect(initialValues(componentForm('group'))).toEqual({});
  });
});

describe('numbers as people type them, per language (options.locale)', () => {
  const amountForm = parseForm({
    id: 'amounts',
    type: 'default',
    schemaVersion: 16,
    components: [
      { id: 'Field_Amount', type: 'number', key: 'amount', label: 'Betrag' },
      { id: 'Field_Text', type: 'number', key: 'asText', label: 'Als Text', serializeToString: true },
    ],
  }).form;
  const read = (amount: string, locale?: Locale) => validateSubmission(amountForm, { amount }, { locale });

  // Invariant: with a language, "." and "," each have one role; the value is that reading or an error.
  it.each<[Locale | undefined, string, number]>([
    ['de', '50.000', 50000],
    ['de', '1.000.000', 1000000],
    ['de', '3,5', 3.5],
    ['de', '1.000,50', 1000.5],
    ['de', '1000,5', 1000.5],
    ['de', '-1.234,5', -1234.5],
    ['de', '1 000 000', 1000000],
    ['de', '0,125', 0.125],
    ['en', '50,000', 50000],
    ['en', '1,000,000', 1000000],
    ['en', '3.5', 3.5],
    ['en', '1,000.50', 1000.5],
    ['en', '50.000', 50],
    [undefined, '12,5', 12.5],
    [undefined, '12.5', 12.5],
    [undefined, '1.234,5', 1234.5],
    [undefined, '1,234.5', 1234.5],
    [undefined, '1.000.000', 1000000],
    [undefined, '1,000,000', 1000000],
    // Our own values come back in this reading (no trailing zeros), so it stays the data reading.
    [undefined, '1.234', 1.234],
    [undefined, '0.125', 0.125],
  ])('%s reads %o as %d', (locale, text, expected) => {
    expect(read(text, locale)).toEqual({ values: { amount: expected }, errors: [] });
  });

  // Invariant: a shape the language does not read one way is refused with the format, keeping the text.
  it.each<[Locale | undefined, string, 'grouped' | 'plain']>([
    ['de', '1.00.0', 'grouped'],
    ['de', '12.5', 'grouped'],
    ['de', '1.2345', 'grouped'],
    ['de', '1,234.5', 'grouped'],
    ['de', '0.125', 'grouped'],
    ['de', '1,2,3', 'grouped'],
    ['en', '3,5', 'grouped'],
    ['en', '1.000.000', 'grouped'],
    ['en', '1.000,50', 'grouped'],
    [undefined, '50.000', 'plain'],
    [undefined, '50,000', 'plain'],
    [undefined, '1.500', 'plain'],
    [undefined, '1.00.0', 'plain'],
  ])('%s refuses %o, naming the %s format, and keeps the text', (locale, text, expected) => {
    const result = read(` ${text} `, locale);
    expect(result.errors).toMatchObject([{ key: 'amount', code: 'numberFormat', params: { expected } }]);
    expect(result.values).toEqual({ amount: text });
  });

  it('still calls words and exponents no number', () => {
    for (const locale of ['de', 'en', undefined] as const) {
      for (const text of ['zwölf', '1e3', 'Infinity', '0x10']) {
        expect(read(text, locale).errors.map((error) => error.code)).toEqual(['notANumber']);
      }
    }
  });

  it('reads JSON numbers and our own serialized values the same in every language', () => {
    for (const locale of ['de', 'en', undefined] as const) {
      expect(validateSubmission(amountForm, { amount: 1.234, asText: '0.25' }, { locale }).values).toEqual({
        amount: 1.234,
        asText: '0.25',
      });
    }
  });
});
