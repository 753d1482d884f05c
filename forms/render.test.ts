import { describe, expect, it } from 'vitest';
import { GENERAL_INQUIRY_FORM_FILES, everyComponentForm, generalInquiryForm } from './fixtures/fixtures.js';
import { createFormRenderer, fieldId } from './render.js';
import { inputComponents, parseForm, type FormSchema } from './schema.js';
import { errorMessage, initialValues, validateSubmission } from './validate.js';

const renderer = createFormRenderer();
const form = everyComponentForm();

type Attributes = Record<string, string>;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The opening tag of the element with this id: its tag name and attributes (valueless ones map to ''). */
function elementWithId(html: string, id: string): { tag: string; attributes: Attributes } {
  const matches = [...html.matchAll(new RegExp(`<(\\w+)((?:\\s[^>]*)?\\sid="${escapeRegExp(id)}"[^>]*)>`, 'g'))];
  expect(matches, `exactly one element with id ${id}`).toHaveLength(1);
  const [, tag = '', attributeText = ''] = matches[0] ?? [];
  return { tag, attributes: attributesOf(attributeText) };
}

function attributesOf(attributeText: string): Attributes {
  return Object.fromEntries(
    [...attributeText.matchAll(/([\w-]+)(?:="([^"]*)")?/g)].map(([, name = '', value = '']) => [name, value]),
  );
}

function labelsFor(html: string, id: string): string[] {
  return [...html.matchAll(new RegExp(`<label[^>]*\\sfor="${escapeRegExp(id)}"[^>]*>(.*?)</label>`, 'gs'))].map(
    ([, content = '']) => content,
  );
}

function allIds(html: string): string[] {
  return [...html.matchAll(/\sid="([^"]*)"/g)].map(([, id = '']) => id);
}

const forms: [string, FormSchema][] = [
  ['every-component', form],
  ...GENERAL_INQUIRY_FORM_FILES.map((file): [string, FormSchema] => [file, generalInquiryForm(file)]),
];

describe.each(forms)('renderFields for %s', (_name, schema) => {
  const { values, errors } = validateSubmission(schema, {});
  const html = renderer.renderFields(schema, { values, errors, locale: 'de' });

  it('gives every id once', () => {
    const ids = allIds(html);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('labels every control with <label for>', () => {
    const controls = [...html.matchAll(/<(?:input|select|textarea)\b[^>]*\sid="([^"]*)"/g)].map(([, id = '']) => id);

    expect(controls.length).toBeGreaterThanOrEqual(inputComponents(schema).length);
    for (const id of controls) expect(labelsFor(html, id), `label for ${id}`).toHaveLength(1);
  });

  it('points aria-describedby only at elements that exist', () => {
    const references = [...html.matchAll(/aria-describedby="([^"]*)"/g)].flatMap(([, ids = '']) => ids.split(' '));

    expect(references.length).toBeGreaterThan(0);
    for (const id of references) expect(allIds(html)).toContain(id);
  });

  it('marks each field with an error as invalid and shows the message next to it', () => {
    for (const error of errors) {
      const component = inputComponents(schema).find((candidate) => candidate.id === error.componentId);
      const control = elementWithId(html, fieldId(error.componentId));
      const errorElement = elementWithId(html, `${fieldId(error.componentId)}-error`);

      expect(control.attributes['aria-invalid']).toBe('true');
      expect(errorElement.attributes['class']).toBe('field__error');
      expect(html).toContain(errorMessage(error, 'de', component?.label));
    }
  });
});

describe('renderFields per component type', () => {
  it('renders a text field as expected (golden)', () => {
    const schema = parseForm({
      id: 'golden',
      type: 'default',
      schemaVersion: 16,
      components: [
        {
          id: 'Field_Subject',
          type: 'textfield',
          key: 'subject',
          label: 'Betreff',
          description: 'Kurz und klar.',
          validate: { required: true, minLength: 3 },
        },
      ],
    });
    const { values, errors } = validateSubmission(schema, { subject: 'ab' });

    const html = renderer.renderFields(schema, { values, errors, locale: 'de' });

    expect(html).toBe(
      [
        '<div class="field field--error">',
        '  <label class="field__label" for="field-Field_Subject">Betreff <span class="field__required">(Pflichtfeld)</span></label>',
        '  <p class="field__hint" id="field-Field_Subject-hint">Kurz und klar.</p>',
        '  <p class="field__error" id="field-Field_Subject-error"><span class="field__error-prefix">Fehler:</span> „Betreff“ muss mindestens 3 Zeichen lang sein.</p>',
        '  <input class="field__input" type="text" id="field-Field_Subject" name="subject" value="ab" aria-describedby="field-Field_Subject-hint field-Field_Subject-error" aria-invalid="true" required>',
        '</div>',
        '',
      ].join('\n'),
    );
  });

  it('textfield: label, name, value, autocomplete, hint', () => {
    const html = renderer.renderFields(form, { values: { name: 'Muster GmbH' }, errors: [], locale: 'de' });

    const input = elementWithId(html, 'field-Field_Name');
    expect(input).toEqual({
      tag: 'input',
      attributes: expect.objectContaining({
        type: 'text',
        name: 'name',
        value: 'Muster GmbH',
        autocomplete: 'organization',
        required: '',
      }),
    });
    expect(input.attributes).not.toHaveProperty('aria-invalid');
    expect(labelsFor(html, 'field-Field_Name')).toEqual(['Name <span class="field__required">(Pflichtfeld)</span>']);
    expect(elementWithId(html, 'field-Field_Code').attributes['aria-describedby']).toBe('field-Field_Code-hint');
    expect(html).toContain('Zwei Großbuchstaben, Bindestrich, drei Ziffern, z. B. AB-123.');
  });

  it('textarea: keeps the value, including line breaks', () => {
    const html = renderer.renderFields(form, { values: { notes: 'Zeile 1\nZeile 2' }, errors: [], locale: 'de' });

    expect(elementWithId(html, 'field-Field_Notes').tag).toBe('textarea');
    expect(html).toMatch(/name="notes"[^>]*>\nZeile 1\nZeile 2<\/textarea>/);
  });

  it('select: a placeholder and the chosen option selected', () => {
    const html = renderer.renderFields(form, { values: { sector: 'trade' }, errors: [], locale: 'en' });

    expect(elementWithId(html, 'field-Field_Sector').tag).toBe('select');
    expect(html).toContain('<option value="">Please select</option>');
    expect(html).toContain('<option value="trade" selected>Handel</option>');
    expect(html).toContain('<option value="it">IT und Software</option>');
  });

  it('radio: a fieldset with legend, one labelled input per option, hint on the group', () => {
    const html = renderer.renderFields(form, { values: { size: 'large' }, errors: [], locale: 'de' });

    const group = html.match(/<fieldset([^>]*)>\s*<legend[^>]*>(.*?)<\/legend>(.*?)<\/fieldset>/s);
    expect(group).not.toBeNull();
    const [, fieldsetAttributes = '', legend = '', body = ''] = group ?? [];
    expect(attributesOf(fieldsetAttributes)['aria-describedby']).toBe('field-Field_Size-hint');
    expect(legend).toBe('Unternehmensgröße');
    expect(elementWithId(body, 'field-Field_Size').attributes).toMatchObject({
      type: 'radio',
      name: 'size',
      value: 'small',
    });
    expect(elementWithId(body, 'field-Field_Size-2').attributes).toMatchObject({
      type: 'radio',
      name: 'size',
      value: 'large',
      checked: '',
    });
    expect(elementWithId(body, 'field-Field_Size').attributes).not.toHaveProperty('checked');
    expect(labelsFor(body, 'field-Field_Size-2')).toEqual(['50 und mehr']);
  });

  it('radio with an error: every option invalid, the error described on the group', () => {
    const errors = validateSubmission(form, { size: 'medium' }).errors;

    const html = renderer.renderFields(form, { values: {}, errors, locale: 'de' });

    expect(html).toMatch(
      /<fieldset[^>]*field--error[^>]*aria-describedby="field-Field_Size-hint field-Field_Size-error"/,
    );
    expect(elementWithId(html, 'field-Field_Size').attributes['aria-invalid']).toBe('true');
    expect(elementWithId(html, 'field-Field_Size-2').attributes['aria-invalid']).toBe('true');
  });

  it('checkbox: value "true", checked when the value is true', () => {
    const html = renderer.renderFields(form, {
      values: { newsletter: true, consent: false },
      errors: [],
      locale: 'de',
    });

    expect(elementWithId(html, 'field-Field_Newsletter').attributes).toMatchObject({
      type: 'checkbox',
      name: 'newsletter',
      value: 'true',
      checked: '',
    });
    expect(elementWithId(html, 'field-Field_Consent').attributes).not.toHaveProperty('checked');
    expect(labelsFor(html, 'field-Field_Consent')).toEqual([
      'Ich habe die Datenschutzhinweise gelesen. <span class="field__required">(Pflichtfeld)</span>',
    ]);
  });

  it('read-only text is readonly; read-only and disabled choices are disabled; neither is marked required', () => {
    const html = renderer.renderFields(form, { values: initialValues(form), errors: [], locale: 'de' });

    expect(elementWithId(html, 'field-Field_Reference').attributes).toMatchObject({ readonly: '', value: 'REF-1' });
    expect(elementWithId(html, 'field-Field_Region').attributes).toHaveProperty('disabled');
    expect(html).toContain('<option value="north" selected>Nord</option>');
  });

  it('marks required fields in words, in the page language', () => {
    const german = renderer.renderFields(form, { values: {}, errors: [], locale: 'de' });
    const english = renderer.renderFields(form, { values: {}, errors: [], locale: 'en' });

    expect(labelsFor(german, 'field-Field_Sector')[0]).toContain('(Pflichtfeld)');
    expect(labelsFor(english, 'field-Field_Sector')[0]).toContain('(required)');
    expect(labelsFor(german, 'field-Field_Notes')[0]).toBe('Notizen');
    expect(elementWithId(german, 'field-Field_Notes').attributes).not.toHaveProperty('required');
  });

  it('text: escaped paragraphs and line breaks, no HTML from the form', () => {
    const html = renderer.renderFields(form, { values: {}, errors: [], locale: 'de' });

    expect(html).toContain(
      '<div class="form-text" id="text-Text_Intro">\n  <p>Erster Absatz.<br>Zweite Zeile.</p>\n  <p>Zweiter Absatz mit &lt;b&gt;HTML&lt;/b&gt;.</p>\n</div>',
    );
  });

  it('keeps every submitted value when re-rendering a failed submission', () => {
    const body = { name: 'A', code: 'falsch', notes: 'Eine Notiz', sector: 'trade', size: 'large', newsletter: 'on' };
    const { values, errors } = validateSubmission(form, body);

    const html = renderer.renderFields(form, { values, errors, locale: 'de' });

    expect(errors.map((error) => error.key)).toEqual(['name', 'code', 'consent']);
    expect(elementWithId(html, 'field-Field_Name').attributes['value']).toBe('A');
    expect(elementWithId(html, 'field-Field_Code').attributes['value']).toBe('falsch');
    expect(html).toMatch(/name="notes"[^>]*>\nEine Notiz<\/textarea>/);
    expect(html).toContain('<option value="trade" selected>Handel</option>');
    expect(elementWithId(html, 'field-Field_Size-2').attributes).toHaveProperty('checked');
    expect(elementWithId(html, 'field-Field_Newsletter').attributes).toHaveProperty('checked');
  });
});

describe('escaping', () => {
  const hostile = parseForm({
    id: 'hostile',
    type: 'default',
    schemaVersion: 16,
    components: [
      { id: 'Text_X', type: 'text', text: '<script>alert(1)</script>' },
      {
        id: 'Field_X',
        type: 'textfield',
        key: 'x',
        label: '<script>alert(2)</script>',
        description: '<img src=x onerror=alert(3)>',
        validate: { minLength: 100 },
      },
      { id: 'Field_Y', type: 'textarea', key: 'y', label: 'Y' },
      { id: 'Field_Z', type: 'select', key: 'z', label: 'Z', values: [{ label: '<b>bold</b>', value: '"><script>' }] },
      { id: 'Field_R', type: 'radio', key: 'r', label: 'R', values: [{ label: '<i>i</i>', value: "' onfocus='x" }] },
    ],
  });

  it('escapes form strings and submitted values everywhere', () => {
    const { values, errors } = validateSubmission(hostile, {
      x: '"><script>alert(4)</script>',
      y: '</textarea><script>alert(5)</script>',
    });

    const html =
      renderer.renderErrorSummary(hostile, errors, 'de') +
      renderer.renderFields(hostile, { values, errors, locale: 'de' });

    expect(html).not.toMatch(/<script|<img|<b>|<i>|<\/textarea><script/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;alert(4)&lt;/script&gt;"');
    expect(html).toContain('&lt;/textarea&gt;&lt;script&gt;alert(5)&lt;/script&gt;</textarea>');
    expect(html).toContain('value="&#x27; onfocus&#x3D;&#x27;x"');
  });
});

describe('renderErrorSummary', () => {
  it('is empty without errors', () => {
    expect(renderer.renderErrorSummary(form, [], 'de')).toBe('');
  });

  it('is a labelled, focusable region linking to each field', () => {
    const { values, errors } = validateSubmission(form, { sector: 'mining' });
    const fields = renderer.renderFields(form, { values, errors, locale: 'de' });

    const summary = renderer.renderErrorSummary(form, errors, 'de');

    expect(elementWithId(summary, 'error-summary')).toEqual({
      tag: 'section',
      attributes: expect.objectContaining({ tabindex: '-1', 'aria-labelledby': 'error-summary-title' }),
    });
    expect(summary).toContain(
      '<h2 class="error-summary__title" id="error-summary-title">Bitte prüfen Sie Ihre Angaben</h2>',
    );
    expect(summary).not.toContain('role="alert"');
    const links = [...summary.matchAll(/<a href="#([^"]*)">(.*?)<\/a>/g)].map(([, target = '', text = '']) => [
      target,
      text,
    ]);
    expect(links).toEqual([
      ['field-Field_Name', 'Bitte füllen Sie „Name“ aus.'],
      ['field-Field_Sector', 'Bitte wählen Sie bei „Branche“ eine der angebotenen Möglichkeiten aus.'],
      ['field-Field_Consent', 'Bitte bestätigen Sie „Ich habe die Datenschutzhinweise gelesen.“.'],
    ]);
    for (const [target = ''] of links) expect(allIds(fields)).toContain(target);
  });

  it('speaks English when asked', () => {
    const errors = validateSubmission(generalInquiryForm('general-inquiry-start.form'), {}).errors;

    const summary = renderer.renderErrorSummary(generalInquiryForm('general-inquiry-start.form'), errors, 'en');

    expect(summary).toContain('There is a problem');
    expect(summary).toContain('<a href="#field-Field_Subject">Enter Betreff.</a>');
  });
});
