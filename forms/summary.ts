/**
 * What a submitted form said, as label/value lines for people: the applicant's case page, the
 * caseworker's task page and (later) the check-your-answers step. Pure.
 */
import { inputComponents, type FormSchema } from './schema.js';
import type { Locale } from './validate.js';

export interface AnswerLine {
  key: string;
  label: string;
  value: string;
}

const YES_NO: Record<Locale, [string, string]> = { de: ['Ja', 'Nein'], en: ['Yes', 'No'] };

export function summarizeAnswers(form: FormSchema, values: Record<string, unknown>, locale: Locale): AnswerLine[] {
  return inputComponents(form).flatMap((component): AnswerLine[] => {
    const value = Object.hasOwn(values, component.key) ? values[component.key] : undefined;
    if (value === undefined || value === null || value === '') return [];
    const line = (text: string) => [{ key: component.key, label: component.label, value: text }];
    switch (component.type) {
      case 'checkbox':
        return line(value === true ? YES_NO[locale][0] : YES_NO[locale][1]);
      case 'select':
      case 'radio':
        return line(component.values.find((option) => option.value === value)?.label ?? String(value));
      default:
        return line(String(value));
    }
  });
}
