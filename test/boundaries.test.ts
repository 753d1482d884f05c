import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// Invariant: `npm run lint` fails on a forbidden import in any folder, naming the rule, and passes the imports
// the folder READMEs allow. The check runs exactly as `npm run lint:deps` does (the script from package.json,
// the repository's rule files) on small synthetic trees in a temporary folder, so the working tree is untouched.

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'node_modules', '.bin');
const SCRIPTS = (
  JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }
).scripts;
const LINT_DEPS = SCRIPTS['lint:deps'] ?? '';
const source = (...lines: string[]) => `${lines.join('\n')}\n`;
const FOLDERS = ['engine', 'forms', 'workflows', 'portal', 'admin', 'bench', 'test', 'bin'];

const temporaryFolders: string[] = [];
afterAll(() => {
  for (const folder of temporaryFolders) rmSync(folder, { recursive: true, force: true });
});

/** A project folder with the repository's rule files and tsconfig, the given files and stub npm packages. */
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'lotse-boundaries-'));
  temporaryFolders.push(root);
  for (const name of ['.dependency-cruiser.cjs', '.dependency-cruiser.bundles.cjs', 'tsconfig.json']) {
    copyFileSync(path.join(ROOT, name), path.join(root, name));
  }
  const stubs = Object.fromEntries(
    ['pg', 'zod', 'drizzle-orm'].flatMap((name) => [
      [`node_modules/${name}/package.json`, JSON.stringify({ name, type: 'module', exports: './index.js' })],
      [`node_modules/${name}/index.js`, 'export const stub = 1;\n'],
    ]),
  );
  const placeholders = Object.fromEntries(FOLDERS.map((folder) => [`${folder}/placeholder.ts`, 'export {};\n']));
  const entryPoints = {
    'workflows/index.ts': 'export {};\n',
    'forms/browser/forms-live.ts': 'export {};\n',
    'admin/browser/process-diagram.ts': 'export {};\n',
    // The designer's editors (issue 10): entry points `npm run lint:deps` names.
    'admin/browser/designer-modeler.ts': 'export {};\n',
    'admin/browser/designer-form.ts': 'export {};\n',
    'admin/browser/designer-dmn.ts': 'export {};\n',
  };
  for (const [file, text] of Object.entries({ ...placeholders, ...entryPoints, ...stubs, ...files })) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

interface Violation {
  rule: string;
  from: string;
  to: string;
}

/** Runs `npm run lint:deps`'s command in `root`: its exit code and the violations it names. */
async function lintDeps(root: string): Promise<{ exitCode: number; violations: Violation[]; output: string }> {
  const result = await promisify(execFile)('sh', ['-c', LINT_DEPS], {
    cwd: root,
    env: { ...process.env, PATH: `${BIN}${path.delimiter}${process.env.PATH ?? ''}`, NO_COLOR: '1' },
  }).then(
    ({ stdout }) => ({ exitCode: 0, output: stdout }),
    (error: { code: number; stdout: string; stderr: string }) => ({
      exitCode: error.code,
      output: error.stdout + error.stderr,
    }),
  );
  // `error rule: from → to`; a cycle continues on the next lines (`→ b →\n a`): its first step is `to`.
  const reported = result.output.matchAll(/^\s*error ([\w-]+): (\S+) →\s+(\S+)/gm);
  const violations = [...reported].map(([, rule, from, to]) => ({ rule: rule!, from: from!, to: to! }));
  return { ...result, violations };
}

const sorted = (violations: Violation[]) =>
  [...violations].sort((a, b) => `${a.rule} ${a.from} ${a.to}`.localeCompare(`${b.rule} ${b.from} ${b.to}`));

