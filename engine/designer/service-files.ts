/**
 * A service as a map of files (file name → UTF-8 text), exactly the layout of a `workflows/catalog/<slug>/`
 * folder: the one representation of a draft, a zip, a folder given to `lotse publish` and the catalog at start.
 * `definitionFromFiles` compiles a map into what the catalog publishes; `validateServiceFiles` reports every
 * problem at once, by file and element, for the designer.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { checkExpression, FeelError, isExpression, stripExpression } from '../feel/feel.js';
import { compileErrorsToText, compileService, type CompileIssue } from '../model/compile.js';
import type { ProcessModel } from '../model/process-model.js';
import {
  FormSchemaError,
  parseEmbeddedForms,
  parseForm,
  type FormSchema,
  type FormSchemaProblem,
} from '../../forms/schema.js';
import { FormTranslationError, parseFormTranslation, translationFileName } from '../../forms/translate.js';
import type { StartConfig, StartStep } from '../db/schema.js';
import { dataPathsOf, hasListedFileField, rootKeysOf } from '../services/start-steps.js';
import { lintBpmn } from './bpmn-lint.js';
import { isKnownJobType, JOB_TYPES } from './job-types.js';

/** File name → UTF-8 text; names without folders. */
export type ServiceFiles = Record<string, string>;

export interface Localized {
  de: string;
  en: string;
}

export interface DesignProblem {
  severity: 'error' | 'warning';
  file: string;
  elementId?: string;
  fieldKey?: string;
  /** German, names the element. */
  message: string;
  messageEn?: string;
  source: 'manifest' | 'bpmnlint' | 'compiler' | 'form' | 'feel' | 'reference' | 'dmn' | 'scenario';
}

export const MANIFEST_FILE = 'service.json';

/** Limits of a service's files (a draft, a zip): enough for any real service, small enough for one request. */
export const SERVICE_FILE_LIMITS = {
  maxFiles: 200,
  maxFileBytes: 2 * 1024 * 1024,
  maxTotalBytes: 10 * 1024 * 1024,
  maxNameLength: 100,
} as const;

const FILE_NAME = /^[A-Za-z0-9._-]+$/;

/** Whether `name` may name a file of a service: no folders, no `..`, letters, digits, `.`, `_`, `-`. */
export function isValidFileName(name: string): boolean {
  return (
    name.length > 0 &&
    name.length <= SERVICE_FILE_LIMITS.maxNameLength &&
    FILE_NAME.test(name) &&
    name !== '.' &&
    !name.includes('..')
  );
}

export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Problems of the map as a whole: names and sizes. */
export function fileLimitProblems(files: ServiceFiles): DesignProblem[] {
  const problems: DesignProblem[] = [];
  const names = Object.keys(files);
  if (names.length > SERVICE_FILE_LIMITS.maxFiles) {
    problems.push(
      manifestError(
        MANIFEST_FILE,
        `Zu viele Dateien (${names.length}, höchstens ${SERVICE_FILE_LIMITS.maxFiles})`,
        `Too many files (${names.length}, at most ${SERVICE_FILE_LIMITS.maxFiles})`,
      ),
    );
  }
  let total = 0;
  for (const name of names) {
    const size = byteLength(files[name] ?? '');
    total += size;
    if (!isValidFileName(name)) {
      problems.push(
        manifestError(
          name,
          `Ungültiger Dateiname „${name}“: nur Buchstaben, Ziffern, Punkt, Unterstrich und Bindestrich, ohne Ordner`,
          `Invalid file name "${name}": letters, digits, dot, underscore and hyphen only, no folders`,
        ),
      );
    }
    if (size > SERVICE_FILE_LIMITS.maxFileBytes) {
      problems.push(manifestError(name, `Die Datei „${name}“ ist größer als 2 MB`, `The file "${name}" exceeds 2 MB`));
    }
  }
  if (total > SERVICE_FILE_LIMITS.maxTotalBytes) {
    problems.push(
      manifestError(MANIFEST_FILE, 'Alle Dateien zusammen sind größer als 10 MB', 'All files together exceed 10 MB'),
    );
  }
  return problems;
}

const localized = z.object({ de: z.string().min(1), en: z.string().min(1) });
const optionalLocalized = z.object({ de: z.string(), en: z.string() });

