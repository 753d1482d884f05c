import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowserAssets } from './browser-assets.js';

let outDir: string;
let script: string;
let diagramScript: string;
let diagramStyles: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'lotse-assets-test-'));
  await buildBrowserAssets(outDir);
  const read = (file: string) => readFile(path.join(outDir, file), 'utf8');
  [script, diagramScript, diagramStyles] = await Promise.all([
    read('forms-live.js'),
    read('process-diagram.js'),
    read('process-diagram.css'),
  ]);
});

afterAll(() => rm(outDir, { recursive: true, force: true }));

describe('buildBrowserAssets', () => {
  it('bundles forms-live.js as one classic script, with nothing left to load', () => {
    // Booleans, not the script: a failure message would print 180 KB of it.
    expect(script.startsWith('"use strict";(()=>{'), 'an IIFE').toBe(true);
    expect(/\brequire\(|\bimport\(|^import\s/m.test(script), 'require() or import left in it').toBe(false);
  });

  // Most of it is feelin (and its Temporal polyfill); a jump means something else was pulled in.
  it('stays within its size budget', () => {
    expect(Buffer.byteLength(script)).toBeLessThan(220 * 1024);
  });

  it('bundles process-diagram.js (the bpmn-js viewer) as one classic script, its styles beside it', () => {
    expect(diagramScript.startsWith('"use strict";(()=>{'), 'an IIFE').toBe(true);
    expect(/\brequire\(|\bimport\(|^import\s/m.test(diagramScript), 'require() or import left in it').toBe(false);
    // diagram-js's and bpmn-js's own styles, which the CSP lets load only from /static.
    expect(diagramStyles.includes('.djs-container'), 'diagram-js.css').toBe(true);
    expect(diagramStyles.includes('.bjs-container'), 'bpmn-js.css').toBe(true);
    // Nothing the page would fetch from elsewhere (the one url() is a data: image, which the CSP allows).
    expect(/url\((?!['"]?data:)/.test(diagramStyles), 'a url() to load').toBe(false);
  });

  // bpmn-js's viewer with diagram-js and the moddle: 201 KB minified, 57 KB gzipped on 18.31.
  it('keeps the diagram viewer within its size budget', () => {
    expect(Buffer.byteLength(diagramScript)).toBeLessThan(240 * 1024);
  });
});
