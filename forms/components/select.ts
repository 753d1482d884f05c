/** `select`: one option from a native drop-down. */
import type { ComponentDefinition } from '../component.js';
import { optionBehaviour } from './options.js';
import type { SelectComponent } from '../model.js';

export const select: ComponentDefinition<SelectComponent> = {
  ...optionBehaviour<SelectComponent>(false),
  type: 'select',
  schema: (kit) =>
    kit.z
      .strictObject({
        ...kit.inputBase,
        ...kit.optionSources,
        type: kit.z.literal('select'),
        defaultValue: kit.z.string().optional(),
        searchable: kit.z.boolean().optional(),
        validate: kit.choiceValidation.optional(),
      })
      .superRefine(kit.checkOptionSource),
};
