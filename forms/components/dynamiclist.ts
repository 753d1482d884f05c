/**
 * `dynamiclist`: a repeating group; its value is a list of objects under `path`, one per item. Without
 * JavaScript, adding and removing items are submit buttons named `_action` (actions.ts applies them).
 */
import { elementId, nonEmpty, ownLabel, translateLabel, type ComponentDefinition } from '../component.js';
import { itemScope } from '../expressions.js';
import { LIST_ITEM_MARKER, formatPath, isRecord, readPath, splitKey, type PathSegment } from '../paths.js';
import type { DynamicListComponent, Shell } from '../model.js';

/** The `value` of a list's add button. */
export function addActionValue(listPath: readonly PathSegment[]): string {
  return `add:${formatPath(listPath)}`;
}

/** The `value` of a list item's remove button. */
export function removeActionValue(listPath: readonly PathSegment[], index: number): string {
  return `remove:${formatPath(listPath)}:${index}`;
}

export const dynamiclist: ComponentDefinition<DynamicListComponent, Shell<DynamicListComponent>> = {
  type: 'dynamiclist',
  kind: 'container',
  schema: (kit) => {
    const { z } = kit;
    return z.strictObject({
      ...kit.containerShape,
      type: z.literal('dynamiclist'),
      path: kit.listPath,
      isRepeating: z
        .literal(true, { error: 'only repeating dynamic lists (isRepeating: true) are supported' })
        .optional(),
      defaultRepetitions: z.int().min(0).max(100).optional(),
      allowAddRemove: z.boolean().optional(),
      disableCollapse: z.boolean().optional(),
      nonCollapsedItems: z.int().nonnegative().optional(),
    });
  },
  label: ownLabel,
  translatable: () => ['label'],
  translate: translateLabel,
  view: (component, { place, run, hidden, hideIf, renderChildren }) => {
    const path = [...place.base, ...splitKey(component.path)];
    const stored = readPath(run.state.values, path);
    const items = Array.isArray(stored) ? stored : [];
    const label = nonEmpty(component.label);
    const actions = component.allowAddRemove !== false;
    return {
      id: elementId('list', component, place.indexes),
      hideIf,
      hidden,
      legend: label,
      outline: component.showOutline !== false,
      path: formatPath(path),
      items: items.map((item, index) => {
        const indexes = [...place.indexes, index];
        const itemPath = [...path, index];
        const legend = run.text.item(label, index + 1);
        const data = isRecord(item) ? item : {};
        return {
          id: elementId('list', component, indexes),
          legend,
          marker: formatPath([...itemPath, LIST_ITEM_MARKER]),
          children: renderChildren(component.components, {
            base: itemPath,
            indexes,
            scope: itemScope(place.scope, data, indexes),
          }),
          remove: actions ? { value: removeActionValue(path, index), text: run.text.remove(legend) } : undefined,
        };
      }),
      add: actions ? { value: addActionValue(path), text: run.text.add(label) } : undefined,
      emptyText: run.text.noEntries,
    };
  },
};
