import { describe, expect, it } from 'vitest';
import {
  COMPONENT_FIXTURES,
  GENERAL_INQUIRY_FORM_FILES,
  componentForm,
  readFixtureJson,
  readGeneralInquiryJson,
} from './fixtures/fixtures.js';
import { createFormRenderer } from './render.js';
import { FormSchemaError, SUPPORTED_COMPONENT_TYPES, allComponents, describeProblem, parseForm } from './schema.js';

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

    const form = parseForm(json).form;

    expect(form).toEqual(json);
  });

  it('accepts every supported component type', () => {
    const form = parseForm(readFixtureJson('all-components.form')).form;

    expect(new Set(allComponents(form.components).map((component) => component.type))).toEqual(
      new Set(SUPPORTED_COMPONENT_TYPES),
    );
  });

  it.each(COMPONENT_FIXTURES)('accepts the component fixture %s.form', (name) => {
    expect(() => componentForm(name)).not.toThrow();
  });

  // One fixture per rule; each message names the form, the component and its type.
  it.each([
    [
      'values-key-invalid.form',
      'Form fixture-values-key, component Field_Sector (select): use only one of values, valuesKey and valuesExpression',
    ],
    [
      'values-expression-invalid.form',
      'Form fixture-values-expression, component Field_Sector (radio): valuesExpression: FEEL expression "sectors +" is invalid: the expression ends too early',
    ],
    [
      'validation-type-invalid.form',
      'Form fixture-validation-type, component Field_Iban (textfield): validate.validationType:',
    ],
    [
      'missing-values-invalid.form',
      'Form fixture-missing-values, component Field_Size (radio): values: needs options: values, valuesKey or valuesExpression',
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
      'key-collision-invalid.form',
      'Form fixture-key-collision, component Field_Street (textfield): its value would sit inside the value of component Field_Address',
    ],
    [
      'duplicate-id-invalid.form',
      'Form fixture-duplicate-id, component Field_A (textfield): id is used by another component',
    ],
    [
      'missing-key-invalid.form',
      'Form fixture-missing-key, component Field_Subject (textfield): key: input components need a key',
    ],
    [
      'key-syntax-invalid.form',
      'Form fixture-key-syntax, component Field_Street (textfield): key: key must be names of letters, digits and _ that start with a letter, separated by dots (a.b)',
    ],
    [
      'missing-label-invalid.form',
      'Form fixture-missing-label, component Field_Subject (textfield): label: input components need a label',
    ],
    [
      'feel-label-invalid.form',
      'Form fixture-feel-label, component Field_Subject (textfield): label: FEEL expressions (=…) are not supported here',
    ],
    [
      'template-text-invalid.form',
      'Form fixture-template-text, component Text_Hello (text): text: template blocks like {{#if isMember}} are not supported yet, only {{expression}}',
    ],
    [
      'readonly-expression-invalid.form',
      'Form fixture-readonly-expression, component Field_Subject (textfield): readonly: must be true, false or a FEEL expression (=…)',
    ],
    [
      'conditional-invalid.form',
      'Form fixture-conditional, component Field_Phone (textfield): conditional.hide: FEEL expression "contactChannel !=" is invalid',
    ],
    [
      'clock-in-condition-invalid.form',
      'Form fixture-clock, component Field_Late (textfield): conditional.hide: FEEL expression "deadline > today()" is invalid: today() reads the clock',
    ],
    [
      'time-zone-invalid.form',
      'Form fixture-time-zone, component Field_Call (datetime): timeSerializingFormat: utc_offset is not supported: the server does not know the user\'s time zone; use "no_timezone"',
    ],
    [
      'datetime-label-invalid.form',
      'Form fixture-datetime-label, component Field_Meeting (datetime): timeLabel: needs a timeLabel (every control needs a visible label)',
    ],
    [
      'number-bound-expression-invalid.form',
      'Form fixture-number-bound, component Field_Amount (number): validate.max: must be a number (FEEL expressions are not supported here)',
    ],
    [
      'image-source-invalid.form',
      'Form fixture-image-source, component Image_Logo (image): source: source must be an https:, http: or data:image URL',
    ],
    [
      'list-path-invalid.form',
      'Form fixture-list-path, component List_Contacts (dynamiclist): path: dynamic lists need a path',
    ],
    [
      'repeating-invalid.form',
      'Form fixture-repeating, component List_Contacts (dynamiclist): isRepeating: only repeating dynamic lists (isRepeating: true) are supported',
    ],
    [
      'table-columns-invalid.form',
      'Form fixture-table-columns, component Table_Payments (table): needs exactly one of columns and columnsExpression',
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
    [
      'unknown-type-with-key-invalid.form',
      'Form fixture-unknown-with-key, component Signature_1 (signature): component type not supported yet (it would collect data or hold fields)',
    ],
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
        { id: 'Field_Sign', type: 'signature', key: 'sign', label: 'Unterschrift' },
        { id: 'Field_Upload', type: 'filepicker', key: 'upload' },
      ],
    };

    expect(problemsOf(json)).toEqual([
      'Form two-problems, component Field_Sign (signature): component type not supported yet (it would collect data or hold fields)',
      'Form two-problems, component Field_Upload (filepicker): label: input components need a label (every control needs a visible label)',
    ]);
  });

  it('carries structured problems for tools', () => {
    try {
      parseForm(readFixtureJson('unknown-type-with-key-invalid.form'));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FormSchemaError);
      const schemaError = error as FormSchemaError;
      expect(schemaError.formId).toBe('fixture-unknown-with-key');
      expect(schemaError.problems).toEqual([
        {
          componentId: 'Signature_1',
          componentType: 'signature',
          message: 'component type not supported yet (it would collect data or hold fields)',
        },
      ]);
    }
  });

  it.each([
    ['not an object', 'a string'],
    ['null', null],
    ['components not objects', { id: 'x', type: 'default', schemaVersion: 16, components: [42] }],
  ])('rejects %s with a FormSchemaError, never another exception', (_case, json) => {
    expect(() => parseForm(json).form).toThrow(FormSchemaError);
  });

  it('parses a form without warnings when it has nothing to leave out', () => {
    expect(parseForm(readFixtureJson('every-component.form')).warnings).toEqual([]);
  });

  it('keeps layout and custom properties', () => {
    const form = parseForm(readFixtureJson('every-component.form')).form;

    expect(form.components[0]).toMatchObject({ layout: { row: 'Row_1', columns: null } });
    expect(form.components[1]).toMatchObject({ properties: { autocomplete: 'organization' } });
  });
});

