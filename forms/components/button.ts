/** `button`: `submit` renders a submit button; `reset` a link that loads the form again. */
import { elementId, ownLabel, translateLabel, type ComponentDefinition } from '../component.js';
import type { ButtonComponent } from '../model.js';

export const button: ComponentDefinition<ButtonComponent> = {
  type: 'button',
  kind: 'static',
  schema: (kit) =>
    kit.z.strictObject({
      ...kit.componentBase,
      type: kit.z.literal('button'),
      label: kit.visibleText('buttons need a label'),
      action: kit.z.enum(['submit', 'reset']).optional(),
    }),
  label: ownLabel,
  translatable: () => ['label'],
  translate: translateLabel,
  view: (component, { place, hidden, hideIf }) => ({
    hideIf,
    hidden,
    id: elementId('button', component, place.indexes),
    label: component.label,
    submit: component.action !== 'reset',
  }),
};
