/**
 * `npm run licenses`: the licence of every package that ships with Lotse (the production dependency tree,
 * `npm ls --omit=dev --all`), checked against what may be combined with Lotse's own EUPL-1.2.
 * Exit 1 names each package whose licence is not on the allow-list and not excepted with a reason.
 * `--markdown` prints the result as the table in docs/LICENSES.md.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

/**
 * Permissive licences (and MPL-2.0, file-level copyleft, named in the EUPL's appendix): their code may be
 * distributed as part of an EUPL-1.2 work. Copyleft that would reach Lotse's own code (GPL, AGPL), source-
 * available (SSPL, BUSL) and commercial licences are not here, so they fail like an unknown licence.
 */
export const ALLOWED_LICENSES: ReadonlySet<string> = new Set([
  '0BSD',
  'Apache-2.0',
  'BlueOak-1.0.0',
  'BSD-2-Clause',
  'BSD-3-Clause',
  'CC-BY-4.0',
  'CC0-1.0',
  'ISC',
  'MIT',
  'MIT-0',
  'MPL-2.0',
  // Fonts embedded in generated PDFs (DejaVu Sans): may be embedded and shipped with any software.
  'OFL-1.1',
  'PostgreSQL',
  'Python-2.0',
  'Unlicense',
  'Zlib',
]);

/** The bpmn.io licence of the designer's editors (form-js, dmn-js), like bpmn-js's: MIT terms plus a visible watermark. */
const BPMN_IO_DESIGNER =
  'declares "SEE LICENSE IN LICENSE": the bpmn.io licence, MIT terms plus the condition that the bpmn.io ' +
  "watermark stays visible; the designer's form and decision editors keep it (designer.e2e)";

/**
 * Packages (`name@version`, so a new version is looked at again) whose package.json declares no licence (or
 * only points to a file), with the licence found by reading the package and why it is fine.
 */
export const LICENSE_EXCEPTIONS: ReadonlyMap<string, { license: string; reason: string }> = new Map([
  [
    'png-js@2.0.0',
    { license: 'MIT', reason: 'no licence field; its LICENSE file is the MIT licence (pdfkit uses it)' },
  ],
  [
    'bpmn-js@18.31.1',
    {
      license: 'MIT',
      reason:
        'declares "SEE LICENSE IN LICENSE": the bpmn.io licence, MIT terms plus the condition that the bpmn.io ' +
        'watermark in rendered diagrams stays visible; the staff case view keeps it (caseworker-workspace.e2e)',
    },
  ],
  ['@bpmn-io/form-js-editor@1.23.0', { license: 'MIT', reason: BPMN_IO_DESIGNER }],
  ['@bpmn-io/form-js-viewer@1.23.0', { license: 'MIT', reason: BPMN_IO_DESIGNER }],
  ['dmn-js@17.10.2', { license: 'MIT', reason: BPMN_IO_DESIGNER }],
  ['dmn-js-boxed-expression@17.10.2', { license: 'MIT', reason: BPMN_IO_DESIGNER }],
  ['dmn-js-decision-table@17.13.0', { license: 'MIT', reason: BPMN_IO_DESIGNER }],
  ['dmn-js-drd@17.13.0', { license: 'MIT', reason: BPMN_IO_DESIGNER }],
  ['dmn-js-literal-expression@17.13.0', { license: 'MIT', reason: BPMN_IO_DESIGNER }],
  ['dmn-js-shared@17.13.0', { license: 'MIT', reason: BPMN_IO_DESIGNER }],
  [
    'cli-table@0.3.11',
    { license: 'MIT', reason: 'no licence field; its LICENSE file is the MIT licence (bpmnlint uses it)' },
  ],
  [
    'unionfs@4.6.0',
    {
      license: 'Unlicense',
      reason: 'no licence field; its LICENSE file is the Unlicense (@temporalio/worker uses it)',
    },
  ],
]);

