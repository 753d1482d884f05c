/**
 * `datetime`: a date, a time, or both (two inputs, `<name>.date` and `<name>.time`). Local, without time
 * zone; German `31.12.2025` and `9.30` are read too.
 */
import type { z } from 'zod';
import { nonEmpty, type ComponentDefinition, type FieldOutcome, type FieldParts } from '../component.js';
import type { DatetimeComponent, Locale } from '../model.js';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const GERMAN_DATE = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/;
const TIME = /^(\d{1,2})[:.](\d{2})(?::(00))?$/;

/** `2025-12-31` or `31.12.2025` → `2025-12-31`, if the day exists. */
function normalizeDate(text: string): string | undefined {
  const iso = ISO_DATE.exec(text);
  const german = iso ? undefined : GERMAN_DATE.exec(text);
  const [year, month, day] = iso
    ? [Number(iso[1]), Number(iso[2]), Number(iso[3])]
    : german
      ? [Number(german[3]), Number(german[2]), Number(german[1])]
      : [0, 0, 0];
  if (year < 1000 || month < 1 || month > 12 || day < 1) return undefined;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  if (day > days) return undefined;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** `14:30`, `9:05`, `14.30` or `14:30:00` → `14:30`. */
function normalizeTime(text: string): string | undefined {
  const match = TIME.exec(text);
  if (!match) return undefined;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  if (hours > 23 || minutes > 59) return undefined;
  return `${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`;
}

/** Reads a datetime as one string (JSON, `datetime-local`) or as the two inputs `<name>.date` and `<name>.time`. */
function datetimeParts(raw: unknown): { date: unknown; time: unknown } | undefined {
  if (typeof raw === 'string') {
    const [date = '', time = '', ...rest] = raw.trim().split(/[T ]/);
    return rest.length > 0 ? undefined : { date, time };
  }
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw)) {
    const part = (name: string): unknown => (Object.hasOwn(raw, name) ? Reflect.get(raw, name) : undefined);
    return { date: part('date') ?? '', time: part('time') ?? '' };
  }
  return undefined;
}

function checkDatetime(component: DatetimeComponent, raw: unknown, today: string | undefined): FieldOutcome {
  const subtype = component.subtype ?? 'date';
  const required = component.validate?.required === true;
  const missing: FieldOutcome = required ? { error: { code: 'required', params: { expected: 'text' } } } : {};
  const invalid: FieldOutcome = { error: { code: 'invalidDate', params: { expected: subtype } } };
  if (raw === undefined || raw === null || raw === '') return missing;

  let value: string | undefined;
  if (subtype === 'datetime') {
    const parts = datetimeParts(raw);
    if (parts === undefined) return typeof raw === 'string' ? invalid : { error: { code: 'invalidType' } };
    const { date, time } = parts;
    if (typeof date !== 'string' || typeof time !== 'string') return { error: { code: 'invalidType' } };
    if (date.trim() === '' && time.trim() === '') return missing;
    const normalizedDate = normalizeDate(date.trim());
    const normalizedTime = normalizeTime(time.trim());
    if (normalizedDate === undefined || normalizedTime === undefined) {
      // Half a date and time stays in (as `2025-07-01T`) so the re-rendered form keeps the half that was right.
      const half = `${normalizedDate ?? ''}T${normalizedTime ?? ''}`;
      return half === 'T' ? invalid : { value: half, error: invalid.error };
    }
    value = `${normalizedDate}T${normalizedTime}`;
  } else {
    if (typeof raw !== 'string') return { error: { code: 'invalidType' } };
    if (raw.trim() === '') return missing;
    value = subtype === 'date' ? normalizeDate(raw.trim()) : normalizeTime(raw.trim());
    if (value === undefined) return invalid;
  }
  if (component.disallowPassedDates && subtype !== 'time' && today !== undefined && value.slice(0, 10) < today) {
    return { value, error: { code: 'datePassed' } };
  }
  return { value };
}

const DEFAULT_FORMATS = {
  date: { pattern: /^\d{4}-\d{2}-\d{2}$/, example: '2025-12-31' },
  time: { pattern: /^\d{2}:\d{2}$/, example: '14:30' },
  datetime: { pattern: /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, example: '2025-12-31T14:30' },
};