export const serviceManifest = z.object({
  slug: z.string().regex(/^[a-z0-9-]+$/),
  title: localized,
  summary: localized,
  /** The main BPMN file, or a list: the main file first, then files with processes it calls. */
  bpmn: z.union([z.string(), z.array(z.string()).min(1)]),
  /** DMN files with the decisions its business rule tasks call. */
  dmn: z.array(z.string()).optional(),
  forms: z.array(z.string()),
  /** Start forms in order, by form id (optionally with a step title); default: the start event's form alone. */
  steps: z
    .array(z.union([z.string().min(1), z.strictObject({ form: z.string().min(1), title: localized })]))
    .min(1)
    .optional(),
  /** Field key → FEEL expression over `company` and `user`, evaluated once when a draft is created. */
  prefill: z.record(z.string(), z.string()).optional(),
  /**
   * What the company sees of a case's outcome (ADR 0024): a read-only result form (one of `forms`, by id) and the
   * variables holding the ids of public documents (a document task's `resultVariable`).
   */
  result: z.strictObject({ form: z.string().min(1), documents: z.array(z.string().min(1)).optional() }).optional(),
  /** Days a finished case is kept before it is deleted; default: `CASE_RETENTION_DAYS`. */
  retentionDays: z.number().int().min(1).max(36_500).optional(),
  // Descriptive metadata the designer edits (not part of a version's content hash).
  description: optionalLocalized.optional(),
  category: z.string().optional(),
  requiredDocuments: z.object({ de: z.array(z.string()), en: z.array(z.string()) }).optional(),
  expectedDuration: optionalLocalized.optional(),
  /** Public label per status (the `status` property of an element), German and English. */
  statusLabels: z.record(z.string(), optionalLocalized).optional(),
  whoMayStart: z.enum(['companies', 'everyone']).optional(),
});

export type ServiceManifest = z.infer<typeof serviceManifest>;

/** The fields of service.json the designer's metadata form edits. */
export interface ServiceMetadata {
  title: Localized;
  summary: Localized;
  description?: Localized;
  category?: string;
  requiredDocuments?: { de: string[]; en: string[] };
  expectedDuration?: Localized;
  statusLabels?: Record<string, Localized>;
  whoMayStart?: 'companies' | 'everyone';
  retentionDays?: number;
}

const METADATA_KEYS = [
  'title',
  'summary',
  'description',
  'category',
  'requiredDocuments',
  'expectedDuration',
  'statusLabels',
  'whoMayStart',
  'retentionDays',
] as const satisfies readonly (keyof ServiceMetadata)[];

/** The metadata of service.json; undefined when it is missing or not valid. */
export function readMetadata(files: ServiceFiles): ServiceMetadata | undefined {
  const manifest = parseManifest(files);
  if (!manifest.ok) return undefined;
  const metadata: Record<string, unknown> = {};
  for (const key of METADATA_KEYS) if (manifest.data[key] !== undefined) metadata[key] = manifest.data[key];
  return metadata as unknown as ServiceMetadata;
}

/**
 * The files with service.json's metadata replaced (other keys kept in their order). A missing or broken
 * service.json is replaced by metadata alone; the validation then names what is missing.
 */
export function withMetadata(files: ServiceFiles, metadata: ServiceMetadata): ServiceFiles {
  let manifest: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(files[MANIFEST_FILE] ?? '{}');
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      manifest = parsed as Record<string, unknown>;
  } catch {
    // replaced below
  }
  const next: Record<string, unknown> = { ...manifest };
  for (const key of METADATA_KEYS) {
    const value = metadata[key];
    if (value === undefined) delete next[key];
    else next[key] = value;
  }
  return { ...files, [MANIFEST_FILE]: `${JSON.stringify(next, null, 2)}\n` };
}

export interface ServiceDefinition {
  slug: string;
  title: Localized;
  summary: Localized;
  bpmnXml: string;
  forms: Record<string, FormSchema>;
  /** DMN sources by file name, stored with the version as published. */
  dmn: Record<string, string>;
  model: ProcessModel;
  start: StartConfig;
  /** Days a finished case is kept (service.json); undefined: the installation's default. A records policy, not part of the version. */
  retentionDays?: number;
  /** SHA-256 over BPMN, forms and (when declared) steps and prefill: the identity of a version's content. */
  contentHash: string;
  /** The files it was compiled from, stored with the version so an export gives them back byte for byte. */
  files: ServiceFiles;
  /** service.json's descriptive metadata. */
  metadata: ServiceMetadata;
}

