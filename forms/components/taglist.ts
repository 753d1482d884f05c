/** `taglist`: like a checklist, and rendered as one (the no-JavaScript, accessible form of a tag list). */
import type { ComponentDefinition } from '../component.js';
import { optionBehaviour } from './options.js';
import type { TaglistComponent } from '../model.js';

export const taglist: ComponentDefinition<TaglistComponent> = {
  ...optionBehaviour<TaglistComponent>(true),
  type: 'taglist',
  schema: (kit) =>
    kit.z
      .strictObject({
        ...kit.inputBase,
        ...kit.optionSources,
        type: kit.z.literal('taglist'),
        defaultValue: kit.z.array(kit.z.string()).optional(),
        validate: kit.choiceValidation.optional(),
      })
      .superRefine(kit.checkOptionSource),
};
