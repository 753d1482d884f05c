/**
 * What the four option types (select, radio, checklist, taglist) share: reading a choice against static or
 * dynamic options, the option views, their translation and answer text. Each type's module says whether
 * it takes one option or several.
 */
import {
  displayValue,
  ownLabel,
  translateInput,
  type ComponentDefinition,
  type FieldOutcome,
  type OptionView,
} from '../component.js';
import { displayText, findOption, resolveOptions, type ResolvedOption } from '../expressions.js';
import type { ChoiceComponent } from '../model.js';

function isScalar(raw: unknown): raw is string | number | boolean {
  return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean';
}

/** The shape check of pass 1 for options that only pass 2 knows. */
function tentativeChoice(multiple: boolean, raw: unknown): FieldOutcome {
  if (raw === undefined || raw === null || raw === '') return {};
  if (multiple) {
    const list = Array.isArray(raw) ? raw : [raw];
    return list.every(isScalar) ? { value: list } : {};
  }
  return isScalar(raw) ? { value: raw } : {};
}

function checkChoice(
  component: ChoiceComponent,
  multiple: boolean,
  raw: unknown,
  options: readonly ResolvedOption[],
): FieldOutcome {
  const required = component.validate?.required === true;
  if (multiple) {
    const list = raw === undefined || raw === null || raw === '' ? [] : Array.isArray(raw) ? raw : [raw];
    if (!list.every(isScalar)) return { value: [], error: { code: 'invalidType' } };
    const chosen = new Set(list.filter((entry) => entry !== '').map(String));
    // In option order, each once; a value outside the options is reported and left out.
    const value = options.filter((option) => chosen.has(String(option.value))).map((option) => option.value);
    if (value.length < chosen.size) return { value, error: { code: 'invalidOption' } };
    if (required && value.length === 0) return { value, error: { code: 'required', params: { expected: 'choices' } } };
    return { value };
  }
  if (raw === undefined || raw === null || raw === '') {
    return required ? { error: { code: 'required', params: { expected: 'choice' } } } : {};
  }
  if (!isScalar(raw)) return { error: { code: 'invalidType' } };
  const option = findOption(options, raw);
  return option === undefined ? { error: { code: 'invalidOption' } } : { value: option.value };
}

function optionViews(options: readonly ResolvedOption[], stored: unknown, id: string): OptionView[] {
  const chosen = new Set((Array.isArray(stored) ? stored : [stored]).map(displayValue));
  return options.map((option, index) => ({
    id: index === 0 ? id : `${id}-${index + 1}`,
    value: String(option.value),
    valueType: typeof option.value === 'string' ? undefined : typeof option.value === 'number' ? 'number' : 'boolean',
    label: option.label,
    selected: chosen.has(String(option.value)),
  }));
}

/**
 * Everything of an option type's module but its type name and zod schema. `multiple`: the value is the
 * list of chosen option values (checklist, taglist); otherwise one option's value.
 */
export function optionBehaviour<C extends ChoiceComponent>(
  multiple: boolean,
): Omit<ComponentDefinition<C>, 'type' | 'schema'> {
  return {
    kind: 'input',
    label: ownLabel,
    translatable: (component) => (component.values ? ['label', 'description', 'values'] : ['label', 'description']),
    translate: (component, entry) => ({
      ...translateInput(component, entry),
      values: component.values?.map((option) => ({ ...option, label: entry.values?.[option.value] ?? option.label })),
    }),
    input: {
      textual: false,
      initial: (component) => (multiple ? (component.defaultValue ?? []) : component.defaultValue),
      // Static options are checked now; dynamic ones in pass 2, where their FEEL scope exists.
      read: (component, raw) =>
        component.values !== undefined
          ? checkChoice(component, multiple, raw, component.values)
          : tentativeChoice(multiple, raw),
      settle: (component, outcome, scope) =>
        component.values !== undefined
          ? outcome
          : checkChoice(component, multiple, outcome.value, resolveOptions(component, scope)),
      field: (component, { id, stored, place }) => ({
        options: optionViews(resolveOptions(component, place.scope), stored, id),
      }),
    },
    answer: (component, value, _locale, scope) => {
      const options = resolveOptions(component, scope);
      if (!multiple) return findOption(options, value)?.label ?? displayText(value);
      return (Array.isArray(value) ? value : [value])
        .map((entry) => findOption(options, entry)?.label ?? displayText(entry))
        .filter((text) => text !== '')
        .join(', ');
    },
  };
}