export class ServiceDefinitionError extends Error {
  override name = 'ServiceDefinitionError';
}

type ManifestResult =
  { ok: true; data: ServiceManifest } | { ok: false; problems: { path: string; message: string }[]; syntax?: boolean };

function parseManifest(files: ServiceFiles): ManifestResult {
  const text = files[MANIFEST_FILE];
  if (text === undefined) return { ok: false, problems: [{ path: '', message: 'service.json is missing' }] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, syntax: true, problems: [{ path: '', message: (error as Error).message }] };
  }
  const parsed = serviceManifest.safeParse(json);
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    problems: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
  };
}

function bpmnFilesOf(manifest: ServiceManifest): string[] {
  return typeof manifest.bpmn === 'string' ? [manifest.bpmn] : manifest.bpmn;
}

function fileOf(files: ServiceFiles, slug: string, name: string): string {
  const text = files[name];
  if (text === undefined) throw new ServiceDefinitionError(`${slug}: the file "${name}" is missing`);
  return text;
}

/** Compiles and checks a service's files (service.json, BPMN, forms, DMN); throws on the first kind of problem. */
export async function definitionFromFiles(files: ServiceFiles): Promise<ServiceDefinition> {
  const manifest = parseManifest(files);
  if (!manifest.ok) {
    if (manifest.syntax) throw new SyntaxError(`service.json: ${manifest.problems[0]?.message ?? ''}`);
    throw new ServiceDefinitionError(
      `service.json: ${manifest.problems.map((p) => (p.path ? `${p.path}: ${p.message}` : p.message)).join('; ')}`,
    );
  }
  const data = manifest.data;
  const { slug, title, summary } = data;
  const bpmnSources = bpmnFilesOf(data).map((file) => fileOf(files, slug, file));
  const bpmnXml = bpmnSources[0] ?? '';
  const dmn: Record<string, string> = {};
  for (const file of data.dmn ?? []) dmn[file] = fileOf(files, slug, file);
  const compiled = await compileService({ bpmn: bpmnSources, dmn: Object.values(dmn) });
  if (!compiled.ok) throw new ServiceDefinitionError(`${slug}: ${compileErrorsToText(compiled.errors)}`);

  const forms: Record<string, FormSchema> = {};
  for (const [id, embedded] of Object.entries(parseEmbeddedForms(compiled.embeddedForms))) forms[id] = embedded.form;
  for (const file of data.forms) {
    const { form } = parseForm(JSON.parse(fileOf(files, slug, file)));
    const translationFile = translationFileName(file, 'en');
    // The English texts travel with the form (and count in the version's content hash).
    const translationText = files[translationFile];
    if (translationText !== undefined) {
      form.translations = { en: parseFormTranslation(JSON.parse(translationText), form, translationFile) };
    }
    forms[form.id] = form;
  }
  const missing = referencedFormIds(compiled.model).filter((formId) => !forms[formId]);
  if (missing.length > 0)
    throw new ServiceDefinitionError(`${slug}: the model references missing forms: ${missing.join(', ')}`);

  const { start, problems } = startConfigOf(data, compiled.model, forms);
  problems.push(...resultProblems(data, forms));
  if (problems.length > 0) throw new ServiceDefinitionError(`${slug}: ${problems.join('; ')}`);
  // Services without steps or prefill keep the hash they had before both existed (no new version).
  const declared = data.steps !== undefined || data.prefill !== undefined;
  // Likewise DMN and called processes count only where a service has them.
  const extras = {
    ...(declared ? { start } : {}),
    // What the company sees is part of the version (a case shows its own version's result form).
    ...(data.result ? { result: data.result } : {}),
    ...(Object.keys(dmn).length > 0 ? { dmn } : {}),
    ...(bpmnSources.length > 1 ? { calledBpmn: bpmnSources.slice(1) } : {}),
  };
  const contentHash = createHash('sha256')
    .update(JSON.stringify({ bpmnXml, forms, ...extras }))
    .digest('hex');
  const { retentionDays } = data;
  return {
    slug,
    title,
    summary,
    bpmnXml,
    forms,
    dmn,
    model: compiled.model,
    start,
    retentionDays,
    contentHash,
    files: { ...files },
    metadata: readMetadata(files) ?? { title, summary },
  };
}

