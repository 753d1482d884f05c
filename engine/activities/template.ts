import type { Variables } from '../interpreter/types.js';

/** Fills `{{path.to.value}}` placeholders from case variables; unknown paths become empty. Plain text only. */
export function fillTemplate(template: string, variables: Variables): string {
  return template.replace(/\{\{\s*([\w.]+)\s*\}\}/g, (_match, path: string) => {
    const value = lookup(variables, path.split('.'));
    return value === undefined || value === null ? '' : String(value);
  });
}

function lookup(value: unknown, path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, key)) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