/** Every control needs a visible label: a date needs a dateLabel (or label), a time a timeLabel (or label). */
function checkLabelsAndDefault(component: DatetimeComponent, context: z.RefinementCtx): void {
  const subtype = component.subtype ?? 'date';
  const hasLabel = (text: string | undefined) => text !== undefined && text.trim() !== '';
  if (subtype !== 'time' && !hasLabel(component.dateLabel) && (subtype === 'datetime' || !hasLabel(component.label))) {
    context.addIssue({
      code: 'custom',
      message: 'needs a dateLabel (every control needs a visible label)',
      path: ['dateLabel'],
    });
  }
  if (subtype !== 'date' && !hasLabel(component.timeLabel) && (subtype === 'datetime' || !hasLabel(component.label))) {
    context.addIssue({
      code: 'custom',
      message: 'needs a timeLabel (every control needs a visible label)',
      path: ['timeLabel'],
    });
  }
  const expected = DEFAULT_FORMATS[subtype];
  if (component.defaultValue !== undefined && !expected.pattern.test(component.defaultValue)) {
    context.addIssue({ code: 'custom', message: `must look like ${expected.example}`, path: ['defaultValue'] });
  }
}

function datetimeView(
  component: DatetimeComponent,
  id: string,
  name: string,
  stored: unknown,
  today: string | undefined,
): FieldParts {
  const subtype = component.subtype ?? 'date';
  const value = typeof stored === 'string' ? stored : '';
  const min = component.disallowPassedDates && today !== undefined ? today : undefined;
  const step = component.timeInterval === undefined ? undefined : String(component.timeInterval * 60);
  const inputType = subtype === 'time' ? 'time' : 'date';
  if (subtype !== 'datetime')
    return { inputType, min: subtype === 'date' ? min : undefined, step: subtype === 'time' ? step : undefined };
  const [date = '', time = ''] = value.split('T');
  return {
    inputType,
    legend: nonEmpty(component.label),
    parts: [
      { id, name: `${name}.date`, label: component.dateLabel ?? '', type: 'date', value: date, min },
      { id: `${id}-time`, name: `${name}.time`, label: component.timeLabel ?? '', type: 'time', value: time, step },
    ],
  };
}

/** `2025-12-31T14:30` → `31.12.2025, 14:30` (German) or `31/12/2025, 14:30` (English). */
function dateText(value: string, locale: Locale): string {
  const match = /^(?:(\d{4})-(\d{2})-(\d{2}))?T?(\d{2}:\d{2})?$/.exec(value);
  if (!match) return value;
  const [, year, month, day, time] = match;
  const date = year === undefined ? undefined : locale === 'de' ? `${day}.${month}.${year}` : `${day}/${month}/${year}`;
  return [date, time].filter((part) => part !== undefined).join(', ');
}

export const datetime: ComponentDefinition<DatetimeComponent> = {
  type: 'datetime',
  kind: 'input',
  schema: (kit) => {
    const { z } = kit;
    return z
      .strictObject({
        ...kit.inputBase,
        label: kit.shownText().optional(),
        type: z.literal('datetime'),
        subtype: z.enum(['date', 'time', 'datetime']).optional(),
        dateLabel: kit.shownText().optional(),
        timeLabel: kit.shownText().optional(),
        use24h: z.boolean().optional(),
        timeInterval: z.int().min(1).max(60).optional(),
        timeSerializingFormat: z
          .literal('no_timezone', {
            error: (issue) =>
              `${String(issue.input)} is not supported: the server does not know the user's time zone; use "no_timezone"`,
          })
          .optional(),
        disallowPassedDates: z.boolean().optional(),
        defaultValue: z.string().optional(),
        validate: kit.choiceValidation.optional(),
      })
      .superRefine(checkLabelsAndDefault);
  },
  label: (component) => {
    if (component.label !== undefined && component.label !== '') return component.label;
    const subtype = component.subtype ?? 'date';
    return subtype === 'time' ? component.timeLabel : component.dateLabel;
  },
  translatable: () => ['label', 'description', 'dateLabel', 'timeLabel'],
  translate: (component, entry) => ({
    ...component,
    label: entry.label ?? component.label,
    description: entry.description ?? component.description,
    dateLabel: entry.dateLabel ?? component.dateLabel,
    timeLabel: entry.timeLabel ?? component.timeLabel,
  }),
  input: {
    textual: true,
    initial: (component) => component.defaultValue,
    read: (component, raw, context) => checkDatetime(component, raw, context.today),
    field: (component, { id, name, stored, run }) => datetimeView(component, id, name, stored, run.state.today),
  },
  answer: (_component, value, locale) => (typeof value === 'string' ? dateText(value, locale) : ''),
};