/** Checks `steps` and `prefill` against the model and the forms; every problem is named. */
function startConfigOf(
  manifest: ServiceManifest,
  model: ProcessModel,
  forms: Record<string, FormSchema>,
): { start: StartConfig; problems: string[] } {
  const problems: string[] = [];
  const startElement = model.elements[model.startEventId];
  const startFormId = startElement?.kind === 'startEvent' ? startElement.formId : undefined;
  const steps: StartStep[] = manifest.steps
    ? manifest.steps.map((step) =>
        typeof step === 'string' ? { formId: step } : { formId: step.form, title: step.title },
      )
    : startFormId
      ? [{ formId: startFormId }]
      : [];
  const seenForms = new Set<string>();
  const rootOwners = new Map<string, string>();
  const paths = new Set<string>();
  for (const step of steps) {
    const form = forms[step.formId];
    if (!form) problems.push(`steps: form "${step.formId}" is not one of the service's forms`);
    if (seenForms.has(step.formId)) problems.push(`steps: form "${step.formId}" is listed twice`);
    seenForms.add(step.formId);
    if (!form) continue;
    for (const root of rootKeysOf(form)) {
      const owner = rootOwners.get(root);
      // All steps end up in one set of start variables: a name in two steps would overwrite itself.
      if (owner !== undefined && owner !== step.formId) {
        problems.push(`steps: "${root}" is used in form "${owner}" and in form "${step.formId}"`);
      }
      rootOwners.set(root, step.formId);
    }
    for (const path of dataPathsOf(form)) paths.add(path);
    if (hasListedFileField(form)) {
      problems.push(
        `steps: form "${step.formId}" has a file picker inside a dynamic list (not supported in start steps yet)`,
      );
    }
  }
  if (manifest.steps && steps[0]?.formId !== startFormId) {
    problems.push(
      `steps: the first step must be the start event's form (zeebe:formDefinition formId="${startFormId ?? ''}")`,
    );
  }
  const prefill = manifest.prefill ?? {};
  for (const [key, expression] of Object.entries(prefill)) {
    if (!paths.has(key)) problems.push(`prefill: "${key}" is not a field of the start steps`);
    if (!isExpression(expression)) {
      problems.push(`prefill.${key}: "${expression}" is not a FEEL expression (it starts with "=")`);
      continue;
    }
    try {
      checkExpression(stripExpression(expression));
    } catch (error) {
      if (!(error instanceof FeelError)) throw error;
      problems.push(`prefill.${key}: ${error.message}`);
    }
  }
  return { start: { steps, prefill }, problems };
}

/** A declared result form must be one of the service's forms. */
function resultProblems(manifest: ServiceManifest, forms: Record<string, FormSchema>): string[] {
  const form = manifest.result?.form;
  return form !== undefined && !forms[form] ? [`result: form "${form}" is not one of the service's forms`] : [];
}

function referencedFormIds(model: ProcessModel): string[] {
  return Object.values(model.elements).flatMap((element) =>
    (element.kind === 'startEvent' || element.kind === 'userTask') && element.formId ? [element.formId] : [],
  );
}

function manifestError(file: string, message: string, messageEn: string): DesignProblem {
  return { severity: 'error', file, message, messageEn, source: 'manifest' };
}

/**
 * Every problem of a service's files, by file and element: names and sizes, service.json, the compiler
 * (BPMN and DMN), bpmnlint, forms and their translations, references between files, FEEL, job types and
 * test scenarios. Never throws for bad input. Publishing is refused while an error remains.
 */
