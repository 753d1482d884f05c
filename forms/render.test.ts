import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPONENT_FIXTURES,
  GENERAL_INQUIRY_FORM_FILES,
  allComponentsForm,
  componentCases,
  componentForm,
  everyComponentForm,
  generalInquiryForm,
  type RenderCase,
} from './fixtures/fixtures.js';
import { createFormRenderer, type RenderState } from './render.js';
import { allComponents, labelOf, parseForm, type FormSchema } from './schema.js';
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

const ALL_CONTEXT = { companyName: 'Muster GmbH', programs: [{ name: 'Gründung' }, { name: 'Export' }] };

const forms: [string, FormSchema, Record<string, unknown>?][] = [
  ['every-component', form],
  ['all-components', allComponentsForm(), ALL_CONTEXT],
  ...GENERAL_INQUIRY_FORM_FILES.map((file): [string, FormSchema] => [file, generalInquiryForm(file)]),
  ...COMPONENT_FIXTURES.flatMap((name) =>
    componentCases(name).render.map((state): [string, FormSchema, Record<string, unknown>?] => [
      `${name} (${state.name})`,
      componentForm(name),
      state.context,
    ]),
  ),
];

describe.each(forms)('renderFields for %s', (_name, schema, context) => {
  const { values, errors } = validateSubmission(schema, {}, { context });
  const html = renderer.renderFields(schema, { values, errors, locale: 'de', context });

  it('gives every id once', () => {
    const ids = allIds(html);

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('labels every control with <label for>', () => {
    const controls = [...html.matchAll(/<(?:input|select|textarea)\b[^>]*\sid="([^"]*)"/g)].map(([, id = '']) => id);

    for (const id of controls) expect(labelsFor(html, id), `label for ${id}`).toHaveLength(1);
  });

  it('points aria-describedby only at elements that exist', () => {
    const references = [...html.matchAll(/aria-describedby="([^"]*)"/g)].flatMap(([, ids = '']) => ids.split(' '));

    for (const id of references) expect(allIds(html)).toContain(id);
  });

  it('marks each field with an error as invalid and shows the message next to it', () => {
    for (const error of errors) {
      const component = allComponents(schema.components).find((candidate) => candidate.id === error.componentId);
      const control = elementWithId(html, error.fieldId);
      const errorElement = elementWithId(html, `${error.fieldId}-error`);

      expect(control.attributes['aria-invalid']).toBe('true');
      expect(errorElement.attributes['class']).toBe('field__error');
      expect(html).toContain(errorMessage(error, 'de', component ? labelOf(component) : undefined));
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
    }).form;
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
  }).form;

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

// --- Golden HTML per component: forms/golden/<fixture>.<state>.golden. HTML, but not named .html, so Prettier
// leaves the bytes alone. Regenerate deliberately: UPDATE_GOLDEN=1 npx vitest run --project unit forms/. ---

const UPDATE_GOLDEN = process.env['UPDATE_GOLDEN'] === '1';

function expectGolden(name: string, html: string): void {
  const file = new URL(`./golden/${name}.golden`, import.meta.url);
  if (UPDATE_GOLDEN) writeFileSync(file, html);
  expect(existsSync(file), `golden/${name}.golden is missing: run the tests once with UPDATE_GOLDEN=1`).toBe(true);
  expect(html).toBe(readFileSync(file, 'utf8'));
}

function renderCase(schema: FormSchema, state: RenderCase): string {
  const locale = state.locale ?? 'de';
  const options = { context: state.context, today: state.today };
  const { values, errors } = state.input
    ? validateSubmission(schema, state.input, options)
    : { values: initialValues(schema), errors: [] };
  return (
    renderer.renderErrorSummary(schema, errors, locale) +
    renderer.renderFields(schema, { values, errors, locale, ...options, files: state.files })
  );
}

describe.each(COMPONENT_FIXTURES)('golden HTML of the %s fixture', (name) => {
  const schema = componentForm(name);

  it.each(componentCases(name).render.map((state) => [state.name, state] as const))('%s', (stateName, state) => {
    expectGolden(`${name}.${stateName}`, renderCase(schema, state));
  });
});

describe('golden HTML of the all-components form', () => {
  it.each(['de', 'en'] as const)('%s, submitted empty', (locale) => {
    expectGolden(
      `all-components.${locale}`,
      renderCase(allComponentsForm(), { name: locale, input: {}, context: ALL_CONTEXT, locale }),
    );
  });
});

// --- Behaviour the goldens show, stated once more in words ---

describe('renderFields for the new component types', () => {
  const render = (schema: FormSchema, state: Partial<RenderState> = {}) =>
    renderer.renderFields(schema, { values: initialValues(schema), errors: [], locale: 'de', ...state });

  it('renders components hidden by their condition with `hidden`, for the browser script to reveal', () => {
    const schema = componentForm('conditional');
    const phoneWrapper = /<div class="field" data-hide-if="contactChannel !&#x3D; &quot;phone&quot;"( hidden)?>/;

    const hidden = render(schema, { values: { contactChannel: 'email' }, context: { isMember: false } });
    const shown = render(schema, {
      values: { contactChannel: 'phone', wantsFunding: true },
      context: { isMember: true },
    });

    expect(phoneWrapper.exec(hidden)?.[1]).toBe(' hidden');
    expect(elementWithId(hidden, 'field-Field_Phone').attributes).toMatchObject({ name: 'phone', required: '' });
    expect(elementWithId(hidden, 'group-Group_Funding').attributes).toHaveProperty('hidden');
    expect(phoneWrapper.exec(shown)?.[1]).toBeUndefined();
    expect(elementWithId(shown, 'group-Group_Funding').attributes).not.toHaveProperty('hidden');
    // Nothing can ever reveal a component whose `hide` is plain `true`: it is left out.
    expect(hidden).not.toContain('Immer versteckt');
    expect(shown).not.toContain('Immer versteckt');
  });

  it('gives expression fields and texts that use form values what the browser script needs', () => {
    const expression = render(componentForm('expression'));
    const all = render(allComponentsForm(), { context: ALL_CONTEXT });
    const text = render(componentForm('text'), { context: { companyName: 'Muster GmbH', count: 1 } });

    expect(elementWithId(expression, 'expression-Expr_Gross').attributes).toMatchObject({
      'data-expression': 'if net &#x3D; null then null else net * 1.19',
      'data-path': 'gross',
      hidden: '',
    });
    expect(elementWithId(all, 'text-Text_Intro').attributes['data-template']).toContain('Hallo {{companyName}}');
    // Texts over context variables only cannot change while the user types.
    expect(text).not.toContain('data-template');
  });

  it('marks options and numbers whose values are not what their text attribute says', () => {
    const schema = parseForm({
      id: 'typed',
      type: 'default',
      schemaVersion: 16,
      components: [
        { id: 'Field_Size', type: 'radio', key: 'size', label: 'Größe', valuesKey: 'sizes' },
        { id: 'Field_Yes', type: 'select', key: 'yes', label: 'Ja?', valuesKey: 'answers' },
        { id: 'Field_Share', type: 'number', key: 'share', label: 'Anteil', serializeToString: true },
      ],
    }).form;

    const html = render(schema, { context: { sizes: [1, 'two'], answers: [true] } });

    expect(elementWithId(html, 'field-Field_Size').attributes['data-value-type']).toBe('number');
    expect(elementWithId(html, 'field-Field_Size-2').attributes).not.toHaveProperty('data-value-type');
    expect(html).toContain('<option value="true" data-value-type="boolean">true</option>');
    expect(elementWithId(html, 'field-Field_Share').attributes['data-value-type']).toBe('string');
  });

  it('shows a number in the page language, and a refused number exactly as typed', () => {
    const schema = parseForm({
      id: 'amounts',
      type: 'default',
      schemaVersion: 16,
      components: [{ id: 'Field_Amount', type: 'number', key: 'amount', label: 'Betrag' }],
    }).form;
    const shown = (input: string, locale: 'de' | 'en') => {
      const { values, errors } = validateSubmission(schema, { amount: input }, { locale });
      const html = renderer.renderFields(schema, { values, errors, locale });
      return elementWithId(html, 'field-Field_Amount').attributes.value;
    };

    // Invariant: what comes back reads as the same number in that language (no grouping, locale decimal)
    expect(shown('1.000,5', 'de')).toBe('1000,5');
    expect(shown('1,000.5', 'en')).toBe('1000.5');
    // Invariant: refused text is not re-formatted into something that would read differently
    expect(shown('50000.5', 'de')).toBe('50000.5');
    expect(shown('1.00.0', 'de')).toBe('1.00.0');
  });

  it('names nested fields by their data path and gives list items their own ids', () => {
    const schema = componentForm('dynamiclist');
    const values = {
      contacts: [
        { name: 'Anna', main: true },
        { name: 'Bob', main: false },
      ],
    };

    const html = render(schema, { values });

    expect(elementWithId(html, 'field-Field_ContactName-1').attributes).toMatchObject({
      name: 'contacts[1].name',
      value: 'Bob',
    });
    expect(elementWithId(html, 'field-Field_ContactPhone-0').attributes['name']).toBe('contacts[0].phone');
    expect(elementWithId(html, 'field-Field_ContactPhone-1').attributes['name']).toBe('contacts[1].phone');
    expect(html).toMatch(
      /<div class="field" data-hide-if="this.main !&#x3D; true" hidden>\s*<label[^>]*for="field-Field_ContactPhone-1"/,
    );
    expect(html).toContain('<input type="hidden" name="contacts[1]._item" value="1">');
    expect(html).toMatch(/<legend class="form-list__item-legend">Ansprechpersonen, Eintrag 2<\/legend>/);
  });

  it('gives lists add and remove buttons (submit buttons named _action) and protects the Enter key', () => {
    const html = render(componentForm('dynamiclist'), { values: { contacts: [{}, {}] } });

    expect(html).toContain('name="_action" value="remove:contacts:1">Ansprechpersonen, Eintrag 2 entfernen</button>');
    expect(html).toContain('name="_action" value="add:contacts">Ansprechpersonen: Eintrag hinzufügen</button>');
    expect(html.indexOf('<button')).toBe(
      html.indexOf('<button type="submit" class="visually-hidden" tabindex="-1" aria-hidden="true">Absenden</button>'),
    );
  });

  it('uses fieldset and legend for groups with a label, checklists and tag lists', () => {
    const group = render(componentForm('group'));
    const checklist = render(componentForm('checklist'));
    const taglist = render(componentForm('taglist'), { context: { sectorList: [{ name: 'IT', code: 'it' }] } });

    expect(group).toMatch(
      /<fieldset class="form-group form-group--outline" id="group-Group_Address">\s*<legend class="form-group__legend">Anschrift<\/legend>/,
    );
    expect(group).toContain('<div class="form-group" id="group-Group_Plain">');
    expect(checklist).toMatch(/<fieldset class="field field--checklist"[^>]*>\s*<legend class="field__label">Themen/);
    expect(taglist).toMatch(/<fieldset class="field field--checklist"[^>]*>\s*<legend class="field__label">Branchen/);
    expect(elementWithId(taglist, 'field-Field_Sectors').attributes).toMatchObject({
      type: 'checkbox',
      name: 'sectors',
      value: 'it',
    });
  });

  it('derives autocomplete from well-known keys, and properties.autocomplete wins', () => {
    const schema = parseForm({
      id: 'autocomplete',
      type: 'default',
      schemaVersion: 16,
      components: [
        { id: 'Field_First', type: 'textfield', key: 'person.firstName', label: 'Vorname' },
        { id: 'Field_Postal', type: 'textfield', key: 'postalCode', label: 'PLZ' },
        {
          id: 'Field_Company',
          type: 'textfield',
          key: 'companyName',
          label: 'Firma',
          properties: { autocomplete: 'off' },
        },
        { id: 'Field_Other', type: 'textfield', key: 'reference', label: 'Zeichen' },
      ],
    }).form;

    const html = render(schema);

    expect(elementWithId(html, 'field-Field_First').attributes['autocomplete']).toBe('given-name');
    expect(elementWithId(html, 'field-Field_Postal').attributes['autocomplete']).toBe('postal-code');
    expect(elementWithId(html, 'field-Field_Company').attributes['autocomplete']).toBe('off');
    expect(elementWithId(html, 'field-Field_Other').attributes).not.toHaveProperty('autocomplete');
  });

  it('lays out rows of a 16-column grid only where the form uses layout', () => {
    const html = render(componentForm('group'));

    expect(html).toContain('<div class="form-col form-col--12">');
    expect(html).toMatch(
      /<div class="form-row">\s*<div class="form-col form-col--4">[\s\S]*?<div class="form-col form-col--12">/,
    );
    expect(render(componentForm('textfield'))).not.toContain('form-row');
  });

  it('shows uploaded files with a remove checkbox each, and keeps their ids as hidden values', () => {
    const id = '0b9ee6ae-5a56-4c1e-9d8a-6a0f1c2d3e4f';
    const html = render(componentForm('filepicker'), {
      values: { businessPlan: [id] },
      files: { businessPlan: [{ id, name: 'plan.pdf', size: 2048 }] },
    });

    expect(html).toContain(`<input type="hidden" name="businessPlan" value="${id}">`);
    expect(elementWithId(html, 'field-Field_Plan-remove-1').attributes).toMatchObject({
      name: '_removeFile',
      value: id,
    });
    expect(labelsFor(html, 'field-Field_Plan-remove-1')).toEqual(['„plan.pdf“ entfernen']);
    expect(elementWithId(html, 'field-Field_Plan').attributes).not.toHaveProperty('required');
  });

  it('names the list item in the error summary', () => {
    const schema = componentForm('dynamiclist');
    const { errors } = validateSubmission(schema, { 'contacts[0].name': 'A', 'contacts[1]._item': '1' });

    const summary = renderer.renderErrorSummary(schema, errors, 'de');

    expect(summary).toContain(
      '<a href="#field-Field_ContactName-1">Bitte füllen Sie „Name (Ansprechpersonen, Eintrag 2)“ aus.</a>',
    );
  });

  it('renders Markdown with escaped placeholders and no raw HTML, links only to http(s) and mailto', () => {
    const schema = componentForm('text');

    const html = render(schema, { context: { companyName: '<img src=x onerror=alert(1)>', count: 1 } });

    expect(html.replace(/ data-template="[^"]*"/g, '')).not.toMatch(/<img|<script|javascript:/);
    expect(html).toContain('<strong>&lt;img src&#x3D;x onerror&#x3D;alert(1)&gt;</strong>');
    expect(html).toContain('<a href="https://example.org/richtlinie">Förderrichtlinie</a>');
    expect(html).toContain('<li>Böser Link</li>');
    expect(html).toContain('<h2>Ihr Antrag</h2>');
  });

  it('sanitizes html components after filling their templates', () => {
    const html = render(componentForm('html'), {
      context: { companyName: '"><script>x</script>', slug: 'javascript:x' },
    });

    expect(html).not.toMatch(/<script|<h1|onerror|onclick/);
    expect(html).toContain('<strong>&quot;&gt;&lt;script&gt;x&lt;/script&gt;</strong>');
  });

  it('leaves out an image whose evaluated source is not a safe URL', () => {
    const html = render(componentForm('image'), { context: { logoUrl: 'javascript:alert(1)', companyName: 'X' } });

    expect(html).not.toContain('image-Image_Dynamic');
    expect(html).toContain('alt="Logo der Wirtschaftsförderung"');
  });

  it('never throws, whatever the values, context and errors', () => {
    const schema = allComponentsForm();
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.constantFrom('companyName', 'contacts', 'address', 'topics', 'plan', 'call', 'employees'),
          fc.anything(),
        ),
        fc.anything(),
        (values, context) => {
          expect(() =>
            renderer.renderFields(schema, {
              values,
              errors: [],
              locale: 'en',
              context: context as Record<string, unknown>,
            }),
          ).not.toThrow();
        },
      ),
    );
  });
});
