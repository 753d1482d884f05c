import { describe, expect, it } from 'vitest';
import { everyComponentForm, generalInquiryForm } from './fixtures/fixtures.js';
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
      { componentId: 'Field_Name', key: 'name', code: 'required', params: { expected: 'text' } },
      { componentId: 'Field_Code', key: 'code', code: 'pattern' },
      { componentId: 'Field_Sector', key: 'sector', code: 'invalidOption' },
      { componentId: 'Field_Consent', key: 'consent', code: 'required', params: { expected: 'confirmation' } },
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
  ])('explains %o in German and English', (fieldError, german, english) => {
    expect(errorMessage(fieldError, 'de', 'Betreff')).toBe(german);
    expect(errorMessage(fieldError, 'en', 'Betreff')).toBe(english);
  });

  it('still makes a sentence without a label', () => {
    expect(errorMessage(error('required', { expected: 'text' }), 'de')).toBe('Bitte füllen Sie dieses Feld aus.');
    expect(errorMessage(error('minLength', { min: 3 }), 'en')).toBe('The entry must be at least 3 characters long.');
  });
});