export interface InstalledPackage {
  name: string;
  version: string;
  /** The `license` field: an SPDX expression, or the legacy `licenses: [{ type }]` list. */
  license?: unknown;
  licenses?: unknown;
}

export interface LicenseVerdict {
  name: string;
  version: string;
  /** The SPDX expression as declared, or `UNKNOWN`. */
  license: string;
  ok: boolean;
  /** Why a package fails, or why its licence is known although its package.json does not declare it. */
  note?: string;
}

/** The declared licence as one SPDX expression; legacy lists are alternatives (`(MIT OR Apache-2.0)`). */
export function declaredLicense(pkg: InstalledPackage): string | undefined {
  if (typeof pkg.license === 'string' && pkg.license.trim() !== '') return pkg.license.trim();
  if (typeof pkg.license === 'object' && pkg.license !== null && 'type' in pkg.license) {
    if (typeof pkg.license.type === 'string') return pkg.license.type;
  }
  if (Array.isArray(pkg.licenses)) {
    const types = pkg.licenses.flatMap((entry: unknown) =>
      typeof entry === 'object' && entry !== null && 'type' in entry && typeof entry.type === 'string'
        ? [entry.type]
        : [],
    );
    if (types.length > 0) return types.length === 1 ? types[0] : `(${types.join(' OR ')})`;
  }
  return undefined;
}

/**
 * Whether an SPDX expression is satisfied by the allowed licences: `OR` needs one side, `AND` both,
 * `X WITH exception` counts as X, `X+` as X. Anything that does not parse is not satisfied.
 */
export function satisfies(expression: string, allowed: ReadonlySet<string> = ALLOWED_LICENSES): boolean {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let position = 0;
  const peek = () => tokens[position];
  const next = () => tokens[position++];

  // or := and ('OR' and)* ; and := term ('AND' term)* ; term := '(' or ')' | id ['WITH' id]
  function or(): boolean | undefined {
    let result = and();
    while (result !== undefined && peek()?.toUpperCase() === 'OR') {
      next();
      const right = and();
      result = right === undefined ? undefined : result || right;
    }
    return result;
  }
  function and(): boolean | undefined {
    let result = term();
    while (result !== undefined && peek()?.toUpperCase() === 'AND') {
      next();
      const right = term();
      result = right === undefined ? undefined : result && right;
    }
    return result;
  }
  function term(): boolean | undefined {
    const token = next();
    if (token === undefined || token === ')' || /^(AND|OR|WITH)$/i.test(token)) return undefined;
    if (token === '(') {
      const inner = or();
      return next() === ')' ? inner : undefined;
    }
    if (peek()?.toUpperCase() === 'WITH') {
      next();
      if (next() === undefined) return undefined;
    }
    return allowed.has(token.replace(/\+$/, ''));
  }

  const result = or();
  return result === true && position === tokens.length;
}

/** One verdict per package: allowed licence, excepted with a reason, or a failure saying why. */
export function judge(
  pkg: InstalledPackage,
  allowed: ReadonlySet<string> = ALLOWED_LICENSES,
  exceptions: ReadonlyMap<string, { license: string; reason: string }> = LICENSE_EXCEPTIONS,
): LicenseVerdict {
  const exception = exceptions.get(`${pkg.name}@${pkg.version}`);
  const license = exception?.license ?? declaredLicense(pkg) ?? 'UNKNOWN';
  const base = { name: pkg.name, version: pkg.version, license, ...(exception && { note: exception.reason }) };
  if (license === 'UNKNOWN') return { ...base, ok: false, note: 'no licence declared' };
  if (satisfies(license, allowed)) return { ...base, ok: true };
  return { ...base, ok: false, note: `${license} is not on the allow-list (engine/cli/licenses.ts)` };
}

interface NpmLsNode {
  version?: string;
  path?: string;
  missing?: boolean;
  dependencies?: Record<string, NpmLsNode>;
}

/**
 * The installed packages of `npm ls --omit=dev --all --long --json`, once per name and version. Optional
 * packages for other platforms (`@swc/core-darwin-arm64`, …) are listed by npm without a version: not
 * installed here, so not judged.
 */