export async function validateServiceFiles(files: ServiceFiles): Promise<DesignProblem[]> {
  const problems = fileLimitProblems(files);
  const manifest = parseManifest(files);
  if (!manifest.ok) {
    for (const problem of manifest.problems) {
      const where = problem.path ? `„${problem.path}“: ` : '';
      problems.push(
        manifestError(
          MANIFEST_FILE,
          manifest.syntax
            ? `service.json ist kein gültiges JSON: ${problem.message}`
            : files[MANIFEST_FILE] === undefined
              ? 'Die Datei service.json fehlt'
              : `service.json, ${where}${problem.message}`,
          `service.json: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`,
        ),
      );
    }
    return [...problems, ...scenarioProblems(files)];
  }
  const data = manifest.data;
  if (data.whoMayStart === 'everyone') {
    // Kept in the file for when the portal starts services without an account; until then it must not look done.
    problems.push({
      severity: 'warning',
      file: MANIFEST_FILE,
      message:
        '„Alle, auch ohne Unternehmensprofil“ wirkt noch nicht: das Portal startet Leistungen nur für angemeldete Unternehmen',
      messageEn: '"Everyone" has no effect yet: the portal starts services for signed-in companies only',
      source: 'manifest',
    });
  }
  const missingFile = (file: string, kind: string, kindEn: string): DesignProblem => ({
    severity: 'error',
    file: MANIFEST_FILE,
    message: `Die ${kind} „${file}“ aus service.json fehlt`,
    messageEn: `The ${kindEn} "${file}" named in service.json is missing`,
    source: 'reference',
  });
  const bpmnFiles = bpmnFilesOf(data);
  for (const file of bpmnFiles)
    if (files[file] === undefined) problems.push(missingFile(file, 'BPMN-Datei', 'BPMN file'));
  for (const file of data.dmn ?? [])
    if (files[file] === undefined) problems.push(missingFile(file, 'DMN-Datei', 'DMN file'));
  for (const file of data.forms)
    if (files[file] === undefined) problems.push(missingFile(file, 'Formulardatei', 'form file'));

  const mainFile = bpmnFiles[0] ?? '';
  const bpmnSources = bpmnFiles.flatMap((file) => (files[file] === undefined ? [] : [files[file]]));
  const dmnSources = (data.dmn ?? []).flatMap((file) => (files[file] === undefined ? [] : [files[file]]));
  let model: ProcessModel | undefined;
  let embeddedForms: Record<string, string> = {};
  if (bpmnSources.length === bpmnFiles.length && bpmnSources.length > 0) {
    const compiled = await compileService({ bpmn: bpmnSources, dmn: dmnSources });
    const issues = compiled.ok ? compiled.warnings : compiled.errors;
    for (const issue of issues) {
      problems.push(compilerProblem(issue, compiled.ok ? 'warning' : 'error', bpmnFiles, data.dmn ?? [], files));
    }
    if (compiled.ok) {
      model = compiled.model;
      embeddedForms = compiled.embeddedForms;
    }
  }
  for (const file of bpmnFiles) {
    const xml = files[file];
    if (xml === undefined) continue;
    for (const report of await lintBpmn(xml)) {
      problems.push({
        severity: report.severity,
        file,
        elementId: report.elementId,
        message: report.message,
        messageEn: report.messageEn,
        source: 'bpmnlint',
      });
    }
  }

  const forms: Record<string, FormSchema> = {};
  for (const file of data.forms) {
    const form = formOf(files, file, problems);
    if (form) forms[form.id] = form;
  }
  // Forms embedded in the BPMN (zeebe:userTaskForm) are named by their id there, not by the JSON's own id.
  for (const [id, text] of Object.entries(embeddedForms)) {
    const where = { de: `Eingebettetes Formular „${id}“`, en: `Embedded form "${id}"` };
    const form = parsedFormOf(text, mainFile, where, problems);
    if (form) forms[id] = { ...form, id };
  }
  if (model) {
    for (const element of Object.values(model.elements)) {
      if ((element.kind === 'startEvent' || element.kind === 'userTask') && element.formId && !forms[element.formId]) {
        problems.push({
          severity: 'error',
          file: mainFile,
          elementId: element.id,
          message: `${label(element)} verweist auf das Formular „${element.formId}“, das es nicht gibt`,
          messageEn: `${labelEn(element)} refers to the form "${element.formId}", which does not exist`,
          source: 'reference',
        });
      }
      const job = 'job' in element ? element.job : undefined;
      if (job && !isExpression(job.taskType) && !isKnownJobType(job.taskType)) {
        const known = JOB_TYPES.map((entry) => entry.type).join(', ');
        problems.push({
          severity: 'error',
          file: mainFile,
          elementId: element.id,
          message: `${label(element)} hat den unbekannten Aufgabentyp „${job.taskType}“ (bekannt: ${known})`,
          messageEn: `${labelEn(element)} has the unknown job type "${job.taskType}" (known: ${known})`,
          source: 'reference',
        });
      }
    }
    if (Object.keys(forms).length === data.forms.length + Object.keys(embeddedForms).length) {
      for (const problem of [...startConfigOf(data, model, forms).problems, ...resultProblems(data, forms)]) {
        problems.push({
          severity: 'error',
          file: MANIFEST_FILE,
          message: `service.json: ${problem}`,
          messageEn: `service.json: ${problem}`,
          source: problem.startsWith('prefill') && problem.includes('FEEL') ? 'feel' : 'manifest',
        });
      }
    }
  }
  problems.push(...scenarioProblems(files));
  for (const name of Object.keys(files)) {
    if (name.endsWith('.dmn') && !(data.dmn ?? []).includes(name)) {
      problems.push({
        severity: 'warning',
        file: name,
        message: `Die DMN-Datei „${name}“ ist in service.json nicht eingetragen und wird nicht verwendet`,
        messageEn: `The DMN file "${name}" is not listed in service.json and is not used`,
        source: 'reference',
      });
    }
  }
  return problems;
}

