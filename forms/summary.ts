/**
 * What a submitted form said, as label/value lines for people: the applicant's case page, the
 * caseworker's task page and (later) the check-your-answers step. Pure.
 */
import { localizeForm } from './translate.js';
import { isInputComponent, labelOf } from './components.js';
import { decimalOfNumber, parseDecimal, toNumber } from './decimal.js';
import { displayText, findOption, itemScope, resolveOptions, rootScope, type Variables } from './expressions.js';
import { formatPath, isRecord, readPath, splitKey, type PathSegment } from './paths.js';
import type { FormComponent, FormSchema, InputComponent } from './schema.js';
import type { Locale } from './validate.js';

export interface AnswerLine {
  /** The value's data path (`subject`, `contacts[1].email`). */
  key: string;
  label: string;
  value: string;
}

const YES_NO: Record<Locale, [string, string]> = { de: ['Ja', 'Nein'], en: ['Yes', 'No'] };
const ENTRY: Record<Locale, (list: string | undefined, number: number) => string> = {
  de: (list, number) => (list ? `${list}, Eintrag ${number}` : `Eintrag ${number}`),
  en: (list, number) => (list ? `${list}, entry ${number}` : `Entry ${number}`),
};
const FILES: Record<Locale, (count: number) => string> = {
  de: (count) => (count === 1 ? '1 Datei' : `${count} Dateien`),
  en: (count) => (count === 1 ? '1 file' : `${count} files`),
};

/**
 * The answered fields in form order, list items included (labelled “E-Mail (Ansprechpartner, Eintrag 2)”).
 * Empty answers are skipped; options show their labels. `context` resolves `valuesKey`/`valuesExpression` options.
 */
export function summarizeAnswers(
  written: Pick<FormSchema, 'components' | 'translations'>,
  values: Record<string, unknown>,
  locale: Locale,
  context?: Variables,
): AnswerLine[] {
  const form = localizeForm(written, locale);
  const lines: AnswerLine[] = [];
  const visit = (components: readonly FormComponent[], base: PathSegment[], items: string[], scope: Variables) => {
    for (const component of components) {
      if (component.type === 'group') visit(component.components, [...base, ...splitKey(component.path)], items, scope);
      else if (component.type === 'dynamiclist') {
        const path = [...base, ...splitKey(component.path)];
        const stored = readPath(values, path);
        (Array.isArray(stored) ? stored : []).forEach((item, index) => {
          const entry = ENTRY[locale](component.label?.trim() || undefined, index + 1);
          const data = isRecord(item) ? item : {};
          visit(component.components, [...path, index], [...items, entry], itemScope(scope, data, [index]));
        });
      } else if (component.type === 'expression' || isInputComponent(component)) {
        const path = [...base, ...splitKey(component.key)];
        const label = labelOf(component);
        const value = readPath(values, path);
        if (label === undefined || value === undefined || value === null || value === '') continue;
        const text = component.type === 'expression' ? displayText(value) : answerText(component, value, locale, scope);
        if (text === '') continue;
        lines.push({
          key: formatPath(path),
          label: items.length > 0 ? `${label} (${items.join('; ')})` : label,
          value: text,
        });
      }
    }
  };
  visit(form.components, [], [], rootScope(context, values));
  return lines;
}

function answerText(component: InputComponent, value: unknown, locale: Locale, scope: Variables): string {
  switch (component.type) {
    case 'checkbox':
      return value === true ? YES_NO[locale][0] : YES_NO[locale][1];
    case 'select':
    case 'radio':
      return findOption(resolveOptions(component, scope), value)?.label ?? displayText(value);
    case 'checklist':
    case 'taglist': {
      const options = resolveOptions(component, scope);
      return (Array.isArray(value) ? value : [value])
        .map((entry) => findOption(options, entry)?.label ?? displayText(entry))
        .filter((text) => text !== '')
        .join(', ');
    }
    case 'number': {
      const decimal =
        typeof value === 'number'
          ? decimalOfNumber(value)
          : typeof value === 'string'
            ? parseDecimal(value)
            : undefined;
      if (decimal === undefined) return displayText(value);
      const numbers = new Intl.NumberFormat(locale === 'de' ? 'de-DE' : 'en-GB', { maximumFractionDigits: 20 });
      return numbers.format(toNumber(decimal));
    }
    case 'datetime':
      return typeof value === 'string' ? dateText(value, locale) : '';
    case 'filepicker':
      return Array.isArray(value) && value.length > 0 ? FILES[locale](value.length) : '';
    default:
      return displayText(value);
  }
}

/** `2025-12-31T14:30` → `31.12.2025, 14:30` (German) or `31/12/2025, 14:30` (English). */
function dateText(value: string, locale: Locale): string {
  const match = /^(?:(\d{4})-(\d{2})-(\d{2}))?T?(\d{2}:\d{2})?$/.exec(value);
  if (!match) return value;
  const [, year, month, day, time] = match;
  const date = year === undefined ? undefined : locale === 'de' ? `${day}.${month}.${year}` : `${day}/${month}/${year}`;
  return [date, time].filter((part) => part !== undefined).join(', ');
}
