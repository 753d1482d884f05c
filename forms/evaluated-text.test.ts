import { describe, expect, it } from 'vitest';
import { createFormRenderer } from './render.js';
import { FormSchemaError, parseForm } from './schema.js';
import { parseFormTranslation } from './translate.js';

// ADR 0034: descriptions and adorners are evaluated as form-js evaluates them — `=FEEL` shows its result,
// `{{…}}` templates are filled in — against the form's data and the case; FEEL that does not parse is refused.
const renderer = createFormRenderer();

const form = (field: Record<string, unknown>) =>
  parseForm({
    id: 'evaluated',
    type: 'default',
    schemaVersion: 16,
    components: [{ id: 'Field_Amount', type: 'number', key: 'amount', label: 'Betrag', ...field }],
  }).form;

describe('evaluated descriptions and adorners', () => {
  it('shows a FEEL description with its result, from the case and the form data', () => {
    const html = renderer.renderFields(form({ description: '="Höchstens " + string(limit) + " €"' }), {
      values: {},
      errors: [],
      locale: 'de',
      context: { limit: 5000 },
    });

    expect(html).toContain('Höchstens 5000 €');
    expect(html).not.toContain('=&quot;');
  });

  it('fills the templates of a description and escapes what they give', () => {
    const html = renderer.renderFields(form({ description: 'Für {{company}}' }), {
      values: {},
      errors: [],
      locale: 'de',
      context: { company: '<b>Muster</b> GmbH' },
    });

    expect(html).toContain('Für &lt;b&gt;Muster&lt;/b&gt; GmbH');
  });

  it('evaluates the adorners', () => {
    const html = renderer.renderFields(
      form({ appearance: { prefixAdorner: '=currency', suffixAdorner: 'pro {{unit}}' } }),
      {
        values: {},
        errors: [],
        locale: 'de',
        context: { currency: 'EUR', unit: 'Jahr' },
      },
    );

    expect(html).toContain('EUR');
    expect(html).toContain('pro Jahr');
  });

  it('leaves out a description whose FEEL gives nothing, rather than showing the expression', () => {
    const html = renderer.renderFields(form({ description: '=missing.value' }), {
      values: {},
      errors: [],
      locale: 'de',
    });

    expect(html).not.toContain('missing.value');
    expect(html).not.toContain('Field_Amount-hint');
  });

  it('refuses FEEL that does not parse, and keeps refusing FEEL in labels', () => {
    expect(() => form({ description: '=limit +' })).toThrow(FormSchemaError);
    expect(() => form({ appearance: { prefixAdorner: '{{#if x}}€{{/if}}' } })).toThrow(FormSchemaError);
    expect(() => form({ label: '=title' })).toThrow(/label: FEEL expressions/);
  });

  it('takes a translated description with templates', () => {
    const parsed = form({ description: 'Für {{company}}' });

    expect(
      parseFormTranslation(
        { components: { Field_Amount: { label: 'Amount', description: 'For {{company}}' } } },
        parsed,
        'x.en.json',
      ),
    ).toMatchObject({ components: { Field_Amount: { description: 'For {{company}}' } } });
  });
});