function label(element: { id: string; name?: string }): string {
  return element.name ? `„${element.name}“ (${element.id})` : `Element ${element.id}`;
}

function labelEn(element: { id: string; name?: string }): string {
  return element.name ? `"${element.name}" (${element.id})` : `Element ${element.id}`;
}

/** The element's name as written in the BPMN files (the compiler's issues carry only id and type). */
function elementName(xmlFiles: string[], id: string): string | undefined {
  const quoted = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const xml of xmlFiles) {
    const tag = new RegExp(`<[\\w:]+\\s[^>]*\\bid="${quoted}"[^>]*>`).exec(xml)?.[0];
    const name = tag ? /\bname="([^"]*)"/.exec(tag)?.[1] : undefined;
    if (name)
      return name
        .replace(/&quot;/g, '"')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&amp;/g, '&');
  }
  return undefined;
}

/**
 * A compiler issue as a problem: the German message names the element by name and id (the explanation is the
 * compiler's); an issue of the n-th BPMN or DMN file ("DMN file 2: …") is filed under that file.
 */
function compilerProblem(
  issue: CompileIssue,
  severity: 'error' | 'warning',
  bpmnFiles: string[],
  dmnFiles: string[],
  files: ServiceFiles,
): DesignProblem {
  const numbered = /^(BPMN|DMN) file (\d+)/.exec(issue.message) ?? /^the (BPMN) file\b/.exec(issue.message);
  const list = numbered?.[1] === 'DMN' ? dmnFiles : bpmnFiles;
  const file = list[numbered?.[2] ? Number(numbered[2]) - 1 : 0] ?? bpmnFiles[0] ?? '';
  const id = issue.elementId;
  const name = id
    ? elementName(
        bpmnFiles.map((bpmn) => files[bpmn] ?? ''),
        id,
      )
    : undefined;
  const type = issue.elementType ? ` (${issue.elementType})` : '';
  const de = id ? (name ? `„${name}“ (${id}): ` : `Element ${id}${type}: `) : '';
  const en = id ? (name ? `"${name}" (${id}): ` : `Element ${id}${type}: `) : '';
  const isFeel = /FEEL/.test(issue.message);
  const isDmn = numbered?.[1] === 'DMN' || (/decision|DMN/i.test(issue.message) && !id);
  return {
    severity,
    file,
    ...(id !== undefined && { elementId: id }),
    message: `${de}${issue.message}`,
    messageEn: `${en}${issue.message}`,
    source: isFeel ? 'feel' : isDmn ? 'dmn' : 'compiler',
  };
}

/** A form problem as the designer lists it: an error keeps the service from running, a warning does not. */
function formProblem(
  severity: DesignProblem['severity'],
  file: string,
  where: { de: string; en: string },
  problem: FormSchemaProblem,
): DesignProblem {
  return {
    severity,
    file,
    ...(problem.componentId !== undefined && { fieldKey: problem.componentId }),
    message: `${where.de}, ${problem.componentId ? `Feld ${problem.componentId}: ` : ''}${problem.message}`,
    messageEn: `${where.en}, ${problem.componentId ? `field ${problem.componentId}: ` : ''}${problem.message}`,
    source: 'form',
  };
}

/** A form's JSON text parsed, with its errors or warnings added to `problems` (`where` names it in both languages). */
function parsedFormOf(
  text: string,
  file: string,
  where: { de: string; en: string },
  problems: DesignProblem[],
): FormSchema | undefined {
  try {
    const { form, warnings } = parseForm(JSON.parse(text));
    problems.push(...warnings.map((warning) => formProblem('warning', file, where, warning)));
    return form;
  } catch (error) {
    if (error instanceof FormSchemaError) {
      problems.push(...error.problems.map((problem) => formProblem('error', file, where, problem)));
    } else {
      problems.push({
        severity: 'error',
        file,
        message: `${where.de} ist kein gültiges JSON: ${(error as Error).message}`,
        messageEn: `${where.en} is not valid JSON: ${(error as Error).message}`,
        source: 'form',
      });
    }
    return undefined;
  }
}

