/** `group`: its children's values go under `path` (dot-separated) when it has one; a legend when it has a label. */
import { elementId, nonEmpty, ownLabel, translateLabel, type ComponentDefinition } from '../component.js';
import { splitKey } from '../paths.js';
import type { GroupComponent, Shell } from '../model.js';

export const group: ComponentDefinition<GroupComponent, Shell<GroupComponent>> = {
  type: 'group',
  kind: 'container',
  schema: (kit) =>
    kit.z.strictObject({
      ...kit.containerShape,
      type: kit.z.literal('group'),
      path: kit.groupPath.optional(),
    }),
  label: ownLabel,
  translatable: () => ['label'],
  translate: translateLabel,
  view: (component, { place, hidden, hideIf, renderChildren }) => ({
    id: elementId('group', component, place.indexes),
    hideIf,
    hidden,
    legend: nonEmpty(component.label),
    outline: component.showOutline === true,
    children: renderChildren(component.components, { ...place, base: [...place.base, ...splitKey(component.path)] }),
  }),
};