/** ADR 0034: what form-js ignores is left out with a warning; the form runs. */
describe('parseForm warnings', () => {
  function warningsOf(json: unknown): string[] {
    const { form, warnings } = parseForm(json);
    return warnings.map((warning) => describeProblem(form.id, warning));
  }

  it.each([
    [
      'unsupported-component-type-warning.form',
      'Form fixture-unsupported-type, component Frame_Map (iframe): component type not supported yet; it is not shown',
    ],
    [
      'nested-unsupported-warning.form',
      'Form fixture-nested-unsupported, component Preview_Doc (documentPreview): component type not supported yet; it is not shown',
    ],
    [
      'unsupported-property-warning.form',
      'Form fixture-unsupported-property, component Field_Phone (textfield): property placeholder is ignored (form-js does not use it here)',
    ],
    [
      'custom-message-warning.form',
      'Form fixture-custom-message, component Field_Phone (textfield): property validate.requiredMessage is ignored (form-js does not use it here)',
    ],
    [
      'html-script-warning.form',
      'Form fixture-html-script, component Html_Info (html): <script> is not allowed (scripts, styles, event handlers, ids, classes and unsafe URLs are removed); it is left out',
    ],
    [
      'html-script-warning.form',
      'Form fixture-html-script, component Html_Info (html): attribute onclick on <p> is not allowed',
    ],
    [
      'image-alt-warning.form',
      'Form fixture-image-alt, component Image_Logo (image): images need alt text (WCAG 1.1.1); it is shown with alt="" (decorative) until it has one',
    ],
    [
      'form-property-warning.form',
      'Form fixture-form-property: property theme is ignored (form-js does not use it here)',
    ],
  ])('loads %s with the warning %s', (file, expected) => {
    const warnings = warningsOf(readFixtureJson(file));

    expect(
      warnings.some((warning) => warning.includes(expected)),
      warnings.join('\n'),
    ).toBe(true);
  });

  it('leaves what form-js ignores out of the parsed form', () => {
    const { form } = parseForm({
      $schema: 'https://unpkg.com/@camunda/schema/resources/form.json',
      id: 'leftovers',
      type: 'default',
      schemaVersion: 16,
      exporter: { name: 'Camunda Modeler', version: '5.30.0' },
      executionPlatform: 'Camunda Cloud',
      executionPlatformVersion: '8.6.0',
      components: [
        { id: 'Text_1', type: 'text', text: 'Hallo', label: 'left over from a textfield', key: 'old' },
        { id: 'Frame_1', type: 'iframe', url: 'https://example.org', label: 'Karte' },
      ],
    });

    expect(form).not.toHaveProperty('$schema');
    expect(form.components).toEqual([{ id: 'Text_1', type: 'text', text: 'Hallo' }]);
  });

  it('warns quietly about nothing in the metadata every editor writes', () => {
    expect(
      warningsOf({
        $schema: 'https://unpkg.com/@camunda/schema/resources/form.json',
        id: 'metadata',
        type: 'default',
        schemaVersion: 16,
        exporter: { name: 'Camunda Web Modeler', version: 'abc' },
        executionPlatform: 'Camunda Cloud',
        executionPlatformVersion: '8.7.0',
        versionTag: 'v1',
        components: [],
      }),
    ).toEqual([]);
  });

  it('leaves out unknown keys deep inside a component, in lists and nested objects alike', () => {
    const { form, warnings } = parseForm({
      id: 'deep',
      type: 'default',
      schemaVersion: 16,
      components: [
        {
          id: 'Field_Size',
          type: 'select',
          key: 'size',
          label: 'Größe',
          values: [
            { label: 'S', value: 's', color: 'red' },
            { label: 'M', value: 'm' },
          ],
          validate: { required: true, requiredMessage: 'Bitte wählen' },
          layout: { row: 'Row_1', columns: null, offset: 2 },
        },
      ],
    });

    expect(warnings.map((warning) => warning.message).sort()).toEqual([
      'property layout.offset is ignored (form-js does not use it here)',
      'property validate.requiredMessage is ignored (form-js does not use it here)',
      'property values.0.color is ignored (form-js does not use it here)',
    ]);
    expect(form.components[0]).toMatchObject({
      values: [
        { label: 'S', value: 's' },
        { label: 'M', value: 'm' },
      ],
      validate: { required: true },
    });
    expect(JSON.stringify(form)).not.toMatch(/color|requiredMessage|offset/);
  });

  it('loads a schemaVersion newer than it knows with a warning', () => {
    expect(warningsOf({ id: 'new', type: 'default', schemaVersion: 99, components: [] })).toEqual([
      'Form new: schemaVersion 99 is newer than 18, the newest Lotse knows; properties it does not know are ignored with a warning',
    ]);
  });

  it('still refuses what would change behaviour next to what it ignores', () => {
    expect(
      problemsOf({
        id: 'mixed',
        type: 'default',
        schemaVersion: 16,
        components: [{ id: 'Field_1', type: 'number', key: 'n', label: 'N', validate: { min: '=x' }, unknown: 1 }],
      }),
    ).toEqual([
      'Form mixed, component Field_1 (number): validate.min: must be a number (FEEL expressions are not supported here)',
    ]);
  });

  it('refuses an unknown container that holds fields: leaving it out would lose them', () => {
    expect(
      problemsOf({
        id: 'pages',
        type: 'default',
        schemaVersion: 16,
        components: [
          { id: 'Page_1', type: 'page', components: [{ id: 'F', type: 'textfield', key: 'a', label: 'A' }] },
        ],
      }),
    ).toEqual([
      'Form pages, component Page_1 (page): component type not supported yet (it would collect data or hold fields)',
    ]);
  });

  it('renders an image without alt with alt=""', () => {
    const { form } = parseForm(readFixtureJson('image-alt-warning.form'));

    expect(form.components[0]).toEqual({ id: 'Image_Logo', type: 'image', source: 'https://example.org/logo.png' });
    expect(createFormRenderer().renderFields(form, { values: {}, errors: [], locale: 'de' })).toContain(
      'src="https://example.org/logo.png" alt="">',
    );
  });

  it('renders sanitized html: what it warned about is gone, the rest is shown', () => {
    const { form } = parseForm(readFixtureJson('html-script-warning.form'));
    const html = createFormRenderer().renderFields(form, { values: {}, errors: [], locale: 'de' });

    expect(html).toContain('<p>Info</p>');
    expect(html).not.toMatch(/script|onclick|javascript:/);
  });
});