/** The parsed form with its translation, or undefined with its problems added (warnings too). */
function formOf(files: ServiceFiles, file: string, problems: DesignProblem[]): FormSchema | undefined {
  const text = files[file];
  if (text === undefined) return undefined;
  const form = parsedFormOf(text, file, { de: `Formular „${file}“`, en: `Form "${file}"` }, problems);
  if (form === undefined) return undefined;
  const translationFile = translationFileName(file, 'en');
  const translation = files[translationFile];
  if (translation !== undefined) {
    try {
      form.translations = { en: parseFormTranslation(JSON.parse(translation), form, translationFile) };
    } catch (error) {
      const entries =
        error instanceof FormTranslationError
          ? error.problems
          : [{ componentId: undefined, message: `not valid JSON: ${(error as Error).message}` }];
      for (const problem of entries) {
        problems.push({
          severity: 'error',
          file: translationFile,
          ...(problem.componentId !== undefined && { fieldKey: problem.componentId }),
          message: `Übersetzung „${translationFile}“${problem.componentId ? `, Feld ${problem.componentId}` : ''}: ${problem.message}`,
          messageEn: `Translation "${translationFile}"${problem.componentId ? `, field ${problem.componentId}` : ''}: ${problem.message}`,
          source: 'form',
        });
      }
    }
  }
  return form;
}

function scenarioProblems(files: ServiceFiles): DesignProblem[] {
  return Object.entries(files).flatMap(([name, text]) => {
    if (!name.endsWith('.test.json')) return [];
    try {
      const parsed: unknown = JSON.parse(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return [];
      throw new Error('expected a JSON object');
    } catch (error) {
      return [
        {
          severity: 'error' as const,
          file: name,
          message: `Testszenario „${name}“ ist kein gültiges JSON: ${(error as Error).message}`,
          messageEn: `Test scenario "${name}" is not valid JSON: ${(error as Error).message}`,
          source: 'scenario' as const,
        },
      ];
    }
  });
}

/** What a version stored before versions kept their files: enough to rebuild a folder that compiles the same. */
export interface StoredVersion {
  slug: string;
  title: Localized;
  summary: Localized;
  bpmnXml: string;
  forms: Record<string, FormSchema>;
  dmn: Record<string, string>;
  start: StartConfig | null;
  retentionDays?: number | null;
}

/**
 * Rebuilds the files of a version published before versions stored them: service.json, `<slug>.bpmn`, each form
 * as `<form id>.form` with its English texts in `<form id>.en.json`, the DMN files by their names. Compiles to
 * the same content hash; the bytes differ from the folder it came from (formatting, names of the files), and
 * test scenarios and called processes' files are not part of a stored version.
 */
export function filesOfStoredVersion(version: StoredVersion): ServiceFiles {
  const files: ServiceFiles = {};
  const bpmnFile = `${version.slug}.bpmn`;
  files[bpmnFile] = version.bpmnXml;
  const formFiles: string[] = [];
  for (const form of Object.values(version.forms)) {
    const { translations, ...rest } = form;
    const file = `${form.id}.form`;
    formFiles.push(file);
    files[file] = `${JSON.stringify(rest, null, 2)}\n`;
    if (translations?.en) files[translationFileName(file, 'en')] = `${JSON.stringify(translations.en, null, 2)}\n`;
  }
  for (const [file, xml] of Object.entries(version.dmn)) files[file] = xml;
  const manifest: Record<string, unknown> = {
    slug: version.slug,
    title: version.title,
    summary: version.summary,
    bpmn: bpmnFile,
    ...(Object.keys(version.dmn).length > 0 && { dmn: Object.keys(version.dmn) }),
    forms: formFiles,
  };
  const start = version.start;
  if (
    start &&
    (start.steps.length > 1 || start.steps.some((step) => step.title) || Object.keys(start.prefill).length > 0)
  ) {
    manifest.steps = start.steps.map((step) => (step.title ? { form: step.formId, title: step.title } : step.formId));
    if (Object.keys(start.prefill).length > 0) manifest.prefill = start.prefill;
  }
  if (version.retentionDays) manifest.retentionDays = version.retentionDays;
  files[MANIFEST_FILE] = `${JSON.stringify(manifest, null, 2)}\n`;
  return files;
}
