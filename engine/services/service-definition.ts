import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { checkExpression, FeelError, isExpression, stripExpression } from '../feel/feel.js';
import { compileErrorsToText, compileService } from '../model/compile.js';
import type { ProcessModel } from '../model/process-model.js';
import { parseForm, type FormSchema } from '../../forms/schema.js';
import { parseFormTranslation, translationFileName } from '../../forms/translate.js';
import type { StartConfig, StartStep } from '../db/schema.js';
import { dataPathsOf, hasListedFileField, rootKeysOf } from './start-steps.js';

const localized = z.object({ de: z.string().min(1), en: z.string().min(1) });

const serviceManifest = z.object({
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
  /** Days a finished case is kept before it is deleted; default: `CASE_RETENTION_DAYS`. */
  retentionDays: z.number().int().min(1).max(36_500).optional(),
});

// Declared with the column that stores them (db/ sits below services/).
export type { StartConfig, StartStep };

export interface ServiceDefinition {
  slug: string;
  title: { de: string; en: string };
  summary: { de: string; en: string };
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
}

export class ServiceDefinitionError extends Error {
  override name = 'ServiceDefinitionError';
}

/** Reads, compiles and checks one service folder (`service.json`, BPMN, forms). */
export async function loadServiceFolder(folder: string): Promise<ServiceDefinition> {
  const manifestPath = path.join(folder, 'service.json');
  const manifest = serviceManifest.safeParse(JSON.parse(await readFile(manifestPath, 'utf8')));
  if (!manifest.success) {
    throw new ServiceDefinitionError(
      `${manifestPath}: ${manifest.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  const { slug, title, summary } = manifest.data;
  const bpmnFiles = typeof manifest.data.bpmn === 'string' ? [manifest.data.bpmn] : manifest.data.bpmn;
  const bpmnSources = await Promise.all(bpmnFiles.map((file) => readFile(path.join(folder, file), 'utf8')));
  const bpmnXml = bpmnSources[0] ?? '';
  const dmn: Record<string, string> = {};
  for (const file of manifest.data.dmn ?? []) dmn[file] = await readFile(path.join(folder, file), 'utf8');
  const compiled = await compileService({ bpmn: bpmnSources, dmn: Object.values(dmn) });
  if (!compiled.ok) throw new ServiceDefinitionError(`${slug}: ${compileErrorsToText(compiled.errors)}`);

  const forms: Record<string, FormSchema> = {};
  for (const file of manifest.data.forms) {
    const form = parseForm(JSON.parse(await readFile(path.join(folder, file), 'utf8')));
    const translationFile = path.join(folder, translationFileName(file, 'en'));
    // The English texts travel with the form (and count in the version's content hash).
    if (existsSync(translationFile)) {
      const translation = parseFormTranslation(
        JSON.parse(await readFile(translationFile, 'utf8')),
        form,
        translationFile,
      );
      form.translations = { en: translation };
    }
    forms[form.id] = form;
  }
  const missing = referencedFormIds(compiled.model).filter((formId) => !forms[formId]);
  if (missing.length > 0)
    throw new ServiceDefinitionError(`${slug}: the model references missing forms: ${missing.join(', ')}`);

  const start = startConfigOf(slug, manifest.data, compiled.model, forms);
  // Services without steps or prefill keep the hash they had before both existed (no new version).
  const declared = manifest.data.steps !== undefined || manifest.data.prefill !== undefined;
  // Likewise DMN and called processes count only where a service has them.
  const extras = {
    ...(declared ? { start } : {}),
    ...(Object.keys(dmn).length > 0 ? { dmn } : {}),
    ...(bpmnSources.length > 1 ? { calledBpmn: bpmnSources.slice(1) } : {}),
  };
  const contentHash = createHash('sha256')
    .update(JSON.stringify({ bpmnXml, forms, ...extras }))
    .digest('hex');
  const { retentionDays } = manifest.data;
  return { slug, title, summary, bpmnXml, forms, dmn, model: compiled.model, start, retentionDays, contentHash };
}

/** Checks `steps` and `prefill` against the model and the forms; every problem is named in one error. */
function startConfigOf(
  slug: string,
  manifest: z.infer<typeof serviceManifest>,
  model: ProcessModel,
  forms: Record<string, FormSchema>,
): StartConfig {
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
  if (problems.length > 0) throw new ServiceDefinitionError(`${slug}: ${problems.join('; ')}`);
  return { steps, prefill };
}

/** Service folders of the catalog: the folders with a `service.json` (others are ignored, e.g. half-made ones). */
export async function listServiceFolders(catalogDir: string): Promise<string[]> {
  const entries = await readdir(catalogDir, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory() && existsSync(path.join(catalogDir, entry.name, 'service.json')))
    .map((entry) => path.join(catalogDir, entry.name))
    .sort();
}

function referencedFormIds(model: ProcessModel): string[] {
  return Object.values(model.elements).flatMap((element) =>
    (element.kind === 'startEvent' || element.kind === 'userTask') && element.formId ? [element.formId] : [],
  );
}
