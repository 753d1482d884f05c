/** `number`: an exact decimal (decimal.ts), read in the user's language; see README “Numbers”. */
import { displayValue, ownLabel, translateAdorned, type ComponentDefinition, type FieldOutcome } from '../component.js';
import {
  compareDecimal,
  decimalOfNumber,
  formatDecimal,
  isMultipleOf,
  neighbouringMultiples,
  parseDecimal,
  readNumberText,
  toNumber,
  type Decimal,
} from '../decimal.js';
import { displayText } from '../expressions.js';
import type { Locale, NumberComponent } from '../model.js';

function checkNumber(component: NumberComponent, raw: unknown, locale?: Locale): FieldOutcome {
  const rules = component.validate ?? {};
  if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) {
    return rules.required ? { error: { code: 'required', params: { expected: 'text' } } } : {};
  }
  let decimal: Decimal | undefined;
  if (typeof raw === 'number') decimal = decimalOfNumber(raw);
  else if (typeof raw === 'string') {
    const reading = readNumberText(raw, locale);
    if (!reading.ok) {
      // Refused text stays in the values (as typed), so the re-rendered form shows it: never a guess.
      return reading.problem === 'format'
        ? { value: raw.trim(), error: { code: 'numberFormat', params: { expected: locale ? 'grouped' : 'plain' } } }
        : { error: { code: 'notANumber' } };
    }
    decimal = reading.decimal;
  } else return { error: { code: 'invalidType' } };
  if (decimal === undefined) return { error: { code: 'notANumber' } };

  const value = component.serializeToString ? formatDecimal(decimal) : toNumber(decimal);
  const bound = (limit: number | undefined) => (limit === undefined ? undefined : decimalOfNumber(limit));
  const min = bound(rules.min);
  const max = bound(rules.max);
  if (min !== undefined && compareDecimal(decimal, min) < 0)
    return { value, error: { code: 'min', params: { min: toNumber(min) } } };
  if (max !== undefined && compareDecimal(decimal, max) > 0)
    return { value, error: { code: 'max', params: { max: toNumber(max) } } };
  if (component.decimalDigits !== undefined && decimal.scale > component.decimalDigits) {
    return { value, error: { code: 'decimalDigits', params: { max: component.decimalDigits } } };
  }
  const step =
    component.increment === undefined
      ? undefined
      : typeof component.increment === 'number'
        ? decimalOfNumber(component.increment)
        : parseDecimal(component.increment);
  if (step !== undefined && !step.negative && step.units !== 0n && !isMultipleOf(decimal, step)) {
    const [lower, higher] = neighbouringMultiples(decimal, step);
    return {
      value,
      error: { code: 'increment', params: { step: toNumber(step), lower: toNumber(lower), higher: toNumber(higher) } },
    };
  }
  return { value };
}

/**
 * A number as the user would type it: German decimal comma in German, never exponent notation. Text that
 * is not one of our own values (input the validator refused, like `1.00.0`) is shown as it was typed.
 */
function numberText(value: unknown, locale: Locale): string {
  const decimal =
    typeof value === 'number' ? decimalOfNumber(value) : typeof value === 'string' ? parseDecimal(value) : undefined;
  if (decimal === undefined || (typeof value === 'string' && formatDecimal(decimal) !== value)) {
    return displayValue(value);
  }
  return formatDecimal(decimal, locale === 'de' ? ',' : '.');
}

export const number: ComponentDefinition<NumberComponent> = {
  type: 'number',
  kind: 'input',
  schema: (kit) => {
    const { z } = kit;
    const numericText = z.string().refine((text) => parseDecimal(text) !== undefined, 'must be a number, e.g. "0.5"');
    const numberValidation = z
      .strictObject({
        required: z.boolean().optional(),
        min: z.number({ error: 'must be a number (FEEL expressions are not supported here)' }).optional(),
        max: z.number({ error: 'must be a number (FEEL expressions are not supported here)' }).optional(),
      })
      .superRefine((rules, context) => {
        if (rules.min !== undefined && rules.max !== undefined && rules.min > rules.max) {
          context.addIssue({ code: 'custom', message: 'min is greater than max', path: ['min'] });
        }
      });
    return z.strictObject({
      ...kit.inputBase,
      type: z.literal('number'),
      defaultValue: z.union([z.number(), numericText]).optional(),
      decimalDigits: z.int().min(0).max(20).optional(),
      increment: z
        .union([z.number(), numericText])
        .refine((step) => {
          const decimal = typeof step === 'number' ? decimalOfNumber(step) : parseDecimal(step);
          return decimal !== undefined && !decimal.negative && decimal.units !== 0n;
        }, 'must be greater than 0')
        .optional(),
      serializeToString: z.boolean().optional(),
      validate: numberValidation.optional(),
      appearance: kit.adorners,
    });
  },
  label: ownLabel,
  translatable: () => ['label', 'description', 'appearance'],
  translate: translateAdorned,
  input: {
    textual: true,
    initial: (component) =>
      component.defaultValue === undefined ? undefined : checkNumber(component, component.defaultValue).value,
    read: (component, raw, context) => checkNumber(component, raw, context.locale),
    field: (component, { stored, error, run }) => ({
      // A number the validator refused for its format is shown exactly as typed, never re-formatted.
      value: error?.code !== 'numberFormat' ? numberText(stored, run.state.locale) : displayValue(stored),
      inputMode: component.decimalDigits === 0 ? 'numeric' : 'decimal',
      valueType: component.serializeToString === true ? 'string' : undefined,
      adorners: component.appearance,
    }),
  },
  answer: (_component, value, locale) => {
    const decimal =
      typeof value === 'number' ? decimalOfNumber(value) : typeof value === 'string' ? parseDecimal(value) : undefined;
    if (decimal === undefined) return displayText(value);
    const numbers = new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 20 });
    return numbers.format(toNumber(decimal));
  },
};
