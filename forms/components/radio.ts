/** `radio`: one option from a group of radio buttons (fieldset and legend). */
import type { ComponentDefinition } from '../component.js';
import { optionBehaviour } from './options.js';
import type { RadioComponent } from '../model.js';

export const radio: ComponentDefinition<RadioComponent> = {
  ...optionBehaviour<RadioComponent>(false),
  type: 'radio',
  schema: (kit) =>
    kit.z
      .strictObject({
        ...kit.inputBase,
        ...kit.optionSources,
        type: kit.z.literal('radio'),
        defaultValue: kit.z.string().optional(),
        validate: kit.choiceValidation.optional(),
      })
      .superRefine(kit.checkOptionSource),
};