export function installedPackages(tree: NpmLsNode): { name: string; version: string; path: string }[] {
  const found = new Map<string, { name: string; version: string; path: string }>();
  const walk = (dependencies: Record<string, NpmLsNode> | undefined) => {
    for (const [name, node] of Object.entries(dependencies ?? {})) {
      if (node.version === undefined || node.path === undefined || node.missing) continue;
      const key = `${name}@${node.version}`;
      if (found.has(key)) continue;
      found.set(key, { name, version: node.version, path: node.path });
      walk(node.dependencies);
    }
  };
  walk(tree.dependencies);
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version));
}

/** The production dependency tree of the project in `root`. */
export async function productionTree(root: string): Promise<NpmLsNode> {
  // npm ls exits 1 for problems such as an extraneous package, and still prints the tree.
  const { stdout } = await promisify(execFile)('npm', ['ls', '--omit=dev', '--all', '--long', '--json'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
  }).catch((error: { stdout?: string }) => {
    if (!error.stdout) throw error;
    return { stdout: error.stdout };
  });
  const tree: NpmLsNode = JSON.parse(stdout);
  return tree;
}

/** The licence fields of an installed package's package.json (npm ls drops the legacy `licenses` list). */
export async function readPackage(installed: {
  name: string;
  version: string;
  path: string;
}): Promise<InstalledPackage> {
  const manifest: { license?: unknown; licenses?: unknown } = JSON.parse(
    await readFile(path.join(installed.path, 'package.json'), 'utf8'),
  );
  return { name: installed.name, version: installed.version, license: manifest.license, licenses: manifest.licenses };
}

/** The verdicts grouped by licence, most used first: one line (or markdown row) per licence. */
export function report(verdicts: LicenseVerdict[], format: 'text' | 'markdown'): string {
  const byLicense = new Map<string, LicenseVerdict[]>();
  for (const verdict of verdicts) byLicense.set(verdict.license, [...(byLicense.get(verdict.license) ?? []), verdict]);
  const groups = [...byLicense.entries()].sort((a, b) => b[1].length - a[1].length || a[0].localeCompare(b[0]));
  const failures = verdicts.filter((verdict) => !verdict.ok);
  const lines: string[] = [];
  if (format === 'markdown') {
    lines.push('| Licence | Packages | Allowed | Which |', '| --- | ---: | --- | --- |');
    for (const [license, group] of groups) {
      const names = [...new Set(group.map((verdict) => verdict.name))];
      const which = names.length > 8 ? `${names.slice(0, 8).join(', ')}, …` : names.join(', ');
      lines.push(`| ${license} | ${group.length} | ${group.every((v) => v.ok) ? 'yes' : '**no**'} | ${which} |`);
    }
  } else {
    for (const [license, group] of groups) {
      lines.push(`${group.every((v) => v.ok) ? 'ok  ' : 'FAIL'} ${license}: ${group.length}`);
    }
    for (const verdict of failures) lines.push(`FAIL ${verdict.name}@${verdict.version}: ${verdict.note}`);
    for (const verdict of verdicts.filter((v) => v.ok && v.note)) {
      lines.push(`ok   ${verdict.name}@${verdict.version} (${verdict.license}): ${verdict.note}`);
    }
    lines.push(
      failures.length === 0
        ? `${verdicts.length} packages ship with Lotse; every licence may be combined with EUPL-1.2.`
        : `${failures.length} of ${verdicts.length} packages have a licence that is not allowed or not known.`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const root = path.resolve(import.meta.dirname, '../..');
  const packages = await Promise.all(installedPackages(await productionTree(root)).map(readPackage));
  const verdicts = packages.map((pkg) => judge(pkg));
  console.log(report(verdicts, process.argv.includes('--markdown') ? 'markdown' : 'text'));
  return verdicts.every((verdict) => verdict.ok) ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main();
}
