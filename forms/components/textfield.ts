/** `textfield`: one line of text; `validationType` email or phone adds a format check and the input type. */
import { ownLabel, translateAdorned, type ComponentDefinition, type FieldOutcome } from '../component.js';
import { displayText } from '../expressions.js';
import { splitKey } from '../paths.js';
import type { TextFieldComponent, TextFieldValidation, TextValidation } from '../model.js';

const EMAIL = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;
// Lenient on purpose: people write 0351 1234567, +49 (351) 123 45-67, 0351/1234567.
const PHONE = /^\+?[0-9 ()/.-]+$/;

/**
 * A text field's value: browsers send line breaks as CRLF; counting them as one character keeps the count
 * the user sees. NUL goes because PostgreSQL text and jsonb cannot store it. Then trimmed.
 */
export function normalizeText(raw: string): string {
  return raw.replaceAll('\u0000', '').replace(/\r\n?/g, '\n').trim();
}

/** The checks of text fields and text areas: required, length in code points, pattern, then the format. */
export function checkText(
  raw: unknown,
  rules: TextValidation,
  format: TextFieldValidation['validationType'],
): FieldOutcome {
  const text = raw ?? '';
  if (typeof text !== 'string') return { error: { code: 'invalidType' } };
  const value = normalizeText(text);
  if (value === '') return rules.required ? { error: { code: 'required', params: { expected: 'text' } } } : {};

  const length = [...value].length;
  if (rules.minLength !== undefined && length < rules.minLength) {
    return { value, error: { code: 'minLength', params: { min: rules.minLength, actual: length } } };
  }
  if (rules.maxLength !== undefined && length > rules.maxLength) {
    return { value, error: { code: 'maxLength', params: { max: rules.maxLength, actual: length } } };
  }
  if (rules.pattern !== undefined && !matches(rules.pattern, value)) return { value, error: { code: 'pattern' } };
  if (format === 'email' && !EMAIL.test(value)) return { value, error: { code: 'email' } };
  if (format === 'phone' && !(PHONE.test(value) && (value.match(/\d/g)?.length ?? 0) >= 6)) {
    return { value, error: { code: 'phone' } };
  }
  return { value };
}

// Unanchored, as in form-js. A form that did not pass parseForm may carry a broken pattern: fail closed.
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return false;
  }
}

/** HTML autocomplete tokens for keys that name a well-known field about the user (WCAG 1.3.5). */
const AUTOCOMPLETE_BY_KEY: Readonly<Record<string, string>> = {
  email: 'email',
  emailaddress: 'email',
  mail: 'email',
  phone: 'tel',
  phonenumber: 'tel',
  telephone: 'tel',
  tel: 'tel',
  mobile: 'tel',
  street: 'address-line1',
  streetaddress: 'street-address',
  addressline1: 'address-line1',
  addressline2: 'address-line2',
  postalcode: 'postal-code',
  postcode: 'postal-code',
  zip: 'postal-code',
  zipcode: 'postal-code',
  plz: 'postal-code',
  city: 'address-level2',
  town: 'address-level2',
  country: 'country-name',
  companyname: 'organization',
  company: 'organization',
  organisation: 'organization',
  organization: 'organization',
  firstname: 'given-name',
  givenname: 'given-name',
  lastname: 'family-name',
  familyname: 'family-name',
  surname: 'family-name',
  fullname: 'name',
  jobtitle: 'organization-title',
  website: 'url',
};

function autocompleteOf(component: TextFieldComponent): string | undefined {
  const last = splitKey(component.key).at(-1)?.toLowerCase() ?? '';
  const derived = AUTOCOMPLETE_BY_KEY[last];
  if (derived !== undefined) return derived;
  const type = component.validate?.validationType;
  return type === 'email' ? 'email' : type === 'phone' ? 'tel' : undefined;
}

export const textfield: ComponentDefinition<TextFieldComponent> = {
  type: 'textfield',
  kind: 'input',
  schema: (kit) =>
    kit.z.strictObject({
      ...kit.inputBase,
      type: kit.z.literal('textfield'),
      defaultValue: kit.z.string().optional(),
      validate: kit.textFieldValidation.optional(),
      appearance: kit.adorners,
    }),
  label: ownLabel,
  translatable: () => ['label', 'description', 'appearance'],
  translate: translateAdorned,
  input: {
    textual: true,
    initial: (component) => (component.defaultValue === '' ? undefined : component.defaultValue),
    read: (component, raw) => checkText(raw, component.validate ?? {}, component.validate?.validationType),
    field: (component) => {
      const type = component.validate?.validationType;
      return {
        inputType: type === 'email' ? 'email' : type === 'phone' ? 'tel' : 'text',
        adorners: component.appearance,
        autocomplete: autocompleteOf(component),
      };
    },
  },
  answer: (_component, value) => displayText(value),
};
