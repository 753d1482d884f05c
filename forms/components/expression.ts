/** `expression`: not shown; its value is computed with FEEL from the form's data (on submit, and live). */
import { elementId, ownLabel, translateLabel, type ComponentDefinition } from '../component.js';
import { displayText, jsonValue, tryEvaluate } from '../expressions.js';
import { formatPath, splitKey } from '../paths.js';
import type { ExpressionComponent } from '../model.js';

export const expression: ComponentDefinition<ExpressionComponent> = {
  type: 'expression',
  kind: 'computed',
  schema: (kit) =>
    kit.z.strictObject({
      ...kit.componentBase,
      key: kit.key,
      type: kit.z.literal('expression'),
      expression: kit.feel(),
      computeOn: kit.z.enum(['change', 'presubmit']).optional(),
      label: kit.shownText().optional(),
    }),
  label: ownLabel,
  translatable: () => ['label'],
  translate: translateLabel,
  // Shows nothing: it tells the browser script what to compute, and where the value goes.
  view: (component, { place, hidden, hideIf }) => ({
    hideIf,
    hidden,
    id: elementId('expression', component, place.indexes),
    expression: component.expression.replace(/^=\s*/, ''),
    path: formatPath([...place.base, ...splitKey(component.key)]),
  }),
  compute: (component, scope) => jsonValue(tryEvaluate(component.expression, scope)),
  answer: (_component, value) => displayText(value),
};
