/**
 * What a submitted form said, as label/value lines for people: the applicant's case page, the
 * caseworker's task page and (later) the check-your-answers step. Pure. How a value reads is its type
 * module's `answer`.
 */
import { isKeyedComponent, labelOf } from './components.js';
import { itemScope, rootScope, type Variables } from './expressions.js';
import { formatPath, isRecord, readPath, splitKey, type PathSegment } from './paths.js';
import { definitionOf } from './registry.js';
import { localizeForm } from './translate.js';
import { UI_TEXT } from './ui-text.js';
import type { FormComponent, FormSchema, Locale } from './model.js';

export interface AnswerLine {
  /** The value's data path (`subject`, `contacts[1].email`). */
  key: string;
  label: string;
  value: string;
}

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
          const entry = UI_TEXT[locale].item(component.label?.trim() || undefined, index + 1);
          const data = isRecord(item) ? item : {};
          visit(component.components, [...path, index], [...items, entry], itemScope(scope, data, [index]));
        });
      } else if (isKeyedComponent(component)) {
        const path = [...base, ...splitKey(component.key)];
        const label = labelOf(component);
        const value = readPath(values, path);
        if (label === undefined || value === undefined || value === null || value === '') continue;
        const text = definitionOf(component).answer?.(component, value, locale, scope) ?? '';
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
