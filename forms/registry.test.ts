import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { SUPPORTED_COMPONENT_TYPES, definitionOfType } from './registry.js';

describe('the component registry', () => {
  it('finds each type module under its own type name', () => {
    expect(SUPPORTED_COMPONENT_TYPES.length).toBe(20);
    for (const type of SUPPORTED_COMPONENT_TYPES) expect(definitionOfType(type).type).toBe(type);
  });

  // The renderer compiles `partials/<type>.hbs` for every registered type: a new module without one fails here.
  it.each(SUPPORTED_COMPONENT_TYPES)('has a partial for %s', (type) => {
    expect(existsSync(fileURLToPath(new URL(`./partials/${type}.hbs`, import.meta.url)))).toBe(true);
  });

  // Only inputs have `input`; the validator, renderer and summary tell inputs apart by it.
  it.each(SUPPORTED_COMPONENT_TYPES)('gives %s input behaviour exactly when it is an input', (type) => {
    const definition = definitionOfType(type);
    expect(definition.input !== undefined).toBe(definition.kind === 'input');
  });
});

/** The files esbuild puts into a bundle of `entry` for the browser (no Node built-ins resolve there). */
async function bundledFiles(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'esm',
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

// The validator runs inside the case workflow (Temporal bundles it) and live.ts in the browser. The component
// modules build their zod schemas from the kit schema.ts passes in, so zod never comes along.
describe('the workflow and browser side of forms', () => {
  const isZod = (file: string) => /node_modules\/zod\//.test(file) || file.endsWith('forms/schema-kit.ts');

  it('bundles validate.ts with every component module and without zod', async () => {
    const files = await bundledFiles('./validate.ts');

    expect(files.filter((file) => file.includes('forms/components/')).length).toBe(
      SUPPORTED_COMPONENT_TYPES.length + 1,
    );
    expect(files.filter(isZod)).toEqual([]);
  });

  it('bundles live.ts (the core of the browser script) without zod', async () => {
    const files = await bundledFiles('./live.ts');

    expect(files.some((file) => file.endsWith('forms/live.ts'))).toBe(true);
    expect(files.filter(isZod)).toEqual([]);
  });
});
