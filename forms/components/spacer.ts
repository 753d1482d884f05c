/** `spacer`: vertical space. */
import { elementId, type ComponentDefinition } from '../component.js';
import type { SpacerComponent } from '../model.js';

export const spacer: ComponentDefinition<SpacerComponent> = {
  type: 'spacer',
  kind: 'static',
  schema: (kit) =>
    kit.z.strictObject({
      ...kit.componentBase,
      type: kit.z.literal('spacer'),
      height: kit.z.int().min(0).max(2000).optional(),
    }),
  label: () => undefined,
  translatable: () => [],
  translate: (component) => component,
  view: (component, { place, hidden, hideIf }) => ({
    hideIf,
    hidden,
    id: elementId('spacer', component, place.indexes),
    height: component.height ?? 60,
  }),
};
