/**
 * `text`: the Markdown subset (markdown.ts) with `{{…}}` FEEL templates, or `=…` (a FEEL expression whose
 * result is shown as plain text).
 */
import { isExpression, stripExpression } from '../../engine/feel/feel.js';
import { elementId, type ComponentDefinition } from '../component.js';
import { displayText, parseTemplate, tryEvaluate } from '../expressions.js';
import { renderText } from '../markdown.js';
import type { TextComponent } from '../model.js';

/**
 * Whether a text's FEEL (`=…` or `{{…}}`) mentions a name of the form's values: only those texts can change
 * while the user types, so only they carry their source for the browser script. A name in a string literal
 * counts too; that costs an attribute, nothing else.
 */
function usesFormValues(text: string, names: ReadonlySet<string>): boolean {
  const feel = text.trimStart().startsWith('=')
    ? [text]
    : parseTemplate(text).flatMap((part) => ('expression' in part ? [part.expression] : []));
  return feel.some((expression) => (expression.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? []).some((name) => names.has(name)));
}

export const text: ComponentDefinition<TextComponent> = {
  type: 'text',
  kind: 'static',
  schema: (kit) =>
    kit.z.strictObject({
      ...kit.componentBase,
      type: kit.z.literal('text'),
      text: kit.z.string().superRefine((text, context) => {
        const problems = isExpression(text.trimStart())
          ? [kit.feelProblem(stripExpression(text.trimStart()))].filter((problem) => problem !== undefined)
          : kit.templateProblems(text);
        for (const message of problems) context.addIssue({ code: 'custom', message });
      }),
    }),
  label: () => undefined,
  translatable: () => ['text'],
  translate: (component, entry) => ({ ...component, text: entry.text ?? component.text }),
  // `template`: the text's source when it has FEEL in it, for the browser script to render it again.
  view: (component, { place, run, hidden, hideIf }) => ({
    hideIf,
    hidden,
    id: elementId('text', component, place.indexes),
    blocks: renderText(component.text, (expression) => displayText(tryEvaluate(expression, place.scope))),
    template: usesFormValues(component.text, run.names) ? component.text : undefined,
  }),
};
