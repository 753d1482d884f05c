/**
 * What the start steps need to know about their forms: where values live, which fields take files.
 * Pure, over the parsed form's component tree.
 */
import { splitKey } from '../../forms/paths.js';
import type { FormComponent, FormSchema } from '../../forms/schema.js';

type Components = Pick<FormSchema, 'components'>;

export interface FileField {
  id: string;
  /** The field's data path (`sitePlan`, `documents.sitePlan` in a group): its value's place and its controls' name. */
  name: string;
  label: string;
  accept?: string;
  multiple: boolean;
}

interface Walked {
  component: FormComponent;
  /** Data path of the component's value (group paths included); undefined inside dynamic lists. */
  path: string | undefined;
}

function walk(components: readonly FormComponent[], prefix: string[] | undefined): Walked[] {
  return components.flatMap((component): Walked[] => {
    if (component.type === 'group') {
      return [
        { component, path: undefined },
        ...walk(component.components, prefix && [...prefix, ...splitKey(component.path)]),
      ];
    }
    // Items of a dynamic list have no fixed path of their own.
    if (component.type === 'dynamiclist')
      return [{ component, path: undefined }, ...walk(component.components, undefined)];
    const key = 'key' in component && typeof component.key === 'string' ? component.key : undefined;
    return [{ component, path: prefix && key ? [...prefix, ...splitKey(key)].join('.') : undefined }];
  });
}

/** The file fields (filepicker components) of a form, also inside groups; their values are lists of document ids. */
export function fileFieldsOf(form: Components): FileField[] {
  return walk(form.components, []).flatMap(({ component, path }): FileField[] =>
    component.type === 'filepicker' && path !== undefined
      ? [
          {
            id: component.id,
            name: path,
            label: component.label,
            accept: component.accept,
            multiple: component.multiple === true,
          },
        ]
      : [],
  );
}

/** Whether a file field sits inside a dynamic list (start steps do not take those yet). */
export function hasListedFileField(form: Components): boolean {
  return walk(form.components, []).some(({ component, path }) => component.type === 'filepicker' && path === undefined);
}

/** Data paths of the form's keyed fields outside dynamic lists (`subject`, `site.street`). */
export function dataPathsOf(form: Components): string[] {
  return walk(form.components, []).flatMap(({ component, path }) =>
    path !== undefined && component.type !== 'group' ? [path] : [],
  );
}

/**
 * The top-level names a form's values live under (`subject`; `site` for a group with path `site`;
 * `contacts` for a dynamic list). A step owns these names in the draft: saving it replaces them.
 */
export function rootKeysOf(form: Components): Set<string> {
  const roots = new Set<string>();
  const visit = (components: readonly FormComponent[]) => {
    for (const component of components) {
      if (component.type === 'group' && !component.path) visit(component.components);
      else if (component.type === 'group' || component.type === 'dynamiclist') {
        const [root] = splitKey(component.path);
        if (root) roots.add(root);
      } else if ('key' in component && typeof component.key === 'string') {
        const [root] = splitKey(component.key);
        if (root) roots.add(root);
      }
    }
  };
  visit(form.components);
  return roots;
}
