import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { declaredLicense, installedPackages, judge, productionTree, readPackage, satisfies } from './licenses.js';

// Invariant: a package ships with Lotse only under a licence that may be combined with EUPL-1.2 — an SPDX
// expression is read as SPDX means it (OR: either side, AND: both), and copyleft, commercial and undeclared
// licences fail unless excepted by name and version with the licence found in the package.

describe('satisfies', () => {
  it.each([
    ['MIT', true],
    ['Apache-2.0 AND MIT', true],
    ['(MIT OR GPL-3.0-only)', true],
    ['GPL-2.0-or-later OR BSD-3-Clause', true],
    ['Apache-2.0 WITH LLVM-exception', true],
    ['(MIT AND (BSD-2-Clause OR AGPL-3.0-only))', true],
    ['MIT AND GPL-3.0-only', false],
    ['AGPL-3.0-only', false],
    ['GPL-3.0', false],
    ['SSPL-1.0', false],
    ['BUSL-1.1', false],
    ['UNLICENSED', false],
    ['SEE LICENSE IN LICENSE.txt', false],
    ['(MIT', false],
    ['MIT OR', false],
    ['', false],
  ])('%s → %s', (expression, expected) => {
    expect(satisfies(expression)).toBe(expected);
  });
});

describe('declaredLicense', () => {
  it('reads the SPDX field, the old object form and the legacy list (as alternatives)', () => {
    expect(declaredLicense({ name: 'a', version: '1.0.0', license: 'ISC' })).toBe('ISC');
    expect(declaredLicense({ name: 'a', version: '1.0.0', license: { type: 'MIT', url: 'x' } })).toBe('MIT');
    expect(declaredLicense({ name: 'a', version: '1.0.0', licenses: [{ type: 'MIT' }, { type: 'Apache-2.0' }] })).toBe(
      '(MIT OR Apache-2.0)',
    );
    expect(declaredLicense({ name: 'a', version: '1.0.0' })).toBeUndefined();
  });
});

describe('judge', () => {
  const exceptions = new Map([['quiet@1.0.0', { license: 'MIT', reason: 'its LICENSE file is MIT' }]]);

  it('fails a package without a licence, and one with a licence off the allow-list, saying why', () => {
    expect(judge({ name: 'quiet', version: '2.0.0' }, undefined, exceptions)).toMatchObject({
      ok: false,
      license: 'UNKNOWN',
      note: 'no licence declared',
    });
    expect(judge({ name: 'strong', version: '1.0.0', license: 'AGPL-3.0-only' })).toMatchObject({
      ok: false,
      note: expect.stringContaining('AGPL-3.0-only is not on the allow-list'),
    });
  });

  it('passes an exception only for its version, with the licence found and the reason', () => {
    expect(judge({ name: 'quiet', version: '1.0.0' }, undefined, exceptions)).toEqual({
      name: 'quiet',
      version: '1.0.0',
      license: 'MIT',
      ok: true,
      note: 'its LICENSE file is MIT',
    });
  });

  it('fails an exception whose licence is itself not allowed', () => {
    const gpl = new Map([['quiet@1.0.0', { license: 'GPL-3.0-only', reason: 'read the source' }]]);
    expect(judge({ name: 'quiet', version: '1.0.0' }, undefined, gpl).ok).toBe(false);
  });
});

describe('installedPackages', () => {
  it('lists each installed name and version once, skipping packages for other platforms', () => {
    const tree = {
      dependencies: {
        a: { version: '1.0.0', path: '/n/a', dependencies: { c: { version: '3.0.0', path: '/n/c' } } },
        b: { version: '2.0.0', path: '/n/b', dependencies: { c: { version: '3.0.0', path: '/n/c' } } },
        'a-darwin-arm64': {},
      },
    };
    expect(installedPackages(tree).map(({ name, version }) => `${name}@${version}`)).toEqual([
      'a@1.0.0',
      'b@2.0.0',
      'c@3.0.0',
    ]);
  });
});

describe('the packages that ship with Lotse', () => {
  it('all have a licence that may be combined with EUPL-1.2 (npm run licenses)', async () => {
    const root = path.resolve(import.meta.dirname, '../..');
    const packages = await Promise.all(installedPackages(await productionTree(root)).map(readPackage));
    expect(packages.length).toBeGreaterThan(50);
    expect(packages.map((pkg) => judge(pkg)).filter((verdict) => !verdict.ok)).toEqual([]);
  }, 30_000);
});
