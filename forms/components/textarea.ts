/** `textarea`: several lines of text; line breaks count as one character. */
import { ownLabel, translateInput, type ComponentDefinition } from '../component.js';
import { displayText } from '../expressions.js';
import { checkText } from './textfield.js';
import type { TextAreaComponent } from '../model.js';

export const textarea: ComponentDefinition<TextAreaComponent> = {
  type: 'textarea',
  kind: 'input',
  schema: (kit) =>
    kit.z.strictObject({
      ...kit.inputBase,
      type: kit.z.literal('textarea'),
      defaultValue: kit.z.string().optional(),
      validate: kit.textValidation.optional(),
    }),
  label: ownLabel,
  translatable: () => ['label', 'description'],
  translate: translateInput,
  input: {
    textual: true,
    initial: (component) => (component.defaultValue === '' ? undefined : component.defaultValue),
    read: (component, raw) => checkText(raw, component.validate ?? {}, undefined),
    field: () => ({}),
  },
  answer: (_component, value) => displayText(value),
};
