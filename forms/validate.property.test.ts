import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COMPONENT_FIXTURES,
  GENERAL_INQUIRY_FORM_FILES,
  allComponentsForm,
  componentForm,
  everyComponentForm,
  generalInquiryForm,
} from './fixtures/fixtures.js';
import { isInputComponent } from './components.js';
import { resolveOptions, rootScope } from './expressions.js';
import { splitKey } from './paths.js';
import type { FormComponent, FormSchema, InputComponent } from './schema.js';
import { errorMessage, initialValues, validateSubmission, type ValidationOptions } from './validate.js';

const TODAY = '2025-06-01';

/** FEEL variables the fixtures' valuesKey, valuesExpression, disabled and condition expressions read. */
const CONTEXTS: Record<string, Record<string, unknown>> = {
  'all-components': { companyName: 'Muster GmbH', programs: [{ name: 'Gründung' }] },
  checklist: { companyBranches: [{ label: 'Dresden', value: 'dd' }, 'l', 7] },
  taglist: {
    sectorList: [
      { name: 'IT', code: 'it' },
      { name: 'Handel', code: 'trade' },
    ],
  },
  radio: { offices: ['Nord', 'Süd', 3] },
  select: {
    regions: [
      { label: 'Nord', value: 'north' },
      { label: 'Süd', value: 'south' },
    ],
  },
  textfield: { status: 'open' },
  conditional: { isMember: true },
};

const forms: [string, FormSchema][] = [
  ['every-component', everyComponentForm()],
  ['all-components', allComponentsForm()],
  ...GENERAL_INQUIRY_FORM_FILES.map((file): [string, FormSchema] => [file, generalInquiryForm(file)]),
  ...COMPONENT_FIXTURES.map((name): [string, FormSchema] => [name, componentForm(name)]),
];

const optionsFor = (name: string): ValidationOptions => ({ context: CONTEXTS[name], today: TODAY });

// --- Building nested submissions from the form's tree ---

interface Entry {
  path: string[];
  arbitrary: fc.Arbitrary<unknown>;
}

function setAt(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const segment of path.slice(0, -1)) {
    const next = node[segment];
    if (typeof next === 'object' && next !== null && !Array.isArray(next)) node = next as Record<string, unknown>;
    else {
      const created: Record<string, unknown> = {};
      node[segment] = created;
      node = created;
    }
  }
  node[path[path.length - 1] ?? ''] = value;
}

function entries(
  components: readonly FormComponent[],
  field: (component: InputComponent) => fc.Arbitrary<unknown>,
  items: number,
): Entry[] {
  return components.flatMap((component): Entry[] => {
    if (component.type === 'group') {
      const prefix = splitKey(component.path);
      return entries(component.components, field, items).map((entry) => ({
        ...entry,
        path: [...prefix, ...entry.path],
      }));
    }
    if (component.type === 'dynamiclist') {
      const item = objectOf(entries(component.components, field, items));
      return [{ path: splitKey(component.path), arbitrary: fc.array(item, { maxLength: items }) }];
    }
    return isInputComponent(component) ? [{ path: splitKey(component.key), arbitrary: field(component) }] : [];
  });
}

function objectOf(list: readonly Entry[]): fc.Arbitrary<Record<string, unknown>> {
  return fc.tuple(...list.map((entry) => entry.arbitrary)).map((values) => {
    const result: Record<string, unknown> = {};
    values.forEach((value, index) => {
      const path = list[index]?.path ?? [];
      if (value !== undefined) setAt(result, path, value);
    });
    return result;
  });
}

/** The same data as an urlencoded body would carry it: flat names, strings, unticked boxes absent. */
function urlencoded(values: Record<string, unknown>): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const visit = (value: unknown, name: string) => {
    if (Array.isArray(value) && value.some((item) => typeof item === 'object' && item !== null)) {
      value.forEach((item, index) => {
        body[`${name}[${index}]._item`] = '1';
        visit(item, `${name}[${index}]`);
      });
    } else if (Array.isArray(value)) {
      if (value.length > 0) body[name] = value.map(String);
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, inner] of Object.entries(value)) visit(inner, name === '' ? key : `${name}.${key}`);
    } else if (value === true) body[name] = 'on';
    else if (typeof value === 'number') body[name] = String(value).replace('.', ',');
    else if (typeof value === 'string') body[name] = value;
  };
  visit(values, '');
  return body;
}

// --- Arbitrary input: values near the rules, and anything at all ---