describe('npm run lint:deps', () => {
  it('is what npm run lint runs', () => {
    expect(SCRIPTS['lint']).toContain('npm run lint:deps');
    expect(LINT_DEPS).toContain('--config .dependency-cruiser.cjs');
  });

  it('passes the imports the READMEs allow, including types where they may cross', async () => {
    const root = tree({
      'engine/feel/feel.ts': 'export const evaluate = 1;\n',
      'engine/model/process-model.ts': "import { evaluate } from '../feel/feel.js';\nexport const group = evaluate;\n",
      'engine/interpreter/interpret.ts': source(
        "import { group } from '../model/process-model.js';",
        "import { flow } from './flow.js';",
        'export const step = group + flow;',
      ),
      // The interpreter's own files may recurse into each other.
      'engine/interpreter/flow.ts':
        "import { step } from './interpret.js';\nexport const flow = 1;\nexport const again = () => step;\n",
      'engine/db/schema.ts':
        "import type { group } from '../model/process-model.js';\nexport type Column = typeof group;\n",
      'engine/repositories/case.repository.ts': source(
        "import type { Column } from '../db/schema.js';",
        'export interface CaseRow { column: Column }',
        'export const cases = 1;',
      ),
      'engine/services/case.service.ts':
        "import { cases } from '../repositories/case.repository.js';\nexport const listCases = () => cases;\n",
      'portal/portal.routes.ts': source(
        "import { listCases } from '../engine/services/case.service.js';",
        "import type { CaseRow } from '../engine/repositories/case.repository.js';",
        'export const route = (row: CaseRow) => [row, listCases()];',
      ),
      'workflows/case.workflow.ts':
        "import { step } from '../engine/interpreter/interpret.js';\nexport const caseWorkflow = () => step;\n",
      'workflows/index.ts': "export { caseWorkflow } from './case.workflow.js';\n",
      // zod only as a type in the validator's reach: erased, so not in the workflow bundle.
      'forms/validate.ts':
        "import type { stub } from 'zod';\nexport type Kit = typeof stub;\nexport const validate = 1;\n",
    });
    const { exitCode, violations, output } = await lintDeps(root);
    expect(violations, output).toEqual([]);
    expect(exitCode, output).toBe(0);
  }, 60_000);

  it('fails on a forbidden import in every folder (type-only ones too), naming rule, importer and target', async () => {
    const targets = {
      'engine/model/process-model.ts': 'export const group = 1;\n',
      'engine/interpreter/types.ts': 'export type Variables = Record<string, unknown>;\n',
      'engine/db/database.ts': 'export const db = 1;\n',
      'engine/repositories/case.repository.ts': 'export const cases = 1;\nexport type CaseRow = { id: string };\n',
      'engine/services/case.service.ts': 'export const listCases = 1;\nexport type Summary = { id: string };\n',
      'engine/web/views.ts': 'export const render = 1;\n',
      'engine/main/system.ts': 'export const system = 1;\n',
      'admin/admin.routes.ts': 'export const staffRoutes = 1;\n',
      'portal/portal.routes.ts': 'export const portalRoutes = 1;\n',
    };
    const forbidden: Record<string, { imports: string; rules: string[] }[]> = {
      'engine/interpreter/reads-db.ts': [
        {
          imports: "import { db } from '../db/database.js';",
          rules: ['pure-core-no-shells', 'interpreter-imports-model-feel-dmn'],
        },
      ],
      'engine/interpreter/types-of-a-service.ts': [
        {
          imports: "import type { Summary } from '../services/case.service.js';",
          rules: ['pure-core-no-shells', 'interpreter-imports-model-feel-dmn'],
        },
      ],
      'engine/model/uses-interpreter.ts': [
        { imports: "import type { Variables } from '../interpreter/types.js';", rules: ['model-not-interpreter'] },
      ],
      'engine/feel/uses-interpreter.ts': [
        {
          imports: "import type { Variables } from '../interpreter/types.js';",
          rules: ['feel-imports-nothing-of-ours'],
        },
      ],
      'engine/case/reads-repository.ts': [
        {
          imports: "import { cases } from '../repositories/case.repository.js';",
          rules: ['pure-core-no-shells', 'case-imports-cores'],
        },
      ],
      'engine/db/uses-services.ts': [
        { imports: "import type { Summary } from '../services/case.service.js';", rules: ['db-not-services'] },
      ],
      'engine/repositories/uses-services.ts': [
        { imports: "import { listCases } from '../services/case.service.js';", rules: ['repositories-import-db'] },
      ],
      'engine/services/renders.ts': [
        { imports: "import { render } from '../web/views.js';", rules: ['services-not-upward'] },
      ],
      'engine/web/calls-services.ts': [
        {
          imports: "import { listCases } from '../services/case.service.js';",
          rules: ['web-imports-services-types-only'],
        },
      ],
      'engine/mail/uses-services.ts': [
        { imports: "import { listCases } from '../services/case.service.js';", rules: ['mail-imports-db'] },
      ],
      'engine/files/uses-db.ts': [{ imports: "import { db } from '../db/database.js';", rules: ['files-import-log'] }],
      'engine/activities/builds-system.ts': [
        {
          imports: "import { system } from '../main/system.js';",
          rules: ['activities-not-upward', 'composition-root-on-top'],
        },
      ],
      'workflows/case.workflow.ts': [
        { imports: "import { readFileSync } from 'node:fs';", rules: ['pure-core-no-node-builtins'] },
        { imports: "import { stub } from 'pg';", rules: ['pure-core-no-io-packages'] },
        {
          imports: "import { db } from '../engine/db/database.js';",
          rules: ['pure-core-no-shells', 'workflows-import-cores'],
        },
      ],
      'forms/validate.ts': [
        { imports: "import { group } from '../engine/model/process-model.js';", rules: ['forms-imports-only-feel'] },
      ],
      'forms/live.ts': [{ imports: "import path from 'node:path';", rules: ['pure-core-no-node-builtins'] }],
      'portal/drafts.routes.ts': [
        {
          imports: "import { db } from '../engine/db/database.js';",
          rules: ['portal-imports-services-web-forms'],
        },
        {
          imports: "import { cases } from '../engine/repositories/case.repository.js';",
          rules: ['portal-imports-services-web-forms-types-only'],
        },
        {
          imports: "import { staffRoutes } from '../admin/admin.routes.js';",
          rules: ['portal-imports-services-web-forms'],
        },
      ],
      'admin/inbox.routes.ts': [
        {
          imports: "import { portalRoutes } from '../portal/portal.routes.js';",
          rules: ['admin-imports-services-web-forms'],
        },
        { imports: "import { stub } from 'drizzle-orm';", rules: ['routes-no-database-packages'] },
      ],
      'engine/services/missing.ts': [{ imports: "import { gone } from './gone.js';", rules: ['resolvable'] }],
      'engine/dmn/uses-model.ts': [
        { imports: "import { group } from '../model/process-model.js';", rules: ['dmn-imports-only-feel'] },
      ],
      'engine/sites/reads-db.ts': [
        { imports: "import { db } from '../db/database.js';", rules: ['sites-import-db-types-only'] },
      ],
      'engine/log/uses-services.ts': [
        {
          imports: "import type { Summary } from '../services/case.service.js';",
          rules: ['log-imports-nothing-of-ours'],
        },
      ],
      'engine/designer/reads-db.ts': [
        { imports: "import { db } from '../db/database.js';", rules: ['designer-imports-cores'] },
        { imports: "import { readFileSync } from 'node:fs';", rules: ['designer-no-io'] },
      ],
      'engine/documents/reads-db.ts': [
        { imports: "import { db } from '../db/database.js';", rules: ['documents-import-nothing-of-ours'] },
      ],
      'engine/infra/uses-services.ts': [
        { imports: "import { listCases } from '../services/case.service.js';", rules: ['infra-imports-log'] },
      ],
      'engine/backup/uses-services.ts': [
        { imports: "import { listCases } from '../services/case.service.js';", rules: ['backup-imports-infra-db'] },
      ],
      'engine/temporal/uses-services.ts': [
        { imports: "import { listCases } from '../services/case.service.js';", rules: ['temporal-not-upward'] },
      ],
      'engine/cli/uses-routes.ts': [
        { imports: "import { portalRoutes } from '../../portal/portal.routes.js';", rules: ['cli-not-routes'] },
      ],
    };
    const resolved = (importer: string, imports: string) => {
      const specifier = /from '([^']+)'|import '([^']+)'/.exec(imports)!.slice(1).find(Boolean)!;
      if (!specifier.startsWith('.')) {
        return specifier.startsWith('node:') ? specifier.slice('node:'.length) : `node_modules/${specifier}/index.js`;
      }
      const target = path.posix.join(path.posix.dirname(importer), specifier).replace(/\.js$/, '.ts');
      return target in targets ? target : specifier; // what does not resolve is named as written
    };
    const files: Record<string, string> = { ...targets };
    for (const [importer, lines] of Object.entries(forbidden)) {
      files[importer] = `${lines.map(({ imports }) => imports).join('\n')}\nexport {};\n`;
    }
    const expected = Object.entries(forbidden).flatMap(([importer, lines]) =>
      lines.flatMap(({ imports, rules }) =>
        rules.map((rule) => ({ rule, from: importer, to: resolved(importer, imports) })),
      ),
    );

    const { exitCode, violations, output } = await lintDeps(tree(files));

    expect(exitCode, output).not.toBe(0);
    expect(sorted(violations), output).toEqual(sorted(expected));
  }, 60_000);

  it('fails on an import cycle outside the interpreter, through a type-only import too', async () => {
    const { exitCode, violations, output } = await lintDeps(
      tree({
        'engine/services/case.service.ts': "import { b } from './task.service.js';\nexport const a = () => b;\n",
        'engine/services/task.service.ts': "import { a } from './case.service.js';\nexport const b = () => a;\n",
        'engine/repositories/case.repository.ts':
          "import { row } from './row.js';\nexport type Cases = string;\nexport const cases = row;\n",
        'engine/repositories/row.ts':
          "import type { Cases } from './case.repository.js';\nexport const row: Cases = '';\n",
      }),
    );
    expect(exitCode, output).not.toBe(0);
    expect(sorted(violations), output).toEqual(
      sorted([
        // One report per cycle and rule: the run-time cycle breaks both rules, the one through a type only the second.
        { rule: 'no-cycles', from: 'engine/services/case.service.ts', to: 'engine/services/task.service.ts' },
        { rule: 'no-type-cycles', from: 'engine/services/case.service.ts', to: 'engine/services/task.service.ts' },
        { rule: 'no-type-cycles', from: 'engine/repositories/case.repository.ts', to: 'engine/repositories/row.ts' },
      ]),
    );
  }, 60_000);

  it('fails when the workflow or browser bundle reaches zod or a Node built-in through other files', async () => {
    const { exitCode, violations, output } = await lintDeps(
      tree({
        // forms/registry.ts is not one of the listed pure files: only the bundle check sees what it pulls in.
        'forms/validate.ts': "import { registry } from './registry.js';\nexport const validate = registry;\n",
        'forms/registry.ts': "import { stub } from 'zod';\nexport const registry = stub;\n",
        'forms/live.ts': "import { hash } from './hash.js';\nexport const live = hash;\n",
        'forms/hash.ts': "import { createHash } from 'node:crypto';\nexport const hash = createHash;\n",
        'workflows/case.workflow.ts':
          "import { validate } from '../forms/validate.js';\nexport const caseWorkflow = validate;\n",
        'workflows/index.ts': "export { caseWorkflow } from './case.workflow.js';\n",
        'forms/browser/forms-live.ts': "import { live } from '../live.js';\nexport const start = live;\n",
      }),
    );
    expect(exitCode, output).not.toBe(0);
    expect(sorted(violations), output).toEqual(
      sorted([
        { rule: 'bundle-no-zod', from: 'workflows/index.ts', to: 'node_modules/zod/index.js' },
        { rule: 'bundle-no-node-builtins', from: 'forms/browser/forms-live.ts', to: 'crypto' },
      ]),
    );
  }, 60_000);
});
