/**
 * One owner per table (README.md): only engine/repositories/ and engine/db/ import the schema at run time,
 * and each table is written only by the repository the README names as its owner.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** Where production code lives; tests, fixtures and migrations are left out below. */
const SCANNED_FOLDERS = ['engine', 'admin', 'portal', 'workflows', 'forms', 'bin'];
const REPOSITORIES = 'engine/repositories/';
/** May import the schema at run time: the schema itself, the connection and the repositories. */
const SCHEMA_IMPORTERS = [REPOSITORIES, 'engine/db/'];
const WRITE_METHODS = new Set(['insert', 'update', 'delete']);
/** Raw SQL that writes: `insert into t`, `update t`, `delete from t` (in a `sql` tagged template). */
const RAW_WRITE = /\b(?:insert\s+into|update|delete\s+from)\s+"?(\w+)"?/gi;

interface Write {
  table: string;
  line: number;
}

interface ScanResult {
  /** The schema is imported as a value (a table), not only for its types. */
  runtimeSchemaImport: boolean;
  writes: Write[];
}

/** Drizzle export name → SQL table name, from `export const cases = pgTable('cases', …)`. */
function tablesOfSchema(source: string): Map<string, string> {
  return new Map([...source.matchAll(/export const (\w+) = pgTable\(\s*'(\w+)'/g)].map((m) => [m[1]!, m[2]!]));
}

/** SQL table name → owner, from the README's `| \`table\` | \`owner\` |` rows. */
function ownersOfReadme(readme: string): [string, string][] {
  return [...readme.matchAll(/^\|\s*`(\w+)`\s*\|\s*`([^`]+)`\s*\|$/gm)].map((m) => [m[1]!, m[2]!]);
}

/** Whether the import in `fileName` (relative to the root) resolves to engine/db/schema.ts. */
function isSchemaModule(fileName: string, specifier: string): boolean {
  return (
    specifier.startsWith('.') &&
    path.posix.join(path.posix.dirname(fileName), specifier).replace(/\.js$/, '.ts') === 'engine/db/schema.ts'
  );
}

/** The schema imports and table writes of one source file (`fileName` relative to the root; `tables`: export name → SQL name). */
function scan(fileName: string, source: string, tables: Map<string, string>): ScanResult {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const localTables = new Map<string, string>();
  const namespaces = new Set<string>();
  const sqlNames = new Set(tables.values());
  let runtimeSchemaImport = false;
  const writes: Write[] = [];
  const lineOf = (node: ts.Node) => file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1;

  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    if (!isSchemaModule(fileName, statement.moduleSpecifier.text)) continue;
    const clause = statement.importClause;
    if (!clause || clause.isTypeOnly) continue;
    const bindings = clause.namedBindings;
    if (clause.name) runtimeSchemaImport = true;
    if (bindings && ts.isNamespaceImport(bindings)) {
      runtimeSchemaImport = true;
      namespaces.add(bindings.name.text);
    }
    if (bindings && ts.isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        if (element.isTypeOnly) continue;
        runtimeSchemaImport = true;
        const exported = (element.propertyName ?? element.name).text;
        const table = tables.get(exported);
        if (table) localTables.set(element.name.text, table);
      }
    }
  }

  const tableOf = (node: ts.Node | undefined): string | undefined => {
    if (!node) return undefined;
    if (ts.isIdentifier(node)) return localTables.get(node.text);
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression) && namespaces.has(node.expression.text))
      return tables.get(node.name.text);
    return undefined;
  };

  const visit = (node: ts.Node) => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      WRITE_METHODS.has(node.expression.name.text)
    ) {
      const table = tableOf(node.arguments[0]);
      if (table) writes.push({ table, line: lineOf(node) });
    }
    if (ts.isTaggedTemplateExpression(node) && node.tag.getText(file) === 'sql') {
      const template = node.template;
      const text = ts.isNoSubstitutionTemplateLiteral(template)
        ? template.text
        : [template.head.text, ...template.templateSpans.map((span) => span.literal.text)].join(' ? ');
      for (const match of text.matchAll(RAW_WRITE)) {
        const table = match[1]!;
        if (sqlNames.has(table)) writes.push({ table, line: lineOf(node) });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return { runtimeSchemaImport, writes };
}

function productionFiles(): string[] {
  const files: string[] = [];
  const walk = (folder: string) => {
    for (const entry of readdirSync(path.join(ROOT, folder), { withFileTypes: true })) {
      const relative = path.posix.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules' && entry.name !== 'fixtures' && entry.name !== 'migrations') walk(relative);
      } else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        files.push(relative);
      }
    }
  };
  for (const folder of SCANNED_FOLDERS) walk(folder);
  return files.sort();
}

const schemaTables = tablesOfSchema(readFileSync(path.join(ROOT, 'engine/db/schema.ts'), 'utf8'));
const owners = ownersOfReadme(readFileSync(path.join(ROOT, REPOSITORIES, 'README.md'), 'utf8'));
const ownerOf = new Map(owners);

/** Every production file parsed once for both checks below (parsing is what takes time on a busy machine). */
let scanned: { file: string; result: ScanResult }[] | undefined;
const scannedFiles = () =>
  (scanned ??= productionFiles().map((file) => ({
    file,
    result: scan(file, readFileSync(path.join(ROOT, file), 'utf8'), schemaTables),
  })));
/** A generous bound: a few hundred files parsed with TypeScript, on two cores shared with other test runs. */
const SCAN_TIMEOUT_MS = 60_000;

describe('the scanner (so the ownership checks below can fail)', () => {
  const tables = new Map([
    ['cases', 'cases'],
    ['caseEvents', 'case_events'],
  ]);

  it('sees a runtime schema import and the table it writes, under any alias', () => {
    const source = `import { cases as c, type caseEvents } from '../db/schema.js';
      export const f = (db: any) => db.update(c).set({});`;
    expect(scan('engine/services/x.ts', source, tables)).toEqual({
      runtimeSchemaImport: true,
      writes: [{ table: 'cases', line: 2 }],
    });
  });

  it('takes a type-only import (either spelling) for what it is: no runtime import, no writes', () => {
    for (const source of [
      `import type { cases } from '../db/schema.js';`,
      `import { type cases, type caseEvents } from '../db/schema.js';`,
    ]) {
      expect(scan('engine/services/x.ts', source, tables)).toEqual({ runtimeSchemaImport: false, writes: [] });
    }
  });

  it('tells the database schema from another module called schema.js (forms/schema.ts)', () => {
    const source = `import { cases } from './schema.js';`;
    expect(scan('forms/x.ts', source, tables).runtimeSchemaImport).toBe(false);
    expect(scan('engine/db/x.ts', source, tables).runtimeSchemaImport).toBe(true);
  });

  it('sees writes through a namespace import and in raw SQL, but not a read or an unrelated update', () => {
    const source = `import * as schema from '../db/schema.js';
      db.insert(schema.caseEvents).values([]);
      db.select().from(schema.cases);
      hash.update(chunk);
      db.execute(sql\`delete from cases where id = \${id}\`);
      db.execute(sql\`select * from cases\`);`;
    expect(scan('engine/services/x.ts', source, tables).writes).toEqual([
      { table: 'case_events', line: 2 },
      { table: 'cases', line: 5 },
    ]);
  });
});