const DOCUMENT_ID = fc.uuid({ version: 4 });

function interestingValue(
  component: InputComponent,
  context: Record<string, unknown> | undefined,
): fc.Arbitrary<unknown> {
  const special = ((): fc.Arbitrary<unknown> => {
    switch (component.type) {
      case 'select':
      case 'radio':
      case 'checklist':
      case 'taglist': {
        const values = resolveOptions(component, rootScope(context, {})).map((option) => option.value);
        const one = fc.constantFrom<unknown>(...values, '', 'other', 3);
        return fc.oneof(one, fc.array(one, { maxLength: 4 }));
      }
      case 'checkbox':
        return fc.constantFrom('on', 'true', 'false', '', true, false, 'yes');
      case 'number':
        return fc.oneof(
          fc.integer({ min: -20, max: 20000 }),
          fc.double({ noNaN: false }),
          fc.constantFrom('12,5', '1.234,56', '0,3', '1e3', 'zwölf', ' 7 ', '-0', '0.25'),
        );
      case 'datetime':
        return fc.oneof(
          fc.constantFrom('2025-06-01', '2024-02-29', '2025-02-29', '31.12.2025', '14:30', '24:00', '2025-07-01T14:30'),
          fc.record({ date: fc.constantFrom('', '2025-07-01', 'x'), time: fc.constantFrom('', '09:00', '9') }),
        );
      case 'filepicker':
        return fc.oneof(DOCUMENT_ID, fc.array(DOCUMENT_ID, { maxLength: 3 }), fc.constantFrom('x', '', '../a'));
      default:
        return fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: (component.validate?.maxLength ?? 20) + 2 }),
          fc.constantFrom(
            '   ',
            '\r\n',
            'AB-123',
            ' AB-123 ',
            '\u0000',
            'a@b.de',
            '0351 123456',
            'DE123456789',
            '01067',
          ),
        );
    }
  })();
  return fc.oneof(special, fc.anything());
}

function submission(name: string, form: FormSchema): fc.Arbitrary<Record<string, unknown>> {
  const nested = objectOf(entries(form.components, (component) => interestingValue(component, CONTEXTS[name]), 3));
  return fc
    .tuple(
      nested,
      fc.boolean(),
      fc.dictionary(fc.string(), fc.anything(), { maxKeys: 5 }),
      fc.dictionary(
        fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty', '_removeFile', 'a[0].__proto__'),
        fc.anything(),
      ),
    )
    .map(([fields, flat, noise, tricky]) => ({ ...tricky, ...noise, ...(flat ? urlencoded(fields) : fields) }));
}

// --- Valid input: values that keep every rule ---

const TEXT_POOL = ['Anna', 'Muster GmbH', 'AB-123', 'DE123456789', '01067', 'Hauptstr. 1', 'info@muster.de', 'x'];

function validValue(component: InputComponent, context: Record<string, unknown> | undefined): fc.Arbitrary<unknown> {
  const required = component.validate?.required === true;
  const optional = (value: fc.Arbitrary<unknown>) => (required ? value : fc.oneof(value, fc.constant(undefined)));
  switch (component.type) {
    case 'textfield':
    case 'textarea': {
      const rules = component.validate ?? {};
      const type = component.type === 'textfield' ? component.validate?.validationType : undefined;
      if (rules.pattern !== undefined || type === 'email' || type === 'phone') {
        const pool =
          type === 'email' ? ['info@muster.de'] : type === 'phone' ? ['0351 1234567', '+49 351 123456'] : TEXT_POOL;
        const fitting = pool.filter(
          (text) =>
            (rules.pattern === undefined || new RegExp(rules.pattern).test(text)) &&
            text.length >= (rules.minLength ?? 0) &&
            text.length <= (rules.maxLength ?? Infinity),
        );
        if (fitting.length === 0) throw new Error(`no valid example for ${component.id}`);
        return optional(fc.constantFrom(...fitting));
      }
      const minLength = Math.max(rules.minLength ?? 0, required ? 1 : 0);
      const maxLength = Math.min(rules.maxLength ?? 50, minLength + 50);
      return fc
        .tuple(
          fc.string({ unit: fc.constantFrom(...'aZ09äÖß-.,😀'), minLength, maxLength }),
          fc.constantFrom('', ' ', '\n'),
        )
        .map(([text, padding]) => (text === '' ? undefined : padding + text + padding));
    }
    case 'number': {
      const step = Number(
        component.increment ?? (component.decimalDigits === undefined ? 0.25 : 10 ** -component.decimalDigits),
      );
      const min = Math.ceil((component.validate?.min ?? -1000) / step);
      const max = Math.floor((component.validate?.max ?? 1000) / step);
      return optional(fc.integer({ min, max }).map((units) => Number((units * step).toFixed(6))));
    }
    case 'datetime': {
      const subtype = component.subtype ?? 'date';
      const value = subtype === 'date' ? '2099-01-31' : subtype === 'time' ? '23:59' : '2099-01-31T00:00';
      return optional(fc.constant(value));
    }
    case 'checkbox':
      return required ? fc.constant(true) : fc.boolean();
    case 'select':
    case 'radio': {
      const values = resolveOptions(component, rootScope(context, {})).map((option) => option.value);
      return values.length === 0 ? fc.constant(undefined) : optional(fc.constantFrom(...values));
    }
    case 'checklist':
    case 'taglist': {
      const values = resolveOptions(component, rootScope(context, {})).map((option) => option.value);
      return fc.subarray(values, { minLength: required && values.length > 0 ? 1 : 0 });
    }
    case 'filepicker':
      return optional(fc.array(DOCUMENT_ID, { minLength: 1, maxLength: component.multiple ? 3 : 1 }));
  }
}

