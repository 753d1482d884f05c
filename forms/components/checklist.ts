/** `checklist`: several options; the value is the list of chosen option values. `required`: at least one. */
import type { ComponentDefinition } from '../component.js';
import { optionBehaviour } from './options.js';
import type { ChecklistComponent } from '../model.js';

export const checklist: ComponentDefinition<ChecklistComponent> = {
  ...optionBehaviour<ChecklistComponent>(true),
  type: 'checklist',
  schema: (kit) =>
    kit.z
      .strictObject({
        ...kit.inputBase,
        ...kit.optionSources,
        type: kit.z.literal('checklist'),
        defaultValue: kit.z.array(kit.z.string()).optional(),
        validate: kit.choiceValidation.optional(),
      })
      .superRefine(kit.checkOptionSource),
};
