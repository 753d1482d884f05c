import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowserAssets } from './browser-assets.js';

let outDir: string;
let script: string;

beforeAll(async () => {
  outDir = await mkdtemp(path.join(tmpdir(), 'lotse-assets-test-'));
  await buildBrowserAssets(outDir);
  script = await readFile(path.join(outDir, 'forms-live.js'), 'utf8');
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
});