function validSubmission(name: string, form: FormSchema): fc.Arbitrary<Record<string, unknown>> {
  return objectOf(entries(form.components, (component) => validValue(component, CONTEXTS[name]), 2));
}

// --- An independent reading of the rules over the returned values ---

function readAt(data: unknown, path: readonly string[]): unknown {
  let node = data;
  for (const segment of path) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<string, unknown>)[segment];
  }
  return node;
}

function decimals(value: number): number {
  const [mantissa = '', exponent = '0'] = String(value).split('e');
  const [, fraction = ''] = mantissa.split('.');
  return Math.max(0, fraction.length - Number(exponent));
}

function breaksRule(component: InputComponent, value: unknown, options: ValidationOptions): boolean {
  const rules = component.validate ?? {};
  switch (component.type) {
    case 'textfield':
    case 'textarea': {
      if (typeof value !== 'string' || value === '' || value !== value.trim()) return true;
      const length = [...value].length;
      const type = component.type === 'textfield' ? component.validate?.validationType : undefined;
      const pattern = component.validate?.pattern;
      return (
        length < (component.validate?.minLength ?? 0) ||
        length > (component.validate?.maxLength ?? Infinity) ||
        (pattern !== undefined && !new RegExp(pattern).test(value)) ||
        (type === 'email' && !/^\S+@\S+\.\S+$/.test(value)) ||
        (type === 'phone' && (value.replace(/\D/g, '').length < 6 || /[a-z]/i.test(value)))
      );
    }
    case 'number': {
      const number = component.serializeToString && typeof value === 'string' ? Number(value) : value;
      if (typeof number !== 'number' || !Number.isFinite(number)) return true;
      if ((component.serializeToString === true) !== (typeof value === 'string')) return true;
      const step = component.increment === undefined ? undefined : Number(component.increment);
      return (
        number < (component.validate?.min ?? -Infinity) ||
        number > (component.validate?.max ?? Infinity) ||
        (component.decimalDigits !== undefined && decimals(number) > component.decimalDigits) ||
        (step !== undefined && Math.abs(number / step - Math.round(number / step)) > 1e-9)
      );
    }
    case 'datetime': {
      if (typeof value !== 'string') return true;
      const subtype = component.subtype ?? 'date';
      const date = subtype === 'time' ? undefined : value.slice(0, 10);
      const time = subtype === 'date' ? undefined : value.slice(-5);
      const shape = { date: /^\d{4}-\d{2}-\d{2}$/, time: /^\d{2}:\d{2}$/, datetime: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/ }[
        subtype
      ];
      if (!shape.test(value)) return true;
      if (date !== undefined && new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date) return true;
      if (time !== undefined && (Number(time.slice(0, 2)) > 23 || Number(time.slice(3)) > 59)) return true;
      return (
        component.disallowPassedDates === true &&
        date !== undefined &&
        options.today !== undefined &&
        date < options.today
      );
    }
    case 'checkbox':
      return typeof value !== 'boolean' || (rules.required === true && value !== true);
    case 'select':
    case 'radio':
    case 'checklist':
    case 'taglist': {
      const allowed = resolveOptions(component, rootScope(options.context, {})).map((option) => option.value);
      if (component.type === 'select' || component.type === 'radio') return !allowed.includes(value as never);
      if (!Array.isArray(value) || new Set(value).size !== value.length) return true;
      return (
        value.some((entry) => !allowed.includes(entry as never)) || (rules.required === true && value.length === 0)
      );
    }
    case 'filepicker':
      return (
        !Array.isArray(value) ||
        value.length === 0 ||
        (!component.multiple && value.length > 1) ||
        value.some((id) => typeof id !== 'string' || !/^[0-9a-f-]{36}$/.test(id))
      );
  }
}