describe('one owner per table (engine/repositories/README.md)', () => {
  it('the README names exactly one owner for every table of the schema, and no table the schema lacks', () => {
    const listed = owners.map(([table]) => table);
    expect(listed.filter((table, index) => listed.indexOf(table) !== index)).toEqual([]);
    expect([...listed].sort()).toEqual([...schemaTables.values()].sort());
  });

  it('every owning repository the README names exists', () => {
    const existing = new Set(readdirSync(path.join(ROOT, REPOSITORIES)));
    const missing = owners.filter(([, owner]) => owner.endsWith('.repository.ts') && !existing.has(owner));
    expect(missing).toEqual([]);
  });

  it(
    'only engine/repositories/ and engine/db/ import the schema at run time (elsewhere: import type)',
    () => {
      const offenders = scannedFiles()
        .filter(
          ({ file, result }) =>
            !SCHEMA_IMPORTERS.some((folder) => file.startsWith(folder)) && result.runtimeSchemaImport,
        )
        .map(({ file }) => file);
      expect(offenders).toEqual([]);
    },
    SCAN_TIMEOUT_MS,
  );

  it(
    "every table is written only in its owner's file",
    () => {
      const offenders = scannedFiles().flatMap(({ file, result }) =>
        result.writes
          .filter(({ table }) => path.posix.join(REPOSITORIES, ownerOf.get(table) ?? '(no owner)') !== file)
          .map(({ table, line }) => `${file}:${line} writes ${table} (owner: ${ownerOf.get(table) ?? 'none'})`),
      );
      expect(offenders).toEqual([]);
    },
    SCAN_TIMEOUT_MS,
  );
});
