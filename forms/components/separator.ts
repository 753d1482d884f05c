/** `separator`: a horizontal rule. */
import { elementId, type ComponentDefinition } from '../component.js';
import type { SeparatorComponent } from '../model.js';

export const separator: ComponentDefinition<SeparatorComponent> = {
  type: 'separator',
  kind: 'static',
  schema: (kit) => kit.z.strictObject({ ...kit.componentBase, type: kit.z.literal('separator') }),
  label: () => undefined,
  translatable: () => [],
  translate: (component) => component,
  view: (component, { place, hidden, hideIf }) => ({
    hideIf,
    hidden,
    id: elementId('separator', component, place.indexes),
  }),
};