/** Data paths of values that break a rule (or required fields missing where no condition is involved). */
function pathsBreakingRules(form: FormSchema, values: Record<string, unknown>, options: ValidationOptions): string[] {
  const broken: string[] = [];
  const visit = (components: readonly FormComponent[], data: unknown, prefix: string, conditional: boolean) => {
    for (const component of components) {
      const guarded = conditional || component.conditional !== undefined;
      if (component.type === 'group') {
        const path = splitKey(component.path);
        const name = [prefix, ...path].filter((part) => part !== '').join('.');
        visit(component.components, path.length > 0 ? readAt(data, path) : data, name, guarded);
      } else if (component.type === 'dynamiclist') {
        const name = [prefix, component.path].filter((part) => part !== '').join('.');
        const items = readAt(data, splitKey(component.path));
        if (items !== undefined && !Array.isArray(items)) broken.push(name);
        if (Array.isArray(items))
          items.forEach((item, index) => visit(component.components, item, `${name}[${index}]`, guarded));
      } else if (isInputComponent(component)) {
        if (component.readonly !== undefined || component.disabled !== undefined) continue;
        const name = [prefix, component.key].filter((part) => part !== '').join('.');
        const value = readAt(data, splitKey(component.key));
        if (value === undefined) {
          if (component.validate?.required === true && !guarded) broken.push(name);
        } else if (breaksRule(component, value, options)) broken.push(name);
      }
    }
  };
  visit(form.components, values, '', false);
  return broken;
}

/** Every leaf path of the values, without list indexes: `contacts.name`. */
function valuePaths(values: unknown, prefix = ''): string[] {
  if (
    Array.isArray(values) &&
    values.some((item) => typeof item === 'object' && item !== null && !Array.isArray(item))
  ) {
    return [prefix, ...values.flatMap((item) => valuePaths(item, prefix))];
  }
  if (typeof values !== 'object' || values === null || Array.isArray(values)) return [prefix];
  return Object.entries(values).flatMap(([key, value]) => valuePaths(value, prefix === '' ? key : `${prefix}.${key}`));
}

/** The paths a form may produce, list indexes left out: `contacts`, `contacts.name`, `address.street`. */
function formPaths(components: readonly FormComponent[], prefix = ''): string[] {
  return components.flatMap((component) => {
    const join = (path: string | undefined) => [prefix, path ?? ''].filter((part) => part !== '').join('.');
    if (component.type === 'group') return formPaths(component.components, join(component.path));
    if (component.type === 'dynamiclist')
      return [join(component.path), ...formPaths(component.components, join(component.path))];
    if (isInputComponent(component) || component.type === 'expression') return [join(component.key)];
    return [];
  });
}

describe.each(forms)('validateSubmission on %s, for any input', (name, form) => {
  const options = optionsFor(name);
  const allowed = new Set(formPaths(form.components));

  it('never throws and returns only paths of the form, at most one error per field', () => {
    fc.assert(
      fc.property(submission(name, form), (input) => {
        const { values, errors } = validateSubmission(form, input, options);

        for (const path of valuePaths(values)) expect(allowed, path).toContain(path);
        for (const error of errors) expect(allowed).toContain(error.key.replace(/\[\d+\]/g, ''));
        expect(new Set(errors.map((error) => error.key)).size).toBe(errors.length);
      }),
    );
  });

  it('reports every value that breaks a rule', () => {
    fc.assert(
      fc.property(submission(name, form), (input) => {
        const { values, errors } = validateSubmission(form, input, options);

        const reported = new Set(errors.map((error) => error.key));
        for (const path of pathsBreakingRules(form, values, options)) expect(reported, path).toContain(path);
      }),
    );
  });

  it('keeps read-only and disabled fields at their initial values', () => {
    const initial = initialValues(form);
    const fixed = form.components.filter(
      (component) => isInputComponent(component) && (component.readonly === true || component.disabled === true),
    );
    fc.assert(
      fc.property(submission(name, form), (input) => {
        const { values } = validateSubmission(form, input, options);

        for (const component of fixed) {
          if (!isInputComponent(component)) continue;
          expect(readAt(values, splitKey(component.key))).toEqual(readAt(initial, splitKey(component.key)));
        }
      }),
    );
  });

  it('accepts any submission that keeps the rules, as JSON and urlencoded, and its own output again', () => {
    fc.assert(
      fc.property(validSubmission(name, form), (input) => {
        const first = validateSubmission(form, input, options);
        expect(first.errors).toEqual([]);

        const again = validateSubmission(
          form,
          JSON.parse(JSON.stringify(first.values)) as Record<string, unknown>,
          options,
        );
        const encoded = validateSubmission(form, urlencoded(first.values), options);

        expect(again).toEqual(first);
        expect(encoded).toEqual(first);
      }),
    );
  });

  it('has a message in both languages for every error', () => {
    fc.assert(
      fc.property(submission(name, form), (input) => {
        for (const error of validateSubmission(form, input, options).errors) {
          expect(errorMessage(error, 'de', 'Feld')).toMatch(/\S/);
          expect(errorMessage(error, 'en')).toMatch(/\S/);
        }
      }),
    );
  });
});

