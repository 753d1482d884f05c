/** `checkbox`: one box, a boolean; `required` means it must be ticked (a confirmation). */
import { ownLabel, translateInput, type ComponentDefinition } from '../component.js';
import type { CheckboxComponent } from '../model.js';

const YES_NO = { de: ['Ja', 'Nein'], en: ['Yes', 'No'] } as const;

function checkboxState(raw: unknown): boolean | undefined {
  if (raw === true || raw === 'true' || raw === 'on') return true;
  if (raw === false || raw === 'false' || raw === '' || raw === undefined || raw === null) return false;
  return undefined;
}

export const checkbox: ComponentDefinition<CheckboxComponent> = {
  type: 'checkbox',
  kind: 'input',
  schema: (kit) =>
    kit.z.strictObject({
      ...kit.inputBase,
      type: kit.z.literal('checkbox'),
      defaultValue: kit.z.boolean().optional(),
      validate: kit.choiceValidation.optional(),
    }),
  label: ownLabel,
  translatable: () => ['label', 'description'],
  translate: translateInput,
  input: {
    textual: false,
    initial: (component) => component.defaultValue ?? false,
    read: (component, raw) => {
      const ticked = checkboxState(raw);
      if (ticked === undefined) return { error: { code: 'invalidType' } };
      if (!ticked && component.validate?.required) {
        return { value: false, error: { code: 'required', params: { expected: 'confirmation' } } };
      }
      return { value: ticked };
    },
    field: () => ({}),
  },
  answer: (_component, value, locale) => (value === true ? YES_NO[locale][0] : YES_NO[locale][1]),
};
