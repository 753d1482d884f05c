/**
 * Finds what `lotse test` runs: the BPMN, form and DMN files below the given folders (whatever their layout) and
 * the CPT test case files among the JSON files there, or given by name.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { describeProblem, FormSchemaError, parseForm, type FormSchema, type ParsedForm } from '../../forms/schema.js';
import { isTestCaseDocument, parseTestCaseFile, type TestCaseFile } from './test-case-file.js';

export interface SourceFile {
  file: string;
  xml: string;
}

export interface ProcessSource extends SourceFile {
  /** BPMN id of an executable process in the file (from the XML, so it is known even if the file does not compile). */
  processId: string;
}

export interface TestFile {
  file: string;
  parsed: TestCaseFile;
}

export interface ScenarioFiles {
  testFiles: TestFile[];
  bpmn: SourceFile[];
  processes: ProcessSource[];
  dmn: SourceFile[];
  forms: Map<string, { file: string; form: FormSchema }>;
  /** Files that could not be read; shown as warnings, and named when a test case needs them. */
  problems: string[];
  /** What was left out of forms that still run (forms/schema.ts `parseForm` warnings); shown as warnings. */
  warnings: string[];
}

const SKIPPED_FOLDERS = new Set(['node_modules', '.git', '.tools', 'data']);

/**
 * Reads everything below `paths`. Test files are those found below a given folder and the given `.json` files;
 * models come from the given folders and the folders of given files.
 */
export async function findScenarioFiles(paths: readonly string[]): Promise<ScenarioFiles> {
  const givenFolders = new Set<string>();
  const modelFolders = new Set<string>();
  const givenTestFiles = new Set<string>();
  const problems: string[] = [];
  for (const given of paths) {
    const absolute = path.resolve(given);
    const info = await stat(absolute).catch(() => undefined);
    if (info === undefined) {
      problems.push(`${given}: no such file or folder`);
    } else if (info.isDirectory()) {
      givenFolders.add(absolute);
      modelFolders.add(absolute);
    } else {
      if (absolute.toLowerCase().endsWith('.json')) givenTestFiles.add(absolute);
      modelFolders.add(path.dirname(absolute));
    }
  }

  const files = new Set<string>();
  for (const folder of modelFolders) for (const file of await walk(folder)) files.add(file);
  const sorted = [...files].sort();
  const belowGivenFolder = (file: string) => [...givenFolders].some((folder) => file.startsWith(folder + path.sep));

  const bpmn: SourceFile[] = [];
  const dmn: SourceFile[] = [];
  const forms = new Map<string, { file: string; form: FormSchema }>();
  const testFiles: TestFile[] = [];
  const warnings: string[] = [];
  for (const file of sorted) {
    const extension = path.extname(file).toLowerCase();
    if (extension === '.bpmn') bpmn.push({ file, xml: await readFile(file, 'utf8') });
    if (extension === '.dmn') dmn.push({ file, xml: await readFile(file, 'utf8') });
    if (extension === '.form') {
      const parsed = await readForm(file);
      if (typeof parsed === 'string') problems.push(parsed);
      else {
        const { form } = parsed;
        warnings.push(...parsed.warnings.map((warning) => `${file}: ${describeProblem(form.id, warning)}`));
        if (forms.has(form.id))
          problems.push(`${file}: form id "${form.id}" is also used by ${forms.get(form.id)?.file}`);
        else forms.set(form.id, { file, form });
      }
    }
  }
  const found = sorted.filter((file) => file.toLowerCase().endsWith('.json') && belowGivenFolder(file));
  for (const file of [...new Set([...found, ...givenTestFiles])].sort()) {
    const testFile = await readTestFile(file, givenTestFiles.has(file));
    if (testFile) testFiles.push(testFile);
  }

  const processes = bpmn.flatMap(({ file, xml }) =>
    executableProcessIds(xml).map((processId) => ({ file, xml, processId })),
  );
  return { testFiles, bpmn, processes, dmn, forms, problems, warnings };
}

async function walk(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true });
  const files: string[] = [];
  for (const entry of entries) {
    const full = path.join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name) && !entry.name.startsWith('.')) files.push(...(await walk(full)));
    } else if (entry.isFile()) {
      files.push(full);
    }
  }
  return files;
}

async function readForm(file: string): Promise<ParsedForm | string> {
  try {
    return parseForm(JSON.parse(await readFile(file, 'utf8')));
  } catch (error) {
    if (error instanceof SyntaxError || error instanceof FormSchemaError) return `${file}: ${error.message}`;
    throw error;
  }
}

/**
 * A JSON file is a test file if its top level has a `testCases` array. Other JSON (package.json, forms,
 * service.json) is skipped; a given file or a `*.test.json` that is no test file is reported.
 */
async function readTestFile(file: string, given: boolean): Promise<TestFile | undefined> {
  const named = given || file.toLowerCase().endsWith('.test.json');
  let document: unknown;
  try {
    document = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    return named ? { file, parsed: { ok: false, message: `not valid JSON: ${error.message}` } } : undefined;
  }
  if (!isTestCaseDocument(document) && !named) return undefined;
  return { file, parsed: parseTestCaseFile(document) };
}

/**
 * The ids of the executable processes in a BPMN file, read from the XML text: a file that does not compile
 * still tells which test cases it breaks. (The compiler reads the file properly.)
 */
export function executableProcessIds(xml: string): string[] {
  const ids: string[] = [];
  for (const match of xml.matchAll(/<(?:[\w-]+:)?process\b([^>]*)>/g)) {
    const attributes = match[1] ?? '';
    const id = /\bid="([^"]+)"/.exec(attributes)?.[1];
    const executable = /\bisExecutable="([^"]+)"/.exec(attributes)?.[1];
    if (id !== undefined && executable !== 'false') ids.push(id);
  }
  return ids;
}

/** Process ids a BPMN file's call activities name statically (`zeebe:calledElement processId`). */
export function calledProcessIds(xml: string): string[] {
  return staticAttributes(xml, /<(?:[\w-]+:)?calledElement\b([^>]*)>/g, 'processId');
}

/** Decision ids a BPMN file's business rule tasks name statically (`zeebe:calledDecision decisionId`). */
export function calledDecisionIds(xml: string): string[] {
  return staticAttributes(xml, /<(?:[\w-]+:)?calledDecision\b([^>]*)>/g, 'decisionId');
}

/** Ids of the decisions a DMN file defines. */
export function decisionIds(xml: string): string[] {
  return staticAttributes(xml, /<(?:[\w-]+:)?decision\b([^>]*)>/g, 'id');
}

function staticAttributes(xml: string, element: RegExp, attribute: string): string[] {
  const values = new Set<string>();
  for (const match of xml.matchAll(element)) {
    const value = new RegExp(`\\b${attribute}="([^"]+)"`).exec(match[1] ?? '')?.[1];
    if (value !== undefined && !value.startsWith('=')) values.add(value);
  }
  return [...values];
}