it('never throws, even when the input is not an object at all', () => {
  const form = allComponentsForm();
  fc.assert(
    fc.property(fc.anything(), fc.anything(), (input, context) => {
      expect(() =>
        validateSubmission(form, input as Record<string, unknown>, { context: context as Record<string, unknown> }),
      ).not.toThrow();
    }),
  );
});

describe('numbers typed in a language (options.locale)', () => {
  const amountForm: FormSchema = {
    id: 'amounts',
    type: 'default',
    schemaVersion: 16,
    components: [{ id: 'Field_Amount', type: 'number', key: 'amount', label: 'Betrag' }],
  };
  const readAmount = (text: string, locale?: 'de' | 'en') => {
    const { values, errors } = validateSubmission(amountForm, { amount: text }, { locale });
    return errors.length === 0 ? values.amount : undefined;
  };
  const grouped = (whole: string, separator: string) => whole.replace(/\B(?=(\d{3})+(?!\d))/g, separator);
  // Up to 15 significant digits: every one of them survives a JavaScript number.
  const wholeDigits = fc.bigInt({ min: 0n, max: 999_999_999_999n }).map(String);
  const fractionDigits = fc.stringMatching(/^\d{0,3}$/);

  it('reads what a German or English writer types, grouped or not, as that number', () => {
    fc.assert(
      fc.property(wholeDigits, fractionDigits, fc.boolean(), fc.boolean(), (whole, fraction, group, negative) => {
        // `+ 0`: a typed "-0" is zero, not negative zero.
        const expected = Number(`${negative ? '-' : ''}${whole}.${fraction || '0'}`) + 0;
        const sign = negative ? '-' : '';
        const german = `${sign}${group ? grouped(whole, '.') : whole}${fraction ? `,${fraction}` : ''}`;
        const english = `${sign}${group ? grouped(whole, ',') : whole}${fraction ? `.${fraction}` : ''}`;
        expect(readAmount(german, 'de')).toBe(expected);
        expect(readAmount(english, 'en')).toBe(expected);
      }),
    );
  });

  // Digits and separators in every arrangement, separators often (a plain string arbitrary rarely makes `12.5`).
  const numberLike = fc
    .tuple(
      fc.constantFrom('', '-'),
      fc.array(fc.constantFrom('0', '1', '5', '9', '12', '000', '250', '.', ','), { minLength: 1, maxLength: 7 }),
    )
    .map(([sign, parts]) => sign + parts.join(''));

  it('gives "." and "," one role each per language: a value is never a guess', () => {
    fc.assert(
      fc.property(numberLike, (text) => {
        const german = readAmount(text, 'de');
        if (german !== undefined) expect(german).toBe(Number(text.replaceAll('.', '').replace(',', '.')) + 0);
        const english = readAmount(text, 'en');
        if (english !== undefined) expect(english).toBe(Number(text.replaceAll(',', '')) + 0);
      }),
      { numRuns: 1000 },
    );
  });

  it('without a language, accepts only what one of the languages reads the same way', () => {
    fc.assert(
      fc.property(numberLike, (text) => {
        const plain = readAmount(text);
        if (plain === undefined) return;
        expect([readAmount(text, 'de'), readAmount(text, 'en')]).toContain(plain);
      }),
      { numRuns: 1000 },
    );
  });
});
