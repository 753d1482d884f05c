import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GENERAL_INQUIRY_FORM_FILES, everyComponentForm, generalInquiryForm } from './fixtures/fixtures.js';
import { inputComponents, type FormSchema, type InputComponent } from './schema.js';
import { errorMessage, initialValues, validateSubmission } from './validate.js';

const forms: [string, FormSchema][] = [
  ['every-component', everyComponentForm()],
  ...GENERAL_INQUIRY_FORM_FILES.map((file): [string, FormSchema] => [file, generalInquiryForm(file)]),
];

/** Values near the rules are more interesting than random noise: options, checkbox words, lengths at the edges. */
function interestingValue(component: InputComponent): fc.Arbitrary<unknown> {
  const special =
    component.type === 'select' || component.type === 'radio'
      ? fc.constantFrom(...component.values.map((option) => option.value), '', 'other')
      : component.type === 'checkbox'
        ? fc.constantFrom('on', 'true', 'false', '', true, false, 'yes')
        : fc.oneof(
            fc.string({ unit: 'grapheme', maxLength: (component.validate?.maxLength ?? 20) + 2 }),
            fc.constantFrom('   ', '\r\n', 'AB-123', ' AB-123 ', '\u0000'),
          );
  return fc.oneof(special, fc.anything());
}

function submission(form: FormSchema): fc.Arbitrary<Record<string, unknown>> {
  const known = Object.fromEntries(
    inputComponents(form).map((component) => [component.key, interestingValue(component)]),
  );
  return fc
    .tuple(
      fc.record(known, { requiredKeys: [] }),
      fc.dictionary(fc.string(), fc.anything(), { maxKeys: 5 }),
      fc.dictionary(fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'), fc.anything()),
    )
    .map(([fields, noise, tricky]) => ({ ...tricky, ...noise, ...fields }));
}

const NON_BLANK = fc.constantFrom(...'aZ09äÖß-.,😀');

/** A value the component accepts, in the shapes urlencoded bodies and JSON use. */
function validValue(component: InputComponent): fc.Arbitrary<unknown> {
  const required = component.validate?.required === true;
  switch (component.type) {
    case 'textfield':
    case 'textarea': {
      // A pattern is not generated from; the fixtures' patterned fields are optional.
      if (component.validate?.pattern !== undefined) return fc.constant(undefined);
      const minLength = Math.max(component.validate?.minLength ?? 0, required ? 1 : 0);
      const maxLength = Math.min(component.validate?.maxLength ?? 50, minLength + 50);
      return fc
        .tuple(fc.string({ unit: NON_BLANK, minLength, maxLength }), fc.constantFrom('', ' ', '\n', '\r\n '))
        .map(([text, padding]) => padding + text + padding);
    }
    case 'select':
    case 'radio': {
      const option = fc.constantFrom(...component.values.map((choice) => choice.value));
      return required ? option : fc.oneof(option, fc.constantFrom(undefined, ''));
    }
    case 'checkbox':
      return required ? fc.constantFrom('on', 'true', true) : fc.constantFrom('on', 'true', true, false, undefined);
  }
}

function validSubmission(form: FormSchema): fc.Arbitrary<Record<string, unknown>> {
  return fc.record(
    Object.fromEntries(inputComponents(form).map((component) => [component.key, validValue(component)])),
  );
}

/** An independent reading of the rules: which keys hold a value a rule forbids. */
function keysBreakingRules(form: FormSchema, values: Record<string, unknown>): string[] {
  return inputComponents(form)
    .filter((component) => !component.readonly && !component.disabled)
    .filter((component) => {
      const value = values[component.key];
      const rules = component.validate ?? {};
      switch (component.type) {
        case 'textfield':
        case 'textarea': {
          if (value === undefined) return rules.required === true;
          if (typeof value !== 'string' || value === '' || value !== value.trim()) return true;
          const length = [...value].length;
          const pattern = component.validate?.pattern;
          return (
            length < (component.validate?.minLength ?? 0) ||
            length > (component.validate?.maxLength ?? Infinity) ||
            (pattern !== undefined && !new RegExp(pattern).test(value))
          );
        }
        case 'select':
        case 'radio':
          if (value === undefined) return rules.required === true;
          return !component.values.some((option) => option.value === value);
        case 'checkbox':
          return typeof value !== 'boolean' || (rules.required === true && value !== true);
      }
    })
    .map((component) => component.key);
}

describe.each(forms)('validateSubmission on %s, for any input', (_name, form) => {
  const formKeys = new Set(inputComponents(form).map((component) => component.key));

  it('never throws and returns only keys of the form, at most one error per field', () => {
    fc.assert(
      fc.property(submission(form), (input) => {
        const { values, errors } = validateSubmission(form, input);

        expect(Object.keys(values).every((key) => formKeys.has(key))).toBe(true);
        expect(errors.every((error) => formKeys.has(error.key))).toBe(true);
        expect(new Set(errors.map((error) => error.key)).size).toBe(errors.length);
      }),
    );
  });

  it('reports every value that breaks a rule', () => {
    fc.assert(
      fc.property(submission(form), (input) => {
        const { values, errors } = validateSubmission(form, input);

        const reported = new Set(errors.map((error) => error.key));
        for (const key of keysBreakingRules(form, values)) expect(reported).toContain(key);
      }),
    );
  });

  it('keeps read-only and disabled fields at their initial values', () => {
    const initial = initialValues(form);
    const fixedKeys = inputComponents(form)
      .filter((component) => component.readonly || component.disabled)
      .map((component) => component.key);
    fc.assert(
      fc.property(submission(form), (input) => {
        const { values } = validateSubmission(form, input);

        for (const key of fixedKeys) expect(values[key]).toEqual(initial[key]);
      }),
    );
  });

  it('accepts any submission that keeps the rules, and its own output again (JSON round trip)', () => {
    fc.assert(
      fc.property(validSubmission(form), (input) => {
        const first = validateSubmission(form, input);
        expect(first.errors).toEqual([]);

        const second = validateSubmission(form, JSON.parse(JSON.stringify(first.values)) as Record<string, unknown>);

        expect(second).toEqual(first);
      }),
    );
  });

  it('has a message in both languages for every error', () => {
    fc.assert(
      fc.property(submission(form), (input) => {
        for (const error of validateSubmission(form, input).errors) {
          expect(errorMessage(error, 'de', 'Feld')).toMatch(/\S/);
          expect(errorMessage(error, 'en')).toMatch(/\S/);
        }
      }),
    );
  });
});

it('never throws, even when the input is not an object at all', () => {
  const form = everyComponentForm();
  fc.assert(
    fc.property(fc.anything(), (input) => {
      expect(() => validateSubmission(form, input as Record<string, unknown>)).not.toThrow();
    }),
  );
});
