import { describe, expect, it } from 'vitest';
import { GENERAL_INQUIRY_FORM_FILES, readFixtureJson, readGeneralInquiryJson } from './fixtures/fixtures.js';
import { FormSchemaError, SUPPORTED_COMPONENT_TYPES, parseForm } from './schema.js';

function problemsOf(json: unknown): string[] {
  try {
    parseForm(json);
  } catch (error) {
    if (error instanceof FormSchemaError) return error.message.split('\n');
    throw error;
  }
  throw new Error('expected a FormSchemaError');
}

describe('parseForm', () => {
  it.each(GENERAL_INQUIRY_FORM_FILES)('accepts the shipped form %s', (file) => {
    const json = readGeneralInquiryJson(file);

    const form = parseForm(json);

    expect(form).toEqual(json);
  });

  it('accepts every supported component type', () => {
    const form = parseForm(readFixtureJson('every-component.form'));

    expect(new Set(form.components.map((component) => component.type))).toEqual(new Set(SUPPORTED_COMPONENT_TYPES));
  });

  // One fixture per rule; each message names the form, the component and its type.
  it.each([
    [
      'unsupported-component-type-invalid.form',
      'Form fixture-unsupported-type, component Field_Date (datetime): component type not supported yet',
    ],
    ['button-invalid.form', 'Form fixture-button, component Field_Submit (button): component type not supported yet'],
    [
      'unsupported-property-invalid.form',
      'Form fixture-conditional, component Field_Phone (textfield): property conditional not supported yet',
    ],
    [
      'values-key-invalid.form',
      'Form fixture-values-key, component Field_Sector (select): property valuesKey not supported yet',
    ],
    [
      'values-expression-invalid.form',
      'Form fixture-values-expression, component Field_Sector (radio): property valuesExpression not supported yet',
    ],
    [
      'validation-type-invalid.form',
      'Form fixture-validation-type, component Field_Email (textfield): property validate.validationType not supported yet',
    ],
    [
      'missing-values-invalid.form',
      'Form fixture-missing-values, component Field_Size (radio): values: select and radio need static options (valuesKey and valuesExpression are not supported yet)',
    ],
    [
      'empty-values-invalid.form',
      'Form fixture-empty-values, component Field_Size (select): values: needs at least one option',
    ],
    [
      'duplicate-option-invalid.form',
      'Form fixture-duplicate-option, component Field_Size (radio): values.1.value: option value "s" appears twice',
    ],
    [
      'empty-option-value-invalid.form',
      'Form fixture-empty-option-value, component Field_Size (select): values.0.value: must not be empty',
    ],
    [
      'default-not-an-option-invalid.form',
      'Form fixture-default-not-an-option, component Field_Size (radio): defaultValue: defaultValue is not one of the values',
    ],
    [
      'duplicate-key-invalid.form',
      'Form fixture-duplicate-key, component Field_B (textarea): key "subject" is used by another component',
    ],
    [
      'duplicate-id-invalid.form',
      'Form fixture-duplicate-id, component Field_A (textfield): id is used by another component',
    ],
    [
      'missing-key-invalid.form',
      'Form fixture-missing-key, component Field_Subject (textfield): key: input components need a key',
    ],
    ['nested-key-invalid.form', 'nested keys like a.b are not supported yet'],
    [
      'missing-label-invalid.form',
      'Form fixture-missing-label, component Field_Subject (textfield): label: input components need a label',
    ],
    [
      'feel-label-invalid.form',
      'Form fixture-feel-label, component Field_Subject (textfield): label: FEEL expressions (=…) are not supported yet',
    ],
    [
      'template-text-invalid.form',
      'Form fixture-template-text, component Text_Hello (text): text: templates ({{…}}) are not supported yet',
    ],
    [
      'readonly-expression-invalid.form',
      'Form fixture-readonly-expression, component Field_Subject (textfield): readonly: must be true or false (FEEL expressions are not supported yet)',
    ],
    [
      'invalid-pattern-invalid.form',
      'Form fixture-invalid-pattern, component Field_Code (textfield): validate.pattern: is not a valid regular expression',
    ],
    [
      'min-over-max-invalid.form',
      'Form fixture-min-over-max, component Field_Code (textfield): validate.minLength: minLength is greater than maxLength',
    ],
    [
      'wrong-default-type-invalid.form',
      'Form fixture-wrong-default-type, component Field_Consent (checkbox): defaultValue:',
    ],
    ['form-property-invalid.form', 'Form fixture-form-property: property theme not supported yet'],
    ['missing-components-invalid.form', 'Form fixture-missing-components: components:'],
  ])('rejects %s', (file, expected) => {
    const problems = problemsOf(readFixtureJson(file));

    expect(
      problems.some((problem) => problem.includes(expected)),
      problems.join('\n'),
    ).toBe(true);
  });

  it('reports every problem of a form at once, not only the first', () => {
    const json = {
      id: 'two-problems',
      type: 'default',
      schemaVersion: 16,
      components: [
        { id: 'Field_Date', type: 'datetime', key: 'date' },
        { id: 'Field_Upload', type: 'filepicker', key: 'upload' },
      ],
    };

    expect(problemsOf(json)).toEqual([
      'Form two-problems, component Field_Date (datetime): component type not supported yet',
      'Form two-problems, component Field_Upload (filepicker): component type not supported yet',
    ]);
  });

  it('carries structured problems for tools', () => {
    try {
      parseForm(readFixtureJson('unsupported-component-type-invalid.form'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FormSchemaError);
      const schemaError = error as FormSchemaError;
      expect(schemaError.formId).toBe('fixture-unsupported-type');
      expect(schemaError.problems).toEqual([
        { componentId: 'Field_Date', componentType: 'datetime', message: 'component type not supported yet' },
      ]);
    }
  });

  it.each([
    ['not an object', 'a string'],
    ['null', null],
    ['components not objects', { id: 'x', type: 'default', schemaVersion: 16, components: [42] }],
  ])('rejects %s with a FormSchemaError, never another exception', (_case, json) => {
    expect(() => parseForm(json)).toThrow(FormSchemaError);
  });

  it('keeps layout and custom properties, which do not change behaviour', () => {
    const form = parseForm(readFixtureJson('every-component.form'));

    expect(form.components[0]).toMatchObject({ layout: { row: 'Row_1', columns: null } });
    expect(form.components[1]).toMatchObject({ properties: { autocomplete: 'organization' } });
  });
});
